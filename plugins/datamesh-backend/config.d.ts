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
        /**
         * Days the successful updates of output ports are kept (freshness, availability and the
         * freshness trend). 90 by default; never fewer than 60, the days the availability
         * objective reads (the last 30 days, and the update before each of them); the latest
         * update of each port is kept however old.
         * @visibility backend
         */
        datasetUpdatesDays?: number;
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
    /**
     * Federated computational governance: the portal's global policies, evaluated for every data
     * product on a schedule, beside the policies each Domain declares (`spec.datamesh.policies`).
     */
    governance?: {
      /**
       * Changes to the suite's default policies (encryption-at-rest, pii-masking, data-lineage,
       * quality-slo, retention-policy, audit-logging), named by id with only the fields that
       * change (`enabled: false` switches one off), and new global policies in full. A policy
       * that cannot be used (a field of the wrong type, a rule that does not parse or
       * type-check) is reported at startup with its id; the others are evaluated.
       * @visibility backend
       */
      policies?: Array<{
        /** Lowercase words separated by hyphens, for example `encryption-at-rest`. */
        id: string;
        title?: string;
        description?: string;
        enforcement?: 'required' | 'recommended' | 'optional';
        /** Which products: every field given must match. */
        scope?: {
          domains?: string[];
          types?: Array<'source-aligned' | 'aggregate' | 'consumer-aligned'>;
          sensitivities?: Array<
            'public' | 'internal' | 'confidential' | 'restricted'
          >;
          lifecycles?: string[];
          tags?: string[];
        };
        /** The CEL rule, true when the product complies. */
        rule?: string;
        /** Why a product fails, with `{{ CEL }}` placeholders. */
        message?: string;
        /** Values the rule reads as `params`; merged into a default policy's. */
        parameters?: { [name: string]: unknown };
        /** False switches the policy off. */
        enabled?: boolean;
      }>;
      /**
       * Where the portal evaluates, for rules such as "PII masked outside production".
       * `production` (true) by default.
       */
      environment?: {
        /** @visibility backend */
        name?: string;
        /** @visibility backend */
        production?: boolean;
      };
      /**
       * Evaluating every data product. Every 10 minutes by default.
       * @visibility backend
       */
      schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
      /**
       * Evaluating a product again soon after it or its facts change: a quality run stored, its
       * health moved, lineage observed for its ports, its entity or one of its domains changed in
       * the catalog.
       */
      changes?: {
        /**
         * How long a change waits for others before the products changed are evaluated
         * together, in milliseconds. 2000 by default.
         * @visibility backend
         */
        delayMs?: number;
        /**
         * Finding the products whose entity or domains changed in the catalog (reading their
         * etags only). Every 30 seconds by default.
         * @visibility backend
         */
        catalogSchedule?: SchedulerServiceTaskScheduleDefinitionConfig;
      };
      /** How long the governance history is kept; pruned once a day. */
      retention?: {
        /**
         * Days the daily outcomes of each product and the trend points are kept (the Governance
         * page's trend). 400 by default; never fewer than 366, the longest trend the API
         * answers.
         * @visibility backend
         */
        trendDays?: number;
        /**
         * Days the history of each product's changes of compliance is kept. 365 by default; a
         * product's latest compliance is always kept.
         * @visibility backend
         */
        historyDays?: number;
      };
    };
    /**
     * OpenLineage ingestion (`POST /api/datamesh/v1/lineage` and `/v1/lineage/batch`) and the
     * lineage store.
     */
    lineage?: {
      /**
       * The largest request body accepted, in bytes, as sent and once decompressed (gzip); larger
       * bodies are answered 413. 10 MiB by default.
       * @visibility backend
       */
      maxBodySize?: number;
      /**
       * How many writes one backend handles at once; past it, requests are answered 503 with
       * `Retry-After: 1` at once instead of waiting past the clients' timeouts. 32 by default.
       * @visibility backend
       */
      maxConcurrentWrites?: number;
      /**
       * How long raw events are kept. A replay (`POST /api/datamesh/v1/lineage/replay`) rebuilds
       * the graph from the kept events only.
       */
      retention?: {
        /**
         * Days a raw event (as received, with every facet) is kept. 90 by default.
         * @visibility backend
         */
        rawEventsDays?: number;
      };
      /**
       * When the scheduled work runs. Each task runs on one backend replica at a time.
       */
      schedules?: {
        /**
         * Removing raw events past their retention. Daily by default.
         * @visibility backend
         */
        retention?: SchedulerServiceTaskScheduleDefinitionConfig;
      };
      /**
       * Lineage drift (declared input ports against observed lineage) and the observed
       * product-to-product edges the catalog shows.
       */
      drift?: {
        /**
         * Days within which an edge counts as observed: an input port no job read in that window
         * is "declared, not observed". 30 by default.
         * @visibility backend
         */
        windowDays?: number;
      };
    };
  };
}
