/**
 * `yarn bench:catalog --problems`: what `GET /api/datamesh/problems` costs on a large catalog
 * with failing data products, and what it asks the catalog for. See packages/bench/README.md.
 */
import path from 'node:path';
import {
  mockCredentials,
  startTestBackend,
} from '@backstage/backend-test-utils';
import catalogModuleUnprocessed from '@backstage/plugin-catalog-backend-module-unprocessed';
import type { Knex } from 'knex';
import { writeSet } from './generate';
import {
  BenchDatabase,
  catalogFeatures,
  openDatabase,
  scalar,
  waitForIngestion,
} from './measure';

/** What the problems benchmark loads and how. */
export interface ProblemsBenchOptions {
  workDir: string;
  /** Entities in the catalog, half Components and half DataProducts. */
  size: number;
  /** Of the data products, how many fail validation. */
  failing: number;
  database: BenchDatabase;
  /** undefined: the catalog's default (100-150 s) */
  processingIntervalSeconds?: number;
  timeoutMs: number;
  /** Timed calls of the route, after one warm-up call. */
  calls?: number;
}

/** What went over one hop during one call. */
interface Transfer {
  requests: number;
  rows: number;
  bytes: number;
  ms: number;
}

/** A running tally of transfers, read and restarted with `take`. */
function transferTally() {
  const empty = (): Transfer => ({ requests: 0, rows: 0, bytes: 0, ms: 0 });
  let current = empty();
  return {
    /** The transfer being counted. */
    get current(): Transfer {
      return current;
    },
    /** What was counted since the last call. */
    take(): Transfer {
      const taken = current;
      current = empty();
      return taken;
    },
  };
}

/** The path of the catalog's unprocessed-entities API (`catalog-backend-module-unprocessed`). */
const UNPROCESSED_PATH = '/api/catalog/entities/unprocessed/';

/** The URL a `fetch` call asks for. */
function urlOf(input: string | URL | Request): string {
  if (typeof input === 'string') {
    return input;
  }
  return input instanceof URL ? input.href : input.url;
}

/**
 * Wraps the global `fetch`, through which the data mesh plugin calls the catalog (the test
 * backend runs in this process), to count the catalog's unprocessed-entities responses: their
 * bytes and the rows (`entities`) they carry.
 */
function recordCatalogResponses() {
  const original = globalThis.fetch;
  const tally = transferTally();
  globalThis.fetch = async (input, init) => {
    const started = performance.now();
    const response = await original(input, init);
    if (!urlOf(input).includes(UNPROCESSED_PATH)) {
      return response;
    }
    const body = Buffer.from(await response.arrayBuffer());
    tally.current.requests += 1;
    tally.current.bytes += body.length;
    tally.current.ms += performance.now() - started;
    if (response.ok) {
      const json = JSON.parse(body.toString('utf8')) as {
        entities?: unknown[];
      };
      tally.current.rows += json.entities?.length ?? 0;
    }
    return new Response(body, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  };
  return {
    take: tally.take,
    restore() {
      globalThis.fetch = original;
    },
  };
}

/**
 * Counts the statements the unprocessed-entities module runs (`refresh_state` joined with
 * `final_entities`), with the rows they return and their time, through knex's query events.
 */
function recordUnprocessedQueries(knex: Knex) {
  const isUnprocessedQuery = (sql: string) =>
    /from [`"]refresh_state[`"] (left|right) join [`"]final_entities[`"]/i.test(
      sql,
    );
  const startedAt = new Map<string, number>();
  const tally = transferTally();
  const onQuery = (query: { sql?: string; __knexQueryUid?: string }) => {
    if (query.__knexQueryUid && isUnprocessedQuery(query.sql ?? '')) {
      startedAt.set(query.__knexQueryUid, performance.now());
    }
  };
  const onResponse = (
    response: unknown,
    query: { sql?: string; __knexQueryUid?: string },
  ) => {
    const started = startedAt.get(query.__knexQueryUid ?? '');
    if (started === undefined) {
      return;
    }
    startedAt.delete(query.__knexQueryUid ?? '');
    tally.current.requests += 1;
    tally.current.ms += performance.now() - started;
    tally.current.rows += Array.isArray(response) ? response.length : 0;
  };
  knex.on('query', onQuery);
  knex.on('query-response', onResponse);
  return {
    take: tally.take,
    restore() {
      knex.off('query', onQuery);
      knex.off('query-response', onResponse);
    },
  };
}

const bytesText = (bytes: number) => {
  if (bytes >= 1024 * 1024) {
    return `${(bytes / 1024 / 1024).toFixed(2)} MiB`;
  }
  return bytes >= 1024 ? `${(bytes / 1024).toFixed(1)} KiB` : `${bytes} B`;
};
const ms = (value: number) => `${value.toFixed(0)} ms`;
const count = (n: number) => n.toLocaleString('en-US');
const plural = (n: number, noun: string) =>
  `${count(n)} ${noun}${n === 1 ? '' : 's'}`;
const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/**
 * Loads a catalog of `size` entities (half Components, half DataProducts, `failing` of the data
 * products invalid) into a test backend with the catalog, the data mesh catalog module, the
 * unprocessed-entities module and the data mesh backend plugin, waits until the catalog has
 * ingested it, then times `GET /api/datamesh/problems` as a signed-in user calls it, and prints
 * what each call transferred: the route's answer, the catalog responses the plugin read and the
 * rows the catalog's database returned for them.
 */
export async function runProblemsBench(options: ProblemsBenchOptions) {
  const { workDir, size, failing, database, timeoutMs } = options;
  const calls = options.calls ?? 15;
  const half = Math.floor(size / 2);
  const components = writeSet(
    path.join(workDir, `problems-components-${size}`),
    'component',
    size - half,
  );
  const products = writeSet(
    path.join(workDir, `problems-dataproducts-${size}`),
    'dataproduct',
    half,
    { withTeamsAndDomains: false, failing },
  );
  console.log(
    `\nProblems route: GET /api/datamesh/problems on a catalog of ${count(
      size,
    )} entities (${count(components.count)} components, ${count(
      products.count,
    )} data products, ${count(products.failing)} of them failing validation), ${
      database === 'sqlite' ? 'in-memory SQLite' : 'PostgreSQL'
    }`,
  );

  const db = await openDatabase(database);
  const catalogResponses = recordCatalogResponses();
  const queries = recordUnprocessedQueries(db.knex);
  try {
    const started = performance.now();
    const backend = await startTestBackend({
      features: [
        ...catalogFeatures({
          knex: db.knex,
          files: [...components.files, ...products.files],
          processingIntervalSeconds: options.processingIntervalSeconds,
        }),
        catalogModuleUnprocessed,
        // the plugin under measure, started in the test backend as packages/backend adds it
        // eslint-disable-next-line @backstage/no-mixed-plugin-imports
        import('@backstage-datamesh/plugin-datamesh-backend'),
      ],
    });
    try {
      const baseUrl = `http://localhost:${backend.server.port()}`;
      const headers = { authorization: mockCredentials.user.header() };

      const callRoute = async () => {
        queries.take();
        catalogResponses.take();
        const t0 = performance.now();
        const response = await fetch(`${baseUrl}/api/datamesh/problems`, {
          headers,
        });
        const body = Buffer.from(await response.arrayBuffer());
        const elapsed = performance.now() - t0;
        if (!response.ok) {
          throw new Error(
            `GET /api/datamesh/problems answered ${
              response.status
            }: ${body.toString('utf8')}`,
          );
        }
        const { items } = JSON.parse(body.toString('utf8')) as {
          items: Array<{ kind: string }>;
        };
        return {
          ms: elapsed,
          bytes: body.length,
          items: items.length,
          catalog: catalogResponses.take(),
          database: queries.take(),
        };
      };

      // once the catalog knows every entity, long before it has processed them all
      const expectedEntities =
        components.expectedEntities + products.expectedEntities;
      while (
        (await scalar(db.knex('refresh_state').count({ n: '*' }))) <
          expectedEntities &&
        performance.now() - started < timeoutMs
      ) {
        await new Promise(resolve => setTimeout(resolve, 250));
      }
      const unprocessed = await scalar(
        db
          .knex('refresh_state')
          .whereNull('processed_entity')
          .count({ n: '*' }),
      );
      const early = await callRoute();
      console.log(
        `  while ingesting, with ${count(
          unprocessed,
        )} entities not processed yet: ${ms(early.ms)}, ${count(
          early.items,
        )} problems so far; read from the catalog ${count(
          early.catalog.rows,
        )} rows, ${bytesText(early.catalog.bytes)}`,
      );

      const ingestion = await waitForIngestion(db.knex, {
        expectedEntities,
        started,
        timeoutMs,
        pollMs: 250,
        onProgress: line => console.log(line),
      });
      console.log(
        `  ingested in ${(ingestion.totalMs / 1000).toFixed(1)} s, ${count(
          ingestion.entitiesWithErrors,
        )} entities with processing errors${
          ingestion.timedOut ? ', TIMED OUT' : ''
        }`,
      );
      await callRoute(); // warm-up: compiles the code paths, fills the connection pool
      const runs = [];
      for (let i = 0; i < calls; i++) {
        runs.push(await callRoute());
      }
      const last = runs[runs.length - 1];
      const times = runs.map(r => r.ms);
      console.log(
        `  route, median of ${calls} calls after a warm-up: ${ms(
          median(times),
        )} (${ms(Math.min(...times))} to ${ms(Math.max(...times))}), ${count(
          last.items,
        )} problems (expected ${count(products.failing)}), ${bytesText(
          last.bytes,
        )} answered`,
      );
      console.log(
        `  per call, the plugin read from the catalog: ${plural(
          last.catalog.requests,
          'response',
        )}, ${count(last.catalog.rows)} rows, ${bytesText(
          last.catalog.bytes,
        )} (median ${ms(
          median(runs.map(r => r.catalog.ms)),
        )}); the catalog's database: ${plural(
          last.database.requests,
          'statement',
        )}, ${count(last.database.rows)} rows (median ${ms(
          median(runs.map(r => r.database.ms)),
        )})`,
      );

      // each endpoint of the unprocessed-entities module on its own, for reference
      for (const reason of ['pending', 'failed']) {
        queries.take();
        catalogResponses.take();
        const t0 = performance.now();
        const response = await fetch(`${baseUrl}${UNPROCESSED_PATH}${reason}`, {
          headers,
        });
        const body = Buffer.from(await response.arrayBuffer());
        const elapsed = performance.now() - t0;
        const rows = response.ok
          ? (
              JSON.parse(body.toString('utf8')) as {
                entities: Array<{ errors?: unknown[] }>;
              }
            ).entities
          : [];
        const sql = queries.take();
        console.log(
          `  GET /api/catalog/entities/unprocessed/${reason} alone: ${ms(
            elapsed,
          )}, ${response.status}, ${count(rows.length)} rows (${count(
            rows.filter(r => r.errors?.length).length,
          )} with errors), ${bytesText(body.length)}; database ${count(
            sql.rows,
          )} rows in ${ms(sql.ms)}`,
        );
      }
    } finally {
      await backend.stop();
    }
  } finally {
    queries.restore();
    catalogResponses.restore();
    await db.close();
  }
}
