export interface Config {
  datamesh?: {
    /**
     * Example data of the portal, for local use (`app-config.yaml`).
     */
    examples?: {
      /**
       * The example pipelines that post the example mesh's quality history at start
       * (`src/modules/exampleQuality.ts`). Leave it out in production.
       */
      quality?: {
        /**
         * The pipelines file, relative to the backend's working directory.
         * @visibility backend
         */
        file: string;
        /**
         * The `backend.auth.externalAccess` static token the pipelines call the portal with.
         * @visibility secret
         */
        token: string;
      };
    };
  };
}
