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
  LineageTraversal,
  LineageTraversalDataset,
  LineageTraversalJob,
  LineageTraversalQuery,
} from '@backstage-datamesh/plugin-datamesh-node';
import {
  KeptFacets,
  datasetMatchKey,
  datasetNameSpellings,
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

/** The most start datasets of one walk (two bound variables each, under SQLite's limit). */
const MAX_TRAVERSAL_SEEDS = 1000;

/** The most datasets a walk returns by default. */
const DEFAULT_TRAVERSAL_LIMIT = 10_000;

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

/** Compares two strings in code point order, as a sort wants. */
function compare(a: string, b: string): number {
  if (a === b) {
    return 0;
  }
  return a < b ? -1 : 1;
}

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

function toLineageDataset(row: DatasetRow): LineageDataset {
  return {
    namespace: row.namespace,
    name: row.name,
    ...(facetValues(parseFacets(row.facets)) as Partial<LineageDataset>),
    firstSeenAt: iso(row.first_seen_at),
    lastSeenAt: iso(row.last_seen_at),
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
    return row ? toLineageDataset(row) : undefined;
  }

  async getDatasets(names: LineageDatasetName[]): Promise<LineageDataset[]> {
    const found: LineageDataset[] = [];
    for (const batch of chunks(names, BATCH)) {
      const rows: DatasetRow[] = await this.db('lineage_datasets').whereIn(
        ['namespace', 'name'],
        batch.map(n => [n.namespace, n.name]),
      );
      found.push(...rows.map(toLineageDataset));
    }
    return found;
  }

  /** The edges with their job's and dataset's names, as {@link toLineageEdge} reads them. */
  private edgesQuery() {
    return this.db('lineage_edges')
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
      );
  }

  async getEdges(
    of: { job: LineageJobName } | { dataset: LineageDatasetName },
  ): Promise<LineageEdge[]> {
    const query = this.edgesQuery().orderBy([
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
    return (await query).map(toLineageEdge);
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

  async findDatasets(
    names: LineageDatasetName[],
  ): Promise<LineageDatasetName[]> {
    if (!names.length) {
      return [];
    }
    // one dataset however an event quoted its name's parts (`"db"."schema"."Table"` is the
    // port's `db.schema.table`): looked up by its spellings, kept by its key
    const key = datasetMatchKey;
    const wanted = new Set(names.map(key));
    const found: LineageDatasetName[] = [];
    for (const batch of chunks(
      [...new Set(names.flatMap(n => datasetNameSpellings(n.name)))],
      BATCH,
    )) {
      const rows: Array<{ namespace: string; name: string }> = await this.db(
        'lineage_datasets',
      )
        .whereRaw(`LOWER(name) IN (${batch.map(() => '?').join(', ')})`, batch)
        .select('namespace', 'name');
      for (const row of rows) {
        if (wanted.has(key(row))) {
          found.push({ namespace: row.namespace, name: row.name });
        }
      }
    }
    return found.sort((a, b) => compare(datasetKey(a), datasetKey(b)));
  }

  /**
   * One recursive query walks the datasets reachable from the start (each step: a dataset, the
   * jobs that write it (upstream) or read it (downstream), the datasets those read or write),
   * and returns the edges between the datasets reached and their jobs. With a depth, its rows
   * are (dataset, distance) with the distance bounded, so a cycle stops at the depth; without
   * one, its rows are the datasets alone, and `UNION` adds a dataset once, so a cycle is walked
   * once. The distances are then those of a breadth-first walk of the edges returned.
   */
  async traverse(query: LineageTraversalQuery): Promise<LineageTraversal> {
    const limit = query.limit ?? DEFAULT_TRAVERSAL_LIMIT;
    const depth = query.depth;
    const upstream = query.direction === 'upstream';
    // distinct names, at most the bound variables SQLite takes
    const from = [
      ...new Map(query.from.map(d => [datasetKey(d), d])).values(),
    ].slice(0, MAX_TRAVERSAL_SEEDS);
    if (!from.length) {
      return { datasets: [], jobs: [], edges: [], truncated: false };
    }
    // upstream: a dataset's writers (output edges), then what they read (input edges)
    const [toJob, fromJob] = upstream
      ? ['output', 'input']
      : ['input', 'output'];
    const seeds = `seeds AS (
      SELECT id, namespace, name FROM lineage_datasets
      WHERE ${from.map(() => '(namespace = ? AND name = ?)').join(' OR ')}
    )`;
    const step = `FROM reach r
      JOIN lineage_edges a ON a.dataset_id = r.dataset_id AND a.direction = '${toJob}'
      JOIN lineage_edges b ON b.job_id = a.job_id AND b.direction = '${fromJob}'`;
    const reach =
      depth === undefined
        ? `reach(dataset_id) AS (
      SELECT id FROM seeds
      UNION
      SELECT b.dataset_id ${step}
    ),
    nearest AS (SELECT dataset_id, 0 AS distance FROM reach LIMIT ?)`
        : `reach(dataset_id, distance) AS (
      SELECT id, 0 FROM seeds
      UNION
      SELECT b.dataset_id, r.distance + 1 ${step} WHERE r.distance < ?
    ),
    nearest AS (
      SELECT dataset_id, MIN(distance) AS distance FROM reach
      GROUP BY dataset_id ORDER BY 2, 1 LIMIT ?
    )`;
    // the jobs: upstream, every writer of a dataset reached (its inputs past the depth are
    // left out); downstream, the readers of the datasets short of the depth
    let jobBound = 2_147_483_647;
    if (depth !== undefined) {
      jobBound = upstream ? depth + 1 : depth;
    }
    // one statement: the edges between the datasets and jobs reached, then the start datasets
    const sql = `WITH RECURSIVE ${seeds}, ${reach},
    walked_jobs AS (
      SELECT DISTINCT e.job_id FROM nearest n
      JOIN lineage_edges e ON e.dataset_id = n.dataset_id AND e.direction = '${toJob}'
      WHERE n.distance < ?
    ),
    jobs AS (
      SELECT w.job_id, (SELECT COUNT(*) FROM lineage_edges f
        WHERE f.job_id = w.job_id AND f.direction = '${fromJob}') AS far_edges
      FROM walked_jobs w
    )
    SELECT e.direction, e.last_seen_at,
      e.job_id, j.namespace AS job_namespace, j.name AS job_name,
      e.dataset_id, d.namespace AS dataset_namespace, d.name AS dataset_name,
      r.run_id, r.state, r.state_time, r.ended_at, x.far_edges
    FROM jobs x
    JOIN lineage_edges e ON e.job_id = x.job_id
    JOIN nearest n ON n.dataset_id = e.dataset_id
    JOIN lineage_jobs j ON j.id = e.job_id
    JOIN lineage_datasets d ON d.id = e.dataset_id
    LEFT JOIN lineage_runs r ON r.run_id = j.latest_run_id
    UNION ALL
    SELECT 'start', NULL, NULL, NULL, NULL, s.id, s.namespace, s.name,
      NULL, NULL, NULL, NULL, NULL
    FROM seeds s`;
    const bindings = [
      ...from.flatMap(d => [d.namespace, d.name]),
      ...(depth === undefined ? [] : [depth]),
      limit + 1,
      jobBound,
    ];
    const result = await this.db.raw(sql, bindings);
    const rows: TraversalRow[] = isPostgres(this.db) ? result.rows : result;
    const starts = rows
      .filter(r => r.direction === 'start')
      .map(r => ({
        id: Number(r.dataset_id),
        namespace: r.dataset_namespace,
        name: r.dataset_name,
      }));
    return walk(
      starts,
      rows.filter((r): r is EdgeRow => r.direction !== 'start'),
      { upstream, limit, depth },
    );
  }

  async listEdges(options?: { since?: number }): Promise<LineageEdge[]> {
    const query = this.edgesQuery();
    if (options?.since !== undefined) {
      query.where('lineage_edges.last_seen_at', '>=', options.since);
    }
    return (await query).map(toLineageEdge);
  }
}

/** A row of the edges query as the store answers it. */
function toLineageEdge(row: {
  job_namespace: string;
  job_name: string;
  dataset_namespace: string;
  dataset_name: string;
  direction: LineageEdge['direction'];
  last_run_id: string | null;
  first_seen_at: number | string;
  last_seen_at: number | string;
}): LineageEdge {
  return {
    job: { namespace: row.job_namespace, name: row.job_name },
    dataset: { namespace: row.dataset_namespace, name: row.dataset_name },
    direction: row.direction,
    ...(row.last_run_id ? { lastRunId: row.last_run_id } : {}),
    firstSeenAt: iso(row.first_seen_at),
    lastSeenAt: iso(row.last_seen_at),
  };
}

function definedFacets(d: LineageDatasetRecord): Partial<LineageDatasetRecord> {
  return {
    ...(d.fields ? { fields: d.fields } : {}),
    ...(d.description !== undefined ? { description: d.description } : {}),
  };
}

type TraversalRow = {
  direction: 'input' | 'output' | 'start';
  last_seen_at: number | string;
  job_id: number;
  job_namespace: string;
  job_name: string;
  dataset_id: number;
  dataset_namespace: string;
  dataset_name: string;
  run_id: string | null;
  state: string | null;
  state_time: number | string | null;
  ended_at: number | string | null;
  /** Every edge of the job on the side the walk goes on to (its inputs upstream). */
  far_edges: number | string | null;
};

/** A row of a walk that is an edge (not a start dataset). */
type EdgeRow = TraversalRow & { direction: 'input' | 'output' };

/**
 * The distances of a walk, breadth first over the edges the query returned (a 0-1 walk: upstream
 * a dataset's writer is as far as the dataset and its inputs one hop further; downstream a
 * dataset's reader is one hop further and its outputs as far as it), and the nearest `limit`
 * datasets with their jobs and edges; a job next to datasets within the depth that the limit
 * left out says how many (`hiddenDatasets`).
 */
function walk(
  seeds: Array<LineageDatasetName & { id: number }>,
  rows: EdgeRow[],
  options: { upstream: boolean; limit: number; depth?: number },
): LineageTraversal {
  const toJob = options.upstream ? 'output' : 'input';
  const byDataset = new Map<number, EdgeRow[]>();
  const byJob = new Map<number, EdgeRow[]>();
  const add = (map: Map<number, EdgeRow[]>, key: number, row: EdgeRow) => {
    const list = map.get(key);
    if (list) {
      list.push(row);
    } else {
      map.set(key, [row]);
    }
  };
  for (const row of rows) {
    row.job_id = Number(row.job_id);
    row.dataset_id = Number(row.dataset_id);
    if (row.direction === toJob) {
      add(byDataset, row.dataset_id, row);
    } else {
      add(byJob, row.job_id, row);
    }
  }
  const datasetDistance = new Map<number, number>();
  const jobDistance = new Map<number, number>();
  const datasetNames = new Map<number, LineageDatasetName>();
  for (const seed of seeds) {
    datasetDistance.set(seed.id, 0);
    datasetNames.set(seed.id, { namespace: seed.namespace, name: seed.name });
  }
  const jobStep = options.upstream ? 0 : 1;
  const datasetStep = options.upstream ? 1 : 0;
  // level by level: a weight-0 step stays in the level being walked, a weight-1 step goes to
  // the next one
  let current: Array<['d' | 'j', number]> = seeds.map(s => ['d', s.id]);
  for (let level = 0; current.length; level++) {
    const next: Array<['d' | 'j', number]> = [];
    const settled = { d: new Set<number>(), j: new Set<number>() };
    for (let k = 0; k < current.length; k++) {
      const [kind, id] = current[k];
      const distance =
        kind === 'd' ? datasetDistance.get(id) : jobDistance.get(id);
      if (settled[kind].has(id) || distance !== level) {
        continue;
      }
      settled[kind].add(id);
      if (kind === 'd') {
        for (const row of byDataset.get(id) ?? []) {
          const d = level + jobStep;
          if (d < (jobDistance.get(row.job_id) ?? Infinity)) {
            jobDistance.set(row.job_id, d);
            (jobStep === 0 ? current : next).push(['j', row.job_id]);
          }
        }
      } else {
        for (const row of byJob.get(id) ?? []) {
          const d = level + datasetStep;
          if (d < (datasetDistance.get(row.dataset_id) ?? Infinity)) {
            datasetDistance.set(row.dataset_id, d);
            datasetNames.set(row.dataset_id, {
              namespace: row.dataset_namespace,
              name: row.dataset_name,
            });
            (datasetStep === 0 ? current : next).push(['d', row.dataset_id]);
          }
        }
      }
    }
    current = next;
  }
  const order = [...datasetDistance.entries()].sort(
    ([a, x], [b, y]) => x - y || a - b,
  );
  const kept = new Set(order.slice(0, options.limit).map(([id]) => id));
  const datasets: LineageTraversalDataset[] = order
    .filter(([id]) => kept.has(id))
    .map(([id, distance]) => ({ ...datasetNames.get(id)!, distance }));
  const jobs = new Map<number, LineageTraversalJob>();
  const edges: LineageTraversal['edges'] = [];
  // many edges share a time: each converted once
  const times = new Map<string, string>();
  const time = (value: number | string) => {
    const key = String(value);
    let text = times.get(key);
    if (text === undefined) {
      text = iso(value);
      times.set(key, text);
    }
    return text;
  };
  // in the order of the dataset, then the job (the store's ids), the input first
  rows.sort(
    (a, b) =>
      a.dataset_id - b.dataset_id ||
      a.job_id - b.job_id ||
      compare(a.direction, b.direction),
  );
  // the far side of each job (its inputs upstream, its outputs downstream): every edge, and
  // those to datasets kept
  const farKept = new Map<number, number>();
  const farEdges = new Map<number, number>();
  for (const row of rows) {
    if (row.direction !== toJob) {
      farEdges.set(row.job_id, Number(row.far_edges ?? 0));
      if (kept.has(row.dataset_id)) {
        farKept.set(row.job_id, (farKept.get(row.job_id) ?? 0) + 1);
      }
    } else if (!farEdges.has(row.job_id)) {
      farEdges.set(row.job_id, Number(row.far_edges ?? 0));
    }
  }
  const hiddenOf = (jobId: number, distance: number) => {
    // upstream, the inputs of a job at the depth are past it: not hidden, not walked
    if (
      options.upstream &&
      options.depth !== undefined &&
      distance >= options.depth
    ) {
      return 0;
    }
    return (farEdges.get(jobId) ?? 0) - (farKept.get(jobId) ?? 0);
  };
  for (const row of rows) {
    const distance = jobDistance.get(row.job_id);
    if (distance === undefined || !kept.has(row.dataset_id)) {
      continue;
    }
    if (!jobs.has(row.job_id)) {
      const hidden = hiddenOf(row.job_id, distance);
      jobs.set(row.job_id, {
        namespace: row.job_namespace,
        name: row.job_name,
        distance,
        ...(hidden > 0 ? { hiddenDatasets: hidden } : {}),
        ...(row.run_id
          ? {
              latestRun: {
                runId: row.run_id,
                ...(row.state ? { state: row.state as LineageRunState } : {}),
                ...(row.state_time !== null
                  ? { stateTime: iso(row.state_time) }
                  : {}),
                ...(row.ended_at !== null
                  ? { endedAt: iso(row.ended_at) }
                  : {}),
              },
            }
          : {}),
      });
    }
    edges.push({
      job: { namespace: row.job_namespace, name: row.job_name },
      dataset: { namespace: row.dataset_namespace, name: row.dataset_name },
      direction: row.direction,
      lastSeenAt: time(row.last_seen_at),
    });
  }
  const byName = (a: LineageJobName, b: LineageJobName) =>
    compare(a.namespace, b.namespace) || compare(a.name, b.name);
  return {
    datasets,
    jobs: [...jobs.values()].sort(
      (a, b) => a.distance - b.distance || byName(a, b),
    ),
    edges,
    truncated: datasetDistance.size > options.limit,
  };
}
