import type {
  HealthChange,
  HealthFacetValue,
  HealthEvaluation,
  Incident,
  IncidentState,
  ProductHealth,
  ProductHealthState,
} from '@backstage-datamesh/plugin-datamesh-common';

/**
 * What recording an evaluation changed.
 * @public
 */
export interface RecordEvaluationResult {
  /** The health change, when the evaluation moved the product to another health. */
  change?: HealthChange;
  /** The incident opened by a move into breaching. */
  openedIncident?: Incident;
  /** The incident resolved by a move out of breaching. */
  resolvedIncident?: Incident;
}

/**
 * About the product whose evaluation is recorded, for the incident it may open.
 * @public
 */
export interface EvaluatedProduct {
  entityRef: string;
  /** Its title, for the incident's summary. */
  title: string;
  /** Its lifecycle: production products get higher severities. */
  lifecycle?: string;
  /** Its domain (`domain:default/sales`), kept with its health for the Mesh health filters. */
  domainRef?: string;
  /** Its owner (`group:default/sales`), kept with its health for the Mesh health filters. */
  ownerRef?: string;
}

/**
 * Which products' health to list.
 * @public
 */
export interface HealthFilter {
  health?: ProductHealthState[];
  entityRefs?: string[];
  /** Products of these domains (as of their last evaluation). */
  domainRefs?: string[];
  /** Products of these owners (as of their last evaluation). */
  ownerRefs?: string[];
  /**
   * Only these products: those the caller may see. Unlike `entityRefs`, it also narrows the
   * summary's facets, and it may hold every product of the catalog (it is sent as one value).
   */
  visibleRefs?: readonly string[];
}

/**
 * How many products a health filter matches, by health, and the domains and owners of the
 * products of its health states (the other filters aside), for the page's filter options.
 * @public
 */
export interface HealthSummary {
  total: number;
  counts: Partial<Record<ProductHealthState, number>>;
  facets: { domain: HealthFacetValue[]; owner: HealthFacetValue[] };
}

/**
 * Which incidents to list.
 * @public
 */
export interface IncidentFilter {
  entityRefs?: string[];
  states?: IncidentState[];
  /** Incidents of the products of these domains (as of their last evaluation). */
  domainRefs?: string[];
  /** Only the incidents of these products: those the caller may see (sent as one value). */
  visibleRefs?: readonly string[];
}

/**
 * The health store: each product's current health, its history, and incidents. Recording an
 * evaluation is one transaction that moves the health, opens or resolves the incident and
 * appends to the change feed; when two replicas record the same move, one of them does.
 * @public
 */
export interface HealthStore {
  /** Records an evaluation of a product at a time (epoch ms). */
  recordEvaluation(
    product: EvaluatedProduct,
    evaluation: HealthEvaluation,
    at: number,
  ): Promise<RecordEvaluationResult>;
  /** A product's current health. */
  getHealth(entityRef: string): Promise<ProductHealth | undefined>;
  /**
   * The current health of many products, worst first (breaching, degraded, unknown, healthy;
   * then the longest in that state first), optionally a page of them.
   */
  listHealth(
    filter?: HealthFilter & { limit?: number; offset?: number },
  ): Promise<ProductHealth[]>;
  /** How many products a filter matches, by health, with the filters' options. */
  summarizeHealth(filter?: HealthFilter): Promise<HealthSummary>;
  /** Health changes after a position of the feed, oldest first. */
  getChanges(options: {
    after: number;
    entityRef?: string;
    /** Only the changes of these products: those the caller may see (sent as one value). */
    visibleRefs?: readonly string[];
    limit?: number;
  }): Promise<HealthChange[]>;
  /** Incidents, newest first; 100 unless a limit is given. */
  listIncidents(
    filter?: IncidentFilter & { limit?: number; offset?: number },
  ): Promise<Incident[]>;
  /** How many incidents a filter matches. */
  countIncidents(filter?: IncidentFilter): Promise<number>;
  /** One incident with its timeline. */
  getIncident(id: string): Promise<Incident | undefined>;
  /** Acknowledges an open incident; a resolved one cannot be (ConflictError). */
  acknowledgeIncident(id: string, actor: string, at: number): Promise<Incident>;
  /** Resolves an incident by hand. */
  resolveIncident(id: string, actor: string, at: number): Promise<Incident>;
}
