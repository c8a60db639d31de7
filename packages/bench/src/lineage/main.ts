/**
 * `yarn bench:lineage`: how long a product's lineage graph takes through the lineage store and
 * through `GET /v1/products/{ns}/{name}/lineage`, against the same walk written as one raw
 * recursive CTE on the same tables measured in the same run, for depth 1, 3 and all, upstream
 * and downstream, on generated meshes of growing size, on SQLite and PostgreSQL; and OpenLineage
 * events ingested per second through the API against plain inserts of the same rows; and the
 * Lineage tab's render time in Chromium for graphs of 10 to 1,000 nodes. See
 * packages/bench/README.md.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { LineageGraphDepth } from '@backstage-datamesh/plugin-datamesh-common';
import type { BenchDatabase } from '../catalog/measure';
import {
  knexStatementCacheNote,
  machineFacts,
  sqlitePageCacheNote,
} from '../environment';
import { databasesArg, integerArg } from '../args';
import { runInChild } from '../fork';
import { count, ms, table } from '../format';
import { runLineageBrowserBench } from './browser';
import type {
  LineageMeasureOptions,
  LineageMeasureResult,
  WalkCase,
} from './measure';

/** The issue's targets at 10,000 products and 50,000 edges. */
const RATIO_TARGET = 2;
const P95_TARGET_MS = 100;
const INGEST_TARGET = 0.5;

interface Options {
  databases: BenchDatabase[];
  sizes: Array<{ products: number; edges: number }>;
  depths: LineageGraphDepth[];
  queries: number;
  warmup: number;
  maxNodes: number;
  ingestEvents: number;
  concurrency: number;
  timeoutMinutes: number;
  /** The Lineage tab in Chromium: with the walks, alone, or not at all. */
  browser: 'also' | 'only' | 'no';
  browserSizes: number[];
  browserRounds: number;
}

const USAGE = `Usage: yarn bench:lineage [options]

  --databases sqlite,postgres    the databases, each measured in the same run (default both;
                                 postgres: fresh databases on BENCH_POSTGRES_CONNECTION_STRING,
                                 default postgresql://postgres@127.0.0.1:5432)
  --sizes 1000:1000,10000:10000,10000:50000
                                 products:edges of the generated meshes (an edge: a product's
                                 job reads another product's port); default as shown
  --depths 1,3,all               depths walked (1 to 5 or all; default 1,3,all)
  --queries 100                  timed walks per case (default 100)
  --warmup 10                    untimed walks per case first (default 10)
  --max-nodes 2000               maxNodes of the route (default 2000, its largest)
  --ingest-events 400            events posted for the ingestion figure, at the largest size
                                 (default 400; 0 leaves it out)
  --concurrency 8                posts in flight (default 8)
  --timeout-minutes 30           give up on one measurement after this long (default 30)
  --browser-sizes 100,300,1000   nodes of the graphs whose Lineage tab is timed in Chromium,
                                 beside a 10-node baseline (default as shown)
  --browser-rounds 3             loads of each graph's tab (default 3; the median is printed)
  --browser-only                 only the Lineage tab in Chromium (starts the portal, on :7100
                                 or the next free port, with /usr/bin/chromium or CHROMIUM_PATH)
  --no-browser                   leave the Lineage tab out
`;

function usage(code: number): never {
  (code ? console.error : console.log)(USAGE);
  process.exit(code);
}

function fail(message: string): never {
  console.error(message);
  return usage(1);
}

function integer(flag: string, text: string, min = 1): number {
  return integerArg(flag, text, fail, min);
}

function parseArgs(argv: string[]): Options {
  const options: Options = {
    databases: ['sqlite', 'postgres'],
    sizes: [
      { products: 1000, edges: 1000 },
      { products: 10000, edges: 10000 },
      { products: 10000, edges: 50000 },
    ],
    depths: [1, 3, 'all'],
    queries: 100,
    warmup: 10,
    maxNodes: 2000,
    ingestEvents: 400,
    concurrency: 8,
    timeoutMinutes: 30,
    browser: 'also',
    browserSizes: [100, 300, 1000],
    browserRounds: 3,
  };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=', 2);
    const value = () => inline ?? argv[++i] ?? '';
    switch (flag) {
      case '--databases':
        options.databases = databasesArg(value(), fail);
        break;
      case '--sizes':
        options.sizes = value()
          .split(',')
          .map(s => {
            const [products, edges] = s.trim().split(':');
            return {
              products: integer('--sizes products', products),
              edges: integer('--sizes edges', edges ?? ''),
            };
          });
        break;
      case '--depths':
        options.depths = value()
          .split(',')
          .map(s => {
            const d = s.trim();
            if (d === 'all') {
              return 'all' as const;
            }
            const n = integer('--depths', d);
            if (n > 5) {
              console.error('--depths are 1 to 5 or all');
              usage(1);
            }
            return n as LineageGraphDepth;
          });
        break;
      case '--queries':
        options.queries = integer(flag, value());
        break;
      case '--warmup':
        options.warmup = integer(flag, value(), 0);
        break;
      case '--max-nodes':
        options.maxNodes = integer(flag, value());
        break;
      case '--ingest-events':
        options.ingestEvents = integer(flag, value(), 0);
        break;
      case '--concurrency':
        options.concurrency = integer(flag, value());
        break;
      case '--timeout-minutes':
        options.timeoutMinutes = integer(flag, value());
        break;
      case '--browser-sizes':
        options.browserSizes = value()
          .split(',')
          .map(s => integer('--browser-sizes', s.trim(), 3));
        break;
      case '--browser-rounds':
        options.browserRounds = integer(flag, value());
        break;
      case '--browser-only':
        options.browser = 'only';
        break;
      case '--no-browser':
        options.browser = 'no';
        break;
      case '--help':
      case '-h':
        usage(0);
        break;
      default:
        console.error(`Unknown option ${argv[i]}`);
        usage(1);
    }
  }
  return options;
}

const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}x`;

function walkTable(results: LineageMeasureResult[]): string {
  const header = [
    'database, products / edges',
    'walk',
    'datasets',
    'route nodes',
    'raw CTE datasets p95',
    'raw CTE edges p50',
    'raw CTE edges p95',
    'store p50',
    'store p95',
    'store / raw edges',
    'route p50',
    'route p95',
    'route / raw edges',
    'statements store / route',
  ];
  const rows = results.flatMap(r =>
    r.walks.map(w => [
      `${r.database}, ${count(r.products)} / ${count(r.edges)}`,
      `${w.direction} ${w.depth}`,
      count(w.datasets),
      `${count(w.nodes)}${w.truncated ? ` (${w.truncated} cut)` : ''}`,
      ms(w.raw.p95),
      ms(w.rawEdges.p50),
      ms(w.rawEdges.p95),
      ms(w.store.p50),
      ms(w.store.p95),
      ratio(w.store.p95, w.rawEdges.p95),
      ms(w.route.p50),
      ms(w.route.p95),
      ratio(w.route.p95, w.rawEdges.p95),
      `${w.storeStatements} / ${w.routeStatements}`,
    ]),
  );
  return table([header, ...rows]);
}

/** The targets, checked at the largest mesh for depth 3 (the issue's) and every depth. */
function targetTable(results: LineageMeasureResult[]): string {
  const header = [
    'database',
    'walk',
    `store p95 ≤ ${RATIO_TARGET}x raw edges CTE`,
    `route p95 ≤ ${RATIO_TARGET}x raw edges CTE`,
    `route p95 < ${P95_TARGET_MS} ms`,
  ];
  const rows: string[][] = [];
  for (const database of new Set(results.map(r => r.database))) {
    const mine = results.filter(r => r.database === database);
    const largest = mine.reduce((a, b) =>
      a.products * a.edges >= b.products * b.edges ? a : b,
    );
    for (const w of largest.walks) {
      const pass = (ok: boolean, text: string) =>
        `${ok ? 'PASS' : 'FAIL'} (${text})`;
      rows.push([
        `${database}, ${count(largest.products)} / ${count(largest.edges)}`,
        `${w.direction} ${w.depth}`,
        pass(
          w.store.p95 <= RATIO_TARGET * w.rawEdges.p95,
          ratio(w.store.p95, w.rawEdges.p95),
        ),
        pass(
          w.route.p95 <= RATIO_TARGET * w.rawEdges.p95,
          ratio(w.route.p95, w.rawEdges.p95),
        ),
        pass(w.route.p95 < P95_TARGET_MS, ms(w.route.p95)),
      ]);
    }
  }
  return table([header, ...rows]);
}

/** How each way of asking grows from the smallest mesh to the largest, per walk. */
function growthTable(results: LineageMeasureResult[]): string {
  const header = [
    'database',
    'walk',
    'from → to',
    'datasets ×',
    'raw CTE edges p95 ×',
    'store p95 ×',
    'route p95 ×',
  ];
  const rows: string[][] = [];
  for (const database of new Set(results.map(r => r.database))) {
    const mine = results.filter(r => r.database === database);
    if (mine.length < 2) {
      continue;
    }
    const first = mine[0];
    const last = mine[mine.length - 1];
    for (const w of last.walks) {
      const f = first.walks.find(
        x => x.direction === w.direction && x.depth === w.depth,
      );
      if (!f) {
        continue;
      }
      rows.push([
        database,
        `${w.direction} ${w.depth}`,
        `${count(first.products)}/${count(first.edges)} → ${count(
          last.products,
        )}/${count(last.edges)}`,
        ratio(w.datasets, Math.max(1, f.datasets)),
        ratio(w.rawEdges.p95, f.rawEdges.p95),
        ratio(w.store.p95, f.store.p95),
        ratio(w.route.p95, f.route.p95),
      ]);
    }
  }
  return rows.length ? table([header, ...rows]) : '';
}

function ingestionTable(results: LineageMeasureResult[]): string {
  const header = [
    'database, products / edges',
    'events',
    'API events/s',
    'raw inserts events/s',
    'API / raw',
    `target ≥ ${INGEST_TARGET * 100} %`,
  ];
  const rows = results
    .filter(r => r.ingestion)
    .map(r => {
      const i = r.ingestion!;
      const share = i.apiPerSecond / i.rawPerSecond;
      return [
        `${r.database}, ${count(r.products)} / ${count(r.edges)}`,
        count(i.events),
        count(Math.round(i.apiPerSecond)),
        count(Math.round(i.rawPerSecond)),
        `${(share * 100).toFixed(1)} %`,
        share >= INGEST_TARGET ? 'PASS' : 'FAIL',
      ];
    });
  return rows.length ? table([header, ...rows]) : '';
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const cases: WalkCase[] = (['upstream', 'downstream'] as const).flatMap(
    direction => options.depths.map(depth => ({ direction, depth })),
  );
  console.log(`# yarn bench:lineage, ${new Date().toISOString()}`);
  console.log(`machine: ${machineFacts()}`);
  console.log(`SQLite: ${sqlitePageCacheNote()}`);
  console.log(`knex on SQLite: ${knexStatementCacheNote()}`);
  console.log(
    `walks: ${options.queries} timed (+${options.warmup} warm-up) per case from products of the middle layer; route maxNodes=${options.maxNodes}; each mesh and database in its own process\n`,
  );
  const results: LineageMeasureResult[] = [];
  if (options.browser === 'only') {
    await browserBench(options);
    return;
  }
  const largest = options.sizes.reduce((a, b) =>
    a.products * a.edges >= b.products * b.edges ? a : b,
  );
  for (const database of options.databases) {
    for (const size of options.sizes) {
      const job: Omit<LineageMeasureOptions, 'onProgress'> = {
        database,
        ...size,
        cases,
        queries: options.queries,
        warmup: options.warmup,
        maxNodes: options.maxNodes,
        ingestEvents: size === largest ? options.ingestEvents : 0,
        concurrency: options.concurrency,
      };
      results.push(
        // the benchmark runs from its sources (tsx), never from a build
        // eslint-disable-next-line no-restricted-syntax
        await runInChild(path.join(__dirname, 'child.ts'), job, {
          label: `${database} ${size.products}/${size.edges}`,
          timeoutMs: options.timeoutMinutes * 60_000,
          maxOldSpaceMiB: 4096,
        }),
      );
    }
  }
  console.log('\n## Graph walks (p50 and p95 over the timed walks)\n');
  console.log(walkTable(results));
  console.log('\n## Targets at the largest mesh\n');
  console.log(targetTable(results));
  const growth = growthTable(results);
  if (growth) {
    console.log('\n## Growth from the smallest mesh to the largest\n');
    console.log(growth);
  }
  const ingestion = ingestionTable(results);
  if (ingestion) {
    console.log(
      '\n## Ingestion: POST /v1/lineage against plain inserts of the same rows (one transaction per event)\n',
    );
    console.log(ingestion);
  }
  if (options.browser === 'also') {
    await browserBench(options);
  }
}

async function browserBench(options: Options) {
  await runLineageBrowserBench({
    workDir: fs.mkdtempSync(path.join(os.tmpdir(), 'bench-lineage-browser-')),
    sizes: options.browserSizes,
    rounds: options.browserRounds,
  });
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
