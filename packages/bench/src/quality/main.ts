/**
 * `yarn bench:quality`: how fast the data mesh backend ingests quality results through its HTTP
 * API against a raw insert of the same rows, and how long its health, latest-checks and history
 * routes and the Mesh health page's query take on a store holding a year of hourly runs, at
 * growing numbers of data products, on SQLite and PostgreSQL. See packages/bench/README.md.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BenchDatabase } from '../catalog/measure';
import {
  knexBatchInsertNote,
  knexStatementCacheNote,
  machineFacts,
  sqlitePageCacheNote,
} from '../environment';
import { databasesArg, integerArg } from '../args';
import { runInChild } from '../fork';
import { count, median, ms, table } from '../format';
import type { SqliteStorage } from './backend';
import type { ChildJob } from './child';
import { IngestResult, STORE_BATCH } from './ingest';
import { READ_ROUTES, ReadsResult } from './reads';

/** The issue's target: the API stores at least this share of what a raw insert does. */
const INGEST_TARGET = 0.5;
/** The size the read targets are set for. */
const TARGET_SIZE = 1000;

interface Options {
  databases: BenchDatabase[];
  sizes: number[];
  ingest: boolean;
  reads: boolean;
  ingestRequests: number;
  concurrency: number;
  replicas: number;
  rawBatch: number;
  ingestSqlite: SqliteStorage;
  readsSqlite: SqliteStorage;
  requests: number;
  warmup: number;
  repeat: number;
  historyDays: number;
  retentionDays: number;
  updatesDays: number;
  checksPerRun: number;
  explain: boolean;
  timeoutMinutes: number;
  keep: boolean;
}

const USAGE = `Usage: yarn bench:quality [options]

  --databases sqlite,postgres  the databases, each measured in the same run (default both;
                               postgres: fresh databases on BENCH_POSTGRES_CONNECTION_STRING,
                               default postgresql://postgres@127.0.0.1:5432)
  --sizes 100,1000,5000        data products of the read benchmark (default 100,1000,5000)
  --ingest-only, --reads-only  one part only
  --ingest-requests 400        posts per ingestion round (default 400)
  --concurrency 8              posts in flight (default 8)
  --replicas 4                 data products per fixture document (default 4)
  --raw-batch ${STORE_BATCH}              batchInsert chunk size of the raw baseline (default ${STORE_BATCH}, the store's)
  --ingest-sqlite memory       SQLite of the ingestion: memory (default, as app-config.yaml) or file
  --reads-sqlite file          SQLite of the reads: file (default: a year of data outlives a process)
                               or memory
  --requests 200               timed requests per route and round (default 200)
  --warmup 20                  untimed requests per route first (default 20)
  --repeat 1                   rounds of each measurement; tables use the medians (default 1)
  --history-days 365           days of daily rollups (default 365)
  --retention-days 30          days of raw results, runs and metric points (default 30, the store's)
  --updates-days 90            days of port updates (default 90, the store's retention of them,
                               or --history-days when fewer)
  --checks-per-run 10          checks of each hourly run (default 10)
  --explain                    print each read route's statements with their query plans
  --timeout-minutes 30         give up on one measurement after this long (default 30)
  --keep                       keep the work directory (generated YAML files)
`;

function usage(code: number): never {
  (code ? console.error : console.log)(USAGE);
  process.exit(code);
}

function fail(message: string): never {
  console.error(message);
  return usage(1);
}

function positiveInteger(flag: string, text: string): number {
  return integerArg(flag, text, fail);
}

function storage(flag: string, text: string): SqliteStorage {
  if (text !== 'memory' && text !== 'file') {
    console.error(
      `${flag} must be memory or file, not ${JSON.stringify(text)}`,
    );
    usage(1);
  }
  return text;
}

function parseArgs(argv: string[]): Options {
  const options: Options = {
    databases: ['sqlite', 'postgres'],
    sizes: [100, 1000, 5000],
    ingest: true,
    reads: true,
    ingestRequests: 400,
    concurrency: 8,
    replicas: 4,
    rawBatch: STORE_BATCH,
    ingestSqlite: 'memory',
    readsSqlite: 'file',
    requests: 200,
    warmup: 20,
    repeat: 1,
    historyDays: 365,
    retentionDays: 30,
    updatesDays: 90,
    checksPerRun: 10,
    explain: false,
    timeoutMinutes: 30,
    keep: false,
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
          .map(s => positiveInteger('--sizes', s.trim()));
        break;
      case '--ingest-only':
        options.reads = false;
        break;
      case '--reads-only':
        options.ingest = false;
        break;
      case '--ingest-requests':
        options.ingestRequests = positiveInteger(flag, value());
        break;
      case '--concurrency':
        options.concurrency = positiveInteger(flag, value());
        break;
      case '--replicas':
        options.replicas = positiveInteger(flag, value());
        break;
      case '--raw-batch':
        options.rawBatch = positiveInteger(flag, value());
        break;
      case '--ingest-sqlite':
        options.ingestSqlite = storage(flag, value());
        break;
      case '--reads-sqlite':
        options.readsSqlite = storage(flag, value());
        break;
      case '--requests':
        options.requests = positiveInteger(flag, value());
        break;
      case '--warmup':
        options.warmup = Number(value());
        if (!Number.isInteger(options.warmup) || options.warmup < 0) {
          console.error('--warmup must be 0 or more');
          usage(1);
        }
        break;
      case '--repeat':
        options.repeat = positiveInteger(flag, value());
        break;
      case '--history-days':
        options.historyDays = positiveInteger(flag, value());
        break;
      case '--retention-days':
        options.retentionDays = positiveInteger(flag, value());
        break;
      case '--updates-days':
        options.updatesDays = positiveInteger(flag, value());
        break;
      case '--checks-per-run':
        options.checksPerRun = positiveInteger(flag, value());
        break;
      case '--explain':
        options.explain = true;
        break;
      case '--timeout-minutes':
        options.timeoutMinutes = positiveInteger(flag, value());
        break;
      case '--keep':
        options.keep = true;
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
  if (!options.databases.length) {
    console.error('--databases needs sqlite, postgres or both');
    usage(1);
  }
  if (options.retentionDays > options.historyDays) {
    console.error('--retention-days cannot be more than --history-days');
    usage(1);
  }
  if (!argv.some(arg => arg.startsWith('--updates-days'))) {
    // the store's retention of port updates, within the history
    options.updatesDays = Math.min(options.updatesDays, options.historyDays);
  }
  if (options.updatesDays > options.historyDays) {
    console.error('--updates-days cannot be more than --history-days');
    usage(1);
  }
  return options;
}

/** Runs one measurement in a child process (fresh heap, fresh databases). */
function runChild<T>(job: ChildJob, label: string, timeoutMs: number) {
  // the benchmark runs from its sources (tsx), never from a build
  // eslint-disable-next-line no-restricted-syntax
  return runInChild<T>(path.join(__dirname, 'child.ts'), job, {
    label,
    timeoutMs,
    maxOldSpaceMiB: 4096,
  });
}

const loadAverage = () =>
  os
    .loadavg()
    .map(l => l.toFixed(2))
    .join(' ');
const perSecond = (n: number) => `${count(Math.round(n))}/s`;
const percent = (ratio: number) => `${(ratio * 100).toFixed(1)} %`;
function bytesText(bytes: number): string {
  if (bytes >= 2 ** 30) {
    return `${(bytes / 2 ** 30).toFixed(2)} GiB`;
  }
  if (bytes >= 2 ** 20) {
    return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
  }
  return `${(bytes / 1024).toFixed(1)} KiB`;
}

function ingestionTable(results: IngestResult[]): string {
  const header = [
    'database',
    'API check results/s',
    'raw batchInsert rows/s',
    'API / raw',
    `target ≥ ${INGEST_TARGET * 100} %`,
    'raw, one batchInsert per run',
    'API / that',
    'posts/s',
    'post p50',
    'post p95',
  ];
  const rows = results.map(result => {
    const m = (pick: (r: IngestResult['rounds'][number]) => number) =>
      median(result.rounds.map(pick));
    const api = m(r => r.api.rowsPerSecond);
    const raw = m(r => r.raw.rowsPerSecond);
    const perRun = m(r => r.rawPerRun.rowsPerSecond);
    const ratio = m(r => r.api.rowsPerSecond / r.raw.rowsPerSecond);
    return [
      result.database,
      perSecond(api),
      perSecond(raw),
      percent(ratio),
      ratio >= INGEST_TARGET ? 'PASS' : 'FAIL',
      perSecond(perRun),
      percent(m(r => r.api.rowsPerSecond / r.rawPerRun.rowsPerSecond)),
      perSecond(m(r => (r.api.requests * 1000) / r.api.ms)),
      ms(m(r => r.api.p50Ms)),
      ms(m(r => r.api.p95Ms)),
    ];
  });
  return table([header, ...rows]);
}

function ingestionDetails(result: IngestResult): string {
  const m = (pick: (r: IngestResult['rounds'][number]) => number) =>
    median(result.rounds.map(pick));
  const rows = m(r => r.api.rows / r.api.requests);
  return `  ${result.database}: per post ${rows.toFixed(
    1,
  )} check results in ${m(r => r.api.checkInserts / r.api.requests).toFixed(
    2,
  )} insert statements, ${m(r => r.api.statementsPerPost).toFixed(
    1,
  )} statements of the store (${ms(
    m(r => r.api.statementMsPerPost),
  )} summed), ${m(r => r.api.catalogCallsPerPost).toFixed(
    1,
  )} calls to the catalog (${ms(m(r => r.api.catalogMsPerPost))} summed), ${ms(
    m(r => r.api.cpuMsPerPost),
  )} of CPU in the backend process (client included)`;
}

function readsTables(results: ReadsResult[], sizes: number[]): string {
  const out: string[] = [];
  const bySize = new Map(results.map(r => [r.size, r]));
  const smallest = Math.min(...results.map(r => r.size));
  const largest = Math.max(...results.map(r => r.size));
  const header = [
    'route',
    'target p95',
    ...sizes.map(n => `p95 @ ${count(n)}`),
    `at ${count(TARGET_SIZE)}`,
    `growth ${count(smallest)} → ${count(largest)}`,
  ];
  const rows = READ_ROUTES.map(route => {
    const p95 = (n: number) =>
      bySize.get(n)?.routes.find(r => r.id === route.id)?.p95Ms;
    const atTarget = p95(TARGET_SIZE);
    const small = p95(smallest);
    const large = p95(largest);
    let verdict = '-';
    if (route.targetMs !== undefined && atTarget !== undefined) {
      verdict = atTarget <= route.targetMs ? 'PASS' : 'FAIL';
    }
    return [
      route.label,
      route.targetMs !== undefined ? `${route.targetMs} ms` : '-',
      ...sizes.map(n => (p95(n) === undefined ? '-' : ms(p95(n)!))),
      verdict,
      small !== undefined && large !== undefined && largest > smallest
        ? `× ${(large / small).toFixed(2)}`
        : '-',
    ];
  });
  out.push(table([header, ...rows]));
  for (const result of results) {
    out.push(
      '',
      `  ${count(
        result.size,
      )} products, per request: latency, CPU of the backend process (client included), the store's statements and their time, the calls to the catalog and their time, the size of the answer`,
      '',
      table([
        [
          'route',
          'p50',
          'p95',
          'max',
          'CPU',
          'statements',
          'store ms',
          'catalog calls',
          'catalog ms',
          'answer',
        ],
        ...result.routes.map(r => [
          READ_ROUTES.find(route => route.id === r.id)!.label,
          ms(r.p50Ms),
          ms(r.p95Ms),
          ms(r.maxMs),
          ms(r.cpuMs),
          r.statements.toFixed(1),
          ms(r.statementMs),
          r.catalogCalls.toFixed(1),
          ms(r.catalogMs),
          bytesText(r.bytes),
        ]),
      ]),
    );
  }
  return out.join('\n');
}

function seedLine(result: ReadsResult): string {
  const rows = Object.values(result.seed.rows).reduce((a, b) => a + b, 0);
  const h = result.seed.health;
  return `    seeded ${count(rows)} rows in ${(result.seed.ms / 1000).toFixed(
    1,
  )} s (${Object.entries(result.seed.rows)
    .map(([t, n]) => `${t} ${count(n)}`)
    .join(', ')}); the store's database ${bytesText(
    result.seed.databaseBytes,
  )}; ${h.healthy} healthy, ${h.degraded} degraded, ${h.breaching} breaching`;
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const workDir = fs.mkdtempSync(
    path.join(os.tmpdir(), 'datamesh-bench-quality-'),
  );
  const timeoutMs = options.timeoutMinutes * 60_000;
  console.log(`Quality and health store: ingestion through the HTTP API against a raw insert, and read latency
  databases: ${options.databases.join(
    ', ',
  )} (each plugin its own database, as the backend gives them;
  PostgreSQL: fresh databases on ${
    process.env.BENCH_POSTGRES_CONNECTION_STRING ??
    'postgresql://postgres@127.0.0.1:5432'
  })
  backend: startTestBackend with the catalog, the data mesh catalog module and the data mesh backend
  plugin, one process per measurement; requests from the same process, signed in as a user
  knex batchInsert: ${knexBatchInsertNote()}
  knex better-sqlite3 statements: ${knexStatementCacheNote()}
  SQLite (better-sqlite3): ${sqlitePageCacheNote()}
  ${machineFacts()}
  work directory: ${workDir}
`);
  if (options.ingest) {
    console.log(`Ingestion: ${count(options.ingestRequests)} posts per round, ${
      options.concurrency
    } in flight, ${options.replicas} data products per fixture document, ${
      options.repeat
    } round(s); SQLite ${
      options.ingestSqlite === 'memory' ? 'in memory' : 'in a file'
    }
  each post a fixture document (fixtures/dbt/*run_results.json with its manifest as a -F form,
  fixtures/great-expectations/*.json as JSON) with its times moved to make it a new run; the
  baseline: the rows the posts stored, read back and inserted again into quality_check_results
  with knex batchInsert (chunks of ${
    options.rawBatch
  }), and once more with one batchInsert per run`);
  }
  if (options.reads) {
    console.log(`Reads: ${options.sizes
      .map(count)
      .join(', ')} data products; each a year of hourly runs with ${
      options.checksPerRun
    } checks and 10 metrics,
  as the store keeps them: raw results, runs and metric points for ${
    options.retentionDays
  } days, daily
  rollups for ${options.historyDays} days, port updates for ${
      options.updatesDays
    } days (their retention),
  latest checks, health, transitions, incidents; ${
    options.requests
  } timed requests per route and round
  after ${
    options.warmup
  } untimed, sequential, each for a random product; SQLite ${
      options.readsSqlite === 'memory' ? 'in memory' : 'in a file'
    }`);
  }
  console.log('');

  const ingestion: IngestResult[] = [];
  const reads: ReadsResult[] = [];
  const errors: string[] = [];
  for (const database of options.databases) {
    if (options.ingest) {
      console.log(`${database}: ingestion (load average ${loadAverage()})`);
      try {
        const result = await runChild<IngestResult>(
          {
            type: 'ingest',
            options: {
              database,
              sqlite: options.ingestSqlite,
              workDir,
              requests: options.ingestRequests,
              concurrency: options.concurrency,
              replicas: options.replicas,
              rounds: options.repeat,
              rawBatch: options.rawBatch,
              timeoutMs,
            },
          },
          `${database} ingestion`,
          timeoutMs,
        );
        ingestion.push(result);
        console.log(
          `    ${result.documents.length} documents (${result.documents
            .map(d => `${path.basename(d.file)} ${d.checks}`)
            .join(', ')}), ${result.products} data products; left out: ${
            result.skipped
              .map(s => `${path.basename(s.file)} (${s.reason})`)
              .join('; ') || 'none'
          }`,
        );
      } catch (error) {
        errors.push((error as Error).message);
        console.log(`  ERROR ${(error as Error).message}`);
      }
    }
    if (options.reads) {
      for (const size of options.sizes) {
        console.log(
          `${database}: reads, ${count(
            size,
          )} data products (load average ${loadAverage()})`,
        );
        try {
          const result = await runChild<ReadsResult>(
            {
              type: 'reads',
              options: {
                database,
                sqlite: options.readsSqlite,
                workDir,
                size,
                requests: options.requests,
                warmup: options.warmup,
                rounds: options.repeat,
                historyDays: options.historyDays,
                retentionDays: options.retentionDays,
                updatesDays: options.updatesDays,
                checksPerRun: options.checksPerRun,
                explain: options.explain,
                timeoutMs,
              },
            },
            `${database} reads at ${size}`,
            timeoutMs,
          );
          reads.push(result);
          console.log(seedLine(result));
          for (const problem of result.problems) {
            console.log(`    WRONG ANSWER ${problem}`);
          }
          for (const plan of result.plans ?? []) {
            console.log(`    ${plan.route}`);
            for (const statement of plan.statements) {
              console.log(`      ${statement}`);
            }
          }
        } catch (error) {
          errors.push((error as Error).message);
          console.log(`  ERROR ${(error as Error).message}`);
        }
      }
    }
  }

  if (ingestion.length) {
    console.log(
      `\nIngestion: check results stored per second through POST /v1/products/{ns}/{name}/quality, against the same rows inserted with knex batchInsert (medians of ${options.repeat} round(s))\n`,
    );
    console.log(ingestionTable(ingestion));
    console.log('');
    for (const result of ingestion) {
      console.log(ingestionDetails(result));
    }
  }
  for (const database of options.databases) {
    const results = reads.filter(r => r.database === database);
    if (results.length) {
      console.log(
        `\nReads on ${database}: p95 latency per route (median of ${
          options.repeat
        } round(s) of ${options.requests} requests); targets at ${count(
          TARGET_SIZE,
        )} products; growth: p95 at the largest size over p95 at the smallest\n`,
      );
      console.log(readsTables(results, options.sizes));
    }
  }
  if (errors.length) {
    console.log(`\nNot measured:\n${errors.map(e => `  ${e}`).join('\n')}`);
  }
  if (!options.keep) {
    fs.rmSync(workDir, { recursive: true, force: true });
  }
  // a benchmark informs; it fails only when it could not measure
  process.exitCode = errors.length ? 1 : 0;
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
