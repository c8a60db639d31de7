import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';

/** What a generated set holds. */
export type MeshKind = 'component' | 'dataproduct';

/** Files and counts of one generated entity set. */
export interface GeneratedSet {
  kind: MeshKind;
  /**
   * The YAML files, each to register as its own `catalog.locations` entry, as each repository's
   * catalog-info file is registered.
   */
  files: string[];
  /** Entities of the measured kind. */
  count: number;
  /** Every entity the catalog will hold once the set is ingested, Location entities included. */
  expectedEntities: number;
  /** Relations the processors emit for the measured entities (both directions counted). */
  expectedRelations: number;
  /** Data products written to fail validation (none unless asked for). */
  failing: number;
}

/** A file written next to the entity files, its path relative to their folder. */
export interface GeneratedDocument {
  path: string;
  text: string;
}

/**
 * What a generated data product gets besides its entity (see `writeSet`'s `documents`): files next
 * to the entity files (its contracts, its infrastructure descriptor) and, optionally, the path of
 * its infrastructure descriptor for `spec.infrastructure`.
 */
export type ProductDocuments = (
  product: GeneratedProduct,
  index: number,
) => { infrastructure?: string; files: GeneratedDocument[] };

/** A generated data product as `ProductDocuments` sees it. */
export interface GeneratedProduct {
  metadata: { name: string };
  spec: {
    infrastructure?: string;
    outputPorts: Array<{
      name: string;
      type: string;
      location: { namespace: string; name: string };
      contract: string;
    }>;
  };
}

/** Shared shape of the two sets: the same teams and domains, the same file layout. */
export const BENCH_DOMAINS = 12;
const ENTITIES_PER_FILE = 250;

/** A small, seeded PRNG (mulberry32) so each size always generates the same mesh. */
export function createRandom(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) =>
    min + Math.floor(next() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => items[int(0, items.length - 1)];
  /** Up to `k` distinct integers in [0, below). */
  const distinct = (k: number, below: number) => {
    const chosen = new Set<number>();
    const wanted = Math.min(k, below);
    while (chosen.size < wanted) {
      chosen.add(int(0, below - 1));
    }
    return [...chosen];
  };
  return { next, int, pick, distinct };
}

const pad = (n: number) => String(n).padStart(5, '0');
const teamName = (d: number) => `bench-team-${String(d + 1).padStart(2, '0')}`;
const domainName = (d: number) =>
  `bench-domain-${String(d + 1).padStart(2, '0')}`;

const systemName = (d: number) =>
  `bench-system-${String(d + 1).padStart(2, '0')}`;

/**
 * Groups, Domains and Systems both sets share: 12 teams, each owning one domain and one system of
 * that domain. Data products belong to a domain, components to a system: each kind has the same
 * two hubs (its owner and its grouping), as in a real catalog.
 */
function supportEntities(): object[] {
  const out: object[] = [];
  for (let d = 0; d < BENCH_DOMAINS; d++) {
    out.push({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Group',
      metadata: { name: teamName(d) },
      spec: { type: 'team', children: [] },
    });
    out.push({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Domain',
      metadata: { name: domainName(d) },
      spec: {
        owner: `group:${teamName(d)}`,
        datamesh: {
          communicationChannel: `#${domainName(d)}`,
          sla: { freshness: '1h', availability: '99.9%' },
        },
      },
    });
    out.push({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'System',
      metadata: { name: systemName(d) },
      spec: { owner: `group:${teamName(d)}`, domain: domainName(d) },
    });
  }
  return out;
}

const PORT_TYPES = ['table', 'view', 'topic', 'file', 'api'] as const;
const LIFECYCLES = [
  'production',
  'production',
  'production',
  'experimental',
  'deprecated',
];
const SENSITIVITY = [
  'public',
  'internal',
  'internal',
  'confidential',
  'restricted',
];
const FRESHNESS = ['5m', '15m', '1h', '6h', '1d'];

/**
 * The sensitivity a failing data product declares: not one of the kind's four, so the data mesh
 * module rejects the entity (`spec.sensitivity must be one of …`) and the catalog never holds it.
 */
export const FAILING_SENSITIVITY = 'secret';

/** `failing` indices spread evenly over `n` entities. */
function spread(failing: number, n: number): Set<number> {
  const count = Math.min(failing, n);
  return new Set(
    Array.from({ length: count }, (_, k) =>
      Math.floor(((k + 0.5) * n) / count),
    ),
  );
}

function dataProducts(n: number, seed: number, failing = 0) {
  const random = createRandom(seed);
  const failingAt = spread(failing, n);
  const ports: string[][] = [];
  const entities: object[] = [];
  let relations = 0;
  for (let i = 0; i < n; i++) {
    const name = `dp-${pad(i)}`;
    const failOr = (sensitivity: string) =>
      failingAt.has(i) ? FAILING_SENSITIVITY : sensitivity;
    const d = random.int(0, BENCH_DOMAINS - 1);
    const outputCount = random.int(1, 2);
    const outputPorts = Array.from({ length: outputCount }, (_, p) => {
      const portName = p === 0 ? 'main' : 'events';
      const type = p === 0 ? random.pick(PORT_TYPES) : 'topic';
      return {
        name: portName,
        type,
        location:
          type === 'topic'
            ? {
                namespace: 'kafka://kafka.bench.internal:9092',
                name: `${domainName(d)}.${name}.${portName}`,
              }
            : {
                namespace: 'postgres://warehouse:5432',
                name: `analytics.${domainName(d).replace(
                  /-/g,
                  '_',
                )}.${name.replace(/-/g, '_')}`,
              },
        format: type === 'topic' ? 'avro' : 'parquet',
        contract: `./contracts/${name}-${portName}.odcs.yaml`,
        description: `The ${portName} port of ${name}.`,
      };
    });
    ports.push(outputPorts.map(p => p.name));
    const upstream = random.distinct(random.int(0, 3), i);
    const inputPorts = upstream.map(j => ({
      name: `from-dp-${pad(j)}`,
      product: `dp-${pad(j)}`,
      port: random.pick(ports[j]),
    }));
    entities.push({
      apiVersion: 'datamesh.io/v1alpha1',
      kind: 'DataProduct',
      metadata: {
        name,
        title: `Data product ${i}`,
        description: `Generated data product ${i} of ${domainName(d)}.`,
        tags: ['bench', domainName(d)],
      },
      spec: {
        owner: `group:${teamName(d)}`,
        domain: domainName(d),
        type:
          inputPorts.length === 0
            ? 'source-aligned'
            : random.pick(['aggregate', 'consumer-aligned'] as const),
        lifecycle: random.pick(LIFECYCLES),
        version: `${random.int(0, 3)}.${random.int(0, 9)}.${random.int(0, 9)}`,
        // picked for every product, so that failing ones leave the others as they were
        sensitivity: failOr(random.pick(SENSITIVITY)),
        retentionDays: random.pick([30, 90, 365, 730]),
        sla: {
          freshness: random.pick(FRESHNESS),
          availability: '99.9%',
          accuracy: '99.5%',
          completeness: 0.98,
        },
        ownership: {
          technicalOwner: `group:${teamName(d)}`,
          steward: `group:${teamName(d)}`,
          communicationChannel: `#${domainName(d)}`,
        },
        outputPorts,
        ...(inputPorts.length ? { inputPorts } : {}),
      },
    });
    // ownedBy/ownerOf, partOf/hasPart, and dependsOn/dependencyOf per upstream product
    relations += 2 + 2 + 2 * upstream.length;
  }
  return { entities, relations, failing: failingAt.size };
}

function components(n: number, seed: number) {
  const random = createRandom(seed);
  const entities: object[] = [];
  let relations = 0;
  for (let i = 0; i < n; i++) {
    const d = random.int(0, BENCH_DOMAINS - 1);
    // like a data product: an owner, a grouping (its system, as a product's domain) and zero to
    // three upstream components, so that both kinds carry the same relations
    const upstream = random.distinct(random.int(0, 3), i);
    entities.push({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name: `svc-${pad(i)}`,
        title: `Service ${i}`,
        description: `Generated service ${i} of ${teamName(d)}.`,
        tags: ['bench', domainName(d)],
      },
      spec: {
        type: 'service',
        lifecycle: random.pick(LIFECYCLES),
        owner: `group:${teamName(d)}`,
        system: systemName(d),
        ...(upstream.length
          ? { dependsOn: upstream.map(j => `component:svc-${pad(j)}`) }
          : {}),
      },
    });
    // ownedBy/ownerOf, partOf/hasPart, and dependsOn/dependencyOf per upstream component
    relations += 2 + 2 + 2 * upstream.length;
  }
  return { entities, relations, failing: 0 };
}

/** The measured entities of one set, without the teams and domains, for in-process timing. */
export function generateEntities(
  kind: MeshKind,
  n: number,
  seed = 20260101,
): object[] {
  return (kind === 'dataproduct' ? dataProducts(n, seed) : components(n, seed))
    .entities;
}

/**
 * Writes one entity set as multi-document YAML files of 250 entities each. Each file is meant to
 * be registered as its own location: the catalog then reads and re-reads them one at a time, as
 * it reads the catalog-info files of many repositories (one Location listing every file would
 * make the catalog read all of them, 20,000 entities, in a single processing step).
 */
export function writeSet(
  dir: string,
  kind: MeshKind,
  n: number,
  options: {
    seed?: number;
    withTeamsAndDomains?: boolean;
    /** data products that fail validation, spread evenly over the set (none by default) */
    failing?: number;
    /**
     * Files each data product references (its contracts, its infrastructure descriptor), written
     * next to the entity files; none by default (the contracts the ports name are then missing).
     */
    documents?: ProductDocuments;
  } = {},
): GeneratedSet {
  const seed = options.seed ?? 20260101;
  fs.mkdirSync(dir, { recursive: true });
  const { entities, relations, failing } =
    kind === 'dataproduct'
      ? dataProducts(n, seed, options.failing)
      : components(n, seed);
  if (kind === 'dataproduct' && options.documents) {
    (entities as GeneratedProduct[]).forEach((product, index) => {
      const { infrastructure, files } = options.documents!(product, index);
      if (infrastructure) {
        product.spec.infrastructure = infrastructure;
      }
      for (const document of files) {
        const file = path.join(dir, document.path);
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, document.text);
      }
    });
  }
  const all = [
    ...(options.withTeamsAndDomains === false ? [] : supportEntities()),
    ...entities,
  ];
  const files: string[] = [];
  for (let start = 0; start < all.length; start += ENTITIES_PER_FILE) {
    const file = path.join(
      dir,
      `entities-${String(files.length).padStart(4, '0')}.yaml`,
    );
    const text = all
      .slice(start, start + ENTITIES_PER_FILE)
      .map(e => `---\n${YAML.stringify(e)}`)
      .join('');
    fs.writeFileSync(file, text);
    files.push(file);
  }
  return {
    kind,
    files,
    count: n,
    // plus the Location the catalog generates for each configured location
    expectedEntities: all.length + files.length,
    expectedRelations: relations,
    failing,
  };
}
