import type { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

export interface Config {
  /**
   * Configuration of the data mesh suite. Each of its packages declares the keys it reads.
   *
   * The backend plugin reads data contracts with `DataContractReader.fromConfig` of
   * `@backstage-datamesh/plugin-datamesh-node`, which takes `integrations` (declared by
   * `@backstage/integration`) and the backend's URL reader (`backend.reading.allow`).
   */
  datamesh?: {
    /**
     * The quality and health store.
     */
    quality?: {
      /**
       * The largest quality document accepted, in bytes (a dbt run with its manifest counts as
       * one); larger bodies are answered 413. 10 MiB by default.
       * @visibility backend
       */
      maxBodySize?: number;
      /**
       * How long raw documents and raw results are kept. Daily rollups of check results and
       * metrics are kept after that, so trends over 90 days stay cheap.
       */
      retention?: {
        /**
         * Days a raw document (the tool's output, as posted) is kept. 30 by default.
         * @visibility backend
         */
        rawDocumentsDays?: number;
        /**
         * Days raw check results and metric points are kept. 30 by default.
         * @visibility backend
         */
        resultsDays?: number;
      };
      /**
       * When the scheduled work runs. Each task runs on one backend replica at a time.
       */
      schedules?: {
        /**
         * Evaluating every product's health (freshness decays when nothing is posted).
         * Every minute by default.
         * @visibility backend
         */
        evaluate?: SchedulerServiceTaskScheduleDefinitionConfig;
        /**
         * Pulling the results products publish (annotation `datamesh.io/quality-results-url`).
         * Every 5 minutes by default.
         * @visibility backend
         */
        pull?: SchedulerServiceTaskScheduleDefinitionConfig;
        /**
         * Retention. Daily by default.
         * @visibility backend
         */
        retention?: SchedulerServiceTaskScheduleDefinitionConfig;
      };
    };
  };
}
