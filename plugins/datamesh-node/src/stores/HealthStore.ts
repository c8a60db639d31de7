import type {
  HealthChange,
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
  /** The current health of many products, filtered by health and by entity refs. */
  listHealth(filter?: {
    health?: ProductHealthState[];
    entityRefs?: string[];
  }): Promise<ProductHealth[]>;
  /** Health changes after a position of the feed, oldest first. */
  getChanges(options: {
    after: number;
    entityRef?: string;
    limit?: number;
  }): Promise<HealthChange[]>;
  /** Incidents, newest first. */
  listIncidents(filter?: {
    entityRefs?: string[];
    states?: IncidentState[];
    limit?: number;
  }): Promise<Incident[]>;
  /** One incident with its timeline. */
  getIncident(id: string): Promise<Incident | undefined>;
  /** Acknowledges an open incident; a resolved one cannot be (ConflictError). */
  acknowledgeIncident(id: string, actor: string, at: number): Promise<Incident>;
  /** Resolves an incident by hand. */
  resolveIncident(id: string, actor: string, at: number): Promise<Incident>;
}
