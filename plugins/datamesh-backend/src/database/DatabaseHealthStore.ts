import { randomUUID } from 'node:crypto';
import { Knex } from 'knex';
import { ConflictError, NotFoundError } from '@backstage/errors';
import type {
  HealthEvaluation,
  Incident,
  IncidentEvent,
  IncidentSeverity,
  IncidentState,
  ProductHealth,
  ProductHealthState,
} from '@backstage-datamesh/plugin-datamesh-common';
import type {
  EvaluatedProduct,
  HealthFilter,
  HealthStore,
  HealthSummary,
  IncidentFilter,
  RecordEvaluationResult,
} from '@backstage-datamesh/plugin-datamesh-node';
import type { HealthChange } from '@backstage-datamesh/plugin-datamesh-common';
import { iso, isPostgres, isUniqueViolation } from './util';

type HealthRow = {
  product_ref: string;
  health: string;
  reasons: string;
  objectives: string;
  since: number | string;
  evaluated_at: number | string;
};

type IncidentRow = {
  id: string;
  product_ref: string;
  state: string;
  severity: string;
  title: string;
  reasons: string;
  opened_at: number | string;
  acknowledged_at: number | string | null;
  acknowledged_by: string | null;
  resolved_at: number | string | null;
  resolved_by: string | null;
};

type EventRow = {
  incident_id: string;
  at: number | string;
  type: string;
  actor: string | null;
  details: string | null;
};

function toHealth(row: HealthRow): ProductHealth {
  const objectives = JSON.parse(row.objectives) as Pick<
    HealthEvaluation,
    'slos' | 'failingChecks'
  >;
  return {
    entityRef: row.product_ref,
    health: row.health as ProductHealthState,
    reasons: JSON.parse(row.reasons),
    slos: objectives.slos,
    failingChecks: objectives.failingChecks,
    since: iso(row.since),
    evaluatedAt: iso(row.evaluated_at),
  };
}

function toEvent(row: EventRow): IncidentEvent {
  const details = row.details ? JSON.parse(row.details) : undefined;
  return {
    at: iso(row.at),
    type: row.type as IncidentEvent['type'],
    ...(row.actor ? { actor: row.actor } : {}),
    ...(details?.reasons ? { reasons: details.reasons } : {}),
  };
}

function toIncident(row: IncidentRow, events: EventRow[]): Incident {
  return {
    id: row.id,
    entityRef: row.product_ref,
    state: row.state as IncidentState,
    severity: row.severity as IncidentSeverity,
    title: row.title,
    reasons: JSON.parse(row.reasons),
    openedAt: iso(row.opened_at),
    ...(row.acknowledged_at !== null
      ? { acknowledgedAt: iso(row.acknowledged_at) }
      : {}),
    ...(row.acknowledged_by ? { acknowledgedBy: row.acknowledged_by } : {}),
    ...(row.resolved_at !== null ? { resolvedAt: iso(row.resolved_at) } : {}),
    ...(row.resolved_by ? { resolvedBy: row.resolved_by } : {}),
    events: events.map(toEvent),
  };
}

/**
 * The severity of an incident: `critical` for a production product that breaches more than one
 * objective, `high` for a production product, `medium` otherwise.
 */
function severityOf(
  product: EvaluatedProduct,
  evaluation: HealthEvaluation,
): IncidentSeverity {
  const production = product.lifecycle === 'production';
  const breached = evaluation.slos.filter(s => s.status === 'breached').length;
  if (production && breached > 1) {
    return 'critical';
  }
  return production ? 'high' : 'medium';
}

function titleOf(product: EvaluatedProduct, evaluation: HealthEvaluation) {
  const breached = evaluation.slos
    .filter(s => s.status === 'breached')
    .map(s => s.slo);
  return `${product.title} breaches ${
    breached.length ? breached.join(', ') : 'its objectives'
  }`;
}

const OPEN_STATES = ['new', 'acknowledged'];

/** The rank of each health, worst first: the order of the Mesh health page. */
const HEALTH_RANK: Record<ProductHealthState, number> = {
  breaching: 0,
  degraded: 1,
  unknown: 2,
  healthy: 3,
};

/** What recording an evaluation writes of a product besides its health. */
function productColumns(
  product: EvaluatedProduct,
  evaluation: HealthEvaluation,
) {
  return {
    health_rank: HEALTH_RANK[evaluation.health],
    domain_ref: product.domainRef ?? null,
    owner_ref: product.ownerRef ?? null,
  };
}

/**
 * The health store on the plugin's database (SQLite or PostgreSQL).
 * @internal
 */
export class DatabaseHealthStore implements HealthStore {
  constructor(private readonly db: Knex) {}

  async recordEvaluation(
    product: EvaluatedProduct,
    evaluation: HealthEvaluation,
    at: number,
  ): Promise<RecordEvaluationResult> {
    // most evaluations keep the health: one statement, no transaction (a move takes the other path)
    const kept = await this.db('health_current')
      .where({ product_ref: product.entityRef, health: evaluation.health })
      .update({
        reasons: JSON.stringify(evaluation.reasons),
        objectives: JSON.stringify({
          slos: evaluation.slos,
          failingChecks: evaluation.failingChecks,
        }),
        evaluated_at: at,
        ...productColumns(product, evaluation),
      });
    if (kept > 0) {
      return {};
    }
    try {
      return await this.db.transaction(trx =>
        this.record(trx, product, evaluation, at),
      );
    } catch (error) {
      // another replica recorded the first evaluation of this product at the same moment
      if (isUniqueViolation(error)) {
        return {};
      }
      throw error;
    }
  }

  private async record(
    trx: Knex.Transaction,
    product: EvaluatedProduct,
    evaluation: HealthEvaluation,
    at: number,
  ): Promise<RecordEvaluationResult> {
    const ref = product.entityRef;
    const query = trx('health_current').where({ product_ref: ref });
    const current: HealthRow | undefined = await (isPostgres(this.db)
      ? query.forUpdate()
      : query
    ).first();
    const reasons = JSON.stringify(evaluation.reasons);
    const objectives = JSON.stringify({
      slos: evaluation.slos,
      failingChecks: evaluation.failingChecks,
    });
    if (current && current.health === evaluation.health) {
      await trx('health_current')
        .where({ product_ref: ref })
        .update({
          reasons,
          objectives,
          evaluated_at: at,
          ...productColumns(product, evaluation),
        });
      return {};
    }
    const from = current?.health as ProductHealthState | undefined;
    if (current) {
      const updated = await trx('health_current')
        .where({ product_ref: ref, health: current.health })
        .update({
          health: evaluation.health,
          reasons,
          objectives,
          since: at,
          evaluated_at: at,
          ...productColumns(product, evaluation),
        });
      if (updated === 0) {
        return {};
      }
    } else {
      await trx('health_current').insert({
        product_ref: ref,
        health: evaluation.health,
        reasons,
        objectives,
        since: at,
        evaluated_at: at,
        ...productColumns(product, evaluation),
      });
    }
    const [row] = await trx('health_transitions')
      .insert({
        product_ref: ref,
        from_health: from ?? null,
        to_health: evaluation.health,
        reasons,
        at,
      })
      .returning('id');
    const change: HealthChange = {
      id: Number(typeof row === 'object' ? (row as { id: number }).id : row),
      entityRef: ref,
      ...(from ? { from } : {}),
      to: evaluation.health,
      reasons: evaluation.reasons,
      at: iso(at),
    };
    const result: RecordEvaluationResult = { change };
    const open: IncidentRow | undefined = await trx('incidents')
      .where({ product_ref: ref })
      .whereIn('state', OPEN_STATES)
      .orderBy('opened_at', 'desc')
      .first();
    const details = JSON.stringify({ reasons: evaluation.reasons });
    if (evaluation.health === 'breaching') {
      if (open) {
        await trx('incident_events').insert({
          incident_id: open.id,
          at,
          type: 'updated',
          actor: null,
          details,
        });
      } else {
        const id = randomUUID();
        await trx('incidents').insert({
          id,
          product_ref: ref,
          state: 'new',
          severity: severityOf(product, evaluation),
          title: titleOf(product, evaluation),
          reasons,
          opened_at: at,
        });
        await trx('incident_events').insert({
          incident_id: id,
          at,
          type: 'opened',
          actor: null,
          details,
        });
        result.openedIncident = await this.readIncident(trx, id);
      }
    } else if (
      open &&
      from === 'breaching' &&
      evaluation.health !== 'unknown'
    ) {
      // recovery resolves the incident by itself; an unknown health is no recovery
      await trx('incidents')
        .where({ id: open.id })
        .update({ state: 'resolved', resolved_at: at, resolved_by: null });
      await trx('incident_events').insert({
        incident_id: open.id,
        at,
        type: 'recovered',
        actor: null,
        details,
      });
      result.resolvedIncident = await this.readIncident(trx, open.id);
    }
    return result;
  }

  async getHealth(entityRef: string): Promise<ProductHealth | undefined> {
    const row: HealthRow | undefined = await this.db('health_current')
      .where({ product_ref: entityRef })
      .first();
    return row ? toHealth(row) : undefined;
  }

  private healthQuery(filter?: HealthFilter) {
    const query = this.db('health_current');
    if (filter?.health) {
      // by rank, the column the worst-first index starts with
      query.whereIn(
        'health_rank',
        filter.health.map(health => HEALTH_RANK[health]),
      );
    }
    if (filter?.entityRefs) {
      query.whereIn('product_ref', filter.entityRefs);
    }
    if (filter?.domainRefs) {
      query.whereIn('domain_ref', filter.domainRefs);
    }
    if (filter?.ownerRefs) {
      query.whereIn('owner_ref', filter.ownerRefs);
    }
    if (filter?.visibleRefs) {
      this.whereRefIn(query, 'product_ref', filter.visibleRefs);
    }
    return query;
  }

  /**
   * Keeps the rows whose ref column is one of many refs, sent as one value rather than a bind
   * parameter each (a caller may see 20,000 products; SQLite and PostgreSQL cap the parameters of
   * a statement): a text array on PostgreSQL, a JSON array read by `json_each` on SQLite.
   */
  private whereRefIn(
    query: Knex.QueryBuilder,
    column: string,
    refs: readonly string[],
  ) {
    if (isPostgres(this.db)) {
      // a hashed semi-join: `= any(array)` compares each row with every ref (1.7x slower at
      // 4,500 refs)
      query.whereRaw('?? in (select unnest(?::text[]))', [column, [...refs]]);
    } else {
      // `+` keeps SQLite from looking each ref up in the key's index and sorting the rows after
      // (1.7x slower at 4,500 refs): the rows are read in the index of the query's order
      query.whereRaw('+?? in (select value from json_each(?))', [
        column,
        JSON.stringify(refs),
      ]);
    }
  }

  async listHealth(
    filter?: HealthFilter & { limit?: number; offset?: number },
  ): Promise<ProductHealth[]> {
    const query = this.healthQuery(filter).orderBy([
      { column: 'health_rank' },
      { column: 'since' },
      { column: 'product_ref' },
    ]);
    if (filter?.limit !== undefined) {
      query.limit(filter.limit);
    }
    if (filter?.offset) {
      query.offset(filter.offset);
    }
    const rows: HealthRow[] = await query;
    return rows.map(toHealth);
  }

  async summarizeHealth(filter?: HealthFilter): Promise<HealthSummary> {
    const [byHealth, domains, owners] = await Promise.all([
      // by rank: counted from the index, without reading the rows
      this.healthQuery(filter)
        .groupBy('health_rank')
        .select('health_rank')
        .count({ n: '*' }),
      this.healthQuery({
        health: filter?.health,
        visibleRefs: filter?.visibleRefs,
      })
        .whereNotNull('domain_ref')
        .groupBy('domain_ref')
        .select({ value: 'domain_ref' })
        .count({ n: '*' }),
      this.healthQuery({
        health: filter?.health,
        visibleRefs: filter?.visibleRefs,
      })
        .whereNotNull('owner_ref')
        .groupBy('owner_ref')
        .select({ value: 'owner_ref' })
        .count({ n: '*' }),
    ]);
    const counts: HealthSummary['counts'] = {};
    let total = 0;
    const healthOfRank = new Map(
      Object.entries(HEALTH_RANK).map(([health, rank]) => [
        rank,
        health as ProductHealthState,
      ]),
    );
    for (const row of byHealth as Array<{
      health_rank: number | string;
      n: number | string;
    }>) {
      counts[healthOfRank.get(Number(row.health_rank))!] = Number(row.n);
      total += Number(row.n);
    }
    const facet = (rows: unknown[]) =>
      (rows as Array<{ value: string; n: number | string }>)
        .map(row => ({ value: row.value, count: Number(row.n) }))
        .sort((a, b) => a.value.localeCompare(b.value));
    return {
      total,
      counts,
      facets: { domain: facet(domains), owner: facet(owners) },
    };
  }

  async getChanges(options: {
    after: number;
    entityRef?: string;
    visibleRefs?: readonly string[];
    limit?: number;
  }): Promise<HealthChange[]> {
    const query = this.db('health_transitions')
      .where('id', '>', options.after)
      .orderBy('id')
      .limit(options.limit ?? 500);
    if (options.entityRef) {
      query.where({ product_ref: options.entityRef });
    }
    if (options.visibleRefs) {
      this.whereRefIn(query, 'product_ref', options.visibleRefs);
    }
    const rows = await query;
    return rows.map(row => ({
      id: Number(row.id),
      entityRef: row.product_ref,
      ...(row.from_health ? { from: row.from_health } : {}),
      to: row.to_health,
      reasons: JSON.parse(row.reasons),
      at: iso(row.at),
    }));
  }

  private incidentQuery(filter?: IncidentFilter) {
    const query = this.db('incidents');
    if (filter?.entityRefs) {
      query.whereIn('product_ref', filter.entityRefs);
    }
    if (filter?.states) {
      query.whereIn('state', filter.states);
    }
    if (filter?.domainRefs) {
      query.whereIn(
        'product_ref',
        this.db('health_current')
          .whereIn('domain_ref', filter.domainRefs)
          .select('product_ref'),
      );
    }
    if (filter?.visibleRefs) {
      this.whereRefIn(query, 'product_ref', filter.visibleRefs);
    }
    return query;
  }

  async countIncidents(filter?: IncidentFilter): Promise<number> {
    const [row] = await this.incidentQuery(filter).count({ n: '*' });
    return Number((row as { n: number | string }).n);
  }

  async listIncidents(
    filter?: IncidentFilter & { limit?: number; offset?: number },
  ): Promise<Incident[]> {
    const query = this.incidentQuery(filter)
      .orderBy([{ column: 'opened_at', order: 'desc' }, { column: 'id' }])
      .limit(filter?.limit ?? 100);
    if (filter?.offset) {
      query.offset(filter.offset);
    }
    const rows: IncidentRow[] = await query;
    const events: EventRow[] = rows.length
      ? await this.db('incident_events')
          .whereIn(
            'incident_id',
            rows.map(r => r.id),
          )
          .orderBy([{ column: 'at' }, { column: 'id' }])
      : [];
    return rows.map(row =>
      toIncident(
        row,
        events.filter(e => e.incident_id === row.id),
      ),
    );
  }

  async getIncident(id: string): Promise<Incident | undefined> {
    return this.readIncident(this.db, id);
  }

  private async readIncident(
    db: Knex,
    id: string,
  ): Promise<Incident | undefined> {
    const row: IncidentRow | undefined = await db('incidents')
      .where({ id })
      .first();
    if (!row) {
      return undefined;
    }
    const events: EventRow[] = await db('incident_events')
      .where({ incident_id: id })
      .orderBy([{ column: 'at' }, { column: 'id' }]);
    return toIncident(row, events);
  }

  private async mustRead(db: Knex, id: string): Promise<Incident> {
    const incident = await this.readIncident(db, id);
    if (!incident) {
      throw new NotFoundError(`No incident ${id}`);
    }
    return incident;
  }

  async acknowledgeIncident(
    id: string,
    actor: string,
    at: number,
  ): Promise<Incident> {
    return this.db.transaction(async trx => {
      const row: IncidentRow | undefined = await trx('incidents')
        .where({ id })
        .first();
      if (!row) {
        throw new NotFoundError(`No incident ${id}`);
      }
      if (row.state === 'resolved') {
        throw new ConflictError(`Incident ${id} is resolved already`);
      }
      if (row.state === 'new') {
        await trx('incidents').where({ id, state: 'new' }).update({
          state: 'acknowledged',
          acknowledged_at: at,
          acknowledged_by: actor,
        });
        await trx('incident_events').insert({
          incident_id: id,
          at,
          type: 'acknowledged',
          actor,
          details: null,
        });
      }
      return this.mustRead(trx, id);
    });
  }

  async resolveIncident(
    id: string,
    actor: string,
    at: number,
  ): Promise<Incident> {
    return this.db.transaction(async trx => {
      const row: IncidentRow | undefined = await trx('incidents')
        .where({ id })
        .first();
      if (!row) {
        throw new NotFoundError(`No incident ${id}`);
      }
      if (row.state !== 'resolved') {
        await trx('incidents')
          .where({ id })
          .update({ state: 'resolved', resolved_at: at, resolved_by: actor });
        await trx('incident_events').insert({
          incident_id: id,
          at,
          type: 'resolved',
          actor,
          details: null,
        });
      }
      return this.mustRead(trx, id);
    });
  }
}
