export interface Config {
  /** Configuration of the data mesh suite. */
  datamesh?: {
    /** The golden paths' scaffolder actions. */
    scaffolder?: {
      /**
       * The offline publisher (`publish:datamesh:local`): each new product becomes a git
       * repository in a folder of the backend's machine, which the catalog reads through the
       * module's `file:` URL reader. For local use and demos; production publishes with
       * `publish:github` or `publish:gitlab`.
       */
      localPublisher?: {
        /**
         * The folder that holds the repositories, absolute or relative to the backend's working
         * directory; `datamesh-repositories` under the working directory by default.
         * @visibility backend
         */
        directory?: string;
        /**
         * The author of the repositories' first commit.
         * @visibility backend
         */
        author?: {
          /** @visibility backend */
          name?: string;
          /** @visibility backend */
          email?: string;
        };
      };
    };
  };
}
