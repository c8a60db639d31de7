export interface Config {
  /** Configuration of the data mesh suite. */
  datamesh?: {
    /** Product health in the catalog. */
    health?: {
      /**
       * The `datamesh.io/health` label of each DataProduct, set from the data mesh backend's
       * current health and kept current from its change feed by a task of each replica.
       */
      labels?: {
        /**
         * Whether DataProducts get the label; true by default. False leaves the catalog as if
         * the data mesh backend were not installed.
         * @visibility backend
         */
        enabled?: boolean;
        /**
         * How often each replica reads the change feed, such as `{ seconds: 10 }` (the default)
         * or `PT10S`: the longest a health change waits before its product is processed again.
         * @visibility backend
         */
        frequency?:
          | {
              milliseconds?: number;
              seconds?: number;
              minutes?: number;
              hours?: number;
            }
          | string;
        /**
         * How often each replica reads the current health of every product again and
         * refreshes the products whose label it had wrong, such as `{ minutes: 10 }` (the
         * default): a change the feed could not show in order is corrected within this time.
         * @visibility backend
         */
        resyncFrequency?:
          | {
              seconds?: number;
              minutes?: number;
              hours?: number;
            }
          | string;
      };
    };
    /** Governance in the catalog. */
    governance?: {
      /**
       * The `datamesh.io/compliance` label (`compliant` or `non-compliant`) and the
       * `datamesh.io/required-policy-failures` annotation (the ids of the required policies a
       * product fails, comma-separated) of each DataProduct, set from the data mesh backend's
       * latest compliance and kept current from its feed (`GET /api/datamesh/v1/governance/changes`)
       * by a task of each replica.
       */
      labels?: {
        /**
         * Whether DataProducts get the label and annotation; true by default. False leaves the
         * catalog as if the data mesh backend were not installed.
         * @visibility backend
         */
        enabled?: boolean;
        /**
         * How often each replica reads the feed, such as `{ seconds: 10 }` (the default) or
         * `PT10S`: the longest a compliance change waits before its product is processed again.
         * @visibility backend
         */
        frequency?:
          | {
              milliseconds?: number;
              seconds?: number;
              minutes?: number;
              hours?: number;
            }
          | string;
        /**
         * How often each replica reads the compliance of every product again and refreshes the
         * products whose labels it had wrong, such as `{ minutes: 10 }` (the default): a change
         * the feed could not show in order is corrected within this time.
         * @visibility backend
         */
        resyncFrequency?:
          | {
              seconds?: number;
              minutes?: number;
              hours?: number;
            }
          | string;
      };
    };
    /** Lineage in the catalog. */
    lineage?: {
      /**
       * The `observedDependsOn`/`observedDependencyOf` relations between DataProducts, from the
       * lineage the data mesh backend observed (`GET /api/datamesh/v1/lineage/product-edges`),
       * kept current by a task of each replica.
       */
      relations?: {
        /**
         * Whether DataProducts get the observed relations; true by default. False leaves the
         * catalog with the declared `dependsOn`/`dependencyOf` only.
         * @visibility backend
         */
        enabled?: boolean;
        /**
         * How often each replica asks the backend whether the observed edges changed, such as
         * `{ seconds: 30 }` (the default) or `PT30S`: the longest a new edge waits before both
         * its products are processed again. An unchanged lineage costs a 304.
         * @visibility backend
         */
        frequency?:
          | {
              milliseconds?: number;
              seconds?: number;
              minutes?: number;
              hours?: number;
            }
          | string;
      };
    };
    /** Data products registered from open-standard descriptors (catalog locations of type `odps` and `dpds`). */
    descriptors?: {
      /**
       * Values used where a descriptor is silent (ODPS has no product type; DPDS has no
       * lifecycle; either may name no owner or domain). They are never used where the descriptor
       * says something, and are checked at startup as the DataProduct kind checks its fields.
       */
      defaults?: {
        /**
         * Entity reference of the owning Group or User, such as `group:default/data-platform`
         * (a bare name is a Group).
         * @visibility backend
         */
        owner?: string;
        /**
         * Entity reference of the Domain, such as `domain:default/sales` or `sales`.
         * @visibility backend
         */
        domain?: string;
        /**
         * The product type: one of the DataProduct kind's types (`DATA_PRODUCT_TYPES` of
         * `@backstage-datamesh/plugin-datamesh-common`), such as `source-aligned`.
         * @visibility backend
         */
        type?: string;
        /**
         * The lifecycle, such as `experimental` or `production`.
         * @visibility backend
         */
        lifecycle?: string;
      };
    };
  };
}
