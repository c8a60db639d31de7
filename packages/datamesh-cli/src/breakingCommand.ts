import { parseArgs } from 'node:util';
import {
  BreakingReport,
  DEFAULT_REQUIRED_LIFECYCLES,
  findBreakingChanges,
} from './breaking';
import {
  CliIo,
  EXIT_PASS,
  EXIT_REQUIRED_FAILED,
  EXIT_USAGE,
  UsageError,
  annotate,
  sharedOptions,
} from './io';
import { PortalClient } from './portal';
import { InputProblem, readRepositoryProducts } from './readProduct';

/** The help of `datamesh breaking`, printed by `--help` and after a usage error. */
export const BREAKING_USAGE = `Usage: datamesh breaking [catalog-info.yaml] --portal-url <url> [options]

Compares the data contracts of the repository's data products with those the portal holds, and
names every consumer a breaking change would hit (a removed or retyped column, a tightened
constraint or quality rule, a removed port, contract or schema object): the products that declare
the port as an input port, and those whose jobs the portal saw reading it, narrowed to the
changed columns by their observed column lineage.

Options:
  --portal-url <url>            the portal (env DATAMESH_PORTAL_URL); required
  --token <token>               a token of the portal (env DATAMESH_TOKEN)
  --product <name>              compare only this DataProduct of the file
  --required-lifecycles <list>  the consumers whose break fails the run, by lifecycle,
                                comma-separated (production by default; * for every one)
  --format text|json            text by default
  --help, -h                    this help

Exit codes: 0 no required consumer breaks, 1 a change breaks a required consumer, 2 usage or
input error (the portal unreachable, the token refused, a contract that cannot be compared).`;

function parseBreakingArgs(args: string[]) {
  return parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: {
      'portal-url': { type: 'string' },
      token: { type: 'string' },
      product: { type: 'string' },
      'required-lifecycles': { type: 'string' },
      format: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function printText(
  io: CliIo,
  reports: BreakingReport[],
  portalUrl: string,
  requiredLifecycles: string[],
) {
  for (const report of reports) {
    io.stdout(`${report.entityRef} (${report.file}) against ${portalUrl}`);
    for (const change of report.changes) {
      io.stdout(
        `  ${change.breaking ? 'BREAKING' : 'CHANGE  '} ${change.message}`,
      );
      if (change.breaking && change.hits.length === 0) {
        io.stdout('    breaks no known consumer');
      }
      for (const hit of change.hits) {
        io.stdout(
          `    ${hit.required ? 'breaks' : 'affects'} ${
            hit.entityRef
          }: ${hit.reasons.join('; ')}`,
        );
      }
    }
    if (report.status === 'compared' && report.changes.length === 0) {
      io.stdout('  the contracts are the ones the portal holds');
    }
    for (const note of report.notes) {
      io.stdout(`  NOTE ${note}`);
    }
  }
  const breaking = reports.flatMap(r => r.changes.filter(c => c.breaking));
  const hit = new Map(
    reports.flatMap(r =>
      r.consumers
        .filter(c =>
          breaking.some(b => b.hits.some(h => h.entityRef === c.entityRef)),
        )
        .map(c => [c.entityRef, c] as const),
    ),
  );
  const required = [...hit.values()].filter(c => c.required);
  const lifecycles = requiredLifecycles.includes('*')
    ? 'every lifecycle'
    : `lifecycle ${requiredLifecycles.join(', ')}`;
  if (breaking.length === 0) {
    io.stdout('datamesh breaking: no breaking change');
    return;
  }
  io.stdout(
    `datamesh breaking: ${plural(breaking.length, 'breaking change')} ${
      hit.size === 0
        ? 'break no known consumer'
        : `hit ${plural(hit.size, 'consumer')}`
    }${
      hit.size ? `, ${required.length} of them required (${lifecycles})` : ''
    }`,
  );
  for (const consumer of hit.values()) {
    const changes = breaking
      .filter(b => b.hits.some(h => h.entityRef === consumer.entityRef))
      .map(b => [b.port, b.object, b.property].filter(Boolean).join('.'));
    io.stdout(
      `  ${consumer.required ? 'required' : 'optional'} ${
        consumer.entityRef
      } (${[
        consumer.lifecycle ?? 'lifecycle unknown',
        consumer.owner && `owner ${consumer.owner}`,
        consumer.onCall && `on-call ${consumer.onCall}`,
      ]
        .filter(Boolean)
        .join(', ')}): ${[...new Set(changes)].join(', ')}`,
    );
  }
}

/**
 * `datamesh breaking`: resolves to the exit code; bad input is said on stderr (naming the
 * option, file, field or the portal's answer) and resolves to {@link EXIT_USAGE}.
 */
export async function runBreaking(args: string[], io: CliIo): Promise<number> {
  let parsed: ReturnType<typeof parseBreakingArgs>;
  let shared: ReturnType<typeof sharedOptions>;
  try {
    parsed = parseBreakingArgs(args);
    if (parsed.values.help) {
      io.stdout(BREAKING_USAGE);
      return EXIT_PASS;
    }
    shared = sharedOptions(parsed.values, parsed.positionals, io.env);
    if (!shared.portalUrl) {
      throw new UsageError(
        'give the portal whose contracts and consumers to compare with: --portal-url or DATAMESH_PORTAL_URL',
      );
    }
  } catch (error) {
    io.stderr(`datamesh breaking: ${(error as Error).message}`);
    if (!(error instanceof UsageError)) {
      io.stderr(BREAKING_USAGE);
    }
    return EXIT_USAGE;
  }
  const { file, format, token } = shared;
  const portalUrl = shared.portalUrl;
  const requiredLifecycles = (
    parsed.values['required-lifecycles'] ??
    DEFAULT_REQUIRED_LIFECYCLES.join(',')
  )
    .split(',')
    .map(l => l.trim())
    .filter(Boolean);
  if (requiredLifecycles.length === 0) {
    io.stderr(
      'datamesh breaking: --required-lifecycles needs at least one lifecycle, or *',
    );
    return EXIT_USAGE;
  }

  const portal = new PortalClient({ portalUrl, token, fetch: io.fetch });
  const reports: BreakingReport[] = [];
  try {
    const products = readRepositoryProducts(file, {
      product: parsed.values.product,
    });
    for (const product of products) {
      reports.push(
        await findBreakingChanges({ portal, product, requiredLifecycles }),
      );
    }
  } catch (error) {
    if (error instanceof InputProblem) {
      for (const problem of error.problems) {
        io.stderr(`datamesh breaking: ${problem}`);
      }
      return EXIT_USAGE;
    }
    throw error;
  }

  const exitCode = reports.some(r =>
    r.changes.some(c => c.hits.some(h => h.required)),
  )
    ? EXIT_REQUIRED_FAILED
    : EXIT_PASS;
  if (format === 'json') {
    io.stdout(
      JSON.stringify(
        { exitCode, portal: portal.base, products: reports },
        null,
        2,
      ),
    );
    return exitCode;
  }
  printText(io, reports, portal.base, requiredLifecycles);
  for (const report of reports) {
    for (const change of report.changes) {
      for (const hit of change.hits) {
        annotate(
          io,
          hit.required ? 'error' : 'warning',
          { file: report.file, title: `Breaking change: ${change.port}` },
          `${change.message} breaks ${hit.entityRef}: ${hit.reasons.join(
            '; ',
          )}`,
        );
      }
    }
  }
  return exitCode;
}
