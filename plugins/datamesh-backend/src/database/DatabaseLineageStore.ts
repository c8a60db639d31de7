import { Knex } from 'knex';
import type {
  LineageColumnLineage,
  LineageDataset,
  LineageDatasetName,
  LineageEdge,
  LineageJob,
  LineageJobName,
  LineageRun,
  LineageRunState,
} from '@backstage-datamesh/plugin-datamesh-common';
import type {
  AddLineageEventRequest,
  AddLineageEventResult,
  LineageDatasetRecord,
  LineageEventRecord,
  LineageRebuildResult,
  LineageStore,
} from '@backstage-datamesh/plugin-datamesh-node';
import {
  KeptFacets,
  facetValues,
  isTerminalState,
  laterRunState,
  mergeFacets,
} from '../lineage/merge';
import { chunks, iso, isPostgres } from './util';

type JobRow = {
  id: number;
  namespace: string;
  name: string;
  facets: string;
  latest_run_id: string | null;
  latest_run_at: number | string | null;
  first_seen_at: number | string;
  last_seen_at: number | string;
};

type RunRow = {
  run_id: string;
  job_id: number;
  state: string | null;
  state_time: number | string | null;
  started_at: number | string | null;
  ended_at: number | string | null;
  facets: string;
  first_seen_at: number | string;
  last_seen_at: number | string;
};

type DatasetRow = {
  id: number;
  namespace: string;
  name: string;
  facets: string;
  first_seen_at: number | string;
  last_seen_at: number | string;
};

/** Rows per insert statement: well under SQLite's limit of bound variables. */
const BATCH = 100;

/** Raw events read per page by a rebuild. */
const REBUILD_PAGE = 500;

/** Attempts of a transaction that PostgreSQL aborted as a deadlock or a serialization failure. */
const ATTEMPTS = 3;

/** The primary key of lineage_column_lineage. */
const COLUMN_LINEAGE_KEY = [
  'output_dataset_id',
  'output_column',
  'input_dataset_id',
  'input_column',
  'transformation_type',
  'transformation_subtype',
] as const;

const DERIVED_TABLES = [
  'lineage_column_lineage',
  'lineage_edges',
  'lineage_runs',
  'lineage_datasets',
  'lineage_jobs',
];

function parseFacets(text: string): KeptFacets {
  return JSON.parse(text) as KeptFacets;
}

function datasetKey(d: LineageDatasetName): string {
  return JSON.stringify([d.namespace, d.name]);
}

function isRetryable(error: unknown): boolean {
  const code = (error as { code?: string })?.code;
  return code === '40P01' || code === '40001';
}

function toRun(row: RunRow, job: LineageJobName): LineageRun {
  const facets = facetValues(parseFacets(row.facets)) as Partial<LineageRun>;
  return {
    runId: row.run_id,
    job,
    ...(row.state ? { state: row.state as LineageRunState } : {}),
    ...(row.state_time !== null ? { stateTime: iso(row.state_time) } : {}),
    ...(row.started_at !== null ? { startedAt: iso(row.started_at) } : {}),
    ...(row.ended_at !== null ? { endedAt: iso(row.ended_at) } : {}),
    ...facets,
  };
}

/**
 * The lineage store on the plugin's database (SQLite or PostgreSQL).
 *
 * Each event is one transaction: its raw body (skipped with everything else when its hash was
 * stored before), then its job, run, datasets, edges and column lineage. Rows are locked in one
 * order (the job, its run, the datasets by name), so that concurrent events do not deadlock; the
 * rare deadlock PostgreSQL still detects is retried.
 * @internal
 */
export class DatabaseLineageStore implements LineageStore {
  private readonly least: string;
  private readonly greatest: string;

  constructor(private readonly db: Knex) {
    this.least = isPostgres(db) ? 'LEAST' : 'MIN';
    this.greatest = isPostgres(db) ? 'GREATEST' : 'MAX';
  }

  /** The merge of a row's first and last times: the earliest and the latest seen. */
  private seen(trx: Knex.Transaction, table: string) {
    return {
      first_seen_at: trx.raw(
        `${this.least}(${table}.first_seen_at, excluded.first_seen_at)`,
      ),
      last_seen_at: trx.raw(
        `${this.greatest}(${table}.last_seen_at, excluded.last_seen_at)`,
      ),
    };
  }

  /**
   * Inserts named rows (jobs, datasets) or widens the times of those that exist (which locks
   * them), returning the given columns of each.
   */
  private upsertNamed(
    trx: Knex.Transaction,
    table: 'lineage_jobs' | 'lineage_datasets',
    names: Array<{ namespace: string; name: string }>,
    at: number,
    returning: string[],
  ) {
    return trx(table)
      .insert(
        names.map(n => ({
          namespace: n.namespace,
          name: n.name,
          facets: '{}',
          first_seen_at: at,
          last_seen_at: at,
        })),
      )
      .onConflict(['namespace', 'name'])
      .merge(this.seen(trx, table))
      .returning(returning);
  }

  private async transaction<T>(
    fn: (trx: Knex.Transaction) => Promise<T>,
  ): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.db.transaction(fn);
      } catch (error) {
        if (attempt >= ATTEMPTS || !isRetryable(error)) {
          throw error;
        }
      }
    }
  }

  async addEvent(
    request: AddLineageEventRequest,
  ): Promise<AddLineageEventResult> {
    const { event, raw } = request;
    return this.transaction(async trx => {
      const inserted: Array<{ id: number }> = await trx('lineage_raw_events')
        .insert({
          event_hash: raw.hash,
          kind: event.kind,
          event_type: event.eventType ?? null,
          event_time: event.eventTime,
          run_id: event.run?.runId ?? null,
          job_namespace: event.job?.namespace ?? null,
          job_name: event.job?.name ?? null,
          body: raw.body,
          received_at: request.receivedAt ?? Date.now(),
        })
        .onConflict('event_hash')
        .ignore()
        .returning('id');
      if (!inserted.length) {
        const existing = await trx('lineage_raw_events')
          .where({ event_hash: raw.hash })
          .first('id');
        return { eventId: Number(existing.id), created: false };
      }
      await this.apply(trx, event);
      return { eventId: Number(inserted[0].id), created: true };
    });
  }

  /** Applies an event to the derived tables. */
  private async apply(trx: Knex.Transaction, event: LineageEventRecord) {
    const at = event.eventTime;
    const jobId = event.job ? await this.applyJob(trx, event) : undefined;
    if (event.run && jobId !== undefined) {
      await this.applyRun(trx, event, jobId);
    }
    const datasetIds = await this.applyDatasets(trx, event);
    if (jobId !== undefined) {
      const edges = new Map<string, object>();
      for (const [direction, datasets] of [
        ['input', event.inputs],
        ['output', event.outputs],
      ] as const) {
        for (const dataset of datasets) {
          const datasetId = datasetIds.get(datasetKey(dataset))!;
          edges.set(`${direction}:${datasetId}`, {
            job_id: jobId,
            direction,
            dataset_id: datasetId,
            last_run_id: event.run?.runId ?? null,
            first_seen_at: at,
            last_seen_at: at,
          });
        }
      }
      const t = 'lineage_edges';
      for (const batch of chunks([...edges.values()], BATCH)) {
        await trx(t)
          .insert(batch)
          .onConflict(['job_id', 'direction', 'dataset_id'])
          .merge({
            last_run_id: trx.raw(
              `CASE WHEN excluded.last_seen_at > ${t}.last_seen_at OR (excluded.last_seen_at = ${t}.last_seen_at AND COALESCE(excluded.last_run_id, '') > COALESCE(${t}.last_run_id, '')) THEN excluded.last_run_id ELSE ${t}.last_run_id END`,
            ),
            ...this.seen(trx, t),
          });
      }
    }
    if (event.columnLineage.length) {
      const rows = new Map<string, object>();
      for (const c of event.columnLineage) {
        const row = {
          output_dataset_id: datasetIds.get(datasetKey(c.output))!,
          output_column: c.outputColumn ?? '',
          input_dataset_id: datasetIds.get(datasetKey(c.input))!,
          input_column: c.inputColumn,
          transformation_type: c.transformationType ?? '',
          transformation_subtype: c.transformationSubtype ?? '',
          description: c.description ?? null,
          masking: c.masking ?? null,
          job_id: jobId ?? null,
          first_seen_at: at,
          last_seen_at: at,
        };
        rows.set(JSON.stringify(COLUMN_LINEAGE_KEY.map(k => row[k])), row);
      }
      const t = 'lineage_column_lineage';
      // the latest event's values; between events of the same time, the greater description
      const newer = `(excluded.last_seen_at > ${t}.last_seen_at OR (excluded.last_seen_at = ${t}.last_seen_at AND COALESCE(excluded.description, '') >= COALESCE(${t}.description, '')))`;
      for (const batch of chunks(
        [...rows.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(e => e[1]),
        BATCH,
      )) {
        await trx(t)
          .insert(batch)
          .onConflict([...COLUMN_LINEAGE_KEY])
          .merge({
            description: trx.raw(
              `CASE WHEN ${newer} THEN excluded.description ELSE ${t}.description END`,
            ),
            masking: trx.raw(
              `CASE WHEN ${newer} THEN excluded.masking ELSE ${t}.masking END`,
            ),
            job_id: trx.raw(
              `CASE WHEN ${newer} THEN excluded.job_id ELSE ${t}.job_id END`,
            ),
            ...this.seen(trx, t),
          });
      }
    }
  }

  /** Upserts the job (which locks its row first), merging its facets and latest run. */
  private async applyJob(
    trx: Knex.Transaction,
    event: LineageEventRecord,
  ): Promise<number> {
    const job = event.job!;
    const at = event.eventTime;
    const t = 'lineage_jobs';
    const [row]: JobRow[] = await this.upsertNamed(trx, t, [job], at, [
      'id',
      'facets',
      'latest_run_id',
      'latest_run_at',
    ]);
    const merged = mergeFacets(parseFacets(row.facets), job.facets, at);
    const update: Record<string, unknown> = {};
    if (merged.changed) {
      update.facets = JSON.stringify(merged.facets);
    }
    const runId = event.run?.runId;
    const latestAt =
      row.latest_run_at === null ? undefined : Number(row.latest_run_at);
    if (
      runId &&
      (latestAt === undefined ||
        at > latestAt ||
        (at === latestAt && runId > (row.latest_run_id ?? '')))
    ) {
      update.latest_run_id = runId;
      update.latest_run_at = at;
    }
    if (Object.keys(update).length) {
      await trx(t).where({ id: row.id }).update(update);
    }
    return Number(row.id);
  }

  /** Inserts the run or merges the event into it, under a row lock. */
  private async applyRun(
    trx: Knex.Transaction,
    event: LineageEventRecord,
    jobId: number,
  ) {
    const run = event.run!;
    const at = event.eventTime;
    const t = 'lineage_runs';
    await trx(t)
      .insert({
        run_id: run.runId,
        job_id: jobId,
        state: null,
        state_time: null,
        started_at: null,
        ended_at: null,
        facets: '{}',
        first_seen_at: at,
        last_seen_at: at,
      })
      .onConflict('run_id')
      .ignore();
    const select = trx<RunRow>(t).where({ run_id: run.runId });
    const row = (await (isPostgres(this.db)
      ? select.forUpdate()
      : select
    ).first()) as RunRow;
    const state = laterRunState(
      {
        state: (row.state ?? undefined) as LineageRunState | undefined,
        at: row.state_time === null ? undefined : Number(row.state_time),
      },
      { state: event.eventType, at },
    );
    const startedAt =
      event.eventType === 'START'
        ? Math.min(at, Number(row.started_at ?? at))
        : row.started_at;
    const facets = mergeFacets(parseFacets(row.facets), run.facets, at);
    await trx(t)
      .where({ run_id: run.runId })
      .update({
        state: state.state ?? null,
        state_time: state.state ? state.at : null,
        started_at: startedAt,
        ended_at: isTerminalState(state.state) ? state.at : null,
        facets: JSON.stringify(facets.facets),
        first_seen_at: Math.min(at, Number(row.first_seen_at)),
        last_seen_at: Math.max(at, Number(row.last_seen_at)),
      });
  }

  /** Upserts every dataset the event names, in name order; returns their ids by name. */
  private async applyDatasets(
    trx: Knex.Transaction,
    event: LineageEventRecord,
  ): Promise<Map<string, number>> {
    const at = event.eventTime;
    const datasets = new Map<string, LineageDatasetRecord>();
    const add = (d: LineageDatasetRecord) => {
      const key = datasetKey(d);
      const seen = datasets.get(key);
      // the same dataset named twice in one event: the facets of both
      datasets.set(key, { ...d, ...seen, ...definedFacets(d) });
    };
    [...event.inputs, ...event.outputs].forEach(add);
    if (event.dataset) {
      add(event.dataset);
    }
    for (const c of event.columnLineage) {
      add(c.output);
      add(c.input);
    }
    const ids = new Map<string, number>();
    if (!datasets.size) {
      return ids;
    }
    const t = 'lineage_datasets';
    const sorted = [...datasets.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
    for (const batch of chunks(sorted, BATCH)) {
      const rows: DatasetRow[] = await this.upsertNamed(
        trx,
        t,
        batch.map(([, d]) => d),
        at,
        ['id', 'namespace', 'name', 'facets'],
      );
      for (const row of rows) {
        const key = datasetKey(row);
        ids.set(key, Number(row.id));
        const d = datasets.get(key)!;
        const merged = mergeFacets(
          parseFacets(row.facets),
          { fields: d.fields, description: d.description },
          at,
        );
        if (merged.changed) {
          await trx(t)
            .where({ id: row.id })
            .update({ facets: JSON.stringify(merged.facets) });
        }
      }
    }
    return ids;
  }

  async rebuild(
    parse: (body: string) => LineageEventRecord,
  ): Promise<LineageRebuildResult> {
    return this.transaction(async trx => {
      for (const table of DERIVED_TABLES) {
        await trx(table).delete();
      }
      const result: LineageRebuildResult = { applied: 0, refused: [] };
      let after: { time: number; id: number } | undefined;
      for (;;) {
        const query = trx('lineage_raw_events')
          .orderBy([
            { column: 'event_time', order: 'asc' },
            { column: 'id', order: 'asc' },
          ])
          .limit(REBUILD_PAGE)
          .select('id', 'event_time', 'body');
        if (after) {
          const { time, id } = after;
          query.where(q =>
            q
              .where('event_time', '>', time)
              .orWhere(q2 =>
                q2.where('event_time', time).andWhere('id', '>', id),
              ),
          );
        }
        const rows: Array<{
          id: number;
          event_time: number | string;
          body: string;
        }> = await query;
        for (const row of rows) {
          let event: LineageEventRecord | undefined;
          try {
            event = parse(row.body);
          } catch (error) {
            result.refused.push({
              eventId: Number(row.id),
              reason: (error as Error).message,
            });
          }
          if (event) {
            await this.apply(trx, event);
            result.applied += 1;
          }
        }
        if (rows.length < REBUILD_PAGE) {
          return result;
        }
        const last = rows[rows.length - 1];
        after = { time: Number(last.event_time), id: Number(last.id) };
      }
    });
  }

  async prune(options: {
    rawEventsBefore: number;
  }): Promise<{ rawEvents: number }> {
    const rawEvents = await this.db('lineage_raw_events')
      .where('received_at', '<', options.rawEventsBefore)
      .delete();
    return { rawEvents };
  }

  async getRun(runId: string): Promise<LineageRun | undefined> {
    const row = await this.db('lineage_runs')
      .join('lineage_jobs', 'lineage_jobs.id', 'lineage_runs.job_id')
      .where('lineage_runs.run_id', runId)
      .first(
        'lineage_runs.*',
        'lineage_jobs.namespace as job_namespace',
        'lineage_jobs.name as job_name',
      );
    return row
      ? toRun(row, { namespace: row.job_namespace, name: row.job_name })
      : undefined;
  }

  async getJob(job: LineageJobName): Promise<LineageJob | undefined> {
    const row: JobRow | undefined = await this.db('lineage_jobs')
      .where({ namespace: job.namespace, name: job.name })
      .first();
    if (!row) {
      return undefined;
    }
    const latest: RunRow | undefined = row.latest_run_id
      ? await this.db('lineage_runs')
          .where({ run_id: row.latest_run_id })
          .first()
      : undefined;
    const name = { namespace: row.namespace, name: row.name };
    return {
      ...name,
      ...(facetValues(parseFacets(row.facets)) as Partial<LineageJob>),
      ...(latest ? { latestRun: toRun(latest, name) } : {}),
      firstSeenAt: iso(row.first_seen_at),
      lastSeenAt: iso(row.last_seen_at),
    };
  }

  async getDataset(
    dataset: LineageDatasetName,
  ): Promise<LineageDataset | undefined> {
    const row: DatasetRow | undefined = await this.db('lineage_datasets')
      .where({ namespace: dataset.namespace, name: dataset.name })
      .first();
    if (!row) {
      return undefined;
    }
    return {
      namespace: row.namespace,
      name: row.name,
      ...(facetValues(parseFacets(row.facets)) as Partial<LineageDataset>),
      firstSeenAt: iso(row.first_seen_at),
      lastSeenAt: iso(row.last_seen_at),
    };
  }

  async getEdges(
    of: { job: LineageJobName } | { dataset: LineageDatasetName },
  ): Promise<LineageEdge[]> {
    const query = this.db('lineage_edges')
      .join('lineage_jobs', 'lineage_jobs.id', 'lineage_edges.job_id')
      .join(
        'lineage_datasets',
        'lineage_datasets.id',
        'lineage_edges.dataset_id',
      )
      .select(
        'lineage_jobs.namespace as job_namespace',
        'lineage_jobs.name as job_name',
        'lineage_datasets.namespace as dataset_namespace',
        'lineage_datasets.name as dataset_name',
        'lineage_edges.direction',
        'lineage_edges.last_run_id',
        'lineage_edges.first_seen_at',
        'lineage_edges.last_seen_at',
      )
      .orderBy([
        { column: 'lineage_edges.direction' },
        { column: 'lineage_datasets.namespace' },
        { column: 'lineage_datasets.name' },
        { column: 'lineage_jobs.namespace' },
        { column: 'lineage_jobs.name' },
      ]);
    if ('job' in of) {
      query.where({
        'lineage_jobs.namespace': of.job.namespace,
        'lineage_jobs.name': of.job.name,
      });
    } else {
      query.where({
        'lineage_datasets.namespace': of.dataset.namespace,
        'lineage_datasets.name': of.dataset.name,
      });
    }
    const rows = await query;
    return rows.map(row => ({
      job: { namespace: row.job_namespace, name: row.job_name },
      dataset: { namespace: row.dataset_namespace, name: row.dataset_name },
      direction: row.direction,
      ...(row.last_run_id ? { lastRunId: row.last_run_id } : {}),
      firstSeenAt: iso(row.first_seen_at),
      lastSeenAt: iso(row.last_seen_at),
    }));
  }

  async getColumnLineage(
    output: LineageDatasetName,
  ): Promise<LineageColumnLineage[]> {
    const rows = await this.db('lineage_column_lineage as c')
      .join('lineage_datasets as o', 'o.id', 'c.output_dataset_id')
      .join('lineage_datasets as i', 'i.id', 'c.input_dataset_id')
      .leftJoin('lineage_jobs as j', 'j.id', 'c.job_id')
      .where({ 'o.namespace': output.namespace, 'o.name': output.name })
      .orderBy([
        { column: 'c.output_column' },
        { column: 'i.namespace' },
        { column: 'i.name' },
        { column: 'c.input_column' },
        { column: 'c.transformation_type' },
        { column: 'c.transformation_subtype' },
      ])
      .select(
        'c.*',
        'i.namespace as input_namespace',
        'i.name as input_name',
        'j.namespace as job_namespace',
        'j.name as job_name',
      );
    return rows.map(row => ({
      output: { namespace: output.namespace, name: output.name },
      ...(row.output_column ? { outputColumn: row.output_column } : {}),
      input: { namespace: row.input_namespace, name: row.input_name },
      inputColumn: row.input_column,
      ...(row.transformation_type
        ? { transformationType: row.transformation_type }
        : {}),
      ...(row.transformation_subtype
        ? { transformationSubtype: row.transformation_subtype }
        : {}),
      ...(row.description !== null ? { description: row.description } : {}),
      ...(row.masking !== null ? { masking: Boolean(row.masking) } : {}),
      ...(row.job_name !== null
        ? { job: { namespace: row.job_namespace, name: row.job_name } }
        : {}),
      lastSeenAt: iso(row.last_seen_at),
    }));
  }
}

function definedFacets(d: LineageDatasetRecord): Partial<LineageDatasetRecord> {
  return {
    ...(d.fields ? { fields: d.fields } : {}),
    ...(d.description !== undefined ? { description: d.description } : {}),
  };
}
