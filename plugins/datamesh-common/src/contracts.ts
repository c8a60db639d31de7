/**
 * A property (column, field) of an object in a data contract's schema.
 * @public
 */
export type DataContractProperty = {
  name: string;
  physicalName?: string;
  logicalType?: string;
  physicalType?: string;
  description?: string;
  required?: boolean;
  unique?: boolean;
  primaryKey?: boolean;
  /** Position of the property in a composite primary key (1-based). */
  primaryKeyPosition?: number;
  /** The ODCS `logicalTypeOptions` (maxLength, minimum, pattern...), as written. */
  logicalTypeOptions?: Record<string, unknown>;
  /** The ODCS data quality rules of the property, as written. */
  quality?: Array<Record<string, unknown>>;
  classification?: string;
  examples?: unknown[];
  /** Nested properties of an object or array property. */
  properties?: DataContractProperty[];
};

/**
 * An object (table, topic, file) in a data contract's schema.
 * @public
 */
export type DataContractObject = {
  name: string;
  physicalName?: string;
  physicalType?: string;
  description?: string;
  /** The ODCS data quality rules of the object, as written. */
  quality?: Array<Record<string, unknown>>;
  properties: DataContractProperty[];
};

/**
 * What the product page shows of an Open Data Contract Standard document.
 * @public
 */
export type DataContractSummary = {
  /** The ODCS `apiVersion`, for example `v3.1.0`. */
  apiVersion: string;
  id: string;
  name?: string;
  version: string;
  status?: string;
  domain?: string;
  dataProduct?: string;
  description?: string;
  schema: DataContractObject[];
};

/**
 * The outcome of reading and validating an output port's data contract.
 *
 * - `valid`: the contract parsed and passed the official ODCS JSON schema of its version.
 * - `invalid`: the document is not YAML/JSON, or fails the schema; `errors` name each field.
 * - `unsupported-version`: the document is of an ODCS version the suite does not read (v2).
 * - `unreachable`: the contract could not be read from its location.
 * @public
 */
export type DataContractResult =
  | { status: 'valid'; source: string; contract: DataContractSummary }
  | {
      status: 'invalid';
      source: string;
      message: string;
      errors: Array<{ path: string; message: string }>;
    }
  | {
      status: 'unsupported-version';
      source: string;
      apiVersion: string;
      message: string;
    }
  | { status: 'unreachable'; source: string; message: string };

/**
 * A data mesh entity (DataProduct or Domain) that the catalog could not process, with the
 * errors that keep it out.
 * @public
 */
export type DataMeshProblem = {
  /** The entity's reference, such as `dataproduct:default/broken-orders-feed`. */
  entityRef: string;
  /** The entity's kind as written. */
  kind: string;
  /** Its title or name, for display. */
  title: string;
  /** The entity's domain reference as written, when it has one. */
  domain?: string;
  /** The location the entity was read from, such as `file:/…/catalog-info.yaml`. */
  location?: string;
  /** Each processing error's message, naming the field. */
  errors: string[];
};
