import type { Entity } from '@backstage/catalog-model';
import type { GovernancePolicy } from './governance/types';

/**
 * The apiVersion of the data mesh suite's entity kinds.
 * @public
 */
export const DATAMESH_API_VERSION = 'datamesh.io/v1alpha1';

/**
 * The kind of a data product entity.
 * @public
 */
export const DATA_PRODUCT_KIND = 'DataProduct';

/**
 * Data product types, after the data mesh literature: aligned with a source system, aggregating
 * several products, or shaped for a consumer's use case.
 * @public
 */
export const DATA_PRODUCT_TYPES = [
  'source-aligned',
  'aggregate',
  'consumer-aligned',
] as const;

/** @public */
export type DataProductType = (typeof DATA_PRODUCT_TYPES)[number];

/**
 * Data sensitivity levels, from the data mesh guide's `DataSensitivity`.
 * @public
 */
export const SENSITIVITY_LEVELS = [
  'public',
  'internal',
  'confidential',
  'restricted',
] as const;

/** @public */
export type SensitivityLevel = (typeof SENSITIVITY_LEVELS)[number];

/**
 * What an output port serves.
 * @public
 */
export const OUTPUT_PORT_TYPES = [
  'table',
  'view',
  'topic',
  'api',
  'file',
] as const;

/** @public */
export type OutputPortType = (typeof OUTPUT_PORT_TYPES)[number];

/**
 * Service level objectives of a data product, as written in its entity.
 *
 * Durations are a number and a unit (`s`, `m`/`min`, `h`, `d`, `w`), for example `15m`;
 * percentages are written with a percent sign (`99.95%`) or as a ratio between 0 and 1 (`0.98`).
 * @public
 */
export type DataProductSla = {
  /** Maximum age of the newest data, for example `15m` or `1h`. */
  freshness?: string;
  /** Share of time the output ports are available, for example `99.95%`. */
  availability?: string | number;
  /** Share of records that are correct, for example `99.5%`. */
  accuracy?: string | number;
  /** Share of expected records or values present, for example `0.98` or `98%`. */
  completeness?: string | number;
};

/**
 * The ownership roles of a data product (the data mesh guide's `DataOwnership`).
 * Roles that name people or teams are entity references to a User or Group.
 * @public
 */
export type DataProductOwnership = {
  /** Person or team responsible for the infrastructure. */
  technicalOwner?: string;
  /** Person or team building the pipelines. */
  developer?: string;
  /** Person or team responsible for the data's accuracy. */
  businessOwner?: string;
  /** Person or team responsible for quality. */
  steward?: string;
  /** Team on the on-call rotation. */
  onCallRotation?: string;
  /** People or teams to escalate to, in order. */
  escalationPath?: string[];
  /** Where to reach the team, for example a chat channel such as `#customer-data` or a URL. */
  communicationChannel?: string;
};

/**
 * A field of a product's `spec.ownership` and the label the suite shows for it.
 * @public
 */
export type OwnershipFieldLabel = {
  key: keyof DataProductOwnership;
  label: string;
};

/**
 * The ownership roles of a data product that name one Group or User (`spec.ownership`), in the
 * order the suite shows them, with their labels.
 * @public
 */
export const OWNERSHIP_ROLES = [
  { key: 'technicalOwner', label: 'Technical owner' },
  { key: 'developer', label: 'Developer' },
  { key: 'businessOwner', label: 'Business owner' },
  { key: 'steward', label: 'Data steward' },
  { key: 'onCallRotation', label: 'On-call rotation' },
] as const satisfies readonly OwnershipFieldLabel[];

/** @public */
export type OwnershipRole = (typeof OWNERSHIP_ROLES)[number]['key'];

/**
 * Every field of a product's `spec.ownership`, in the order the suite shows them, with their
 * labels: the {@link OWNERSHIP_ROLES}, the escalation path (Groups or Users in order) and the
 * communication channel (free text).
 * @public
 */
export const OWNERSHIP_FIELDS = [
  ...OWNERSHIP_ROLES,
  { key: 'escalationPath', label: 'Escalation path' },
  { key: 'communicationChannel', label: 'Communication channel' },
] as const satisfies readonly OwnershipFieldLabel[];

/**
 * A dataset location named as OpenLineage names datasets.
 * @public
 */
export type DatasetLocation = {
  /** The OpenLineage dataset namespace, for example `postgres://warehouse:5432` or `kafka://broker:9092`. */
  namespace: string;
  /** The OpenLineage dataset name, for example `analytics.public.customer_360`. */
  name: string;
};

/**
 * What a data product serves.
 * @public
 */
export type DataProductOutputPort = {
  /** Name of the port, unique within the product. */
  name: string;
  /** What the port serves. */
  type: OutputPortType;
  /** Where the port's data lives. */
  location: DatasetLocation;
  /** The data's format, for example `delta`, `parquet`, `avro`, `json`. */
  format?: string;
  /** Path (relative to the entity's file) or URL of the port's Open Data Contract Standard document. */
  contract?: string;
  /** What the port is for. */
  description?: string;
};

/**
 * What a data product consumes: an output port of another product.
 * @public
 */
export type DataProductInputPort = {
  /** Name of the port, unique within the product. */
  name: string;
  /** Entity reference of the upstream data product; the kind defaults to `DataProduct`. */
  product: string;
  /** Name of the output port on the upstream product. */
  port: string;
  /** What the port is used for. */
  description?: string;
};

/**
 * The `spec` of a DataProduct entity.
 * @public
 */
export type DataProductSpec = {
  /** Entity reference of the owning Group or User. */
  owner: string;
  /** Entity reference of the Domain the product belongs to. */
  domain: string;
  /** The product's type. */
  type: DataProductType;
  /** Lifecycle stage, for example `experimental`, `production`, `deprecated`. */
  lifecycle: string;
  /** Current version (semantic versioning). */
  version?: string;
  /** Earlier versions still served or documented. */
  previousVersions?: string[];
  /** Sensitivity of the data. */
  sensitivity?: SensitivityLevel;
  /** How many days the data is kept. */
  retentionDays?: number;
  /** Service level objectives. */
  sla?: DataProductSla;
  /** Ownership roles. */
  ownership?: DataProductOwnership;
  /**
   * Path (relative to the entity's file) or URL of the product's `DataProductInfrastructure`
   * descriptor, read and validated like the output ports' contracts.
   */
  infrastructure?: string;
  /** Where the product's documentation lives. */
  documentationUrl?: string;
  /** What the product serves. */
  outputPorts?: DataProductOutputPort[];
  /** What the product consumes. */
  inputPorts?: DataProductInputPort[];
};

/**
 * A data product: domain-owned data served as a product.
 * @public
 */
export interface DataProductEntityV1alpha1 extends Entity {
  apiVersion: typeof DATAMESH_API_VERSION;
  kind: typeof DATA_PRODUCT_KIND;
  spec: DataProductSpec;
}

/**
 * What the suite adds to the catalog's Domain kind, under `spec.datamesh`.
 * @public
 */
export type DataMeshDomainSpec = {
  /** Where to reach the domain's teams, for example `#marketing-data`. */
  communicationChannel?: string;
  /** Entity reference of the Group or User stewarding the domain's data. */
  steward?: string;
  /** Baseline service level objectives for the domain's data products. */
  sla?: DataProductSla;
  /**
   * The domain's governance policies, applied to its data products and those of its subdomains
   * beside the global ones.
   */
  policies?: GovernancePolicy[];
};

/**
 * Tells whether an entity is a DataProduct (by apiVersion and kind).
 * @public
 */
export function isDataProductEntity(
  entity: Entity,
): entity is DataProductEntityV1alpha1 {
  return (
    entity.apiVersion === DATAMESH_API_VERSION &&
    entity.kind.toLocaleLowerCase('en-US') === 'dataproduct'
  );
}

/**
 * Tells whether an entity is one of the catalog's Domains.
 * @public
 */
export function isDomainEntity(entity: Entity): boolean {
  return entity.kind.toLocaleLowerCase('en-US') === 'domain';
}

/**
 * How binding a governance policy is, after the data mesh guide's `GlobalPolicy.enforcement`: a
 * failed `required` policy makes a product non-compliant (and fails the CLI and the golden paths'
 * validation), a failed `recommended` one is a warning, an `optional` one is information.
 * @public
 */
export const POLICY_ENFORCEMENTS = [
  'required',
  'recommended',
  'optional',
] as const;

/** @public */
export type PolicyEnforcement = (typeof POLICY_ENFORCEMENTS)[number];
