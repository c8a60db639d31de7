export interface Config {
  /** Configuration of the data mesh suite. */
  datamesh?: {
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
