/**
 * Reads: the latency of the routes the product pages and the Mesh health page call, on a store
 * seeded with a year of hourly runs per product (`seed.ts`), at a given number of products.
 */
import fs from 'node:fs';
import path from 'node:path';
import { mockCredentials } from '@backstage/backend-test-utils';
import type { DataProductEntityV1alpha1 } from '@backstage-datamesh/plugin-datamesh-common';
import type { Knex } from 'knex';
import { generateEntities, writeSet } from '../catalog/generate';
import type { BenchDatabase } from '../catalog/measure';
import { createRandom } from '../catalog/generate';
import { median, percentile } from '../format';
import {
  openBenchDatabases,
  SqliteStorage,
  startIngestedBackend,
} from './backend';
import { recordCatalogCalls, recordStatements } from '../probe';
import {
  estimateSeedBytesPerProduct,
  seedQualityStore,
  SeedResult,
} from './seed';

/** Products per page of the Mesh health page, as the page asks for them. */
export const MESH_PAGE = 25;

/** A timed route: the four of the issue, and the catalog lookups they start with. */
export interface ReadRoute {
  id:
    | 'health'
    | 'checks'
    | 'history'
    | 'mesh'
    | 'mesh-last'
    | 'mesh-incidents'
    | 'mesh-all'
    | 'catalog-by-name'
    | 'catalog-by-refs';
  label: string;
  /** The target p95 at 1,000 products; none for the baselines. */
  targetMs?: number;
}

/** The routes, in the order they are timed and printed. */
export const READ_ROUTES: ReadRoute[] = [
  { id: 'health', label: 'GET /v1/products/{ns}/{name}/health', targetMs: 20 },
  { id: 'checks', label: 'GET /v1/products/{ns}/{name}/checks', targetMs: 20 },
  {
    id: 'history',
    label: 'GET /v1/products/{ns}/{name}/history?days=30',
    targetMs: 50,
  },
  {
    id: 'mesh',
    label: `Mesh health page: GET /v1/health?health=breaching,degraded&limit=${MESH_PAGE}`,
    targetMs: 100,
  },
  {
    id: 'mesh-last',
    label: `its last page: …&limit=${MESH_PAGE}&offset={unhealthy - ${MESH_PAGE}}`,
  },
  {
    id: 'mesh-incidents',
    label:
      "its open incidents: GET /v1/incidents?state=new,acknowledged&entityRef={the page's breaching}",
  },
  {
    id: 'mesh-all',
    label:
      'unpaged: GET /v1/health?health=breaching,degraded (every one, as before paging)',
  },
  {
    id: 'catalog-by-name',
    label: 'baseline: catalog GET /entities/by-name/{kind}/{ns}/{name}',
  },
  {
    id: 'catalog-by-refs',
    label:
      'baseline: catalog POST /entities/by-refs, every unhealthy product (the unpaged visibility check)',
  },
];

/** What one reads measurement does. */
export interface ReadsOptions {
  database: BenchDatabase;
  sqlite: SqliteStorage;
  workDir: string;
  /** Data products in the catalog and the store. */
  size: number;
  /** Timed requests per route and round. */
  requests: number;
  /** Untimed requests per route before the first round. */
  warmup: number;
  rounds: number;
  historyDays: number;
  retentionDays: number;
  /** Days of port updates, as their retention keeps them. */
  updatesDays: number;
  checksPerRun: number;
  /** Print each route's statements with their query plans. */
  explain: boolean;
  timeoutMs: number;
  onProgress?: (line: string) => void;
}

/** The latency of one route. */
export interface RouteTiming {
  id: ReadRoute['id'];
  samples: number;
  /** Median over the rounds of each round's p95 (with one round: the p95). */
  p95Ms: number;
  p50Ms: number;
  maxMs: number;
  roundP95Ms: number[];
  /** Per request: the data mesh store's statements and their time. */
  statements: number;
  statementMs: number;
  /** Per request: the plugin's calls to the catalog and their time. */
  catalogCalls: number;
  catalogMs: number;
  /**
   * CPU time of the process per request: the backend (the catalog's included) and the client,
   * not the PostgreSQL server. Less sensitive than latency to other load on the machine.
   */
  cpuMs: number;
  /** Size of the last answer. */
  bytes: number;
}

/** What a reads measurement found. */
export interface ReadsResult {
  database: BenchDatabase;
  size: number;
  description: string;
  catalogMs: number;
  catalogErrors: number;
  seed: SeedResult;
  routes: RouteTiming[];
  /** What the answers should have held and did not (empty when all is well). */
  problems: string[];
  /** With `explain`: each route's statements and their plans. */
  plans?: Array<{ route: string; statements: string[] }>;
}

interface Call {
  ms: number;
  bytes: number;
  body: unknown;
}

/** Runs `EXPLAIN` (PostgreSQL: with ANALYZE and BUFFERS) on one captured statement. */
async function explain(
  knex: Knex,
  sql: string,
  bindings: readonly unknown[],
): Promise<string> {
  if (knex.client.config.client === 'pg') {
    const result = await knex.raw(
      `EXPLAIN (ANALYZE, BUFFERS) ${sql.replace(/\$\d+/g, '?')}`,
      bindings as Knex.RawBinding[],
    );
    return result.rows
      .map((r: { 'QUERY PLAN': string }) => r['QUERY PLAN'])
      .join('\n');
  }
  const rows: Array<{ detail: string }> = await knex.raw(
    `EXPLAIN QUERY PLAN ${sql}`,
    bindings as Knex.RawBinding[],
  );
  return rows.map(r => r.detail).join('\n');
}

/**
 * Starts a backend whose catalog holds `size` generated data products (the catalog bench's
 * generator), seeds the data mesh store for them, then times each route: warm-up requests, then
 * per round `requests` sequential requests, each for a product drawn at random (the same
 * sequence every run).
 */
export async function measureReads(
  options: ReadsOptions,
): Promise<ReadsResult> {
  const { size } = options;
  const set = writeSet(
    path.join(options.workDir, `reads-${options.database}-${size}`),
    'dataproduct',
    size,
  );
  const products = generateEntities(
    'dataproduct',
    size,
  ) as DataProductEntityV1alpha1[];
  const databases = await openBenchDatabases(options.database, {
    sqlite: options.sqlite,
    dir: options.workDir,
  });
  const knex = databases.datamesh.knex;
  const catalog = recordCatalogCalls();
  try {
    const backend = await startIngestedBackend(databases, set.files, {
      expectedEntities: set.expectedEntities,
      timeoutMs: options.timeoutMs,
      pollMs: 250,
      onProgress: options.onProgress,
    });
    const { ingestion } = backend;
    try {
      options.onProgress?.(
        `    catalog: ${size} data products in ${(
          ingestion.totalMs / 1000
        ).toFixed(1)} s`,
      );
      const estimate = size * estimateSeedBytesPerProduct(options);
      options.onProgress?.(
        `    seeding about ${(estimate / 2 ** 30).toFixed(1)} GiB into ${
          databases.datamesh.description
        }`,
      );
      if (options.database === 'sqlite' && options.sqlite === 'file') {
        const disk = fs.statfsSync(options.workDir);
        const free = disk.bavail * disk.bsize;
        if (free < estimate * 1.25) {
          throw new Error(
            `The seed of ${size} products needs about ${(
              estimate /
              2 ** 30
            ).toFixed(1)} GiB in ${options.workDir}, which has ${(
              free /
              2 ** 30
            ).toFixed(
              1,
            )} GiB free: use fewer --sizes, fewer --history-days or --retention-days`,
          );
        }
      }
      const now = Date.now();
      const seed = await seedQualityStore({
        knex,
        products,
        now,
        historyDays: options.historyDays,
        retentionDays: options.retentionDays,
        updatesDays: options.updatesDays,
        checksPerRun: options.checksPerRun,
        onProgress: options.onProgress,
      });
      if (options.database === 'postgres') {
        // what autovacuum does after a bulk load, done now so that every run plans alike
        await knex.raw('ANALYZE');
      }

      const headers = { authorization: mockCredentials.user.header() };
      const names = products.map(p => p.metadata.name);
      const pageRefs = (
        await knex('health_current')
          .whereIn('health', ['breaching', 'degraded'])
          .select('product_ref')
      ).map((r: { product_ref: string }) => r.product_ref);
      // the first page's breaching products, worst first, as the page asks for their incidents
      const firstPage = (
        await knex('health_current')
          .whereIn('health', ['breaching', 'degraded'])
          .orderBy(['health_rank', 'since', 'product_ref'])
          .limit(MESH_PAGE)
          .select('product_ref', 'health')
      ).filter((r: { health: string }) => r.health === 'breaching');
      const incidentRefs = firstPage
        .map((r: { product_ref: string }) => encodeURIComponent(r.product_ref))
        .join(',');
      const lastOffset = Math.max(0, pageRefs.length - MESH_PAGE);
      const pageRefsBody = JSON.stringify({
        entityRefs: pageRefs,
        fields: ['kind', 'metadata'],
      });
      const call = async (
        route: ReadRoute['id'],
        name: string,
      ): Promise<Call> => {
        const base = `${backend.baseUrl}/api/datamesh/v1/products/default/${name}`;
        const requests: Record<ReadRoute['id'], [string, RequestInit?]> = {
          health: [`${base}/health`],
          checks: [`${base}/checks`],
          history: [`${base}/history?days=30`],
          mesh: [
            `${backend.baseUrl}/api/datamesh/v1/health?health=breaching,degraded&limit=${MESH_PAGE}`,
          ],
          'mesh-last': [
            `${backend.baseUrl}/api/datamesh/v1/health?health=breaching,degraded&limit=${MESH_PAGE}&offset=${lastOffset}`,
          ],
          'mesh-incidents': [
            `${backend.baseUrl}/api/datamesh/v1/incidents?state=new,acknowledged&entityRef=${incidentRefs}`,
          ],
          'mesh-all': [
            `${backend.baseUrl}/api/datamesh/v1/health?health=breaching,degraded`,
          ],
          'catalog-by-name': [
            `${backend.baseUrl}/api/catalog/entities/by-name/dataproduct/default/${name}`,
          ],
          'catalog-by-refs': [
            `${backend.baseUrl}/api/catalog/entities/by-refs`,
            {
              method: 'POST',
              body: pageRefsBody,
              headers: { 'content-type': 'application/json' },
            },
          ],
        };
        const request = requests[route];
        const t0 = performance.now();
        const response = await fetch(request[0], {
          ...request[1],
          headers: { ...headers, ...(request[1]?.headers as object) },
        });
        const text = await response.text();
        const ms = performance.now() - t0;
        if (!response.ok) {
          throw new Error(
            `${request[0]} answered ${response.status}: ${text.slice(0, 300)}`,
          );
        }
        return { ms, bytes: Buffer.byteLength(text), body: JSON.parse(text) };
      };

      // what the answers must hold, checked once
      const problems: string[] = [];
      const expectOf = (what: string, actual: number, expected: number) => {
        if (actual !== expected) {
          problems.push(`${what}: ${actual}, expected ${expected}`);
        }
      };
      const sample = names[Math.floor(size / 2)];
      const health = (await call('health', sample)).body as { health?: string };
      if (!health.health || health.health === 'unknown') {
        problems.push(`health of ${sample}: ${health.health}`);
      }
      const checks = (await call('checks', sample)).body as {
        items: unknown[];
      };
      expectOf(
        'latest checks of a product',
        checks.items.length,
        options.checksPerRun,
      );
      const history = (await call('history', sample)).body as {
        checks: unknown[];
        metrics: Array<{ points: unknown[] }>;
        freshness: unknown[];
      };
      expectOf(
        'metric series of the 30-day history',
        history.metrics.length,
        10,
      );
      // the window starts at the UTC day 30 days ago: 31 days of rollups
      const days = Math.min(31, options.historyDays);
      expectOf('check days of the 30-day history', history.checks.length, days);
      expectOf(
        'points of a metric series of the 30-day history',
        history.metrics[0]?.points.length ?? 0,
        days,
      );
      // hourly updates of each port over 30 days, and each port's lag now
      const ports =
        products[Math.floor(size / 2)].spec.outputPorts?.length ?? 0;
      const updates = Math.min(30, options.updatesDays) * 24;
      if (Math.abs(history.freshness.length - ports * (updates + 1)) > ports) {
        problems.push(
          `freshness points of the 30-day history: ${
            history.freshness.length
          }, expected about ${ports * (updates + 1)}`,
        );
      }
      const unhealthy = seed.health.breaching + seed.health.degraded;
      const mesh = (await call('mesh', sample)).body as {
        items: unknown[];
        totalItems: number;
      };
      expectOf(
        'products on the first page of the Mesh health page',
        mesh.items.length,
        Math.min(MESH_PAGE, unhealthy),
      );
      expectOf(
        'unhealthy products counted by the page',
        mesh.totalItems,
        unhealthy,
      );
      const last = (await call('mesh-last', sample)).body as {
        items: unknown[];
      };
      expectOf(
        'products on the last page',
        last.items.length,
        Math.min(MESH_PAGE, unhealthy),
      );
      const open = (await call('mesh-incidents', sample)).body as {
        items: unknown[];
      };
      expectOf(
        "open incidents of the first page's breaching products",
        open.items.length,
        firstPage.length,
      );
      const unpaged = (await call('mesh-all', sample)).body as {
        items: unknown[];
      };
      expectOf('products of the unpaged list', unpaged.items.length, unhealthy);

      const random = createRandom(size);
      const pick = () => names[random.int(0, names.length - 1)];
      const statements = recordStatements(knex);
      const samples = new Map<ReadRoute['id'], number[][]>();
      const costs = new Map<
        ReadRoute['id'],
        {
          statements: number;
          statementMs: number;
          catalogCalls: number;
          catalogMs: number;
          cpuMs: number;
          n: number;
          bytes: number;
        }
      >();
      try {
        for (const route of READ_ROUTES) {
          for (let i = 0; i < options.warmup; i++) {
            await call(route.id, pick());
          }
        }
        for (let round = 0; round < options.rounds; round++) {
          for (const route of READ_ROUTES) {
            const times: number[] = [];
            const cost = costs.get(route.id) ?? {
              statements: 0,
              statementMs: 0,
              catalogCalls: 0,
              catalogMs: 0,
              cpuMs: 0,
              n: 0,
              bytes: 0,
            };
            statements.take();
            catalog.take();
            const cpu = process.cpuUsage();
            for (let i = 0; i < options.requests; i++) {
              const result = await call(route.id, pick());
              times.push(result.ms);
              cost.bytes = result.bytes;
            }
            const used = process.cpuUsage(cpu);
            cost.cpuMs += (used.user + used.system) / 1000;
            const sql = statements.take();
            const calls = catalog.take();
            cost.statements += sql.calls;
            cost.statementMs += sql.ms;
            cost.catalogCalls += calls.calls;
            cost.catalogMs += calls.ms;
            cost.n += times.length;
            costs.set(route.id, cost);
            samples.set(route.id, [...(samples.get(route.id) ?? []), times]);
          }
        }
      } finally {
        statements.restore();
      }

      let plans: ReadsResult['plans'];
      if (options.explain) {
        plans = [];
        for (const route of READ_ROUTES.filter(r => r.targetMs)) {
          const captured: Array<{ sql: string; bindings: readonly unknown[] }> =
            [];
          const capture = (q: { sql: string; bindings?: readonly unknown[] }) =>
            captured.push({ sql: q.sql, bindings: q.bindings ?? [] });
          knex.on('query', capture);
          try {
            await call(route.id, sample);
          } finally {
            knex.off('query', capture);
          }
          const described: string[] = [];
          for (const statement of captured) {
            described.push(
              `${statement.sql}\n${(
                await explain(knex, statement.sql, statement.bindings)
              )
                .split('\n')
                .map(line => `      ${line}`)
                .join('\n')}`,
            );
          }
          plans.push({ route: route.label, statements: described });
        }
      }

      const routes: RouteTiming[] = READ_ROUTES.map(route => {
        const rounds = samples.get(route.id) ?? [];
        const all = rounds.flat();
        const cost = costs.get(route.id)!;
        return {
          id: route.id,
          samples: all.length,
          roundP95Ms: rounds.map(times => percentile(times, 95)),
          p95Ms: median(rounds.map(times => percentile(times, 95))),
          p50Ms: percentile(all, 50),
          maxMs: Math.max(...all),
          statements: cost.statements / cost.n,
          statementMs: cost.statementMs / cost.n,
          catalogCalls: cost.catalogCalls / cost.n,
          catalogMs: cost.catalogMs / cost.n,
          cpuMs: cost.cpuMs / cost.n,
          bytes: cost.bytes,
        };
      });
      return {
        database: options.database,
        size,
        description: databases.datamesh.description,
        catalogMs: ingestion.totalMs,
        catalogErrors: ingestion.entitiesWithErrors,
        seed,
        routes,
        problems,
        ...(plans ? { plans } : {}),
      };
    } finally {
      await backend.stop();
    }
  } finally {
    catalog.restore();
    await databases.close();
  }
}
