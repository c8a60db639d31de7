export interface Config {
  datamesh?: {
    /**
     * Who reads the data products (`src/modules/permissionPolicy.ts`): a `restricted`
     * DataProduct is readable only by the members of its owning group and by these teams.
     */
    access?: {
      /**
       * Entity refs of the groups (or users) that read every data product, restricted ones
       * included; a ref's kind defaults to `group` and its namespace to `default`.
       * @visibility backend
       */
      platformTeams?: string[];
    };
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
