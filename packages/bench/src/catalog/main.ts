/**
 * `yarn bench:catalog`: how much more it costs the catalog to ingest DataProduct entities than
 * plain Components, at growing sizes. See packages/bench/README.md.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MeshKind, writeSet } from './generate';
import type { BenchDatabase, Measurement } from './measure';
import { measureProcessors } from './processors';
import { runProblemsBench } from './problems';
import {
  knexBatchInsertNote,
  knexStatementCacheNote,
  machineFacts,
  sqlitePageCacheNote,
} from '../environment';
import { runInChild } from '../fork';
import { table } from '../format';

const TARGET_RATIO = 1.3;

interface Options {
  sizes: number[];
  /** undefined: the catalog's default */
  processingIntervalSeconds?: number;
  timeoutMinutes: number;
  database: BenchDatabase;
  repeat: number;
  sqlStats: boolean;
  refreshRound: boolean;
  keep: boolean;
  browser: boolean;
  browserSize: number;
  browserPort: number;
  problems: boolean;
  problemsSize: number;
  problemsFailing: number;
}

function usage(): never {
  console.log(`Usage: yarn bench:catalog [options]

  --sizes 1000,5000,20000      numbers of entities per set (default 1000,5000,20000)
  --processing-interval <s>    catalog.processingInterval in seconds (default: the catalog's
                               own, 100-150 s; 5 makes the catalog re-read every file every
                               5 s, which at 20,000 entities starves the first pass)
  --database sqlite|postgres   the catalog's database (default sqlite: in memory, as
                               app-config.yaml; postgres: a fresh database on
                               BENCH_POSTGRES_CONNECTION_STRING, default
                               postgresql://postgres@127.0.0.1:5432, as
                               app-config.production.yaml)
  --repeat 1                   runs of each kind per N, alternating which kind goes first; the
                               table uses the median run of each kind (default 1)
  --sql-stats                  after each run, the 12 statements the catalog spent most time
                               in (time from the database client, so the poll's queries too)
  --refresh-round              after each ingestion, make every entity due at once and time the
                               round in which the catalog processes them all again
  --timeout-minutes 60         give up on one run after this long (default 60)
  --keep                       keep the generated YAML files (printed path)
  --browser                    also time the Data products page's first load in Chromium
  --browser-size 5000          data products in the mesh the page is loaded with (default 5000)
  --browser-port 7007          port of the backend it starts (default 7007; a free one from 7100
                               when 7007 is taken)
  --browser-only               only the browser benchmark
  --problems                   also time GET /api/datamesh/problems on a catalog with failing
                               data products (on --database)
  --problems-size 20000        entities in that catalog, half components, half data products
                               (default 20000)
  --problems-failing 1000      of its data products, how many fail validation (default 1000)
  --problems-only              only the problems benchmark
`);
  process.exit(0);
}

function parseArgs(argv: string[]): Options {
  const options: Options = {
    sizes: [1000, 5000, 20000],
    processingIntervalSeconds: undefined,
    timeoutMinutes: 60,
    database: 'sqlite',
    repeat: 1,
    sqlStats: false,
    refreshRound: false,
    keep: false,
    browser: false,
    browserSize: 5000,
    browserPort: 7007,
    problems: false,
    problemsSize: 20000,
    problemsFailing: 1000,
  };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=', 2);
    const value = () => inline ?? argv[++i];
    switch (flag) {
      case '--sizes':
        options.sizes = value()
          .split(',')
          .map(s => Number(s.trim()))
          .filter(n => Number.isInteger(n) && n > 0);
        break;
      case '--processing-interval':
        options.processingIntervalSeconds = Number(value());
        break;
      case '--database': {
        const database = value();
        if (database !== 'sqlite' && database !== 'postgres') {
          console.error(
            `--database must be sqlite or postgres, not ${database}`,
          );
          process.exit(1);
        }
        options.database = database;
        break;
      }
      case '--sql-stats':
        options.sqlStats = true;
        break;
      case '--refresh-round':
        options.refreshRound = true;
        break;
      case '--repeat':
        options.repeat = Math.max(1, Math.floor(Number(value())) || 1);
        break;
      case '--timeout-minutes':
        options.timeoutMinutes = Number(value());
        break;
      case '--keep':
        options.keep = true;
        break;
      case '--browser':
        options.browser = true;
        break;
      case '--browser-only':
        options.browser = true;
        options.sizes = [];
        break;
      case '--browser-port':
        options.browserPort = Number(value());
        break;
      case '--browser-size':
        options.browserSize = Number(value());
        break;
      case '--problems':
        options.problems = true;
        break;
      case '--problems-only':
        options.problems = true;
        options.sizes = [];
        break;
      case '--problems-size':
        options.problemsSize = Number(value());
        break;
      case '--problems-failing':
        options.problemsFailing = Number(value());
        break;
      case '--help':
      case '-h':
        usage();
        break;
      default:
        console.error(`Unknown option ${argv[i]}`);
        usage();
    }
  }
  if (!options.sizes.length && !options.browser && !options.problems) {
    throw new Error('--sizes needs at least one positive integer');
  }
  if (
    !Number.isInteger(options.problemsSize) ||
    options.problemsSize < 2 ||
    !Number.isInteger(options.problemsFailing) ||
    options.problemsFailing < 0 ||
    options.problemsFailing > options.problemsSize / 2
  ) {
    throw new Error(
      '--problems-size must be an integer of at least 2 and --problems-failing an integer from 0 to half of it',
    );
  }
  return options;
}

/** Runs one measurement in a child process (fresh heap, fresh in-memory database). */
function runChild(
  setDir: string,
  kind: MeshKind,
  count: number,
  options: Options,
): Promise<Measurement> {
  const set = writeSet(setDir, kind, count);
  const timeoutMs = options.timeoutMinutes * 60_000;
  // the benchmark runs from its sources (tsx), never from a build
  // eslint-disable-next-line no-restricted-syntax
  const script = path.join(__dirname, 'child.ts');
  return runInChild<Measurement>(
    script,
    {
      set,
      processingIntervalSeconds: options.processingIntervalSeconds,
      database: options.database,
      sqlStats: options.sqlStats,
      refreshRound: options.refreshRound,
      timeoutMs,
    },
    {
      label: `${kind} x ${count}`,
      timeoutMs: timeoutMs + 120_000,
      maxOldSpaceMiB: 8192,
    },
  );
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const perEntity = (ms: number, n: number) => `${(ms / n).toFixed(2)} ms`;

function describe(m: Measurement): string {
  const label = m.kind === 'dataproduct' ? 'data products' : 'components';
  const checks = [
    m.apiTotalItems === m.count
      ? 'API count ok'
      : `API count ${m.apiTotalItems}`,
    m.sampleRelationsOk ? 'sample relations ok' : 'sample relations MISSING',
    m.entitiesWithErrors
      ? `${m.entitiesWithErrors} entities with errors: ${m.sampleErrors.join(
          '; ',
        )}`
      : 'no processing errors',
  ];
  return `  ${label.padEnd(13)} ${seconds(m.totalMs).padStart(
    9,
  )} (processed ${seconds(m.processedMs)}, stitched ${seconds(
    m.totalMs,
  )}; CPU ${seconds(m.cpuMs)}), ${m.entities} entities, ${(
    m.relations / m.count
  ).toFixed(2)} relations, ${m.searchRowsPerEntity.toFixed(
    1,
  )} search rows and ${m.finalEntityBytes} bytes stitched per ${
    m.kind
  }, ${m.passesPerEntity.toFixed(2)} processing passes per ${
    m.kind
  } and ${m.passesPerLocation.toFixed(
    2,
  )} per file, ${m.stitchesPerEntity.toFixed(
    2,
  )} stitch writes per entity, peak RSS ${m.peakRssMiB} MiB${
    m.timedOut ? ', TIMED OUT' : ''
  }; ${checks.join(', ')}${
    m.refreshRound
      ? `; refresh round ${seconds(m.refreshRound.ms)} (CPU ${seconds(
          m.refreshRound.cpuMs,
        )})${m.refreshRound.timedOut ? ' TIMED OUT' : ''}`
      : ''
  }`;
}

/** The run with the median total time (the upper one of the two middle runs for an even count). */
function median(measurements: Measurement[]): Measurement {
  const sorted = [...measurements].sort((a, b) => a.totalMs - b.totalMs);
  return sorted[Math.floor(sorted.length / 2)];
}

function verdict(valid: boolean, ratio: number): string {
  if (!valid) {
    return 'INVALID';
  }
  return ratio <= TARGET_RATIO ? 'PASS' : 'FAIL';
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'datamesh-bench-'));
  const interval = options.processingIntervalSeconds
    ? `${options.processingIntervalSeconds} s`
    : "the catalog's default (100-150 s)";
  console.log(`Catalog ingestion: DataProduct entities against plain Components
  sizes ${options.sizes.join(', ')}; catalog plugin and the data mesh module, ${
    options.database === 'sqlite'
      ? 'in-memory SQLite'
      : 'PostgreSQL (a fresh database per run)'
  }
  catalog.processingInterval: ${interval}
  knex batchInsert: ${knexBatchInsertNote()}${
    options.database === 'sqlite'
      ? `\n  knex better-sqlite3 statements: ${knexStatementCacheNote()}\n  SQLite (better-sqlite3): ${sqlitePageCacheNote()}`
      : ''
  }
  each set: 12 Groups, 12 Domains and N entities, in YAML files of 250 entities, each file
  registered as a location
  timed: from the start of a fresh backend until every entity is processed and stitched (read from
  the catalog's refresh_state, stitch_queue and final_entities tables); then checked through the
  REST API (by-query totalItems of the kind, relations of a sample of entities)
  files: ${workDir}
  ${machineFacts()}
`);

  const results: Array<{
    n: number;
    components?: Measurement;
    products?: Measurement;
    error?: string;
  }> = [];
  if (options.sizes.length > 0) {
    const componentCost = await measureProcessors('component', 5000);
    const productCost = await measureProcessors('dataproduct', 5000);
    console.log(
      `Kind-specific processors alone (BuiltinKindsEntityProcessor + DataMeshEntitiesProcessor, in process, 5000 entities):
  components ${componentCost.microsPerEntity.toFixed(
    0,
  )} µs per entity (${componentCost.emitted.toFixed(
        1,
      )} results emitted), data products ${productCost.microsPerEntity.toFixed(
        0,
      )} µs per entity (${productCost.emitted.toFixed(1)} results emitted)
`,
    );

    for (const n of options.sizes) {
      console.log(`N = ${n}`);
      const row: (typeof results)[number] = { n };
      results.push(row);
      const runs: Record<MeshKind, Measurement[]> = {
        component: [],
        dataproduct: [],
      };
      try {
        for (let run = 0; run < options.repeat; run++) {
          // alternate which kind goes first, so that a drift in the machine's load does not
          // always fall on the same kind
          const order: MeshKind[] =
            run % 2 === 0
              ? ['component', 'dataproduct']
              : ['dataproduct', 'component'];
          for (const kind of order) {
            const measurement = await runChild(
              path.join(workDir, `${kind}-${n}-${run}`),
              kind,
              n,
              options,
            );
            runs[kind].push(measurement);
            console.log(
              `${describe(measurement)}${
                options.repeat > 1 ? ` (run ${run + 1}/${options.repeat})` : ''
              }`,
            );
            for (const statement of measurement.sqlStats ?? []) {
              console.log(
                `      ${seconds(statement.totalMs).padStart(8)} ${String(
                  statement.count,
                ).padStart(7)}x  ${statement.sql}`,
              );
            }
          }
        }
        row.components = median(runs.component);
        row.products = median(runs.dataproduct);
        if (options.repeat > 1) {
          const range = (ms: Measurement[]) =>
            `${seconds(Math.min(...ms.map(m => m.totalMs)))} to ${seconds(
              Math.max(...ms.map(m => m.totalMs)),
            )}`;
          console.log(
            `  ${options.repeat} runs each: components ${range(
              runs.component,
            )}, data products ${range(
              runs.dataproduct,
            )}; the table uses the medians`,
          );
        }
      } catch (error) {
        row.error = String((error as Error).message ?? error);
        console.log(`  ERROR ${row.error}`);
      }
    }

    const header = [
      'N',
      'components',
      'data products',
      'ratio',
      'ms/component',
      'ms/data product',
      `target ≤ ${TARGET_RATIO}`,
      'CPU ratio',
      'ratio per search row',
    ];
    const rows = results.map(({ n, components, products, error }) => {
      if (!components || !products || error) {
        return [
          String(n),
          components ? seconds(components.totalMs) : '-',
          products ? seconds(products.totalMs) : '-',
          '-',
          '-',
          '-',
          'ERROR',
          '-',
          '-',
        ];
      }
      const ratio = products.totalMs / components.totalMs;
      const valid = !components.timedOut && !products.timedOut;
      return [
        String(n),
        seconds(components.totalMs),
        seconds(products.totalMs),
        ratio.toFixed(2),
        perEntity(components.totalMs, n),
        perEntity(products.totalMs, n),
        verdict(valid, ratio),
        (products.cpuMs / components.cpuMs).toFixed(2),
        (
          products.totalMs /
          products.searchRowsPerEntity /
          (components.totalMs / components.searchRowsPerEntity)
        ).toFixed(2),
      ];
    });
    console.log(
      [
        '',
        'Time until every entity is processed and stitched (ratio = data products / components;',
        'CPU ratio: the same for the CPU time the catalog process used, less sensitive to other load;',
        'ratio per search row: the ratio of the times divided by search index rows per entity, which',
        'the catalog writes for every field of an entity: how the kinds compare for the same content)',
        '',
      ].join('\n'),
    );
    console.log(table([header, ...rows]));

    if (options.refreshRound) {
      const roundRows = results.flatMap(({ n, components, products }) => {
        const c = components?.refreshRound;
        const p = products?.refreshRound;
        if (!c || !p) {
          return [];
        }
        return [
          [
            String(n),
            seconds(c.ms),
            seconds(p.ms),
            (p.ms / c.ms).toFixed(2),
            (p.cpuMs / c.cpuMs).toFixed(2),
            c.timedOut || p.timedOut ? 'TIMED OUT' : '',
          ],
        ];
      });
      console.log(
        [
          '',
          'One refresh round after ingestion: every entity made due at once, timed until each entity',
          'of the kind and each file location was processed again (what a running catalog repeats every',
          'processing interval; nothing changes, so nothing is stitched)',
          '',
        ].join('\n'),
      );
      console.log(
        table([
          ['N', 'components', 'data products', 'ratio', 'CPU ratio', ''],
          ...roundRows,
        ]),
      );
    }
  }

  if (options.browser) {
    const { runBrowserBench } = await import('./browser');
    await runBrowserBench({
      workDir,
      size: options.browserSize,
      port: options.browserPort,
    });
  }

  if (options.problems) {
    await runProblemsBench({
      workDir,
      size: options.problemsSize,
      failing: options.problemsFailing,
      database: options.database,
      processingIntervalSeconds: options.processingIntervalSeconds,
      timeoutMs: options.timeoutMinutes * 60_000,
    });
  }

  if (!options.keep) {
    fs.rmSync(workDir, { recursive: true, force: true });
  }
  // A benchmark informs; it fails only when it could not measure.
  process.exitCode = results.some(r => r.error) ? 1 : 0;
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
