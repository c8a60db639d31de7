/**
 * The health of a data product, as the data mesh backend computes it from the product's service
 * level objectives and its latest quality checks.
 */

/**
 * The health states of a data product, from best to worst but for `unknown`.
 * @public
 */
export const PRODUCT_HEALTH_STATES = [
  'healthy',
  'degraded',
  'breaching',
  'unknown',
] as const;

/** @public */
export type ProductHealthState = (typeof PRODUCT_HEALTH_STATES)[number];

/**
 * The catalog label the catalog module sets on each DataProduct from its current health: one of
 * {@link PRODUCT_HEALTH_STATES}; absent while the product has not been evaluated. The catalog
 * filters on it like on any label (`metadata.labels.datamesh.io/health=breaching`).
 * @public
 */
export const DATA_PRODUCT_HEALTH_LABEL = 'datamesh.io/health';

/**
 * The service level objectives the backend measures: the four of the entity's `spec.sla`, and
 * the pass rate of the product's latest checks.
 * @public
 */
export const SLO_KINDS = [
  'freshness',
  'availability',
  'completeness',
  'accuracy',
  'checks',
] as const;

/** @public */
export type SloKind = (typeof SLO_KINDS)[number];

/**
 * How one objective stands: met, close to its limit, not met, or not measurable with the data
 * the portal has.
 * @public
 */
export const SLO_STATUSES = ['met', 'at-risk', 'breached', 'unknown'] as const;

/** @public */
export type SloStatus = (typeof SLO_STATUSES)[number];

/**
 * One objective of a product, measured.
 * @public
 */
export interface SloEvaluation {
  /** Which objective. */
  slo: SloKind;
  /** The objective as written in the entity, for example `15m` or `99.5%`; absent for `checks`. */
  objective?: string;
  /** Where the objective comes from: the product's `spec.sla` or its domain's baseline. */
  objectiveSource?: 'product' | 'domain';
  /** The measured value in the objective's unit: milliseconds of lag, or a ratio between 0 and 1. */
  measured?: number;
  /** How it stands. */
  status: SloStatus;
  /** Why, in words, for example `freshness 3h 12m against 15m (port customer-profile)`. */
  reason: string;
}

/**
 * A check that keeps a product from being healthy.
 * @public
 */
export interface HealthFailingCheck {
  /** Stable id of the check within its source. */
  checkId: string;
  /** The check's name. */
  name: string;
  /** Its latest status (`warn`, `fail` or `error`). */
  status: string;
  /** The port it belongs to, when known. */
  port?: string;
}

/**
 * A product's health with its reasons.
 * @public
 */
export interface ProductHealth {
  /** Entity ref of the DataProduct, for example `dataproduct:default/customer-360`. */
  entityRef: string;
  /** The health. */
  health: ProductHealthState;
  /** The reasons behind it, worst first, each a sentence. */
  reasons: string[];
  /** Every objective, measured. */
  slos: SloEvaluation[];
  /** The checks that warn, fail or error. */
  failingChecks: HealthFailingCheck[];
  /** Since when the product has had this health (ISO 8601). */
  since: string;
  /** When it was last evaluated (ISO 8601). */
  evaluatedAt: string;
}

/**
 * The states of an incident.
 * @public
 */
export const INCIDENT_STATES = ['new', 'acknowledged', 'resolved'] as const;

/** @public */
export type IncidentState = (typeof INCIDENT_STATES)[number];

/**
 * How severe an incident is: `critical` for a production product that breaches more than one
 * objective, `high` for a production product, `medium` otherwise.
 * @public
 */
export const INCIDENT_SEVERITIES = ['critical', 'high', 'medium'] as const;

/** @public */
export type IncidentSeverity = (typeof INCIDENT_SEVERITIES)[number];

/**
 * One entry of an incident's timeline.
 * @public
 */
export interface IncidentEvent {
  /** When it happened (ISO 8601). */
  at: string;
  /** What happened. */
  type: 'opened' | 'acknowledged' | 'resolved' | 'recovered' | 'updated';
  /** Entity ref of the user who did it; absent when the portal did it by itself. */
  actor?: string;
  /** The reasons at that moment, for `opened`, `updated` and `recovered`. */
  reasons?: string[];
}

/**
 * An incident: a data product that moved into breaching.
 * @public
 */
export interface Incident {
  /** The incident's id (a UUID). */
  id: string;
  /** Entity ref of the DataProduct. */
  entityRef: string;
  /** Its state. */
  state: IncidentState;
  /** Its severity. */
  severity: IncidentSeverity;
  /** A one-line summary, for example `Customer 360 View breaches freshness`. */
  title: string;
  /** The SLOs and checks behind it when it was opened, each a sentence. */
  reasons: string[];
  /** When it was opened (ISO 8601). */
  openedAt: string;
  /** When it was acknowledged, and by whom. */
  acknowledgedAt?: string;
  /** Entity ref of the user who acknowledged it. */
  acknowledgedBy?: string;
  /** When it was resolved. */
  resolvedAt?: string;
  /** Entity ref of the user who resolved it; absent when the product's recovery resolved it. */
  resolvedBy?: string;
  /** Its timeline, oldest first. */
  events: IncidentEvent[];
}
