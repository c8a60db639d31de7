import { Environment } from '@marcbachmann/cel-js';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import type {
  EffectivePolicy,
  GovernancePolicy,
  GovernancePolicyScope,
  PolicyEvaluation,
  PolicyFacts,
  PolicyProblem,
  PolicySource,
  PolicyStatus,
  ProductCompliance,
} from './types';

/**
 * The variables a rule reads, with their CEL types. Facts are JSON documents, so most are maps
 * whose fields are dynamically typed; JSON numbers are CEL doubles (write `2.0`, not `2`, in
 * arithmetic with them; comparisons such as `x > 0` need no care).
 */
const VARIABLES: Array<[string, string, string]> = [
  ['product', 'map', 'The DataProduct entity'],
  ['contracts', 'list', "The output ports' data contracts (ODCS documents)"],
  [
    'infrastructure',
    'map',
    'The DataProductInfrastructure descriptor; an empty map when there is none',
  ],
  ['quality', 'map', 'evaluated, checks, failing, lastRunAt'],
  ['health', 'map', 'state (healthy, degraded, breaching, unknown), reasons'],
  [
    'lineage',
    'map',
    'observed, lastSeenAt, ageDays, upstream, downstream (observed lineage)',
  ],
  ['environment', 'map', 'name, production: where the evaluation runs'],
  ['params', 'map', "The policy's parameters"],
  ['domains', 'list', "The product's domain and the domains above it (refs)"],
];

let environment: Environment | undefined;

function celEnvironment(): Environment {
  if (!environment) {
    const env = new Environment({
      enableOptionalTypes: true,
      homogeneousAggregateLiterals: false,
    });
    for (const [name, type, description] of VARIABLES) {
      env.registerVariable(name, type as 'map', { description });
    }
    environment = env;
  }
  return environment;
}

/** The names of the variables a rule can read. @public */
export const POLICY_RULE_VARIABLES: readonly string[] = VARIABLES.map(
  ([name]) => name,
);

type Evaluable = (context: Record<string, unknown>) => unknown;

/** The first line of a CEL error, without its source excerpt. */
function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0].trim();
}

/** Parses and type-checks one expression; the problem as a sentence, or the evaluable. */
function compileExpression(
  expression: string,
  expectBoolean: boolean,
): { evaluate: Evaluable } | { error: string } {
  const env = celEnvironment();
  let parsed: ReturnType<Environment['parse']>;
  try {
    parsed = env.parse(expression);
  } catch (e) {
    return { error: `does not parse: ${firstLine(e)}` };
  }
  const checked = parsed.check();
  if (!checked.valid) {
    const kind = checked.error?.name === 'ParseError' ? 'parse' : 'type-check';
    return { error: `does not ${kind}: ${firstLine(checked.error)}` };
  }
  if (expectBoolean && checked.type !== 'bool' && checked.type !== 'dyn') {
    return { error: `is of type ${checked.type}, not bool` };
  }
  return { evaluate: context => parsed(context) };
}

const PLACEHOLDER = /\{\{(.*?)\}\}/gs;

/** Words a CEL value for a message. */
function show(value: unknown): string {
  if (value === undefined || value === null) {
    return 'none';
  }
  if (typeof value === 'string') {
    return value;
  }
  if (typeof value === 'bigint' || typeof value === 'number') {
    return String(value);
  }
  if (Array.isArray(value)) {
    return value.map(show).join(', ');
  }
  if (value instanceof Map) {
    return JSON.stringify(Object.fromEntries(value));
  }
  return JSON.stringify(value) ?? String(value);
}

/** The variables an expression names (outside its string literals). */
function variablesRead(expression: string): Set<string> {
  const code = expression.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '""');
  return new Set(
    POLICY_RULE_VARIABLES.filter(name =>
      new RegExp(`(^|[^.\\w])${name}\\b`).test(code),
    ),
  );
}

/**
 * A policy ready to evaluate: its rule and its message's expressions parsed and type-checked.
 * @public
 */
export interface CompiledPolicy {
  readonly policy: EffectivePolicy;
  /** Evaluates the policy for one product. */
  evaluate(facts: PolicyFacts): PolicyEvaluation;
}

/**
 * What {@link compilePolicies} gives: the policies that compiled, and a problem for each one that
 * did not (its rule or a placeholder of its message does not parse or type-check).
 * @public
 */
export interface CompiledPolicies {
  policies: CompiledPolicy[];
  problems: PolicyProblem[];
}

function normaliseDomainRef(ref: string, namespace = 'default'): string {
  try {
    return stringifyEntityRef(
      parseEntityRef(ref, {
        defaultKind: 'domain',
        defaultNamespace: namespace,
      }),
    ).toLocaleLowerCase('en-US');
  } catch {
    return ref.toLocaleLowerCase('en-US');
  }
}

/** Why a product is outside a scope, or undefined when it is inside. */
function outOfScope(
  scope: GovernancePolicyScope | undefined,
  facts: PolicyFacts,
): string | undefined {
  if (!scope) {
    return undefined;
  }
  const entity = facts.product;
  const spec = (entity.spec ?? {}) as Record<string, unknown>;
  const namespace = entity.metadata.namespace ?? 'default';
  const missing: string[] = [];
  if (scope.domains) {
    const own =
      typeof spec.domain === 'string'
        ? [normaliseDomainRef(spec.domain, namespace)]
        : [];
    const domains = (facts.domains ?? own).map(d =>
      normaliseDomainRef(d, namespace),
    );
    const wanted = scope.domains.map(d => normaliseDomainRef(d));
    if (!domains.some(d => wanted.includes(d))) {
      missing.push(
        `applies to the domains ${scope.domains.join(', ')}, not ${
          typeof spec.domain === 'string'
            ? spec.domain
            : 'a product without domain'
        }`,
      );
    }
  }
  const check = (
    values: readonly string[] | undefined,
    actual: unknown,
    what: string,
  ) => {
    if (values && !(typeof actual === 'string' && values.includes(actual))) {
      missing.push(
        `applies to ${what} ${values.join(', ')}, not ${
          typeof actual === 'string' ? actual : 'none'
        }`,
      );
    }
  };
  check(scope.types, spec.type, 'the types');
  check(scope.sensitivities, spec.sensitivity, 'the sensitivities');
  check(scope.lifecycles, spec.lifecycle, 'the lifecycles');
  if (scope.tags) {
    const tags = entity.metadata.tags ?? [];
    if (!tags.some(t => scope.tags!.includes(t))) {
      missing.push(
        `applies to the tags ${scope.tags.join(', ')}, not ${
          tags.length ? tags.join(', ') : 'a product without tags'
        }`,
      );
    }
  }
  return missing.length ? missing.join('; ') : undefined;
}

/** The variables of a rule for one product and policy. */
function contextOf(
  facts: PolicyFacts,
  policy: GovernancePolicy,
): Record<string, unknown> {
  const spec = (facts.product.spec ?? {}) as Record<string, unknown>;
  const namespace = facts.product.metadata.namespace ?? 'default';
  return {
    product: facts.product,
    contracts: facts.contracts ?? [],
    infrastructure: facts.infrastructure ?? {},
    quality: facts.quality ?? { evaluated: false },
    health: facts.health ?? { state: 'unknown', reasons: [] },
    lineage: facts.lineage ?? { observed: false, upstream: 0, downstream: 0 },
    environment: facts.environment ?? { name: 'production', production: true },
    params: policy.parameters ?? {},
    domains:
      facts.domains ??
      (typeof spec.domain === 'string'
        ? [normaliseDomainRef(spec.domain, namespace)]
        : []),
  };
}

function withSource(
  policy: GovernancePolicy | EffectivePolicy,
): EffectivePolicy {
  return 'source' in policy && policy.source
    ? (policy as EffectivePolicy)
    : { ...policy, source: { type: 'config' } as PolicySource };
}

/**
 * Parses and type-checks each policy's rule and the expressions of its message, once. A policy
 * that does not compile is left out with a problem naming its id and the error, and the others
 * are kept, so that one bad rule never stops the rest from being evaluated. Switched-off
 * policies (`enabled: false`) are left out without a problem.
 *
 * @param policies - the policies, for example from {@link resolveEffectivePolicies}
 * @public
 */
export function compilePolicies(
  policies: Array<GovernancePolicy | EffectivePolicy>,
): CompiledPolicies {
  const compiled: CompiledPolicy[] = [];
  const problems: PolicyProblem[] = [];
  for (const raw of policies) {
    const policy = withSource(raw);
    if (policy.enabled === false) {
      continue;
    }
    const rule = compileExpression(policy.rule, true);
    if ('error' in rule) {
      problems.push({
        policyId: policy.id,
        source: policy.source,
        message: `policy ${policy.id}: its rule ${rule.error}`,
      });
      continue;
    }
    const template = policy.message ?? policy.description;
    const parts: Array<string | Evaluable> = [];
    let last = 0;
    let templateError: string | undefined;
    for (const match of template.matchAll(PLACEHOLDER)) {
      parts.push(template.slice(last, match.index));
      const expression = compileExpression(match[1].trim(), false);
      if ('error' in expression) {
        templateError = `policy ${policy.id}: the expression {{${match[1]}}} of its message ${expression.error}`;
        break;
      }
      parts.push(expression.evaluate);
      last = (match.index ?? 0) + match[0].length;
    }
    if (templateError) {
      problems.push({
        policyId: policy.id,
        source: policy.source,
        message: templateError,
      });
      continue;
    }
    parts.push(template.slice(last));
    compiled.push(createCompiledPolicy(policy, rule.evaluate, parts));
  }
  return { policies: compiled, problems };
}

function createCompiledPolicy(
  policy: EffectivePolicy,
  rule: Evaluable,
  message: Array<string | Evaluable>,
): CompiledPolicy {
  const title = policy.title ?? policy.id;
  const reads = variablesRead(policy.rule);
  const result = (status: PolicyStatus, reason: string): PolicyEvaluation => ({
    policyId: policy.id,
    title,
    enforcement: policy.enforcement,
    status,
    reason,
    source: policy.source,
  });
  const render = (context: Record<string, unknown>) =>
    message
      .map(part => {
        if (typeof part === 'string') {
          return part;
        }
        try {
          return show(part(context));
        } catch (e) {
          return `(${firstLine(e)})`;
        }
      })
      .join('');
  return {
    policy,
    evaluate(facts) {
      const excluded = outOfScope(policy.scope, facts);
      if (excluded) {
        return result('not-applicable', `The policy ${excluded}.`);
      }
      const missing = facts.unavailable?.filter(f => reads.has(f));
      if (missing?.length) {
        return result(
          'not-applicable',
          `The policy reads ${missing.join(
            ', ',
          )}, which is not known here; the portal evaluates it.`,
        );
      }
      const context = contextOf(facts, policy);
      let value: unknown;
      try {
        value = rule(context);
      } catch (e) {
        return result(
          'fail',
          `${render(
            context,
          )} (the rule could not be evaluated for this product: ${firstLine(
            e,
          )})`,
        );
      }
      if (value === true) {
        return result('pass', policy.description);
      }
      if (value === false) {
        return result('fail', render(context));
      }
      return result(
        'fail',
        `${render(context)} (the rule gave ${show(value)}, not true or false)`,
      );
    },
  };
}

/**
 * Evaluates compiled policies for one product: each policy passes, fails or does not apply, with
 * its reason; the product is compliant when no required policy that applies fails.
 *
 * @param policies - compiled by {@link compilePolicies}
 * @param facts - what the rules read about the product
 * @param now - when (for `evaluatedAt`); the current time by default
 * @public
 */
export function evaluateCompliance(
  policies: CompiledPolicy[],
  facts: PolicyFacts,
  now: Date = new Date(),
): ProductCompliance {
  const evaluations = policies.map(p => p.evaluate(facts));
  const counts: Record<PolicyStatus, number> = {
    pass: 0,
    fail: 0,
    'not-applicable': 0,
  };
  for (const e of evaluations) {
    counts[e.status] += 1;
  }
  const requiredFailures = evaluations.filter(
    e => e.status === 'fail' && e.enforcement === 'required',
  ).length;
  const entity = facts.product;
  return {
    entityRef: stringifyEntityRef(entity).toLocaleLowerCase('en-US'),
    compliant: requiredFailures === 0,
    evaluatedAt: now.toISOString(),
    counts,
    requiredFailures,
    evaluations,
  };
}

/**
 * The lineage facts of a product from when its lineage was last observed and how many upstream
 * and downstream neighbours were observed.
 *
 * @param observed - the last time (epoch ms or ISO 8601), undefined when never observed
 * @public
 */
export function lineageFacts(
  observed: {
    lastSeenAt?: number | string;
    upstream?: number;
    downstream?: number;
  },
  now: Date = new Date(),
): PolicyFacts['lineage'] {
  const upstream = observed.upstream ?? 0;
  const downstream = observed.downstream ?? 0;
  if (observed.lastSeenAt === undefined) {
    return { observed: false, upstream, downstream };
  }
  const at = new Date(observed.lastSeenAt);
  return {
    observed: true,
    lastSeenAt: at.toISOString(),
    ageDays: (now.getTime() - at.getTime()) / 86_400_000,
    upstream,
    downstream,
  };
}
