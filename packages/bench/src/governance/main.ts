/**
 * `yarn bench:governance`: the time to evaluate every default governance policy over N data
 * products with their facts (contracts, infrastructure descriptors, quality, health, observed
 * lineage), as the portal's scheduled evaluation runs it, against the time the catalog took to
 * process the same products in the same run (the target: under 10 % at 5,000), and how
 * both grow from 1,000 to 20,000 products. See packages/bench/README.md.
 */
import path from 'node:path';
import { databasesArg, integerArg } from '../args';
import type { BenchDatabase } from '../catalog/measure';
import {
  knexStatementCacheNote,
  machineFacts,
  sqlitePageCacheNote,
} from '../environment';
import { runInChild } from '../fork';
import { ms, seconds } from '../format';
import type {
  GovernanceMeasureOptions,
  GovernanceMeasurement,
} from './measure';
import {
  factSourcesTable,
  growthTable,
  outcomesTable,
  partsTable,
  summarize,
  summaryTable,
} from './report';

interface Options {
  sizes: number[];
  database: BenchDatabase;
  repeat: number;
  timeoutMinutes: number;
  keep: boolean;
}

const USAGE = `Usage: yarn bench:governance [options]

  --sizes 1000,5000,20000   numbers of data products (default as shown; 20,000 takes its catalog
                            several minutes: --sizes 1000,5000 for a quicker run)
  --repeat 3                full evaluation passes per size (default 3): the first on an empty
                            store stores every result, the others find them unchanged
  --database sqlite         sqlite (in memory, the default) or postgres (fresh databases on
                            BENCH_POSTGRES_CONNECTION_STRING, default postgresql://postgres@127.0.0.1:5432)
  --timeout-minutes 60      give up on one size after this long (default 60)
  --keep                    keep the generated files
`;

function usage(code: number): never {
  (code ? console.error : console.log)(USAGE);
  process.exit(code);
}

function fail(message: string): never {
  console.error(message);
  return usage(1);
}

/** Reads the command line; exits with the usage on a bad option. */
export function parseArgs(argv: string[]): Options {
  const options: Options = {
    sizes: [1000, 5000, 20000],
    database: 'sqlite',
    repeat: 3,
    timeoutMinutes: 60,
    keep: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=', 2);
    const value = () => inline ?? argv[++i] ?? '';
    switch (flag) {
      case '--sizes':
        options.sizes = value()
          .split(',')
          .map(s => integerArg('--sizes', s.trim(), fail));
        break;
      case '--repeat':
        options.repeat = integerArg(flag, value(), fail);
        break;
      case '--database': {
        const list = databasesArg(value(), fail);
        if (list.length !== 1) {
          fail('--database takes one of sqlite or postgres');
        }
        options.database = list[0];
        break;
      }
      case '--timeout-minutes':
        options.timeoutMinutes = integerArg(flag, value(), fail);
        break;
      case '--keep':
        options.keep = true;
        break;
      case '--help':
      case '-h':
        usage(0);
        break;
      default:
        fail(`Unknown option ${argv[i]}`);
    }
  }
  return options;
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  console.log(`# yarn bench:governance, ${new Date().toISOString()}`);
  console.log(`machine: ${machineFacts()}`);
  if (options.database === 'sqlite') {
    console.log(`SQLite: ${sqlitePageCacheNote()}`);
    console.log(`knex on SQLite: ${knexStatementCacheNote()}`);
  }
  console.log(
    `database: ${options.database} (the catalog's and the data mesh plugin's each their own); ${options.repeat} evaluation passes per size; each size in its own process\n`,
  );
  const results: GovernanceMeasurement[] = [];
  let failures = 0;
  for (const products of options.sizes) {
    console.log(`## ${products} data products`);
    const job: Omit<GovernanceMeasureOptions, 'onProgress'> = {
      products,
      database: options.database,
      passes: options.repeat,
      timeoutMs: options.timeoutMinutes * 60_000,
      keep: options.keep,
    };
    try {
      const result = await runInChild<GovernanceMeasurement>(
        // the benchmark runs from its sources (tsx), never from a build
        // eslint-disable-next-line no-restricted-syntax
        path.join(__dirname, 'child.ts'),
        job,
        {
          label: `${products} data products`,
          timeoutMs: job.timeoutMs + 60_000,
          maxOldSpaceMiB: 8192,
        },
      );
      results.push(result);
      const [first] = result.passes;
      console.log(
        `  => catalog ${seconds(result.catalog.totalMs)} (CPU ${seconds(
          result.catalog.cpuMs,
        )}); first evaluation pass ${seconds(first.ms)} (CPU ${seconds(
          first.cpuMs,
        )}, ${first.evaluated} evaluated, ${
          first.failed
        } failed); rules alone ${ms(result.parts.rules.ms)}; seed ${seconds(
          result.seed.ms,
        )}; peak RSS ${result.peakRssMiB} MiB; load average now ${
          machineFacts().split('load average ')[1]
        }\n`,
      );
    } catch (error) {
      failures += 1;
      console.error(`  ${(error as Error).message}\n`);
    }
  }
  if (results.length === 0) {
    process.exit(1);
  }
  const summaries = results.map(summarize);
  console.log(
    'Evaluation of every default policy against the catalog processing:\n',
  );
  console.log(summaryTable(summaries));
  console.log('\nGrowth:\n');
  console.log(growthTable(summaries));
  console.log(
    '\nOne pass in parts (after the full passes; its results stored on a fresh database):\n',
  );
  console.log(partsTable(results));
  console.log(
    '\nThe facts by source (the parts run; calls one after the other):\n',
  );
  console.log(factSourcesTable(results));
  const largest = results.reduce((a, b) => (a.products >= b.products ? a : b));
  console.log(`\nOutcomes at ${largest.products} products:\n`);
  console.log(outcomesTable(largest));
  // a benchmark informs; it does not gate
  process.exit(failures ? 1 : 0);
}

if (require.main === module) {
  main().catch(error => {
    console.error(error);
    process.exit(1);
  });
}
