import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import {
  BackendFeature,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import knexFactory, { Knex } from 'knex';
import type { GeneratedSet } from './generate';

/** The outcome of ingesting one generated set into a fresh catalog. */
export interface Measurement {
  kind: GeneratedSet['kind'];
  count: number;
  /** From the start of the backend until every entity was processed once (within 2 s). */
  processedMs: number;
  /** From the start of the backend until every entity was processed and stitched. */
  totalMs: number;
  /**
   * CPU time (user + system) of the process over `totalMs`: the catalog's work, less sensitive
   * than wall time to other processes on the machine.
   */
  cpuMs: number;
  /** Entities in the catalog at the end, of every kind. */
  entities: number;
  /** Entities of the measured kind the REST API reports (`by-query`, `totalItems`). */
  apiTotalItems: number;
  /** Relation rows whose source is an entity of the measured kind. */
  relations: number;
  /** Rows in the catalog's `search` table per entity of the measured kind. */
  searchRowsPerEntity: number;
  /** Average size of a stitched entity of the measured kind, in bytes of JSON. */
  finalEntityBytes: number;
  /** Entities whose processing reported errors. */
  entitiesWithErrors: number;
  /** First few processing errors, if any. */
  sampleErrors: string[];
  /** Whether a sample of entities carries every relation it should. */
  sampleRelationsOk: boolean;
  /** Peak resident memory of the process, in MiB. */
  peakRssMiB: number;
  /**
   * Processing passes per entity of the measured kind until the end of the run: 1 when each was
   * processed once; more when the catalog's refresh loop re-processed entities during the run.
   */
  passesPerEntity: number;
  /** Processing passes per Location entity (each reads one generated file). */
  passesPerLocation: number;
  /**
   * Stitched entities the catalog wrote (`final_entities` upserts whose content changed), per
   * entity in the catalog: 1 when each was stitched once; more when relations arriving later made
   * the catalog stitch an entity again (the teams and domains most of all).
   */
  stitchesPerEntity: number;
  /**
   * With `refreshRound`: one refresh round after ingestion, every entity made due at once, timed
   * until each entity of the measured kind and each Location was processed again.
   */
  refreshRound?: { ms: number; cpuMs: number; timedOut: boolean };
  /** Whether the data mesh catalog module was loaded. */
  datameshModule: boolean;
  timedOut: boolean;
  /** With `sqlStats`: the statements that took the most time, the catalog's and the poll's. */
  sqlStats?: SqlStatementStats[];
}

/** Time spent in one statement shape (numbers and placeholder lists folded). */
export interface SqlStatementStats {
  sql: string;
  count: number;
  totalMs: number;
}

/** The database a measured catalog runs on. */
export type BenchDatabase = 'sqlite' | 'postgres';

export interface MeasureOptions {
  set: GeneratedSet;
  /**
   * `sqlite`: in-memory `better-sqlite3`, as `app-config.yaml` runs the portal. `postgres`: a
   * fresh database on the server at `BENCH_POSTGRES_CONNECTION_STRING` (default
   * `postgresql://postgres@127.0.0.1:5432`), as `app-config.production.yaml` runs it; dropped
   * at the end.
   */
  database?: BenchDatabase;
  /** `catalog.processingInterval` in seconds; undefined for the catalog's default (100-150 s). */
  processingIntervalSeconds?: number;
  timeoutMs: number;
  pollMs?: number;
  /** Time every statement the database client runs, and return the costliest. */
  sqlStats?: boolean;
  /**
   * After ingestion, make every entity due for processing at once and time the round in which
   * the catalog re-processes them all (what a running catalog does every processing interval).
   */
  refreshRound?: boolean;
  onProgress?: (line: string) => void;
}

async function loadDataMeshModule(): Promise<BackendFeature | undefined> {
  try {
    const mod = await import(
      '@backstage-datamesh/plugin-catalog-backend-module-datamesh'
    );
    const feature = (mod as { default?: unknown }).default;
    if (feature && typeof feature === 'object') {
      return feature as BackendFeature;
    }
  } catch {
    // not there yet: measure against the plain catalog
  }
  return undefined;
}

function cpuSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

/**
 * Wraps the dialect's `_query`, through which every statement passes, transactions' `BEGIN` and
 * `COMMIT` included, to sum the time spent in each statement shape. Returns a function that
 * reads the sums, costliest first.
 */
function timeStatements(knex: Knex): () => SqlStatementStats[] {
  type Query = (
    connection: unknown,
    query: { sql?: string },
  ) => Promise<unknown>;
  const dialect = Object.getPrototypeOf(knex.client) as { _query: Query };
  const original = dialect._query;
  const stats = new Map<string, SqlStatementStats>();
  dialect._query = async function timedQuery(this: unknown, connection, query) {
    const started = performance.now();
    try {
      return await original.call(this, connection, query);
    } finally {
      const sql = String(query?.sql ?? '')
        .replace(/\s+/g, ' ')
        .replace(/(\?|\$\d+)(\s*,\s*(\?|\$\d+))+/g, '?, …')
        .replace(/\b\d+\b/g, 'n')
        .slice(0, 160);
      const entry = stats.get(sql) ?? { sql, count: 0, totalMs: 0 };
      entry.count += 1;
      entry.totalMs += performance.now() - started;
      stats.set(sql, entry);
    }
  };
  return () =>
    [...stats.values()].sort((a, b) => b.totalMs - a.totalMs).slice(0, 12);
}

/**
 * A catalog module whose processor only counts processing passes per kind (its post-processing
 * step runs once per pass over an entity, after every other processor), to show how often the
 * refresh loop re-processes entities during a run, and to tell when a refresh round has reached
 * every entity.
 */
function passCounter() {
  const passes = new Map<string, number>();
  let round: Map<string, Set<string>> | undefined;
  const feature = createBackendModule({
    pluginId: 'catalog',
    moduleId: 'bench-pass-counter',
    register(reg) {
      reg.registerInit({
        deps: { processing: catalogProcessingExtensionPoint },
        async init({ processing }) {
          processing.addProcessor({
            getProcessorName: () => 'BenchPassCounter',
            async postProcessEntity(entity: Entity) {
              const kind = entity.kind.toLocaleLowerCase('en-US');
              passes.set(kind, (passes.get(kind) ?? 0) + 1);
              if (round) {
                const seen = round.get(kind) ?? new Set<string>();
                seen.add(entity.metadata.name);
                round.set(kind, seen);
              }
              return entity;
            },
          });
        },
      });
    },
  });
  return {
    feature,
    passes: (kind: string) => passes.get(kind) ?? 0,
    /** Starts counting the distinct entities of each kind processed from now on. */
    startRound: () => {
      round = new Map();
    },
    /** Distinct entities of a kind processed since `startRound`. */
    reached: (kind: string) => round?.get(kind)?.size ?? 0,
  };
}

/**
 * Makes every entity due for processing now, as the refresh loop does for each entity once its
 * processing interval has passed, and waits until every entity of the measured kind and every
 * Location has been processed again. Nothing changed, so nothing is stitched: this is the
 * processing cost alone.
 */
async function timeRefreshRound(
  knex: Knex,
  counter: ReturnType<typeof passCounter>,
  set: GeneratedSet,
  kind: string,
  { timeoutMs, pollMs }: { timeoutMs: number; pollMs: number },
): Promise<{ ms: number; cpuMs: number; timedOut: boolean }> {
  const cpuStart = process.cpuUsage();
  const started = performance.now();
  counter.startRound();
  await knex('refresh_state').update({ next_update_at: knex.fn.now() });
  for (;;) {
    const elapsed = performance.now() - started;
    if (
      counter.reached(kind) >= set.count &&
      counter.reached('location') >= set.files.length
    ) {
      return { ms: elapsed, cpuMs: cpuSince(cpuStart), timedOut: false };
    }
    if (elapsed > timeoutMs) {
      return { ms: elapsed, cpuMs: cpuSince(cpuStart), timedOut: true };
    }
    await new Promise(resolve => setTimeout(resolve, pollMs));
  }
}

/** How often the full completion counts run while the stitch queue is not empty. */
const FULL_CHECK_EVERY_MS = 2_000;

async function scalar(query: Knex.QueryBuilder): Promise<number> {
  const rows = (await query) as Array<Record<string, unknown>>;
  return Number(Object.values(rows[0] ?? {})[0] ?? 0);
}

/**
 * The connection the catalog gets (through `mockServices.database`) and the benchmark reads its
 * tables with.
 */
async function openDatabase(
  kind: BenchDatabase,
): Promise<{ knex: Knex; close: () => Promise<void> }> {
  if (kind === 'sqlite') {
    // The same client the backend's own database manager builds for `better-sqlite3` and
    // `:memory:` (one connection, foreign keys on).
    const knex = knexFactory({
      client: 'better-sqlite3',
      connection: { filename: ':memory:' },
      useNullAsDefault: true,
    });
    knex.client.pool.on(
      'createSuccess',
      (_id: unknown, resource: { pragma?: (s: string) => void }) => {
        resource.pragma?.('foreign_keys = ON');
      },
    );
    return { knex, close: () => knex.destroy() };
  }
  const server =
    process.env.BENCH_POSTGRES_CONNECTION_STRING ??
    'postgresql://postgres@127.0.0.1:5432';
  const name = `datamesh_bench_${process.pid}_${Date.now()}`;
  const admin = knexFactory({
    client: 'pg',
    connection: `${server}/postgres`,
  });
  await admin.raw('CREATE DATABASE ??', [name]);
  const knex = knexFactory({
    client: 'pg',
    connection: `${server}/${name}`,
  });
  return {
    knex,
    close: async () => {
      await knex.destroy();
      await admin.raw('DROP DATABASE IF EXISTS ?? WITH (FORCE)', [name]);
      await admin.destroy();
    },
  };
}

/**
 * Starts a catalog backend (the catalog plugin and the data mesh module, on in-memory SQLite or
 * a fresh PostgreSQL database)
 * with one generated set as its only location, and waits until every entity is processed and
 * stitched.
 *
 * Completion is read from the catalog's own tables through the database connection the backend
 * uses: every expected entity has a row in `refresh_state` with a `processed_entity` (or processing
 * errors), the stitch queue is empty and every entity has a `final_entities` row. That is the exact
 * moment the catalog API serves the complete, stitched set, and costs a few count queries per
 * poll; the catalog REST API is then asked for the count of the measured kind and a sample of
 * entities, to confirm what clients see.
 */
export async function measure(options: MeasureOptions): Promise<Measurement> {
  const database = await openDatabase(options.database ?? 'sqlite');
  try {
    return await measureOn(database.knex, options);
  } finally {
    // a PostgreSQL database is dropped even when the run fails
    await database.close();
  }
}

async function measureOn(
  knex: Knex,
  options: MeasureOptions,
): Promise<Measurement> {
  const { set, processingIntervalSeconds, timeoutMs } = options;
  const pollMs = options.pollMs ?? 250;
  const progress = options.onProgress ?? (() => {});
  const sqlStats = options.sqlStats ? timeStatements(knex) : undefined;

  const datamesh = await loadDataMeshModule();
  const counter = passCounter();
  let stitchWrites = 0;
  const countStitch = (query: { sql?: string }) => {
    if (/^insert into .final_entities./.test(query.sql ?? '')) {
      stitchWrites += 1;
    }
  };
  knex.on('query', countStitch);
  const features: Array<BackendFeature | Promise<{ default: BackendFeature }>> =
    [
      mockServices.rootConfig.factory({
        data: {
          catalog: {
            rules: [
              {
                allow: [
                  'Component',
                  'System',
                  'API',
                  'Resource',
                  'Location',
                  'Domain',
                  'DataProduct',
                  'Group',
                  'User',
                ],
              },
            ],
            locations: set.files.map(target => ({ type: 'file', target })),
            ...(processingIntervalSeconds
              ? { processingInterval: { seconds: processingIntervalSeconds } }
              : {}),
          },
        },
      }),
      mockServices.rootLogger.factory({ level: 'none' }),
      mockServices.database.factory({ knex }),
      import('@backstage/plugin-catalog-backend'),
      counter.feature,
    ];
  if (datamesh) {
    features.push(datamesh);
  }

  let peakRss = process.memoryUsage().rss;
  const cpuStart = process.cpuUsage();
  const started = performance.now();
  const backend = await startTestBackend({ features });
  const baseUrl = `http://localhost:${backend.server.port()}`;

  let processedMs = -1;
  let totalMs = -1;
  let cpuMs = -1;
  let timedOut = false;
  let lastReport = 0;
  let entitiesWithErrors = 0;
  let lastFullCheck = -Infinity;
  const kindFilter = set.kind === 'dataproduct' ? 'dataproduct' : 'component';
  let passesAtEnd = -1;
  let locationPassesAtEnd = -1;
  let stitchesAtEnd = -1;
  for (;;) {
    const elapsed = performance.now() - started;
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    // The stitch queue is small and cheap to count; the counts over refresh_state and
    // final_entities scan every entity. They run every 2 s, and at once when the queue is
    // empty, so that the observer costs little next to the catalog it observes (on SQLite it
    // shares the catalog's only connection).
    const queued = await scalar(knex('stitch_queue').count({ n: '*' }));
    const fullCheckDue =
      queued === 0 || elapsed - lastFullCheck >= FULL_CHECK_EVERY_MS;
    if (fullCheckDue) {
      lastFullCheck = elapsed;
      const [rows, pending, withErrors, finals] = await Promise.all([
        scalar(knex('refresh_state').count({ n: '*' })),
        scalar(
          knex('refresh_state')
            .whereNull('processed_entity')
            .where(q => q.whereNull('errors').orWhereIn('errors', ['', '[]']))
            .count({ n: '*' }),
        ),
        scalar(
          knex('refresh_state')
            .whereNotNull('errors')
            .whereNotIn('errors', ['', '[]'])
            .count({ n: '*' }),
        ),
        scalar(
          knex('final_entities').whereNotNull('final_entity').count({ n: '*' }),
        ),
      ]);
      entitiesWithErrors = withErrors;
      const processed = rows >= set.expectedEntities && pending === 0;
      if (processed && processedMs < 0) {
        processedMs = elapsed;
      }
      // the queue may have been refilled while the counts ran: ask again before finishing
      if (
        processed &&
        finals >= set.expectedEntities - withErrors &&
        (await scalar(knex('stitch_queue').count({ n: '*' }))) === 0
      ) {
        totalMs = performance.now() - started;
        cpuMs = cpuSince(cpuStart);
        passesAtEnd = counter.passes(kindFilter);
        locationPassesAtEnd = counter.passes('location');
        stitchesAtEnd = stitchWrites;
        break;
      }
      if (elapsed - lastReport > 10_000) {
        lastReport = elapsed;
        progress(
          `    ${(elapsed / 1000).toFixed(0)}s: ${rows}/${
            set.expectedEntities
          } entities known, ${pending} to process, ${withErrors} with errors, ${queued} to stitch, ${finals} stitched`,
        );
      }
    }
    if (elapsed > timeoutMs) {
      timedOut = true;
      totalMs = elapsed;
      cpuMs = cpuSince(cpuStart);
      passesAtEnd = counter.passes(kindFilter);
      locationPassesAtEnd = counter.passes('location');
      stitchesAtEnd = stitchWrites;
      break;
    }
    await new Promise(resolve => setTimeout(resolve, pollMs));
  }

  const refreshRound =
    options.refreshRound && !timedOut
      ? await timeRefreshRound(knex, counter, set, kindFilter, {
          timeoutMs,
          pollMs,
        })
      : undefined;

  // What clients see: the count of the measured kind, and a sample of entities with their relations
  const byQuery = await fetch(
    `${baseUrl}/api/catalog/entities/by-query?filter=kind=${kindFilter}&limit=1`,
  );
  const apiTotalItems = byQuery.ok
    ? ((await byQuery.json()) as { totalItems: number }).totalItems
    : -1;

  // every relation row emitted while processing an entity of the measured kind (both directions)
  const relations = await scalar(
    knex('relations')
      .join(
        'refresh_state',
        'relations.originating_entity_id',
        'refresh_state.entity_id',
      )
      .where('refresh_state.entity_ref', 'like', `${kindFilter}:%`)
      .count({ n: '*' }),
  );
  // what the catalog stores per entity of the kind: search index rows and stitched JSON size
  const searchRows = await scalar(
    knex('search')
      .join('refresh_state', 'search.entity_id', 'refresh_state.entity_id')
      .where('refresh_state.entity_ref', 'like', `${kindFilter}:%`)
      .count({ n: '*' }),
  );
  const finalBytes = await scalar(
    knex('final_entities')
      .join(
        'refresh_state',
        'final_entities.entity_id',
        'refresh_state.entity_id',
      )
      .where('refresh_state.entity_ref', 'like', `${kindFilter}:%`)
      .sum({ n: knex.raw('length(final_entity)') }),
  );
  const sampleErrors = (
    (await knex('refresh_state')
      .select('entity_ref', 'errors')
      .whereNotNull('errors')
      .whereNotIn('errors', ['', '[]'])
      .limit(3)) as Array<{ entity_ref: string; errors: string }>
  ).map(r => `${r.entity_ref}: ${r.errors.slice(0, 300)}`);

  let sampleRelationsOk = true;
  for (const index of [0, Math.floor(set.count / 2), set.count - 1]) {
    const name =
      set.kind === 'dataproduct'
        ? `dp-${String(index).padStart(5, '0')}`
        : `svc-${String(index).padStart(5, '0')}`;
    const res = await fetch(
      `${baseUrl}/api/catalog/entities/by-name/${kindFilter}/default/${name}`,
    );
    if (!res.ok) {
      sampleRelationsOk = false;
      continue;
    }
    const entity = (await res.json()) as {
      spec?: { inputPorts?: unknown[]; dependsOn?: unknown[] };
      relations?: Array<{ type: string }>;
    };
    const types = (entity.relations ?? []).map(r => r.type);
    const upstream =
      set.kind === 'dataproduct'
        ? entity.spec?.inputPorts?.length ?? 0
        : entity.spec?.dependsOn?.length ?? 0;
    const expected = [
      'ownedBy',
      ...(set.kind === 'dataproduct' && datamesh ? ['partOf'] : []),
    ];
    if (
      !expected.every(t => types.includes(t)) ||
      types.filter(t => t === 'dependsOn').length <
        (datamesh || set.kind === 'component' ? upstream : 0)
    ) {
      sampleRelationsOk = false;
    }
  }
  const entities = await scalar(knex('final_entities').count({ n: '*' }));

  await backend.stop();
  knex.off('query', countStitch);

  return {
    kind: set.kind,
    count: set.count,
    processedMs,
    totalMs,
    cpuMs,
    entities,
    apiTotalItems,
    relations,
    searchRowsPerEntity: searchRows / set.count,
    finalEntityBytes: Math.round(finalBytes / set.count),
    entitiesWithErrors,
    sampleErrors,
    sampleRelationsOk,
    peakRssMiB: Math.round(peakRss / 1024 / 1024),
    passesPerEntity: passesAtEnd / set.count,
    passesPerLocation: locationPassesAtEnd / set.files.length,
    stitchesPerEntity: stitchesAtEnd / entities,
    ...(refreshRound ? { refreshRound } : {}),
    datameshModule: Boolean(datamesh),
    timedOut,
    ...(sqlStats ? { sqlStats: sqlStats() } : {}),
  };
}
