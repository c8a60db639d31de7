import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import {
  BackendFeature,
  coreServices,
  createBackendModule,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import catalogModuleDataMesh from '@backstage-datamesh/plugin-catalog-backend-module-datamesh';
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

/** The first column of the first row of a count or sum query, as a number. */
export async function scalar(query: Knex.QueryBuilder): Promise<number> {
  const rows = (await query) as Array<Record<string, unknown>>;
  return Number(Object.values(rows[0] ?? {})[0] ?? 0);
}

/**
 * An in-memory SQLite database: the same client the backend's own database manager builds for
 * `better-sqlite3` and `:memory:` (one connection, foreign keys on).
 */
function memorySqlite(): Knex {
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
  return knex;
}

/**
 * The database service of a benchmark's backend: the catalog gets the measured database, any other
 * plugin (the data mesh backend, with its own migrations) an in-memory SQLite database of its own,
 * as each plugin gets its own database in a real backend.
 */
function benchDatabases(knex: Knex) {
  return createServiceFactory({
    service: coreServices.database,
    deps: {
      plugin: coreServices.pluginMetadata,
      lifecycle: coreServices.lifecycle,
    },
    async factory({ plugin, lifecycle }) {
      if (plugin.getId() === 'catalog') {
        return { getClient: async () => knex };
      }
      const own = memorySqlite();
      lifecycle.addShutdownHook(() => own.destroy());
      return { getClient: async () => own };
    },
  });
}

/**
 * The connection the catalog gets (through the database service of {@link catalogFeatures}) and
 * the benchmark reads its tables with.
 */
export async function openDatabase(
  kind: BenchDatabase,
): Promise<{ knex: Knex; close: () => Promise<void> }> {
  if (kind === 'sqlite') {
    const knex = memorySqlite();
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
 * The services every benchmark's catalog backend starts with: config allowing the kinds of the
 * generated sets, each file its own location, no logging, the given database for the catalog, and
 * the catalog plugin with the data mesh module.
 */
export function catalogFeatures(options: {
  knex: Knex;
  files: string[];
  /** undefined for the catalog's default (100-150 s) */
  processingIntervalSeconds?: number;
}): Array<BackendFeature | Promise<{ default: BackendFeature }>> {
  const { knex, files, processingIntervalSeconds } = options;
  return [
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
          locations: files.map(target => ({ type: 'file', target })),
          ...(processingIntervalSeconds
            ? { processingInterval: { seconds: processingIntervalSeconds } }
            : {}),
        },
      },
    }),
    mockServices.rootLogger.factory({ level: 'none' }),
    benchDatabases(knex),
    import('@backstage/plugin-catalog-backend'),
    catalogModuleDataMesh,
  ];
}

/** How far an ingestion has come, from the start of the backend. */
export interface Ingestion {
  /** Until every entity was processed once (within 2 s); -1 if that never happened. */
  processedMs: number;
  /** Until every entity was processed and stitched, or until the timeout. */
  totalMs: number;
  /** Entities whose processing reported errors at the end. */
  entitiesWithErrors: number;
  timedOut: boolean;
}

/**
 * Waits until a catalog has processed and stitched every expected entity, reading its own tables
 * through the connection the backend uses: every expected entity has a row in `refresh_state`
 * with a `processed_entity` (or processing errors), the stitch queue is empty and every entity
 * without errors has a `final_entities` row. That is the exact moment the catalog API serves the
 * complete, stitched set.
 *
 * The stitch queue is small and cheap to count; the counts over `refresh_state` and
 * `final_entities` scan every entity. They run every 2 s, and at once when the queue is empty,
 * so that the observer costs little next to the catalog it observes (on SQLite it shares the
 * catalog's only connection).
 */
export async function waitForIngestion(
  knex: Knex,
  options: {
    expectedEntities: number;
    /** `performance.now()` when the backend was started */
    started: number;
    timeoutMs: number;
    pollMs: number;
    /** called at every poll, before the counts */
    onPoll?: () => void;
    onProgress?: (line: string) => void;
  },
): Promise<Ingestion> {
  const { expectedEntities, started, timeoutMs, pollMs } = options;
  let processedMs = -1;
  let lastReport = 0;
  let entitiesWithErrors = 0;
  let lastFullCheck = -Infinity;
  for (;;) {
    const elapsed = performance.now() - started;
    options.onPoll?.();
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
      const processed = rows >= expectedEntities && pending === 0;
      if (processed && processedMs < 0) {
        processedMs = elapsed;
      }
      // the queue may have been refilled while the counts ran: ask again before finishing
      if (
        processed &&
        finals >= expectedEntities - withErrors &&
        (await scalar(knex('stitch_queue').count({ n: '*' }))) === 0
      ) {
        return {
          processedMs,
          totalMs: performance.now() - started,
          entitiesWithErrors,
          timedOut: false,
        };
      }
      if (elapsed - lastReport > 10_000) {
        lastReport = elapsed;
        options.onProgress?.(
          `    ${(elapsed / 1000).toFixed(
            0,
          )}s: ${rows}/${expectedEntities} entities known, ${pending} to process, ${withErrors} with errors, ${queued} to stitch, ${finals} stitched`,
        );
      }
    }
    if (elapsed > timeoutMs) {
      return {
        processedMs,
        totalMs: elapsed,
        entitiesWithErrors,
        timedOut: true,
      };
    }
    await new Promise(resolve => setTimeout(resolve, pollMs));
  }
}

/**
 * Starts a catalog backend (the catalog plugin and the data mesh module, on in-memory SQLite or
 * a fresh PostgreSQL database) with one generated set as its only location, and waits until
 * every entity is processed and stitched ({@link waitForIngestion}). That costs a few count
 * queries per poll; the catalog REST API is then asked for the count of the measured kind and a
 * sample of entities, to confirm what clients see.
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
  const sqlStats = options.sqlStats ? timeStatements(knex) : undefined;

  const counter = passCounter();
  let stitchWrites = 0;
  const countStitch = (query: { sql?: string }) => {
    if (/^insert into .final_entities./.test(query.sql ?? '')) {
      stitchWrites += 1;
    }
  };
  knex.on('query', countStitch);
  const features = [
    ...catalogFeatures({ knex, files: set.files, processingIntervalSeconds }),
    counter.feature,
  ];

  let peakRss = process.memoryUsage().rss;
  const cpuStart = process.cpuUsage();
  const started = performance.now();
  const backend = await startTestBackend({ features });
  const baseUrl = `http://localhost:${backend.server.port()}`;

  const kindFilter = set.kind === 'dataproduct' ? 'dataproduct' : 'component';
  const { processedMs, totalMs, entitiesWithErrors, timedOut } =
    await waitForIngestion(knex, {
      expectedEntities: set.expectedEntities,
      started,
      timeoutMs,
      pollMs,
      onPoll: () => {
        peakRss = Math.max(peakRss, process.memoryUsage().rss);
      },
      onProgress: options.onProgress,
    });
  const cpuMs = cpuSince(cpuStart);
  const passesAtEnd = counter.passes(kindFilter);
  const locationPassesAtEnd = counter.passes('location');
  const stitchesAtEnd = stitchWrites;

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
      ...(set.kind === 'dataproduct' ? ['partOf'] : []),
    ];
    if (
      !expected.every(t => types.includes(t)) ||
      types.filter(t => t === 'dependsOn').length < upstream
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
    timedOut,
    ...(sqlStats ? { sqlStats: sqlStats() } : {}),
  };
}
