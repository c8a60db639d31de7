import { validateGovernancePolicies } from './schema';
import { DEFAULT_GOVERNANCE_POLICIES } from './defaults';
import type { EffectivePolicy, GovernancePolicy, PolicyProblem } from './types';

/**
 * The policies a domain declares (a Domain entity's `spec.datamesh.policies`).
 * @public
 */
export type DomainPolicies = {
  /** The Domain's entity reference. */
  domain: string;
  policies: GovernancePolicy[];
};

/**
 * What {@link resolveEffectivePolicies} reads.
 * @public
 */
export type EffectivePoliciesInput = {
  /** The global defaults; {@link DEFAULT_GOVERNANCE_POLICIES} when absent. */
  defaults?: readonly GovernancePolicy[];
  /**
   * The config's `datamesh.governance.policies`: changes to defaults by id (`enabled: false`
   * switches one off) and new global policies in full.
   */
  overrides?: unknown;
  /**
   * The policies of the product's domain and of the domains above it, nearest first; a policy of
   * a subdomain replaces one of the same id further up.
   */
  domains?: DomainPolicies[];
};

/**
 * The policies that apply to the products of a domain (or, without domains, the global ones):
 * the defaults changed by the config, the config's own policies, then the domains' policies.
 * A domain cannot replace a global policy: a domain policy with a global policy's id is left out
 * with a problem. Switched-off policies are kept with `enabled: false`, so that lists can show
 * them; {@link compilePolicies} leaves them out.
 * @public
 */
export function resolveEffectivePolicies(input: EffectivePoliciesInput): {
  policies: EffectivePolicy[];
  problems: PolicyProblem[];
} {
  const problems: PolicyProblem[] = [];
  const policies: EffectivePolicy[] = (
    input.defaults ?? DEFAULT_GOVERNANCE_POLICIES
  ).map(p => ({ ...p, source: { type: 'default' } }));

  if (input.overrides !== undefined) {
    const path = 'datamesh.governance.policies';
    const invalid = validateGovernancePolicies(input.overrides, path, {
      overrides: true,
    });
    const invalidIndexes = new Set(
      invalid.map(p => Number(/^[^[]*\[(\d+)\]/.exec(p.path)?.[1] ?? -1)),
    );
    for (const problem of invalid) {
      const index = Number(/^[^[]*\[(\d+)\]/.exec(problem.path)?.[1] ?? -1);
      const id = (input.overrides as Array<{ id?: unknown }>)[index]?.id;
      problems.push({
        policyId: typeof id === 'string' ? id : `(policy ${index + 1})`,
        source: { type: 'config' },
        message: problem.message,
      });
    }
    const overrides = Array.isArray(input.overrides) ? input.overrides : [];
    overrides.forEach((override: Partial<GovernancePolicy>, index) => {
      if (invalidIndexes.has(index)) {
        return;
      }
      const existing = policies.findIndex(p => p.id === override.id);
      if (existing >= 0) {
        policies[existing] = {
          ...policies[existing],
          ...override,
          parameters: {
            ...policies[existing].parameters,
            ...override.parameters,
          },
          source: { type: 'config' },
        } as EffectivePolicy;
        return;
      }
      const missing = (['description', 'enforcement', 'rule'] as const).filter(
        k => override[k] === undefined,
      );
      if (missing.length) {
        problems.push({
          policyId: String(override.id),
          source: { type: 'config' },
          message: `datamesh.governance.policies[${index}]: ${
            override.id
          } is not a default policy, so it needs ${missing.join(', ')}`,
        });
        return;
      }
      policies.push({
        ...(override as GovernancePolicy),
        source: { type: 'config' },
      });
    });
  }

  const globalIds = new Set(policies.map(p => p.id));
  const domainIds = new Set<string>();
  for (const { domain, policies: declared } of input.domains ?? []) {
    for (const policy of declared) {
      if (globalIds.has(policy.id)) {
        problems.push({
          policyId: policy.id,
          source: { type: 'domain', domain },
          message: `policy ${policy.id} of ${domain}: a domain cannot replace the global policy of the same id; give it another id`,
        });
        continue;
      }
      if (domainIds.has(policy.id)) {
        // a subdomain's policy (earlier in the list) replaces this one
        continue;
      }
      domainIds.add(policy.id);
      policies.push({ ...policy, source: { type: 'domain', domain } });
    }
  }
  return { policies, problems };
}
