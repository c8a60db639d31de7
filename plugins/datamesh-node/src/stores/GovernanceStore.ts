import type { ProductCompliance } from '@backstage-datamesh/plugin-datamesh-common';

/**
 * A product's compliance as stored: the evaluation, the domain it was in, and when it was last
 * confirmed (an evaluation that changes nothing only moves `checkedAt`).
 * @public
 */
export interface StoredCompliance extends ProductCompliance {
  /** The product's domain (entity ref), when it has one. */
  domain?: string;
  /** When an evaluation last gave this same result (ISO 8601). */
  checkedAt: string;
}

/**
 * One day of the compliance trend, for all products (`kind: 'all'`), one domain or one policy.
 * @public
 */
export interface ComplianceTrendPoint {
  /** The UTC day, `YYYY-MM-DD`. */
  day: string;
  kind: 'all' | 'domain' | 'policy';
  /** The domain's entity ref or the policy id; empty for `all`. */
  key: string;
  /** Products evaluated (for a policy: products it applies to). */
  products: number;
  /** Of those, compliant ones (for a policy: those that pass it). */
  compliant: number;
}

/**
 * The governance store: each product's latest compliance, its history (one entry per change of
 * result), and a daily trend by domain and by policy.
 * @public
 */
export interface GovernanceStore {
  /**
   * Records evaluations made at a time (epoch ms). An evaluation whose outcome (every policy's
   * status and reason) equals the product's latest is not added to the history again; its
   * latest is confirmed instead. Resolves to how many entered the history.
   */
  recordCompliance(
    items: Array<{ compliance: ProductCompliance; domain?: string }>,
    at: number,
  ): Promise<{ changed: number }>;
  /** A product's latest compliance. */
  getCompliance(entityRef: string): Promise<StoredCompliance | undefined>;
  /** A product's history, newest first. */
  getHistory(
    entityRef: string,
    options?: { limit?: number },
  ): Promise<StoredCompliance[]>;
  /** The latest compliance of every product, or of the products of some domains. */
  listCompliance(filter?: { domains?: string[] }): Promise<StoredCompliance[]>;
  /** Forgets the products no longer in the catalog: keeps the latest of these only. */
  retainProducts(entityRefs: string[]): Promise<{ removed: number }>;
  /** Replaces the trend points of a day (`YYYY-MM-DD`) by those given. */
  recordTrend(day: string, points: ComplianceTrendPoint[]): Promise<void>;
  /** Trend points from a day on (`YYYY-MM-DD`), oldest first. */
  getTrend(options: {
    since: string;
    kind?: ComplianceTrendPoint['kind'];
  }): Promise<ComplianceTrendPoint[]>;
}
