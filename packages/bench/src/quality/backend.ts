/**
 * The backend the quality benchmarks measure, and the databases it runs on.
 */
import fs from 'node:fs';
import path from 'node:path';
import {
  BackendFeature,
  coreServices,
  createServiceFactory,
  ServiceFactory,
} from '@backstage/backend-plugin-api';
import { startTestBackend } from '@backstage/backend-test-utils';
import knexFactory, { Knex } from 'knex';
import {
  BenchDatabase,
  catalogFeatures,
  Ingestion,
  openDatabase,
  waitForIngestion,
} from '../catalog/measure';

/** Where the data mesh plugin's SQLite database lives. */
export type SqliteStorage = 'memory' | 'file';

/** An open benchmark database. */
export interface OpenDatabase {
  knex: Knex;
  /** What it is, for the output. */
  description: string;
  close: () => Promise<void>;
}

/** The databases of one backend: each plugin its own, as the backend's database manager does. */
export interface BenchDatabases {
  catalog: OpenDatabase;
  datamesh: OpenDatabase;
  close: () => Promise<void>;
}

async function openSqliteFile(dir: string): Promise<OpenDatabase> {
  const filename = path.join(
    dir,
    `datamesh-${process.pid}-${Date.now()}.sqlite`,
  );
  // what the backend's database manager builds for a `better-sqlite3` file: one connection,
  // foreign keys on
  const knex = knexFactory({
    client: 'better-sqlite3',
    connection: { filename },
    useNullAsDefault: true,
  });
  knex.client.pool.on(
    'createSuccess',
    (_id: unknown, resource: { pragma?: (s: string) => void }) => {
      resource.pragma?.('foreign_keys = ON');
    },
  );
  return {
    knex,
    description: `a SQLite file in ${dir}`,
    close: async () => {
      await knex.destroy();
      for (const suffix of ['', '-journal', '-wal', '-shm']) {
        fs.rmSync(`${filename}${suffix}`, { force: true });
      }
    },
  };
}

/**
 * Opens fresh databases for the catalog and the data mesh plugin, each its own, as the backend
 * gives each plugin its own database (`pluginDivisionMode: database` on PostgreSQL, one
 * in-memory database per plugin on SQLite): on PostgreSQL two new databases (dropped on close);
 * on SQLite the catalog's in memory, and the data mesh plugin's in memory (as `app-config.yaml`
 * runs the portal) or in a new file in `dir` (a store that holds a year of data outlives its
 * process, and would not fit in memory), deleted on close.
 */
export async function openBenchDatabases(
  database: BenchDatabase,
  options: { sqlite: SqliteStorage; dir: string },
): Promise<BenchDatabases> {
  const catalog = await openDatabase(database);
  let datamesh: OpenDatabase;
  if (database === 'postgres' || options.sqlite === 'memory') {
    datamesh = {
      ...(await openDatabase(database)),
      description:
        database === 'postgres'
          ? 'PostgreSQL, a fresh database'
          : 'SQLite in memory',
    };
  } else {
    datamesh = await openSqliteFile(options.dir);
  }
  return {
    catalog: {
      ...catalog,
      description:
        database === 'postgres'
          ? 'PostgreSQL, a fresh database'
          : 'SQLite in memory',
    },
    datamesh,
    close: async () => {
      await datamesh.close();
      await catalog.close();
    },
  };
}

const isDatabaseFactory = (
  feature: BackendFeature | Promise<{ default: BackendFeature }>,
) =>
  'service' in feature &&
  (feature as ServiceFactory).service.id === coreServices.database.id;

/**
 * Starts a backend with the catalog (its locations the given files), the data mesh catalog
 * module and the data mesh backend plugin: the catalog bench's services (`catalogFeatures`),
 * with the database service giving each plugin its own database.
 *
 * The catalog re-processes nothing during a run (a processing interval of a day): new entities
 * are processed at once whatever the interval, and a refresh round in the middle of a timing
 * would time the catalog. The plugin's scheduled tasks (evaluation, pulling, retention) do not
 * run: the test backend's scheduler starts only tasks without an initial delay, and the plugin
 * gives each one.
 */
export async function startQualityBackend(
  databases: BenchDatabases,
  files: string[],
  /** more features of the benchmark's own (a module that hands it the plugin's services) */
  extraFeatures: BackendFeature[] = [],
) {
  const perPlugin = createServiceFactory({
    service: coreServices.database,
    deps: { plugin: coreServices.pluginMetadata },
    factory: ({ plugin }) => ({
      getClient: async () =>
        plugin.getId() === 'datamesh'
          ? databases.datamesh.knex
          : databases.catalog.knex,
    }),
  });
  const backend = await startTestBackend({
    features: [
      ...catalogFeatures({
        knex: databases.catalog.knex,
        files,
        processingIntervalSeconds: 86_400,
      }).filter(feature => !isDatabaseFactory(feature)),
      perPlugin,
      // the plugin under measure, started in the test backend as packages/backend adds it
      // eslint-disable-next-line @backstage/no-mixed-plugin-imports
      import('@backstage-datamesh/plugin-datamesh-backend'),
      ...extraFeatures,
    ],
  });
  return {
    baseUrl: `http://localhost:${backend.server.port()}`,
    stop: () => backend.stop(),
  };
}

/** A started backend whose catalog has ingested its locations. */
export interface IngestedBackend {
  baseUrl: string;
  /** How the catalog's ingestion went. */
  ingestion: Ingestion;
  stop: () => Promise<void>;
}

/**
 * Starts the backend ({@link startQualityBackend}) and waits until its catalog has processed and
 * stitched `expectedEntities` entities (`waitForIngestion`). Fails, with the backend stopped,
 * when that takes longer than `timeoutMs`.
 */
export async function startIngestedBackend(
  databases: BenchDatabases,
  files: string[],
  options: {
    expectedEntities: number;
    timeoutMs: number;
    pollMs: number;
    onProgress?: (line: string) => void;
    /** see {@link startQualityBackend} */
    extraFeatures?: BackendFeature[];
  },
): Promise<IngestedBackend> {
  const started = performance.now();
  const backend = await startQualityBackend(
    databases,
    files,
    options.extraFeatures,
  );
  try {
    const ingestion = await waitForIngestion(databases.catalog.knex, {
      ...options,
      started,
    });
    if (ingestion.timedOut) {
      throw new Error(
        `The catalog did not ingest its ${
          options.expectedEntities
        } entities in ${Math.round(options.timeoutMs / 1000)} s`,
      );
    }
    return { ...backend, ingestion };
  } catch (error) {
    await backend.stop();
    throw error;
  }
}
