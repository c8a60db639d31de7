/**
 * Ingestion: check results stored per second through `POST /v1/products/{ns}/{name}/quality`,
 * against a raw knex `batchInsert` of the same rows into the same table of the same database.
 */
import { mockCredentials } from '@backstage/backend-test-utils';
import type { BenchDatabase } from '../catalog/measure';
import { percentile } from '../format';
import {
  openBenchDatabases,
  SqliteStorage,
  startIngestedBackend,
} from './backend';
import {
  loadFixtureDocuments,
  MeshProduct,
  postRequest,
  preparePost,
  QualityPost,
  SkippedFixture,
  writeIngestionMesh,
} from './mesh';
import { recordCatalogCalls, recordStatements } from '../probe';

/**
 * Rows per statement of the store's inserts (`BATCH` in the backend's
 * `DatabaseQualityStore.ts`): the raw baseline's `batchInsert` chunk size by default.
 */
export const STORE_BATCH = 200;

/** What one ingestion measurement does. */
export interface IngestOptions {
  database: BenchDatabase;
  sqlite: SqliteStorage;
  workDir: string;
  /** Posts per round. */
  requests: number;
  /** Posts in flight at once. */
  concurrency: number;
  /** Data products per fixture document. */
  replicas: number;
  /** Rounds, each an API round then the raw baselines. */
  rounds: number;
  /** `batchInsert` chunk size of the raw baseline. */
  rawBatch: number;
  timeoutMs: number;
  onProgress?: (line: string) => void;
}

/** Rows written in a time. */
export interface Throughput {
  rows: number;
  ms: number;
  rowsPerSecond: number;
}

/** One round: the API, then the raw baselines on the rows it stored. */
export interface IngestRound {
  api: Throughput & {
    requests: number;
    p50Ms: number;
    p95Ms: number;
    /** Statements the database client ran, per post. */
    statementsPerPost: number;
    /** Their time summed, per post (overlapping statements each count in full). */
    statementMsPerPost: number;
    /** Insert statements into `quality_check_results`. */
    checkInserts: number;
    catalogCallsPerPost: number;
    catalogMsPerPost: number;
    /** CPU time of the process (backend and client), per post. */
    cpuMsPerPost: number;
  };
  /** The same rows in one `batchInsert` (chunks of `rawBatch`). */
  raw: Throughput;
  /** The same rows, one `batchInsert` (one transaction) per run, as the store groups them. */
  rawPerRun: Throughput & { transactions: number };
}

/** What an ingestion measurement found. */
export interface IngestResult {
  database: BenchDatabase;
  description: string;
  documents: Array<{
    file: string;
    manifest?: string;
    checks: number;
    ports: number;
  }>;
  skipped: SkippedFixture[];
  products: number;
  rounds: IngestRound[];
}

const rate = (rows: number, ms: number): Throughput => ({
  rows,
  ms,
  rowsPerSecond: ms > 0 ? (rows * 1000) / ms : 0,
});

async function maxId(
  knex: import('knex').Knex,
  table: string,
): Promise<number> {
  const row = await knex(table).max({ id: 'id' }).first();
  return Number(row?.id ?? 0);
}

/**
 * Posts `posts` with `concurrency` in flight, and fails with the first answers that were not
 * `201 Created` (a post that was not stored would make the rate meaningless).
 */
async function postAll(
  baseUrl: string,
  posts: QualityPost[],
  concurrency: number,
): Promise<number[]> {
  const authorization = mockCredentials.user.header();
  const prepared = posts.map(post => ({ post, ...postRequest(post) }));
  const latencies: number[] = [];
  const failures: string[] = [];
  let next = 0;
  const worker = async () => {
    while (next < prepared.length) {
      const { post, body, headers } = prepared[next++];
      const started = performance.now();
      const response = await fetch(`${baseUrl}/api/datamesh${post.path}`, {
        method: 'POST',
        body,
        headers: { ...headers, authorization },
      });
      const text = await response.text();
      latencies.push(performance.now() - started);
      if (response.status !== 201) {
        failures.push(
          `${post.product.document.file} to ${post.path}: ${
            response.status
          } ${text.slice(0, 300)}`,
        );
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  if (failures.length) {
    throw new Error(
      `${failures.length} of ${posts.length} posts were not stored: ${failures
        .slice(0, 3)
        .join('; ')}`,
    );
  }
  return latencies;
}

/**
 * Starts a backend with a mesh of data products for the fixture documents, then, per round,
 * posts `requests` documents (each made a new run) and counts the check results stored per
 * second, and inserts the same rows with knex's `batchInsert` twice: in chunks of `rawBatch`,
 * and one `batchInsert` per run.
 */
export async function measureIngestion(
  options: IngestOptions,
): Promise<IngestResult> {
  const { documents, skipped } = loadFixtureDocuments();
  if (!documents.length) {
    throw new Error(
      'No fixture document to post: see fixtures/dbt and fixtures/great-expectations',
    );
  }
  const mesh = writeIngestionMesh(options.workDir, documents, options.replicas);
  const databases = await openBenchDatabases(options.database, {
    sqlite: options.sqlite,
    dir: options.workDir,
  });
  const { knex } = databases.datamesh;
  // before the backend starts: its catalog client keeps the `fetch` it finds then
  const catalog = recordCatalogCalls();
  try {
    const backend = await startIngestedBackend(databases, [mesh.file], {
      expectedEntities: mesh.expectedEntities,
      timeoutMs: options.timeoutMs,
      pollMs: 100,
      onProgress: options.onProgress,
    });
    try {
      if (backend.ingestion.entitiesWithErrors) {
        throw new Error(
          `The catalog did not ingest the mesh: ${backend.ingestion.entitiesWithErrors} entities with errors`,
        );
      }
      // every post a run one second after the previous one, all in the past
      const total = documents.length + options.rounds * options.requests;
      let at = Date.now() - total * 1000;
      const postOf = (product: MeshProduct) =>
        preparePost(product, (at += 1000));

      // warm-up, not timed: each document once, which also shows that each one is accepted
      await postAll(
        backend.baseUrl,
        documents.map((_, d) => postOf(mesh.products[d * options.replicas])),
        1,
      );

      const rounds: IngestRound[] = [];
      for (let round = 0; round < options.rounds; round++) {
        // round-robin over the products: the posts in flight are for different products
        const posts = Array.from({ length: options.requests }, (_, i) =>
          postOf(mesh.products[i % mesh.products.length]),
        );
        const before = await maxId(knex, 'quality_check_results');
        const statements = recordStatements(knex);
        catalog.take();
        const checkInserts = recordStatements(knex, {
          matches: sql =>
            /^insert into [`"]quality_check_results[`"]/i.test(sql),
        });
        const cpu = process.cpuUsage();
        const t0 = performance.now();
        let latencies: number[];
        try {
          latencies = await postAll(
            backend.baseUrl,
            posts,
            options.concurrency,
          );
        } finally {
          checkInserts.restore();
          statements.restore();
        }
        const apiMs = performance.now() - t0;
        const used = process.cpuUsage(cpu);
        const sql = statements.take();
        const calls = catalog.take();
        const after = await maxId(knex, 'quality_check_results');
        const stored: Array<Record<string, unknown>> = await knex(
          'quality_check_results',
        )
          .where('id', '>', before)
          .andWhere('id', '<=', after)
          .orderBy('id');
        const rows = stored.map(({ id: _id, ...row }) => row);
        const n = posts.length;
        const api = {
          ...rate(rows.length, apiMs),
          requests: n,
          p50Ms: percentile(latencies, 50),
          p95Ms: percentile(latencies, 95),
          statementsPerPost: sql.calls / n,
          statementMsPerPost: sql.ms / n,
          checkInserts: checkInserts.take().calls,
          catalogCallsPerPost: calls.calls / n,
          catalogMsPerPost: calls.ms / n,
          cpuMsPerPost: (used.user + used.system) / 1000 / n,
        };

        // the raw baselines: the same row objects, the same table and database
        const r0 = performance.now();
        await knex.batchInsert('quality_check_results', rows, options.rawBatch);
        const raw = rate(rows.length, performance.now() - r0);
        const byRun = new Map<unknown, typeof rows>();
        for (const row of rows) {
          const list = byRun.get(row.run_id) ?? [];
          list.push(row);
          byRun.set(row.run_id, list);
        }
        const p0 = performance.now();
        for (const group of byRun.values()) {
          await knex.batchInsert(
            'quality_check_results',
            group,
            options.rawBatch,
          );
        }
        const rawPerRun = {
          ...rate(rows.length, performance.now() - p0),
          transactions: byRun.size,
        };
        rounds.push({ api, raw, rawPerRun });
        options.onProgress?.(
          `    round ${round + 1}/${
            options.rounds
          }: API ${api.rowsPerSecond.toFixed(0)} check results/s (${n} posts, ${
            rows.length
          } rows in ${(apiMs / 1000).toFixed(
            1,
          )} s), raw batchInsert ${raw.rowsPerSecond.toFixed(
            0,
          )} rows/s, raw per run ${rawPerRun.rowsPerSecond.toFixed(0)} rows/s`,
        );
      }
      return {
        database: options.database,
        description: databases.datamesh.description,
        documents: documents.map(d => ({
          file: d.file,
          ...(d.manifest ? { manifest: d.manifest.file } : {}),
          checks: d.checks,
          ports: Math.max(1, d.datasets.length),
        })),
        skipped,
        products: mesh.products.length,
        rounds,
      };
    } finally {
      await backend.stop();
    }
  } finally {
    catalog.restore();
    await databases.close();
  }
}
