/**
 * The facts `yarn bench:governance` seeds into the data mesh backend's stores for its generated
 * products: observed lineage (a job per product reading its input ports' datasets and writing its
 * own ports', as the product's OpenLineage events would leave the lineage tables), and quality
 * and health (`seedQualityStore` of the quality benchmark, one hour of runs).
 */
import type { DataProductEntityV1alpha1 } from '@backstage-datamesh/plugin-datamesh-common';
import type { Knex } from 'knex';
import { seedQualityStore } from '../quality/seed';

const HOUR = 3_600_000;
const DAY = 86_400_000;
/** Rows per insert statement (under SQLite's bound variables). */
const SEED_BATCH = 400;
/** The namespace of the sources the source-aligned products' jobs read. */
const SOURCE_NAMESPACE = 'kafka://sources.bench.internal:9092';

/** How product `index`'s lineage was observed: never, recently, or more than a week ago. */
export function lineageProfile(index: number): 'none' | 'recent' | 'stale' {
  if (index % 20 === 11) {
    return 'none';
  }
  return index % 12 === 5 ? 'stale' : 'recent';
}

/** The rows of the lineage tables, ids from 1. */
export interface LineageRows {
  datasets: Array<Record<string, string | number>>;
  jobs: Array<Record<string, string | number>>;
  runs: Array<Record<string, string | number>>;
  edges: Array<Record<string, string | number>>;
}

/**
 * The lineage tables' rows for some data products, as their pipelines' events would leave them:
 * one job per observed product (`lineageProfile`) with one run, writing the product's output
 * ports' datasets (their locations) and reading the datasets of the ports its input ports name
 * (or an external source for a product without inputs), last seen an hour before `now` (ten days
 * for a stale product). A dataset exists once a job wrote or read it, last seen at the latest.
 */
export function lineageRows(
  products: DataProductEntityV1alpha1[],
  now: number,
): LineageRows {
  const rows: LineageRows = { datasets: [], jobs: [], runs: [], edges: [] };
  const datasetIds = new Map<string, number>();
  // a dataset exists once an event named it (its writer's or a reader's), last seen at the latest
  const dataset = (namespace: string, name: string, at: number) => {
    const key = `${namespace}\n${name}`;
    const known = datasetIds.get(key);
    if (known !== undefined) {
      const row = rows.datasets[known - 1];
      row.first_seen_at = Math.min(Number(row.first_seen_at), at);
      row.last_seen_at = Math.max(Number(row.last_seen_at), at);
      return known;
    }
    const id = rows.datasets.length + 1;
    datasetIds.set(key, id);
    rows.datasets.push({
      id,
      namespace,
      name,
      facets: '{}',
      first_seen_at: at,
      last_seen_at: at,
    });
    return id;
  };
  const ports = new Map<string, { namespace: string; name: string }>();
  for (const product of products) {
    for (const port of product.spec.outputPorts ?? []) {
      ports.set(`${product.metadata.name}\n${port.name}`, port.location);
    }
  }
  products.forEach((product, index) => {
    const profile = lineageProfile(index);
    if (profile === 'none') {
      return;
    }
    const at = profile === 'stale' ? now - 10 * DAY : now - HOUR;
    const jobId = rows.jobs.length + 1;
    const runId = `bench-run-${index}`;
    const seen = { first_seen_at: at - DAY, last_seen_at: at };
    rows.jobs.push({
      id: jobId,
      namespace: 'airflow',
      name: `${product.metadata.name}.build`,
      facets: '{}',
      latest_run_id: runId,
      latest_run_at: at,
      ...seen,
    });
    rows.runs.push({
      run_id: runId,
      job_id: jobId,
      state: 'COMPLETE',
      state_time: at,
      started_at: at - 300_000,
      ended_at: at,
      facets: '{}',
      ...seen,
    });
    const edge = (direction: 'input' | 'output', datasetId: number) =>
      rows.edges.push({
        job_id: jobId,
        direction,
        dataset_id: datasetId,
        last_run_id: runId,
        ...seen,
      });
    for (const port of product.spec.outputPorts ?? []) {
      edge('output', dataset(port.location.namespace, port.location.name, at));
    }
    const inputs = new Set<number>();
    for (const input of product.spec.inputPorts ?? []) {
      const location = ports.get(`${input.product}\n${input.port}`);
      if (location) {
        inputs.add(dataset(location.namespace, location.name, at));
      }
    }
    if (inputs.size === 0) {
      inputs.add(
        dataset(SOURCE_NAMESPACE, `source.${product.metadata.name}`, at),
      );
    }
    for (const id of inputs) {
      edge('input', id);
    }
  });
  return rows;
}

async function insert(knex: Knex, table: string, rows: object[]) {
  for (let i = 0; i < rows.length; i += SEED_BATCH) {
    await knex(table).insert(rows.slice(i, i + SEED_BATCH));
  }
}

/** What was seeded: rows per table, and the time each store took. */
export interface SeededFacts {
  rows: Record<string, number>;
  lineageMs: number;
  qualityMs: number;
}

/**
 * Seeds the lineage, quality and health tables of the data mesh backend (its migrations must
 * have run) for the products.
 */
export async function seedFacts(
  knex: Knex,
  products: DataProductEntityV1alpha1[],
  now: number,
  onProgress?: (line: string) => void,
): Promise<SeededFacts> {
  const lineageStarted = performance.now();
  const lineage = lineageRows(products, now);
  await insert(knex, 'lineage_datasets', lineage.datasets);
  await insert(knex, 'lineage_jobs', lineage.jobs);
  await insert(knex, 'lineage_runs', lineage.runs);
  await insert(knex, 'lineage_edges', lineage.edges);
  if (knex.client.config.client === 'pg') {
    await knex.raw('ANALYZE');
  }
  const lineageMs = performance.now() - lineageStarted;
  // an hour of raw runs and a day of rollups: the governance reads the latest checks and the
  // current health only, which a longer history leaves as they are
  const quality = await seedQualityStore({
    knex,
    products,
    now,
    historyDays: 1,
    retentionDays: 1 / 24,
    updatesDays: 1 / 24,
    checksPerRun: 10,
    onProgress,
  });
  return {
    rows: {
      lineage_datasets: lineage.datasets.length,
      lineage_jobs: lineage.jobs.length,
      lineage_runs: lineage.runs.length,
      lineage_edges: lineage.edges.length,
      ...quality.rows,
    },
    lineageMs,
    qualityMs: quality.ms,
  };
}
