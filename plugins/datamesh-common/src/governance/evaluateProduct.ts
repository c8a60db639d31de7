import { compilePolicies, evaluateCompliance } from './engine';
import { DomainPolicies, resolveEffectivePolicies } from './effective';
import type {
  EffectivePolicy,
  GovernancePolicy,
  PolicyEvaluation,
  PolicyFacts,
  PolicyProblem,
  ProductCompliance,
} from './types';

/**
 * What {@link evaluateProductGovernance} evaluates: a product's facts, and either the policies
 * themselves or what to resolve them from.
 * @public
 */
export type ProductGovernanceInput = {
  facts: PolicyFacts;
  /**
   * The policies, for example those the portal answers for the product's domain
   * (`GET /api/datamesh/v1/governance/policies?domain=...`) or those of a policy file. When
   * absent, they are resolved from `overrides` and `domains` as the portal resolves them.
   */
  policies?: Array<GovernancePolicy | EffectivePolicy>;
  /** The portal's `datamesh.governance.policies`. */
  overrides?: unknown;
  /** The policies of the product's domain and the domains above it, nearest first. */
  domains?: DomainPolicies[];
  /** When; the current time by default. */
  now?: Date;
};

/**
 * A product's governance outcome, as the golden paths' validation and the command-line tool
 * report it.
 * @public
 */
export type ProductGovernanceResult = {
  compliance: ProductCompliance;
  /** Policies that could not be used (not evaluated). */
  problems: PolicyProblem[];
  /** The required policies that fail: what refuses the product. */
  requiredFailures: PolicyEvaluation[];
  /** The recommended policies that fail: warnings. */
  warnings: PolicyEvaluation[];
};

/**
 * Evaluates the governance policies for one product, for a caller that is not the portal's
 * backend: the golden paths' `datamesh:dataproduct:validate` action (which refuses a product
 * when `requiredFailures` is not empty, listing each with its reason) and the command-line tool.
 * @public
 */
export function evaluateProductGovernance(
  input: ProductGovernanceInput,
): ProductGovernanceResult {
  const resolved = input.policies
    ? { policies: input.policies, problems: [] as PolicyProblem[] }
    : resolveEffectivePolicies({
        overrides: input.overrides,
        domains: input.domains,
      });
  const compiled = compilePolicies(resolved.policies);
  const compliance = evaluateCompliance(
    compiled.policies,
    input.facts,
    input.now,
  );
  return {
    compliance,
    problems: [...resolved.problems, ...compiled.problems],
    requiredFailures: compliance.evaluations.filter(
      e => e.status === 'fail' && e.enforcement === 'required',
    ),
    warnings: compliance.evaluations.filter(
      e => e.status === 'fail' && e.enforcement === 'recommended',
    ),
  };
}

/**
 * One line per policy evaluation, for logs and pipelines: `FAIL required retention-policy: ...`.
 * @public
 */
export function formatPolicyEvaluation(evaluation: PolicyEvaluation): string {
  const status =
    evaluation.status === 'not-applicable'
      ? 'N/A '
      : evaluation.status.toUpperCase().padEnd(4);
  return `${status} ${evaluation.enforcement.padEnd(11)} ${
    evaluation.policyId
  }: ${evaluation.reason}`;
}
