import { createHash } from 'node:crypto';
import { Knex } from 'knex';
import type {
  PolicyEvaluation,
  ProductCompliance,
} from '@backstage-datamesh/plugin-datamesh-common';
import type {
  ComplianceTrendPoint,
  GovernanceStore,
  StoredCompliance,
} from '@backstage-datamesh/plugin-datamesh-node';
import { chunks, iso } from '../database/util';

type EvaluationRow = {
  id: number;
  product_ref: string;
  domain_ref: string | null;
  compliant: boolean | number;
  required_failures: number;
  passed: number;
  failed: number;
  not_applicable: number;
  evaluations: string;
  outcome_hash: string;
  evaluated_at: number | string;
  checked_at: number | string;
};

type TrendRow = {
  day: string;
  kind: ComplianceTrendPoint['kind'];
  key: string;
  products: number | string;
  compliant: number | string;
};

function outcomeHash(compliance: ProductCompliance): string {
  const outcome = compliance.evaluations.map(e => [
    e.policyId,
    e.enforcement,
    e.status,
    e.reason,
  ]);
  return createHash('sha256').update(JSON.stringify(outcome)).digest('hex');
}

function toCompliance(row: EvaluationRow): StoredCompliance {
  return {
    entityRef: row.product_ref,
    ...(row.domain_ref ? { domain: row.domain_ref } : {}),
    compliant: Boolean(row.compliant),
    requiredFailures: Number(row.required_failures),
    counts: {
      pass: Number(row.passed),
      fail: Number(row.failed),
      'not-applicable': Number(row.not_applicable),
    },
    evaluations: JSON.parse(row.evaluations) as PolicyEvaluation[],
    evaluatedAt: iso(row.evaluated_at),
    checkedAt: iso(row.checked_at),
  };
}

/**
 * The governance store on the plugin's database (PostgreSQL or SQLite), tables of the migration
 * `20261204120000_governance.js`.
 * @internal
 */
export class DatabaseGovernanceStore implements GovernanceStore {
  constructor(private readonly db: Knex) {}

  async recordCompliance(
    items: Array<{ compliance: ProductCompliance; domain?: string }>,
    at: number,
  ): Promise<{ changed: number }> {
    let changed = 0;
    for (const batch of chunks(items, 200)) {
      changed += await this.db.transaction(async tx => {
        let inBatch = 0;
        const refs = batch.map(i => i.compliance.entityRef);
        const latest = new Map<
          string,
          { id: number; hash: string; domain: string | null }
        >();
        for (const refsChunk of chunks(refs, 500)) {
          const rows = await tx('governance_latest as l')
            .join('governance_evaluations as e', 'e.id', 'l.evaluation_id')
            .whereIn('l.product_ref', refsChunk)
            .select('l.product_ref', 'e.id', 'e.outcome_hash', 'e.domain_ref');
          for (const row of rows) {
            latest.set(row.product_ref, {
              id: row.id,
              hash: row.outcome_hash,
              domain: row.domain_ref,
            });
          }
        }
        const unchanged: number[] = [];
        for (const { compliance, domain } of batch) {
          const hash = outcomeHash(compliance);
          const previous = latest.get(compliance.entityRef);
          if (
            previous &&
            previous.hash === hash &&
            previous.domain === (domain ?? null)
          ) {
            unchanged.push(previous.id);
            continue;
          }
          const [inserted] = await tx('governance_evaluations')
            .insert({
              product_ref: compliance.entityRef,
              domain_ref: domain ?? null,
              compliant: compliance.compliant,
              required_failures: compliance.requiredFailures,
              passed: compliance.counts.pass,
              failed: compliance.counts.fail,
              not_applicable: compliance.counts['not-applicable'],
              evaluations: JSON.stringify(compliance.evaluations),
              outcome_hash: hash,
              evaluated_at: at,
              checked_at: at,
            })
            .returning('id');
          const id =
            typeof inserted === 'object'
              ? (inserted as { id: number }).id
              : inserted;
          await tx('governance_latest')
            .insert({
              product_ref: compliance.entityRef,
              evaluation_id: id,
              domain_ref: domain ?? null,
            })
            .onConflict('product_ref')
            .merge(['evaluation_id', 'domain_ref']);
          inBatch += 1;
        }
        for (const ids of chunks(unchanged, 500)) {
          await tx('governance_evaluations')
            .whereIn('id', ids)
            .update({ checked_at: at });
        }
        return inBatch;
      });
    }
    return { changed };
  }

  async getCompliance(
    entityRef: string,
  ): Promise<StoredCompliance | undefined> {
    const row = await this.db<EvaluationRow>('governance_latest as l')
      .join('governance_evaluations as e', 'e.id', 'l.evaluation_id')
      .where('l.product_ref', entityRef)
      .first('e.*');
    return row ? toCompliance(row as EvaluationRow) : undefined;
  }

  async getHistory(
    entityRef: string,
    options: { limit?: number } = {},
  ): Promise<StoredCompliance[]> {
    const rows = await this.db<EvaluationRow>('governance_evaluations')
      .where('product_ref', entityRef)
      .orderBy([
        { column: 'evaluated_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(options.limit ?? 100);
    return rows.map(toCompliance);
  }

  async listCompliance(
    filter: { domains?: string[] } = {},
  ): Promise<StoredCompliance[]> {
    const query = this.db('governance_latest as l')
      .join('governance_evaluations as e', 'e.id', 'l.evaluation_id')
      .select('e.*')
      .orderBy('l.product_ref');
    if (filter.domains) {
      query.whereIn('l.domain_ref', filter.domains);
    }
    const rows = (await query) as EvaluationRow[];
    return rows.map(toCompliance);
  }

  async retainProducts(entityRefs: string[]): Promise<{ removed: number }> {
    const keep = new Set(entityRefs);
    const stored = await this.db('governance_latest').select('product_ref');
    const gone = stored
      .map(r => r.product_ref as string)
      .filter(ref => !keep.has(ref));
    let removed = 0;
    for (const refs of chunks(gone, 500)) {
      removed += await this.db('governance_latest')
        .whereIn('product_ref', refs)
        .delete();
      await this.db('governance_evaluations')
        .whereIn('product_ref', refs)
        .delete();
    }
    return { removed };
  }

  async recordTrend(
    day: string,
    points: ComplianceTrendPoint[],
  ): Promise<void> {
    await this.db.transaction(async tx => {
      await tx('governance_trend').where('day', day).delete();
      for (const batch of chunks(points, 200)) {
        await tx('governance_trend').insert(
          batch.map(p => ({
            day,
            kind: p.kind,
            key: p.key,
            products: p.products,
            compliant: p.compliant,
          })),
        );
      }
    });
  }

  async getTrend(options: {
    since: string;
    kind?: ComplianceTrendPoint['kind'];
  }): Promise<ComplianceTrendPoint[]> {
    const query = this.db<TrendRow>('governance_trend')
      .where('day', '>=', options.since)
      .orderBy([
        { column: 'day', order: 'asc' },
        { column: 'kind', order: 'asc' },
        { column: 'key', order: 'asc' },
      ]);
    if (options.kind) {
      query.where('kind', options.kind);
    }
    const rows = await query;
    return rows.map(r => ({
      day: r.day,
      kind: r.kind,
      key: r.key,
      products: Number(r.products),
      compliant: Number(r.compliant),
    }));
  }
}
