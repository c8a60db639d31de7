/**
 * The types of the data mesh backend's HTTP API (`/api/datamesh/v1`), shared by the backend, its
 * stores and the typed client.
 */
import type {
  QualityCheckResult,
  QualityCheckStatus,
  QualityResultFormat,
} from '../quality';
import type {
  Incident,
  IncidentState,
  ProductHealth,
  ProductHealthState,
} from '../health';

/**
 * Where a stored run came from.
 * @public
 */
export type QualityRunSource = 'push' | 'pull' | 'openlineage';

/**
 * A stored quality run.
 * @public
 */
export interface StoredQualityRun {
  id: number;
  entityRef: string;
  port?: string;
  format: QualityResultFormat | 'openlineage';
  tool: { name: string; version?: string };
  toolRunId?: string;
  source: QualityRunSource;
  startedAt?: string;
  finishedAt: string;
  receivedAt: string;
  /** How many checks ended in each status. */
  counts: Record<QualityCheckStatus, number>;
  /** Whether the raw document is still kept (raw retention may have removed it). */
  hasRawDocument: boolean;
}

/**
 * A stored check result: the check model, tied to its product, port, run and tool.
 * @public
 */
export interface StoredCheckResult
  extends Omit<QualityCheckResult, 'executedAt'> {
  entityRef: string;
  port?: string;
  runId: number;
  format: QualityResultFormat | 'openlineage';
  tool: { name: string; version?: string };
  /** When the check ran (ISO 8601): its own time, or its run's. */
  executedAt: string;
}

/**
 * Check results of one UTC day.
 * @public
 */
export interface CheckTrendPoint {
  /** The day, `YYYY-MM-DD`. */
  day: string;
  counts: Record<QualityCheckStatus, number>;
  /** Passed checks among those that were not skipped, 0 to 1; absent without any. */
  passRate?: number;
}

/**
 * One point of a metric series. Daily points (`resolution: 'day'`) carry the day's min and max,
 * and `value` is the day's mean.
 * @public
 */
export interface MetricSeriesPoint {
  at: string;
  value: number;
  min?: number;
  max?: number;
}

/**
 * A metric's points.
 * @public
 */
export interface MetricSeries {
  metric: string;
  port?: string;
  column?: string;
  points: MetricSeriesPoint[];
}

/**
 * A change of a product's health, as the change feed returns it.
 * @public
 */
export interface HealthChange {
  /** Position in the feed; pass the last one seen as `after` to read on. */
  id: number;
  entityRef: string;
  from?: ProductHealthState;
  to: ProductHealthState;
  reasons: string[];
  at: string;
}

/**
 * The answer to posting quality results.
 * @public
 */
export interface PostQualityResultsResponse {
  runId: number;
  /** False when the same run was posted before. */
  created: boolean;
  format: QualityResultFormat;
  /** How many checks the run held. */
  checks: number;
  /** The product's health after the run. */
  health: ProductHealthState;
}

/**
 * A product's trends over a window of days.
 * @public
 */
export interface ProductHistory {
  entityRef: string;
  days: number;
  from: string;
  to: string;
  /** Check results per day. */
  checks: CheckTrendPoint[];
  /** The age of each port's data just before each update, and now. */
  freshness: Array<{ port: string; at: string; lagSeconds: number }>;
  /** Metric series: raw points up to 7 days, daily rollups beyond. */
  metrics: MetricSeries[];
}

/**
 * The raw document of a quality run, as its tool wrote it.
 * @public
 */
export interface RawQualityDocument {
  /** Its media type, for example `application/json; charset=utf-8`. */
  contentType: string;
  /** The document's text. */
  body: string;
}

/**
 * A value of a Mesh health filter (a domain or owner ref) with how many products have it.
 * @public
 */
export interface HealthFacetValue {
  value: string;
  count: number;
}

/**
 * Which products' health to ask for, and which page of them.
 * @public
 */
export interface HealthPageQuery {
  health?: ProductHealthState[];
  /** Products of these domains (`domain:default/sales`). */
  domainRefs?: string[];
  /** Products of these owners (`group:default/sales-team`). */
  ownerRefs?: string[];
  entityRefs?: string[];
  /** The most products of the page (1 to 500). */
  limit?: number;
  /** How many matching products come before the page. */
  offset?: number;
}

/**
 * A page of products' health, worst first (breaching, degraded, unknown, healthy, then the
 * longest in that state first). `totalItems`, `counts` and `facets` count the matching products
 * of the store; the items leave out the products the caller may not see in the catalog.
 * @public
 */
export interface ProductHealthPage {
  items: ProductHealth[];
  totalItems: number;
  offset: number;
  limit?: number;
  /** The matching products by health. */
  counts: Partial<Record<ProductHealthState, number>>;
  /** The domains and owners of the products of the asked health states, for the filters. */
  facets: { domain: HealthFacetValue[]; owner: HealthFacetValue[] };
}

/**
 * Which incidents of many products to ask for, and which page of them.
 * @public
 */
export interface IncidentQuery {
  states?: IncidentState[];
  entityRefs?: string[];
  /** Incidents of the products of these domains. */
  domainRefs?: string[];
  /** The most incidents of the page (1 to 500; 100 by default). */
  limit?: number;
  offset?: number;
}

/**
 * A page of incidents, newest first, of the products the caller may see.
 * @public
 */
export interface IncidentPage {
  items: Incident[];
  totalItems: number;
  offset: number;
  limit: number;
}
