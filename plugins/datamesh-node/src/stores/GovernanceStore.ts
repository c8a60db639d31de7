import type {
  GovernanceChange,
  ProductCompliance,
} from '@backstage-datamesh/plugin-datamesh-common';

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
 * One evaluation to record: a product's compliance, its domain and the domains above it (nearest
 * first), and what it was evaluated from.
 * @public
 */
export interface ComplianceRecord {
  compliance: ProductCompliance;
  /** The product's domain (entity ref). */
  domain?: string;
  /** Its domain and those above it, nearest first: the domains whose trend counts it. */
  domains?: string[];
  /**
   * What the product was evaluated from: a hash of its entity's and its domains' etags, kept with
   * its latest compliance so that a change in the catalog can be found without reading entities.
   */
  entityHash?: string;
}

/**
 * The governance store: each product's latest compliance, its history (one entry per change of
 * result), each product's outcome of each day and the daily trend they add up to, by domain and
 * by policy.
 * @public
 */
export interface GovernanceStore {
  /**
   * Records evaluations made at a time (epoch ms: when their facts began to be read). An
   * evaluation whose outcome (every policy's status and reason) equals the product's latest is
   * not added to the history again; its latest is confirmed instead. An evaluation older than
   * the product's latest (a long run that read its facts before a newer evaluation was stored)
   * is not recorded. Each one recorded is the product's outcome of its UTC day, and the day's
   * trend points are kept equal to the sums of those outcomes. Resolves to how many entered the
   * history.
   */
  recordCompliance(
    items: ComplianceRecord[],
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
  /** Every product with a latest compliance, with the entity hash it was evaluated from. */
  listEntityHashes(): Promise<
    Array<{ entityRef: string; entityHash?: string }>
  >;
  /**
   * The products whose latest compliance is after a position of the change feed, oldest first,
   * at most `limit`: each with its current compliance in short.
   */
  listChanges(options: {
    after: number;
    limit: number;
  }): Promise<GovernanceChange[]>;
  /**
   * Forgets the products no longer in the catalog: keeps the latest, history and daily outcomes
   * of these only (the trend no longer counts the others).
   */
  retainProducts(entityRefs: string[]): Promise<{ removed: number }>;
  /**
   * Removes what is older than the retention: the daily outcomes and trend points of the days
   * before `daysBefore` (`YYYY-MM-DD`), and the history entries evaluated before `historyBefore`
   * (epoch ms) that are no product's latest (a product's latest compliance is always kept).
   */
  prune(options: { daysBefore: string; historyBefore: number }): Promise<{
    days: number;
    trendPoints: number;
    history: number;
  }>;
  /**
   * Trend points from a day on (`YYYY-MM-DD`), oldest first. With `exclude`, the points count
   * none of those products (the products a caller cannot see); points left with no product are
   * not answered.
   */
  getTrend(options: {
    since: string;
    kind?: ComplianceTrendPoint['kind'];
    exclude?: string[];
  }): Promise<ComplianceTrendPoint[]>;
}
