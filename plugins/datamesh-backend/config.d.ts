export interface Config {
  /**
   * Configuration of the data mesh suite. Each of its packages declares the keys it reads; the
   * stores, schedules and limits of the backend plugin will have theirs here.
   *
   * The backend plugin reads none of its own yet. It reads data contracts with
   * `DataContractReader.fromConfig` of `@backstage-datamesh/plugin-datamesh-node`, which takes
   * `integrations` (declared by `@backstage/integration`) to resolve contract paths next to an
   * entity's file, and reads URLs through the backend's URL reader (`backend.reading.allow`,
   * declared by `@backstage/backend-defaults`).
   * @visibility backend
   */
  datamesh?: {};
}
