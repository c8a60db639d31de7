import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { parse } from 'yaml';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import {
  DEFAULT_GOVERNANCE_POLICIES,
  EnvironmentFacts,
  GovernancePolicy,
  PolicyFacts,
  ProductGovernanceResult,
  evaluateProductGovernance,
  formatPolicyEvaluation,
  validateGovernancePolicyFile,
  compilePolicies,
} from '@backstage-datamesh/plugin-datamesh-common';
import {
  InputProblem,
  RepositoryProduct,
  readRepositoryProducts,
} from './readProduct';
import { readPortalPolicies } from './portal';

import {
  CliIo,
  EXIT_PASS,
  EXIT_REQUIRED_FAILED,
  EXIT_USAGE,
  UsageError,
  annotate,
  sharedOptions,
} from './io';
import { BREAKING_USAGE, runBreaking } from './breakingCommand';

export { EXIT_PASS, EXIT_REQUIRED_FAILED, EXIT_USAGE };
export type { CliIo };

/** The help of `datamesh check`, printed by `--help` and after a usage error. */
export const USAGE = `Usage: datamesh check [catalog-info.yaml] [options]

Checks the data products of a repository (its catalog-info.yaml, the data contracts and the
infrastructure descriptor they reference) against the governance policies.

Policies:
  (default)                 the suite's global policies (encryption-at-rest, pii-masking,
                            data-lineage, quality-slo, retention-policy, audit-logging)
  --policies, -p <file>     the policies of a policy file (YAML: policies: [...]) instead
  --portal-url <url>        the policies the portal applies to the product's domain, the
                            portal's own and its domains' (env DATAMESH_PORTAL_URL)
  --token <token>           a token of the portal (env DATAMESH_TOKEN)

Options:
  --product <name>          check only this DataProduct of the file
  --environment <name>      where the product is about to run (env DATAMESH_ENVIRONMENT;
                            ci by default), for rules such as PII masked outside production
  --production              the environment is a production one (implied by production, prod)
  --format text|json        text by default
  --help, -h                this help

Policies that read what only the portal observes (lineage, quality, health) do not apply here.

Exit codes: 0 every required policy passes, 1 a required policy fails, 2 usage or input error.`;

function domainRef(entity: RepositoryProduct['entity']): string {
  return stringifyEntityRef(
    parseEntityRef(entity.spec.domain, {
      defaultKind: 'domain',
      defaultNamespace: entity.metadata.namespace ?? 'default',
    }),
  ).toLocaleLowerCase('en-US');
}

function readPolicyFile(file: string): GovernancePolicy[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputProblem([
      `${file}: the policy file cannot be read: ${
        code === 'ENOENT' ? 'no such file' : String(error)
      }`,
    ]);
  }
  let document: unknown;
  try {
    document = parse(text);
  } catch (error) {
    throw new InputProblem([
      `${file}: the policy file is not valid YAML: ${
        String((error as Error).message).split('\n')[0]
      }`,
    ]);
  }
  const problems = validateGovernancePolicyFile(document);
  if (problems.length) {
    throw new InputProblem(problems.map(p => `${file}: ${p.message}`));
  }
  const policies = (document as { policies: GovernancePolicy[] }).policies;
  // a rule of the file that does not parse or type-check is the file's error
  const unusable = compilePolicies(policies).problems;
  if (unusable.length) {
    throw new InputProblem(unusable.map(p => `${file}: ${p.message}`));
  }
  return policies;
}

type Checked = {
  product: RepositoryProduct;
  result: ProductGovernanceResult;
  source: string;
};

function printText(io: CliIo, checked: Checked[]) {
  for (const { product, result, source } of checked) {
    io.stdout(`${product.entityRef} (${product.file}), policies: ${source}`);
    for (const evaluation of result.compliance.evaluations) {
      io.stdout(`  ${formatPolicyEvaluation(evaluation)}`);
    }
    for (const problem of result.problems) {
      io.stdout(`  SKIP ${problem.message}`);
    }
    for (const note of product.notes) {
      io.stdout(`  NOTE ${note}`);
    }
  }
  const failing = checked.filter(c => c.result.requiredFailures.length > 0);
  if (failing.length === 0) {
    io.stdout(
      `datamesh check: ${checked.length} data product${
        checked.length === 1 ? '' : 's'
      } pass every required policy`,
    );
    return;
  }
  io.stdout(
    `datamesh check: ${failing.length} of ${checked.length} data product${
      checked.length === 1 ? '' : 's'
    } fail a required policy`,
  );
  for (const { product, result } of failing) {
    io.stdout(
      `  ${product.entityRef}: ${result.requiredFailures
        .map(f => f.policyId)
        .join(', ')}`,
    );
  }
}

/** GitHub Actions annotations of the failures, when the command runs there. */
function annotateFailures(io: CliIo, checked: Checked[]) {
  for (const { product, result } of checked) {
    for (const failure of result.requiredFailures) {
      annotate(
        io,
        'error',
        { file: product.file, title: failure.policyId },
        failure.reason,
      );
    }
    for (const warning of result.warnings) {
      annotate(
        io,
        'warning',
        { file: product.file, title: warning.policyId },
        warning.reason,
      );
    }
  }
}

/**
 * Runs the command line: resolves to the exit code. Never throws for bad input: it says what is
 * wrong on stderr, naming the file, line or field, and resolves to {@link EXIT_USAGE}.
 */
export async function run(argv: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h') {
    io.stdout(`${USAGE}\n\n${BREAKING_USAGE}`);
    return command ? EXIT_PASS : EXIT_USAGE;
  }
  if (command === 'breaking') {
    return runBreaking(rest, io);
  }
  if (command !== 'check') {
    io.stderr(
      `datamesh: unknown command ${command}; the commands are check and breaking`,
    );
    io.stderr(`${USAGE}\n\n${BREAKING_USAGE}`);
    return EXIT_USAGE;
  }
  let parsed: ReturnType<typeof parseCheckArgs>;
  try {
    parsed = parseCheckArgs(rest);
  } catch (error) {
    io.stderr(`datamesh check: ${(error as Error).message}`);
    io.stderr(USAGE);
    return EXIT_USAGE;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout(USAGE);
    return EXIT_PASS;
  }
  let shared: ReturnType<typeof sharedOptions>;
  try {
    shared = sharedOptions(values, positionals, io.env);
    if (shared.portalUrl && values.policies) {
      throw new UsageError(
        'give either --policies (offline) or --portal-url, not both',
      );
    }
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`datamesh check: ${error.message}`);
      return EXIT_USAGE;
    }
    throw error;
  }
  const { file, format, portalUrl, token } = shared;
  const environmentName =
    values.environment ?? io.env.DATAMESH_ENVIRONMENT ?? 'ci';
  const environment: EnvironmentFacts = {
    name: environmentName,
    production:
      Boolean(values.production) ||
      ['production', 'prod'].includes(
        environmentName.toLocaleLowerCase('en-US'),
      ),
  };

  const checked: Checked[] = [];
  try {
    const products = readRepositoryProducts(file, { product: values.product });
    const filePolicies = values.policies
      ? readPolicyFile(values.policies)
      : undefined;
    for (const product of products) {
      const facts: PolicyFacts = {
        product: product.entity,
        domains: [domainRef(product.entity)],
        contracts: product.contracts,
        infrastructure: product.infrastructure,
        environment,
        unavailable: ['lineage', 'quality', 'health'],
      };
      if (portalUrl) {
        const portal = await readPortalPolicies({
          portalUrl,
          token,
          domain: domainRef(product.entity),
          fetch: io.fetch,
        });
        if (portal.domains.length) {
          facts.domains = portal.domains;
        }
        const result = evaluateProductGovernance({
          facts,
          policies: portal.policies,
        });
        result.problems.push(...portal.problems);
        checked.push({ product, result, source: portalUrl });
      } else {
        checked.push({
          product,
          result: evaluateProductGovernance({
            facts,
            policies: filePolicies ?? [...DEFAULT_GOVERNANCE_POLICIES],
          }),
          source: values.policies ?? 'the suite defaults',
        });
      }
    }
  } catch (error) {
    if (error instanceof InputProblem) {
      for (const problem of error.problems) {
        io.stderr(`datamesh check: ${problem}`);
      }
      return EXIT_USAGE;
    }
    throw error;
  }

  const exitCode = checked.some(c => c.result.requiredFailures.length)
    ? EXIT_REQUIRED_FAILED
    : EXIT_PASS;
  if (format === 'json') {
    io.stdout(
      JSON.stringify(
        {
          exitCode,
          products: checked.map(({ product, result, source }) => ({
            file: product.file,
            entityRef: product.entityRef,
            policies: source,
            ...result,
            notes: product.notes,
          })),
        },
        null,
        2,
      ),
    );
  } else {
    printText(io, checked);
    annotateFailures(io, checked);
  }
  return exitCode;
}

function parseCheckArgs(args: string[]) {
  return parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: {
      policies: { type: 'string', short: 'p' },
      'portal-url': { type: 'string' },
      token: { type: 'string' },
      product: { type: 'string' },
      environment: { type: 'string' },
      production: { type: 'boolean' },
      format: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}
