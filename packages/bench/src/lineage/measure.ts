/**
 * One measurement of `yarn bench:lineage`: a generated mesh of data products and the lineage
 * between them in the lineage store of the data mesh backend, and the time of the graph walks
 * through the store, through the HTTP route, and as one raw recursive CTE on the same tables.
 */
import { randomUUID } from 'node:crypto';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import type { LineageGraphDepth } from '@backstage-datamesh/plugin-datamesh-common';
import type { Knex } from 'knex';
// The benchmark runs from its sources (tsx) and times the store itself, which the plugin does
// not export
// eslint-disable-next-line @backstage/no-forbidden-package-imports, @backstage/no-mixed-plugin-imports
import { DatabaseLineageStore } from '@backstage-datamesh/plugin-datamesh-backend/src/database/DatabaseLineageStore';
// the plugin under measure, started in the test backend as packages/backend adds it (a static
// import: jest runs the smoke test without VM modules)
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import datameshPlugin from '@backstage-datamesh/plugin-datamesh-backend';
import { createRandom } from '../catalog/generate';
import { BenchDatabase, openDatabase } from '../catalog/measure';
import { median, percentile } from '../format';
import { recordStatements } from '../probe';

/** The namespace of every generated port. */
const NAMESPACE = 'postgres://bench:5432';
/** Products per domain: most inputs of a product are ports of its own domain. */
const DOMAIN_SIZE = 200;
/** Layers of a domain, from source-aligned to consumer-aligned. */
const LAYERS = 8;
/** Share of the inputs read from another domain, and of those that read a later layer (cycles). */
const CROSS_DOMAIN = 0.1;
const BACK_EDGES = 0.01;
/** Rows per insert statement while seeding (under SQLite's bound variables). */
const SEED_BATCH = 400;

/** One timed walk: its direction and depth. */
export interface WalkCase {
  direction: 'upstream' | 'downstream';
  depth: LineageGraphDepth;
}

/** What a measurement is asked for. */
export interface LineageMeasureOptions {
  database: BenchDatabase;
  products: number;
  /** Product-to-product edges: a job of one product reads a port of another. */
  edges: number;
  cases: WalkCase[];
  /** Products walked from, per case (each walked once per way of asking). */
  queries: number;
  warmup: number;
  /** maxNodes of the route. */
  maxNodes: number;
  /** Events posted through `POST /v1/lineage` for the ingestion figure (0: none). */
  ingestEvents: number;
  concurrency: number;
  onProgress: (line: string) => void;
}

/** Percentiles of one way of asking, in ms. */
export interface Timing {
  p50: number;
  p95: number;
}

/** The figures of one case. */
export interface WalkResult extends WalkCase {
  /** Datasets the store's walk reached, median. */
  datasets: number;
  /** Nodes the route answered, median, and how many answers were cut at maxNodes. */
  nodes: number;
  truncated: number;
  store: Timing;
  route: Timing;
  /** The raw CTE of the datasets reached, and of the store's answer (the edges). */
  raw: Timing;
  rawEdges: Timing;
  /** Statements per store walk and per route request. */
  storeStatements: number;
  routeStatements: number;
}

/** What a measurement answers. */
export interface LineageMeasureResult {
  database: BenchDatabase;
  products: number;
  edges: number;
  /** Rows of lineage_edges (the inputs and each job's output). */
  edgeRows: number;
  seedMs: number;
  walks: WalkResult[];
  ingestion?: {
    events: number;
    apiPerSecond: number;
    rawPerSecond: number;
  };
}

const portName = (i: number) =>
  `mesh.d${Math.floor(i / DOMAIN_SIZE)}.product_${i}`;
const productName = (i: number) => `product-${i}`;

/** The generated products, one output port each. */
function entities(products: number): Entity[] {
  return Array.from({ length: products }, (_, i) => ({
    apiVersion: 'datamesh.io/v1alpha1',
    kind: 'DataProduct',
    metadata: { name: productName(i), namespace: 'default' },
    spec: {
      owner: `group:default/team-${Math.floor(i / DOMAIN_SIZE)}`,
      domain: `domain-${Math.floor(i / DOMAIN_SIZE)}`,
      type: 'aggregate',
      lifecycle: 'production',
      outputPorts: [
        {
          name: 'main',
          type: 'table',
          location: { namespace: NAMESPACE, name: portName(i) },
        },
      ],
    },
  }));
}

/**
 * The inputs of each product's job: `edges` in all, spread over the products of the layers after
 * the first; each reads a port of the layer before it in its domain, sometimes of another
 * domain, and now and then of a later layer (which closes a cycle). The first layer's jobs read
 * an external source each.
 */
function inputsOf(products: number, edges: number): number[][] {
  const random = createRandom(42);
  const layerOf = (i: number) =>
    Math.floor(((i % DOMAIN_SIZE) * LAYERS) / DOMAIN_SIZE);
  const readers = Array.from({ length: products }, (_, i) => i).filter(
    i => layerOf(i) > 0,
  );
  const inputs: number[][] = Array.from({ length: products }, () => []);
  const seen = Array.from({ length: products }, () => new Set<number>());
  let placed = 0;
  for (let attempt = 0; placed < edges && attempt < edges * 4; attempt++) {
    const reader = readers[placed % readers.length];
    const domain = Math.floor(reader / DOMAIN_SIZE);
    const domains = Math.ceil(products / DOMAIN_SIZE);
    const from =
      random.next() < CROSS_DOMAIN ? random.int(0, domains - 1) : domain;
    const perLayer = DOMAIN_SIZE / LAYERS;
    const layer =
      random.next() < BACK_EDGES
        ? random.int(0, LAYERS - 1)
        : layerOf(reader) - 1;
    const source =
      from * DOMAIN_SIZE +
      Math.floor(layer * perLayer) +
      random.int(0, perLayer - 1);
    if (source >= products || source === reader || seen[reader].has(source)) {
      continue;
    }
    seen[reader].add(source);
    inputs[reader].push(source);
    placed += 1;
  }
  return inputs;
}

/** Inserts the generated lineage into the store's tables, as its events would leave them. */
async function seed(knex: Knex, products: number, inputs: number[][]) {
  const at = Date.now() - 3_600_000;
  const insert = async (table: string, rows: object[]) => {
    for (let i = 0; i < rows.length; i += SEED_BATCH) {
      await knex(table).insert(rows.slice(i, i + SEED_BATCH));
    }
  };
  const seen = { first_seen_at: at, last_seen_at: at };
  // ids: datasets 1..products are the ports, products+1.. the external sources
  await insert(
    'lineage_datasets',
    Array.from({ length: products * 2 }, (_, i) => ({
      id: i + 1,
      namespace: i < products ? NAMESPACE : 'kafka://bench:9092',
      name: i < products ? portName(i) : `source.topic_${i - products}`,
      facets: '{}',
      ...seen,
    })),
  );
  await insert(
    'lineage_jobs',
    Array.from({ length: products }, (_, i) => ({
      id: i + 1,
      namespace: 'airflow',
      name: `job_${i}`,
      facets: '{}',
      latest_run_id: `run-${i}`,
      latest_run_at: at,
      ...seen,
    })),
  );
  await insert(
    'lineage_runs',
    Array.from({ length: products }, (_, i) => ({
      run_id: `run-${i}`,
      job_id: i + 1,
      state: i % 17 === 0 ? 'FAIL' : 'COMPLETE',
      state_time: at,
      started_at: at - 60_000,
      ended_at: at,
      facets: '{}',
      ...seen,
    })),
  );
  const edges: object[] = [];
  for (let i = 0; i < products; i++) {
    edges.push({
      job_id: i + 1,
      direction: 'output',
      dataset_id: i + 1,
      last_run_id: `run-${i}`,
      ...seen,
    });
    const sources = inputs[i].length ? inputs[i] : [products + i];
    for (const source of sources) {
      edges.push({
        job_id: i + 1,
        direction: 'input',
        dataset_id: source + 1,
        last_run_id: `run-${i}`,
        ...seen,
      });
    }
  }
  await insert('lineage_edges', edges);
  if (knex.client.config.client === 'pg') {
    // PostgreSQL's statistics; a real store's autovacuum gathers them as it grows
    await knex.raw('ANALYZE');
  }
  return edges.length;
}

/** The dataset walk as a recursive CTE's text (with a depth: bounded rows of dataset and distance;
 * all: datasets alone, UNION walking a cycle once), and its bindings after the start's name. */
function walkCte(walk: WalkCase) {
  const [toJob, fromJob] =
    walk.direction === 'upstream' ? ['output', 'input'] : ['input', 'output'];
  const step = `FROM walk w
    JOIN lineage_edges a ON a.dataset_id = w.dataset_id AND a.direction = '${toJob}'
    JOIN lineage_edges b ON b.job_id = a.job_id AND b.direction = '${fromJob}'`;
  if (walk.depth === 'all') {
    return {
      toJob,
      sql: `walk(dataset_id) AS (
        SELECT id FROM lineage_datasets WHERE namespace = ? AND name = ?
        UNION
        SELECT b.dataset_id ${step}
      ),
      reached AS (SELECT dataset_id, 0 AS distance FROM walk)`,
      bindings: [] as number[],
      bound: 2_147_483_647,
    };
  }
  return {
    toJob,
    sql: `walk(dataset_id, distance) AS (
      SELECT id, 0 FROM lineage_datasets WHERE namespace = ? AND name = ?
      UNION
      SELECT b.dataset_id, w.distance + 1 ${step} WHERE w.distance < ?
    ),
    reached AS (SELECT dataset_id, MIN(distance) AS distance FROM walk GROUP BY dataset_id)`,
    bindings: [walk.depth],
    bound: walk.direction === 'upstream' ? walk.depth + 1 : walk.depth,
  };
}

/**
 * The walk as one raw recursive CTE on the same tables, in two forms: `datasets`, the datasets
 * reached with their names (the least a walk does); `edges`, what the store answers: the edges
 * between the datasets reached and their jobs (upstream the writers of every dataset reached,
 * downstream the readers of those short of the depth), with the names and each job's latest
 * run.
 */
function rawWalk(
  knex: Knex,
  dataset: { namespace: string; name: string },
  walk: WalkCase,
  form: 'datasets' | 'edges',
) {
  const cte = walkCte(walk);
  if (form === 'datasets') {
    return knex.raw(
      `WITH RECURSIVE ${cte.sql}
      SELECT d.namespace, d.name, r.distance
      FROM reached r JOIN lineage_datasets d ON d.id = r.dataset_id`,
      [dataset.namespace, dataset.name, ...cte.bindings],
    );
  }
  return knex.raw(
    `WITH RECURSIVE ${cte.sql},
    walked_jobs AS (
      SELECT DISTINCT a.job_id FROM reached y
      JOIN lineage_edges a ON a.dataset_id = y.dataset_id AND a.direction = '${cte.toJob}'
      WHERE y.distance < ?
    )
    SELECT e.direction, e.last_seen_at, j.namespace AS job_namespace, j.name AS job_name,
      d.namespace AS dataset_namespace, d.name AS dataset_name, r.run_id, r.state, r.state_time
    FROM walked_jobs w
    JOIN lineage_edges e ON e.job_id = w.job_id
    JOIN reached x ON x.dataset_id = e.dataset_id
    JOIN lineage_jobs j ON j.id = e.job_id
    JOIN lineage_datasets d ON d.id = e.dataset_id
    LEFT JOIN lineage_runs r ON r.run_id = j.latest_run_id`,
    [dataset.namespace, dataset.name, ...cte.bindings, cte.bound],
  );
}

/** A call's answer and how long it took. */
async function timed<T>(
  fn: () => Promise<T>,
): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await fn();
  return { ms: performance.now() - started, value };
}

/** A lineage graph through the route, as a client asks for it. */
async function getGraph(url: string, token: string) {
  const response = await fetch(url, { headers: { authorization: token } });
  if (!response.ok) {
    throw new Error(
      `GET lineage answered ${response.status}: ${await response.text()}`,
    );
  }
  return (await response.json()) as { nodes: unknown[]; truncated: boolean };
}

async function time(fn: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await fn();
  return performance.now() - started;
}

const timing = (values: number[]): Timing => ({
  p50: percentile(values, 50),
  p95: percentile(values, 95),
});

/** A RunEvent of a generated product's job, as an OpenLineage client sends it. */
function runEvent(i: number, inputs: number[], at: number) {
  const producer =
    'https://github.com/OpenLineage/OpenLineage/tree/1.53.0/client/python';
  return {
    eventType: 'COMPLETE',
    eventTime: new Date(at).toISOString(),
    run: { runId: randomUUID() },
    job: { namespace: 'airflow', name: `job_${i}` },
    inputs: inputs.map(s => ({ namespace: NAMESPACE, name: portName(s) })),
    outputs: [
      {
        namespace: NAMESPACE,
        name: portName(i),
        facets: {
          schema: {
            _producer: producer,
            _schemaURL:
              'https://openlineage.io/spec/facets/1-0-0/SchemaDatasetFacet.json#/$defs/SchemaDatasetFacet',
            fields: [
              { name: 'id', type: 'BIGINT' },
              { name: 'value', type: 'VARCHAR' },
            ],
          },
        },
      },
    ],
    producer,
    schemaURL:
      'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent',
  };
}

/**
 * Ingestion: events posted through `POST /v1/lineage` (`concurrency` in flight) into a fresh
 * store, against the same rows (raw event, job, run, datasets, edges) written by knex in one
 * transaction per event, as plain inserts, into another fresh store.
 */
async function measureIngestion(
  options: LineageMeasureOptions,
  inputs: number[][],
  products: Entity[],
): Promise<NonNullable<LineageMeasureResult['ingestion']>> {
  const n = options.ingestEvents;
  const at = Date.now();
  const events = Array.from({ length: n }, (_, k) => {
    const i = (k * 7919) % options.products;
    return { i, event: runEvent(i, inputs[i], at - (n - k) * 1000) };
  });
  const api = await openDatabase(options.database);
  const backend = await startTestBackend({
    features: [
      datameshPlugin,
      catalogServiceMock.factory({ entities: products }),
      mockServices.database.factory({ knex: api.knex }),
      mockServices.rootConfig.factory({ data: {} }),
    ],
  });
  backend.server.keepAliveTimeout = 600_000;
  const url = `http://localhost:${backend.server.port()}/api/datamesh/v1/lineage`;
  const token = mockCredentials.service.header();
  let next = 0;
  const post = async () => {
    while (next < events.length) {
      const { event } = events[next++];
      const response = await fetch(url, {
        method: 'POST',
        headers: { authorization: token, 'content-type': 'application/json' },
        body: JSON.stringify(event),
      });
      if (response.status !== 201) {
        throw new Error(
          `POST /v1/lineage answered ${
            response.status
          }: ${await response.text()}`,
        );
      }
    }
  };
  const apiMs = await time(() =>
    Promise.all(Array.from({ length: options.concurrency }, post)),
  );
  await backend.stop();
  await api.close();

  const raw = await openDatabase(options.database);
  // the store's tables, by its own migrations
  const migrated = await startTestBackend({
    features: [
      datameshPlugin,
      catalogServiceMock.factory({ entities: [] }),
      mockServices.database.factory({ knex: raw.knex }),
      mockServices.rootConfig.factory({ data: {} }),
    ],
  });
  await migrated.stop();
  let rawNext = 0;
  const insert = async () => {
    while (rawNext < events.length) {
      const index = rawNext++;
      const { event } = events[index];
      const t = Date.parse(event.eventTime);
      await raw.knex.transaction(async trx => {
        await trx('lineage_raw_events').insert({
          event_hash: randomUUID().replace(/-/g, ''),
          kind: 'RunEvent',
          event_type: 'COMPLETE',
          event_time: t,
          run_id: event.run.runId,
          job_namespace: 'airflow',
          job_name: event.job.name,
          body: JSON.stringify(event),
          received_at: Date.now(),
        });
        const [job] = await trx('lineage_jobs')
          .insert({
            namespace: 'airflow',
            name: `${event.job.name}-${index}`,
            facets: '{}',
            latest_run_id: event.run.runId,
            latest_run_at: t,
            first_seen_at: t,
            last_seen_at: t,
          })
          .returning('id');
        const jobId = Number((job as { id: number }).id ?? job);
        await trx('lineage_runs').insert({
          run_id: event.run.runId,
          job_id: jobId,
          state: 'COMPLETE',
          state_time: t,
          ended_at: t,
          facets: '{}',
          first_seen_at: t,
          last_seen_at: t,
        });
        const rows = [];
        for (const [direction, list] of [
          ['input', event.inputs],
          ['output', event.outputs],
        ] as const) {
          for (const d of list) {
            // plain inserts, no merge: each event its own rows
            rows.push({ d, direction, key: `${d.name}/${index}` });
          }
        }
        const ids: Array<{ id: number }> = await trx('lineage_datasets')
          .insert(
            rows.map(r => ({
              namespace: r.d.namespace,
              name: r.key,
              facets: '{}',
              first_seen_at: t,
              last_seen_at: t,
            })),
          )
          .returning('id');
        if (rows.length) {
          await trx('lineage_edges').insert(
            rows.map((r, k) => ({
              job_id: jobId,
              direction: r.direction,
              dataset_id: Number(ids[k].id ?? ids[k]),
              last_run_id: event.run.runId,
              first_seen_at: t,
              last_seen_at: t,
            })),
          );
        }
      });
    }
  };
  const rawMs = await time(() =>
    Promise.all(Array.from({ length: options.concurrency }, insert)),
  );
  await raw.close();
  return {
    events: n,
    apiPerSecond: (n / apiMs) * 1000,
    rawPerSecond: (n / rawMs) * 1000,
  };
}

/** Seeds a mesh, then times each case through the store, the route and the raw CTE. */
export async function measureLineage(
  options: LineageMeasureOptions,
): Promise<LineageMeasureResult> {
  const { onProgress } = options;
  const label = `${options.database} ${options.products} products / ${options.edges} edges`;
  const products = entities(options.products);
  const inputs = inputsOf(options.products, options.edges);
  const db = await openDatabase(options.database);
  try {
    const backend = await startTestBackend({
      features: [
        datameshPlugin,
        catalogServiceMock.factory({ entities: products }),
        mockServices.database.factory({ knex: db.knex }),
        mockServices.rootConfig.factory({ data: {} }),
      ],
    });
    // the walks between two requests can outlast Node's 5 s keep-alive: the client would reuse
    // a socket the server has just closed
    backend.server.keepAliveTimeout = 600_000;
    const seedStarted = performance.now();
    const edgeRows = await seed(db.knex, options.products, inputs);
    const seedMs = performance.now() - seedStarted;
    onProgress(
      `${label}: seeded ${edgeRows} edge rows in ${Math.round(seedMs)} ms`,
    );
    const store = new DatabaseLineageStore(db.knex);
    const base = `http://localhost:${backend.server.port()}/api/datamesh/v1/products/default`;
    const token = mockCredentials.user.header();
    const statements = recordStatements(db.knex);
    // walked from products of the middle layers, the same ones for every case
    const random = createRandom(7);
    const middle = Array.from({ length: options.products }, (_, i) => i).filter(
      i =>
        Math.floor(((i % DOMAIN_SIZE) * LAYERS) / DOMAIN_SIZE) === LAYERS / 2,
    );
    const starts = Array.from(
      { length: options.queries + options.warmup },
      () => random.pick(middle),
    );
    const walks: WalkResult[] = [];
    for (const walk of options.cases) {
      const times = {
        store: [] as number[],
        route: [] as number[],
        raw: [] as number[],
        rawEdges: [] as number[],
      };
      const datasets: number[] = [];
      const nodes: number[] = [];
      let truncated = 0;
      let storeStatements = 0;
      let routeStatements = 0;
      for (const [k, i] of starts.entries()) {
        const counted = k >= options.warmup;
        const dataset = { namespace: NAMESPACE, name: portName(i) };
        statements.take();
        const walked = await timed(() =>
          store.traverse({
            from: [dataset],
            direction: walk.direction,
            depth: walk.depth === 'all' ? undefined : walk.depth,
          }),
        );
        const storeMs = walked.ms;
        const reached = walked.value.datasets.length;
        const storeCalls = statements.take().calls;
        const rawMs = await time(() =>
          rawWalk(db.knex, dataset, walk, 'datasets'),
        );
        const rawEdges = await timed(() =>
          rawWalk(db.knex, dataset, walk, 'edges'),
        );
        const rawEdgesMs = rawEdges.ms;
        // the same answer: as many edges as the raw CTE of it
        const rawRows = (rawEdges.value.rows ?? rawEdges.value) as unknown[];
        if (
          !walked.value.truncated &&
          rawRows.length !== walked.value.edges.length
        ) {
          throw new Error(
            `WRONG ANSWER: the store's ${walk.direction} walk of depth ${walk.depth} from ${dataset.name} has ${walked.value.edges.length} edges, the raw CTE ${rawRows.length}`,
          );
        }
        statements.take();
        const answer = await timed(() =>
          getGraph(
            `${base}/${productName(i)}/lineage?direction=${
              walk.direction
            }&depth=${walk.depth}&maxNodes=${options.maxNodes}`,
            token,
          ),
        );
        const routeMs = answer.ms;
        const answered = answer.value.nodes.length;
        if (counted && answer.value.truncated) {
          truncated += 1;
        }
        const routeCalls = statements.take().calls;
        if (counted) {
          times.store.push(storeMs);
          times.raw.push(rawMs);
          times.rawEdges.push(rawEdgesMs);
          times.route.push(routeMs);
          datasets.push(reached);
          nodes.push(answered);
          storeStatements = storeCalls;
          routeStatements = routeCalls;
        }
      }
      const result: WalkResult = {
        ...walk,
        datasets: median(datasets),
        nodes: median(nodes),
        truncated,
        store: timing(times.store),
        route: timing(times.route),
        raw: timing(times.raw),
        rawEdges: timing(times.rawEdges),
        storeStatements,
        routeStatements,
      };
      onProgress(
        `${label}: ${walk.direction} depth ${
          walk.depth
        }: p95 store ${result.store.p95.toFixed(
          1,
        )} ms, route ${result.route.p95.toFixed(
          1,
        )} ms, raw CTE ${result.raw.p95.toFixed(
          1,
        )} ms (datasets) / ${result.rawEdges.p95.toFixed(1)} ms (edges) (${
          result.datasets
        } datasets)`,
      );
      walks.push(result);
    }
    statements.restore();
    await backend.stop();
    const ingestion = options.ingestEvents
      ? await measureIngestion(options, inputs, products)
      : undefined;
    return {
      database: options.database,
      products: options.products,
      edges: options.edges,
      edgeRows,
      seedMs,
      walks,
      ...(ingestion ? { ingestion } : {}),
    };
  } finally {
    await db.close();
  }
}
