import { createHash } from 'node:crypto';
import { Knex } from 'knex';
import type {
  GovernanceChange,
  PolicyEvaluation,
  ProductCompliance,
} from '@backstage-datamesh/plugin-datamesh-common';
import type {
  ComplianceRecord,
  ComplianceTrendPoint,
  GovernanceStore,
  StoredCompliance,
} from '@backstage-datamesh/plugin-datamesh-node';
import { chunks, isPostgres, iso, ms } from '../database/util';

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

/** A product's outcome of a day, as `governance_daily.outcome` keeps it. */
type DailyOutcome = {
  /** Its domain and those above it. */
  domains: string[];
  /** The policies that apply and pass. */
  pass: string[];
  /** The policies that apply and fail. */
  fail: string[];
};

type DailyRow = {
  day: string;
  product_ref: string;
  compliant: boolean | number;
  outcome: string;
};

/** The lock that serialises the writes of the daily outcomes and trend (PostgreSQL). */
const DAILY_LOCK = 724_361_014;

function dailyOutcome(
  compliance: ProductCompliance,
  domains: string[],
): DailyOutcome {
  const pass: string[] = [];
  const fail: string[] = [];
  for (const evaluation of compliance.evaluations) {
    if (evaluation.status === 'pass') {
      pass.push(evaluation.policyId);
    } else if (evaluation.status === 'fail') {
      fail.push(evaluation.policyId);
    }
  }
  return { domains, pass, fail };
}

/**
 * Adds what one product's outcome of a day counts in the day's trend points, times `sign`
 * (-1 takes it away), to `deltas` (keyed by day, kind and key).
 */
function addContribution(
  deltas: Map<string, ComplianceTrendPoint>,
  day: string,
  compliant: boolean,
  outcome: DailyOutcome,
  sign: 1 | -1,
) {
  const add = (
    kind: ComplianceTrendPoint['kind'],
    key: string,
    passing: boolean,
  ) => {
    const id = `${day}\n${kind}\n${key}`;
    const point = deltas.get(id) ?? {
      day,
      kind,
      key,
      products: 0,
      compliant: 0,
    };
    point.products += sign;
    point.compliant += passing ? sign : 0;
    deltas.set(id, point);
  };
  add('all', '', compliant);
  for (const domain of outcome.domains) {
    add('domain', domain, compliant);
  }
  for (const policy of outcome.pass) {
    add('policy', policy, true);
  }
  for (const policy of outcome.fail) {
    add('policy', policy, false);
  }
}

function requiredPolicyFailures(evaluations: PolicyEvaluation[]): string[] {
  return evaluations
    .filter(e => e.enforcement === 'required' && e.status === 'fail')
    .map(e => e.policyId);
}

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
 * The governance store on the plugin's database (PostgreSQL or SQLite), tables of the migrations
 * `20261204120000_governance.js` and `20261205120000_governance_continuous.js`.
 *
 * The trend points are kept equal to the sums of the products' daily outcomes: each write
 * adds the new outcomes and takes away those they replace, in the transaction of the write
 * (serialised by an advisory lock on PostgreSQL, SQLite having one writer), so that a caller's
 * trend is the stored points less the outcomes of the products the caller cannot see, read for
 * those products alone.
 * @internal
 */
export class DatabaseGovernanceStore implements GovernanceStore {
  constructor(private readonly db: Knex) {}

  private async lockDaily(tx: Knex.Transaction) {
    if (isPostgres(this.db)) {
      await tx.raw('select pg_advisory_xact_lock(?)', [DAILY_LOCK]);
    }
  }

  /** Applies changes of the trend points (additions, or subtractions when negative). */
  private async applyDeltas(
    tx: Knex.Transaction,
    deltas: Iterable<ComplianceTrendPoint>,
  ) {
    const days = new Set<string>();
    for (const delta of deltas) {
      if (delta.products === 0 && delta.compliant === 0) {
        continue;
      }
      days.add(delta.day);
      await tx('governance_trend')
        .insert({
          day: delta.day,
          kind: delta.kind,
          key: delta.key,
          products: delta.products,
          compliant: delta.compliant,
        })
        .onConflict(['day', 'kind', 'key'])
        .merge({
          products: tx.raw('?? + ?', [
            'governance_trend.products',
            delta.products,
          ]),
          compliant: tx.raw('?? + ?', [
            'governance_trend.compliant',
            delta.compliant,
          ]),
        });
    }
    for (const batch of chunks([...days], 100)) {
      await tx('governance_trend')
        .whereIn('day', batch)
        .where('products', '<=', 0)
        .delete();
    }
  }

  async recordCompliance(
    items: ComplianceRecord[],
    at: number,
  ): Promise<{ changed: number }> {
    const day = new Date(at).toISOString().slice(0, 10);
    let changed = 0;
    for (const batch of chunks(items, 200)) {
      changed += await this.db.transaction(async tx => {
        await this.lockDaily(tx);
        let inBatch = 0;
        const refs = batch.map(i => i.compliance.entityRef);
        const latest = new Map<
          string,
          {
            id: number;
            hash: string;
            domain: string | null;
            entityHash: string | null;
            checkedAt: number;
          }
        >();
        const daily = new Map<string, DailyRow>();
        for (const refsChunk of chunks(refs, 500)) {
          const rows = await tx('governance_latest as l')
            .join('governance_evaluations as e', 'e.id', 'l.evaluation_id')
            .whereIn('l.product_ref', refsChunk)
            .select(
              'l.product_ref',
              'l.entity_hash',
              'e.id',
              'e.outcome_hash',
              'e.domain_ref',
              'e.checked_at',
            );
          for (const row of rows) {
            latest.set(row.product_ref, {
              id: row.id,
              hash: row.outcome_hash,
              domain: row.domain_ref,
              entityHash: row.entity_hash ?? null,
              checkedAt: ms(row.checked_at),
            });
          }
          const dailyRows = (await tx('governance_daily')
            .where('day', day)
            .whereIn('product_ref', refsChunk)
            .select('*')) as DailyRow[];
          for (const row of dailyRows) {
            daily.set(row.product_ref, row);
          }
        }
        const unchanged: number[] = [];
        const deltas = new Map<string, ComplianceTrendPoint>();
        const dailyWrites: DailyRow[] = [];
        for (const { compliance, domain, domains, entityHash } of batch) {
          const ref = compliance.entityRef;
          const previous = latest.get(ref);
          if (previous && previous.checkedAt > at) {
            // evaluated from facts read before the stored result was: that one is newer
            continue;
          }
          const outcome = dailyOutcome(
            compliance,
            domains ?? (domain ? [domain] : []),
          );
          const before = daily.get(ref);
          if (before) {
            addContribution(
              deltas,
              day,
              Boolean(before.compliant),
              JSON.parse(before.outcome) as DailyOutcome,
              -1,
            );
          }
          addContribution(deltas, day, compliance.compliant, outcome, 1);
          dailyWrites.push({
            day,
            product_ref: ref,
            compliant: compliance.compliant,
            outcome: JSON.stringify(outcome),
          });

          const hash = outcomeHash(compliance);
          if (
            previous &&
            previous.hash === hash &&
            previous.domain === (domain ?? null)
          ) {
            unchanged.push(previous.id);
            if (
              entityHash !== undefined &&
              previous.entityHash !== entityHash
            ) {
              await tx('governance_latest')
                .where('product_ref', ref)
                .update({ entity_hash: entityHash });
            }
            continue;
          }
          const [inserted] = await tx('governance_evaluations')
            .insert({
              product_ref: ref,
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
              product_ref: ref,
              evaluation_id: id,
              domain_ref: domain ?? null,
              entity_hash: entityHash ?? previous?.entityHash ?? null,
            })
            .onConflict('product_ref')
            .merge(['evaluation_id', 'domain_ref', 'entity_hash']);
          inBatch += 1;
        }
        for (const ids of chunks(unchanged, 500)) {
          await tx('governance_evaluations')
            .whereIn('id', ids)
            .update({ checked_at: at });
        }
        for (const rows of chunks(dailyWrites, 200)) {
          await tx('governance_daily')
            .insert(rows)
            .onConflict(['day', 'product_ref'])
            .merge(['compliant', 'outcome']);
        }
        await this.applyDeltas(tx, deltas.values());
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

  async listEntityHashes(): Promise<
    Array<{ entityRef: string; entityHash?: string }>
  > {
    const rows = await this.db('governance_latest')
      .select('product_ref', 'entity_hash')
      .orderBy('product_ref');
    return rows.map(r => ({
      entityRef: r.product_ref as string,
      ...(r.entity_hash ? { entityHash: r.entity_hash as string } : {}),
    }));
  }

  async listChanges(options: {
    after: number;
    limit: number;
  }): Promise<GovernanceChange[]> {
    const rows = (await this.db('governance_latest as l')
      .join('governance_evaluations as e', 'e.id', 'l.evaluation_id')
      .where('l.evaluation_id', '>', options.after)
      .orderBy('l.evaluation_id')
      .limit(options.limit)
      .select(
        'e.id',
        'e.product_ref',
        'e.compliant',
        'e.evaluations',
        'e.evaluated_at',
      )) as Array<
      Pick<
        EvaluationRow,
        'id' | 'product_ref' | 'compliant' | 'evaluations' | 'evaluated_at'
      >
    >;
    return rows.map(row => ({
      id: Number(row.id),
      entityRef: row.product_ref,
      compliant: Boolean(row.compliant),
      requiredPolicyFailures: requiredPolicyFailures(
        JSON.parse(row.evaluations) as PolicyEvaluation[],
      ),
      evaluatedAt: iso(row.evaluated_at),
    }));
  }

  async prune(options: {
    daysBefore: string;
    historyBefore: number;
  }): Promise<{ days: number; trendPoints: number; history: number }> {
    return this.db.transaction(async tx => {
      // the trend points are the sums of the daily rows: both go for the same days
      await this.lockDaily(tx);
      const days = await tx('governance_daily')
        .where('day', '<', options.daysBefore)
        .delete();
      const trendPoints = await tx('governance_trend')
        .where('day', '<', options.daysBefore)
        .delete();
      const history = await tx('governance_evaluations')
        .where('evaluated_at', '<', options.historyBefore)
        .whereNotIn('id', tx('governance_latest').select('evaluation_id'))
        .delete();
      return { days, trendPoints, history };
    });
  }

  async retainProducts(entityRefs: string[]): Promise<{ removed: number }> {
    const keep = new Set(entityRefs);
    const stored = await this.db('governance_latest').select('product_ref');
    const gone = stored
      .map(r => r.product_ref as string)
      .filter(ref => !keep.has(ref));
    let removed = 0;
    for (const refs of chunks(gone, 500)) {
      removed += await this.db.transaction(async tx => {
        await this.lockDaily(tx);
        const rows = (await tx('governance_daily')
          .whereIn('product_ref', refs)
          .select('*')) as DailyRow[];
        const deltas = new Map<string, ComplianceTrendPoint>();
        for (const row of rows) {
          addContribution(
            deltas,
            row.day,
            Boolean(row.compliant),
            JSON.parse(row.outcome) as DailyOutcome,
            -1,
          );
        }
        await this.applyDeltas(tx, deltas.values());
        await tx('governance_daily').whereIn('product_ref', refs).delete();
        const count = await tx('governance_latest')
          .whereIn('product_ref', refs)
          .delete();
        await tx('governance_evaluations')
          .whereIn('product_ref', refs)
          .delete();
        return count;
      });
    }
    return { removed };
  }

  async getTrend(options: {
    since: string;
    kind?: ComplianceTrendPoint['kind'];
    exclude?: string[];
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
    const points = rows.map(r => ({
      day: r.day,
      kind: r.kind,
      key: r.key,
      products: Number(r.products),
      compliant: Number(r.compliant),
    }));
    if (!options.exclude?.length) {
      return points;
    }
    // the outcomes of the products left out, taken away from the points they count in
    const deltas = new Map<string, ComplianceTrendPoint>();
    for (const refs of chunks(options.exclude, 500)) {
      const excluded = (await this.db('governance_daily')
        .whereIn('product_ref', refs)
        .where('day', '>=', options.since)
        .select('*')) as DailyRow[];
      for (const row of excluded) {
        addContribution(
          deltas,
          row.day,
          Boolean(row.compliant),
          JSON.parse(row.outcome) as DailyOutcome,
          -1,
        );
      }
    }
    return points
      .map(point => {
        const delta = deltas.get(`${point.day}\n${point.kind}\n${point.key}`);
        return delta
          ? {
              ...point,
              products: point.products + delta.products,
              compliant: point.compliant + delta.compliant,
            }
          : point;
      })
      .filter(point => point.products > 0);
  }
}
