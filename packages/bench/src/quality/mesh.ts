/**
 * What the ingestion benchmark posts, and to whom: the public dbt and Great Expectations fixture
 * documents of the repository (`fixtures/`), and a mesh of data products whose output ports are
 * the datasets those documents test, so that the backend ties each check to its port by the
 * port's location, as it does for a real pipeline.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import type { QualityDataset } from '@backstage-datamesh/plugin-datamesh-common';
import { parseQualityResults } from '@backstage-datamesh/plugin-datamesh-node';

/** The repository's public fixtures. */
// The benchmark runs from its sources (tsx), never from a build
// eslint-disable-next-line no-restricted-syntax
export const FIXTURES_DIR = path.resolve(__dirname, '../../../../fixtures');

/** One fixture document as the benchmark posts it. */
export interface FixtureDocument {
  /** Path under `fixtures/`. */
  file: string;
  format: 'dbt' | 'great-expectations';
  /** The document, parsed. */
  results: unknown;
  /** dbt: the run's manifest (its text, sent as it is), when the fixtures have one. */
  manifest?: { file: string; text: string };
  /** Check results the backend stores for one post. */
  checks: number;
  /** The distinct datasets its checks, metrics and updates name. */
  datasets: QualityDataset[];
  /** The time of the run, epoch ms. */
  finishedAt: number;
}

/** A fixture the benchmark leaves out, and why. */
export interface SkippedFixture {
  file: string;
  reason: string;
}

/**
 * Reads every dbt `*run_results.json` (with its `*manifest.json` when there is one) and every
 * Great Expectations result of `fixtures/`, through the suite's own parser. Documents the parser
 * refuses, and documents without a check, are left out (with the reason).
 */
export function loadFixtureDocuments(): {
  documents: FixtureDocument[];
  skipped: SkippedFixture[];
} {
  const documents: FixtureDocument[] = [];
  const skipped: SkippedFixture[] = [];
  const candidates: Array<{
    file: string;
    format: FixtureDocument['format'];
    manifest?: string;
  }> = [];
  const dbtDir = path.join(FIXTURES_DIR, 'dbt');
  for (const name of fs.readdirSync(dbtDir).sort()) {
    if (name.endsWith('run_results.json')) {
      const manifest = name.replace(/run_results\.json$/, 'manifest.json');
      candidates.push({
        file: `dbt/${name}`,
        format: 'dbt',
        ...(fs.existsSync(path.join(dbtDir, manifest))
          ? { manifest: `dbt/${manifest}` }
          : {}),
      });
    }
  }
  const gxDir = path.join(FIXTURES_DIR, 'great-expectations');
  for (const name of fs.readdirSync(gxDir).sort()) {
    if (name.endsWith('.json')) {
      candidates.push({
        file: `great-expectations/${name}`,
        format: 'great-expectations',
      });
    }
  }
  for (const candidate of candidates) {
    const read = (file: string) =>
      fs.readFileSync(path.join(FIXTURES_DIR, file), 'utf8');
    const results = JSON.parse(read(candidate.file)) as unknown;
    const manifestText = candidate.manifest
      ? read(candidate.manifest)
      : undefined;
    try {
      const run = parseQualityResults({
        document: results,
        format: candidate.format,
        manifest: manifestText ? JSON.parse(manifestText) : undefined,
      });
      if (run.checks.length === 0) {
        skipped.push({ file: candidate.file, reason: 'no check' });
        continue;
      }
      const datasets = new Map<string, QualityDataset>();
      for (const item of [...run.checks, ...run.metrics, ...run.updates]) {
        if (item.dataset) {
          datasets.set(JSON.stringify(item.dataset), item.dataset);
        }
      }
      documents.push({
        file: candidate.file,
        format: candidate.format,
        results,
        ...(candidate.manifest && manifestText
          ? { manifest: { file: candidate.manifest, text: manifestText } }
          : {}),
        checks: run.checks.length,
        datasets: [...datasets.values()],
        finishedAt: Date.parse(run.finishedAt),
      });
    } catch (error) {
      skipped.push({
        file: candidate.file,
        reason: String((error as Error).message ?? error),
      });
    }
  }
  return { documents, skipped };
}

/** One data product of the ingestion mesh. */
export interface MeshProduct {
  name: string;
  document: FixtureDocument;
  /**
   * `?port=` to post with: set when the document names no dataset (the Great Expectations
   * profiler results), so that its checks still belong to an output port.
   */
  port?: string;
}

const TEAM = 'bench-quality-team';
const DOMAINS = ['bench-quality-sales', 'bench-quality-finance'];
/** Where a port lives when the document does not say (OpenLineage namespace). */
const DEFAULT_NAMESPACE = 'postgres://warehouse:5432';

/**
 * Writes a mesh of `replicas` data products per fixture document (one Group, two Domains with
 * baseline objectives) as one YAML file, and returns the file, the products and the number of
 * entities the catalog will hold (its Location included).
 */
export function writeIngestionMesh(
  dir: string,
  documents: FixtureDocument[],
  replicas: number,
): { file: string; products: MeshProduct[]; expectedEntities: number } {
  const entities: object[] = [
    {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Group',
      metadata: { name: TEAM },
      spec: { type: 'team', children: [] },
    },
    ...DOMAINS.map(name => ({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Domain',
      metadata: { name },
      spec: {
        owner: `group:${TEAM}`,
        datamesh: { sla: { freshness: '1d', availability: '99%' } },
      },
    })),
  ];
  const products: MeshProduct[] = [];
  documents.forEach((document, d) => {
    for (let r = 0; r < replicas; r++) {
      const name = `quality-${String(d).padStart(2, '0')}-${String(r).padStart(
        3,
        '0',
      )}`;
      const outputPorts = document.datasets.length
        ? document.datasets.map((dataset, p) => ({
            name: `port-${p}`,
            type: 'table',
            location: {
              namespace: dataset.namespace ?? DEFAULT_NAMESPACE,
              name: dataset.name,
            },
          }))
        : [
            {
              name: 'main',
              type: 'table',
              location: {
                namespace: DEFAULT_NAMESPACE,
                name: `analytics.bench.${name.replace(/-/g, '_')}`,
              },
            },
          ];
      entities.push({
        apiVersion: 'datamesh.io/v1alpha1',
        kind: 'DataProduct',
        metadata: {
          name,
          title: `Quality of ${path.basename(document.file)} (${r + 1})`,
        },
        spec: {
          owner: `group:${TEAM}`,
          domain: DOMAINS[(d + r) % DOMAINS.length],
          type: 'source-aligned',
          lifecycle: 'production',
          sensitivity: 'internal',
          sla: {
            freshness: '1d',
            availability: '99.5%',
            completeness: '98%',
            accuracy: '99%',
          },
          outputPorts,
        },
      });
      products.push({
        name,
        document,
        ...(document.datasets.length ? {} : { port: 'main' }),
      });
    }
  });
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'quality-mesh.yaml');
  fs.writeFileSync(
    file,
    entities.map(e => `---\n${YAML.stringify(e)}`).join(''),
  );
  return { file, products, expectedEntities: entities.length + 1 };
}

const ISO_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:?\d{2})?$/;
/** Great Expectations' compact times, `20200322T170247.671855Z`. */
const COMPACT_TIME = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(\.\d+)?Z$/;

function shiftTime(text: string, deltaMs: number): string {
  const iso = ISO_TIME.exec(text);
  if (iso) {
    const [, y, mo, d, h, mi, s, fraction = '', zone = 'Z'] = iso;
    const at = Date.parse(
      `${y}-${mo}-${d}T${h}:${mi}:${s}${fraction.slice(0, 4)}${
        zone.length === 5 ? `${zone.slice(0, 3)}:${zone.slice(3)}` : zone
      }`,
    );
    return Number.isNaN(at) ? text : new Date(at + deltaMs).toISOString();
  }
  const compact = COMPACT_TIME.exec(text);
  if (compact) {
    const [, y, mo, d, h, mi, s, fraction = ''] = compact;
    const at = Date.parse(
      `${y}-${mo}-${d}T${h}:${mi}:${s}${fraction.slice(0, 4)}Z`,
    );
    if (Number.isNaN(at)) {
      return text;
    }
    return new Date(at + deltaMs)
      .toISOString()
      .replace(/[-:]/g, '')
      .replace(/\.(\d{3})Z$/, '.$1000Z');
  }
  return text;
}

/** A copy of a JSON value with every time in it (ISO 8601 or GX compact) moved by `deltaMs`. */
function shiftTimes(value: unknown, deltaMs: number): unknown {
  if (typeof value === 'string') {
    return shiftTime(value, deltaMs);
  }
  if (Array.isArray(value)) {
    return value.map(item => shiftTimes(item, deltaMs));
  }
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [
        key,
        shiftTimes(item, deltaMs),
      ]),
    );
  }
  return value;
}

/** One prepared POST of the ingestion benchmark. */
export interface QualityPost {
  product: MeshProduct;
  /** Path and query under the plugin's base URL. */
  path: string;
  /** The results document's text, unique to this post. */
  results: string;
}

/**
 * Prepares a post of a product's document as a run at `at`: every time of the document moved so
 * that the run finished then, and a dbt document's `metadata.invocation_id` made new. Each post
 * is then a new run to the backend (its idempotence key hashes the document) whose checks are the
 * product's latest.
 */
export function preparePost(product: MeshProduct, at: number): QualityPost {
  const shifted = shiftTimes(
    product.document.results,
    at - product.document.finishedAt,
  ) as { metadata?: { invocation_id?: string } };
  if (product.document.format === 'dbt' && shifted.metadata) {
    shifted.metadata.invocation_id = randomUUID();
  }
  return {
    product,
    path: `/v1/products/default/${product.name}/quality?format=${
      product.document.format
    }${product.port ? `&port=${product.port}` : ''}`,
    results: JSON.stringify(shifted),
  };
}

/**
 * The request a post sends: a dbt document with its manifest as a `multipart/form-data` form
 * (`curl -F results=@run_results.json -F manifest=@manifest.json`), anything else as JSON.
 */
export function postRequest(post: QualityPost): {
  body: FormData | string;
  headers: Record<string, string>;
} {
  const manifest = post.product.document.manifest;
  if (manifest) {
    const form = new FormData();
    form.append(
      'results',
      new Blob([post.results], { type: 'application/json' }),
      'run_results.json',
    );
    form.append(
      'manifest',
      new Blob([manifest.text], { type: 'application/json' }),
      'manifest.json',
    );
    return { body: form, headers: {} };
  }
  return {
    body: post.results,
    headers: { 'content-type': 'application/json' },
  };
}
