import type { Entity } from '@backstage/catalog-model';
import { compilePolicies, evaluateCompliance, lineageFacts } from './engine';
import { resolveEffectivePolicies } from './effective';
import {
  evaluateProductGovernance,
  formatPolicyEvaluation,
} from './evaluateProduct';
import {
  validateGovernancePolicies,
  validateGovernancePolicyFile,
} from './schema';
import type { GovernancePolicy } from './types';

const product: Entity = {
  apiVersion: 'datamesh.io/v1alpha1',
  kind: 'DataProduct',
  metadata: { name: 'orders', tags: ['sales'] },
  spec: {
    owner: 'group:sales',
    domain: 'sales',
    type: 'source-aligned',
    lifecycle: 'production',
    sensitivity: 'internal',
    retentionDays: 400,
  },
};

const policy = (overrides: Partial<GovernancePolicy>): GovernancePolicy => ({
  id: 'short-retention',
  description: 'Data is kept at most a year.',
  enforcement: 'required',
  rule: 'product.spec.retentionDays <= double(params.maxDays)',
  message:
    '{{product.metadata.name}} keeps its data {{product.spec.retentionDays}} days, more than {{params.maxDays}}',
  parameters: { maxDays: 365 },
  ...overrides,
});

describe('compilePolicies', () => {
  it('reports a rule that does not parse, naming the policy, and keeps the others', () => {
    const { policies, problems } = compilePolicies([
      policy({ id: 'broken', rule: 'product.spec.(' }),
      policy({}),
    ]);
    expect(policies.map(p => p.policy.id)).toEqual(['short-retention']);
    expect(problems).toEqual([
      expect.objectContaining({
        policyId: 'broken',
        message: expect.stringMatching(
          /^policy broken: its rule does not parse: Expected IDENTIFIER/,
        ),
      }),
    ]);
  });

  it('reports a rule that does not type-check: an unknown variable, a wrong overload, a non-boolean result', () => {
    const { problems } = compilePolicies([
      policy({ id: 'unknown-variable', rule: 'owner == "x"' }),
      policy({ id: 'bad-overload', rule: '1 + "a" == 2' }),
      policy({ id: 'not-boolean', rule: 'size(contracts)' }),
      policy({ id: 'bad-message', message: 'x {{ nothing.here }}' }),
    ]);
    expect(problems.map(p => p.message)).toEqual([
      'policy unknown-variable: its rule does not type-check: Unknown variable: owner',
      'policy bad-overload: its rule does not type-check: no such overload: int + string',
      'policy not-boolean: its rule is of type int, not bool',
      'policy bad-message: the expression {{ nothing.here }} of its message does not type-check: Unknown variable: nothing',
    ]);
  });

  it('leaves out switched-off policies without a problem', () => {
    expect(compilePolicies([policy({ enabled: false })])).toEqual({
      policies: [],
      problems: [],
    });
  });
});

describe('evaluateCompliance', () => {
  it('fails a product with the message filled in, and passes one that complies', () => {
    const { policies } = compilePolicies([policy({})]);
    const failing = evaluateCompliance(
      policies,
      { product },
      new Date('2026-12-01T00:00:00Z'),
    );
    expect(failing).toEqual({
      entityRef: 'dataproduct:default/orders',
      compliant: false,
      evaluatedAt: '2026-12-01T00:00:00.000Z',
      counts: { pass: 0, fail: 1, 'not-applicable': 0 },
      requiredFailures: 1,
      evaluations: [
        {
          policyId: 'short-retention',
          title: 'short-retention',
          enforcement: 'required',
          status: 'fail',
          reason: 'orders keeps its data 400 days, more than 365',
          source: { type: 'config' },
        },
      ],
    });
    const passing = evaluateCompliance(policies, {
      product: { ...product, spec: { ...product.spec, retentionDays: 30 } },
    });
    expect(passing.compliant).toBe(true);
    expect(passing.evaluations[0]).toMatchObject({
      status: 'pass',
      reason: 'Data is kept at most a year.',
    });
  });

  it('a failed recommended policy leaves the product compliant', () => {
    const { policies } = compilePolicies([
      policy({ enforcement: 'recommended' }),
    ]);
    const result = evaluateCompliance(policies, { product });
    expect(result.compliant).toBe(true);
    expect(result.counts.fail).toBe(1);
  });

  it('does not apply a policy outside its scope, saying which part does not match', () => {
    const { policies } = compilePolicies([
      policy({
        scope: {
          domains: ['marketing'],
          types: ['aggregate'],
          sensitivities: ['restricted'],
          lifecycles: ['production'],
          tags: ['pii'],
        },
      }),
    ]);
    const { evaluations } = evaluateCompliance(policies, { product });
    expect(evaluations[0].status).toBe('not-applicable');
    expect(evaluations[0].reason).toBe(
      'The policy applies to the domains marketing, not sales; applies to the types aggregate, not source-aligned; applies to the sensitivities restricted, not internal; applies to the tags pii, not sales.',
    );
  });

  it('applies a domain scope to the products of its subdomains', () => {
    const { policies } = compilePolicies([
      policy({ scope: { domains: ['domain:default/commerce'] } }),
    ]);
    const inTree = evaluateCompliance(policies, {
      product,
      domains: ['domain:default/sales', 'domain:default/commerce'],
    });
    expect(inTree.evaluations[0].status).toBe('fail');
    const outside = evaluateCompliance(policies, { product });
    expect(outside.evaluations[0].status).toBe('not-applicable');
  });

  it('fails a rule that cannot be evaluated for a product, with the error', () => {
    const { policies } = compilePolicies([
      policy({ rule: 'product.spec.sla.freshness != ""', message: 'no SLA' }),
    ]);
    const { evaluations } = evaluateCompliance(policies, { product });
    expect(evaluations[0]).toMatchObject({
      status: 'fail',
      reason:
        'no SLA (the rule could not be evaluated for this product: No such key: sla)',
    });
  });
});

describe('facts the caller does not have', () => {
  it('make a policy that reads them not applicable, and leave the others', () => {
    const { policies } = compilePolicies([
      policy({ id: 'lineage-seen', rule: 'lineage.observed' }),
      policy({
        id: 'mentions-lineage-in-a-string',
        rule: 'product.metadata.name != "lineage"',
      }),
    ]);
    const { evaluations } = evaluateCompliance(policies, {
      product,
      unavailable: ['lineage', 'quality', 'health'],
    });
    expect(evaluations.map(e => [e.policyId, e.status, e.reason])).toEqual([
      [
        'lineage-seen',
        'not-applicable',
        'The policy reads lineage, which is not known here; the portal evaluates it.',
      ],
      ['mentions-lineage-in-a-string', 'pass', 'Data is kept at most a year.'],
    ]);
  });
});

describe('lineageFacts', () => {
  it('gives the age in days of the last observation', () => {
    expect(
      lineageFacts(
        { lastSeenAt: '2026-11-29T00:00:00Z', upstream: 2, downstream: 1 },
        new Date('2026-12-01T12:00:00Z'),
      ),
    ).toEqual({
      observed: true,
      lastSeenAt: '2026-11-29T00:00:00.000Z',
      ageDays: 2.5,
      upstream: 2,
      downstream: 1,
    });
    expect(lineageFacts({})).toEqual({
      observed: false,
      upstream: 0,
      downstream: 0,
    });
  });
});

describe('policy documents', () => {
  it('names each invalid field and the ids given twice', () => {
    expect(
      validateGovernancePolicies(
        [
          policy({}),
          { ...policy({}), enforcement: 'mandatory', colour: 'red' },
          { id: 'Bad Id', description: 'x', enforcement: 'optional' },
        ],
        'spec.datamesh.policies',
      ).map(p => p.message),
    ).toEqual([
      'spec.datamesh.policies[1].colour is not a known field; known fields are id, title, description, enforcement, scope, rule, message, parameters, enabled',
      'spec.datamesh.policies[1].enforcement must be one of required, recommended, optional, not "mandatory"',
      'spec.datamesh.policies[1].id "short-retention" is already the id of spec.datamesh.policies[0]',
      'spec.datamesh.policies[2].rule is required',
      'spec.datamesh.policies[2].id must be lowercase letters and digits in words separated by hyphens, such as encryption-at-rest, not "Bad Id"',
    ]);
  });

  it('validates a policy file', () => {
    expect(validateGovernancePolicyFile({ policies: [policy({})] })).toEqual(
      [],
    );
    expect(
      validateGovernancePolicyFile({ policies: [{ id: 'x' }] }).map(
        p => p.message,
      ),
    ).toEqual([
      'policies[0].description is required',
      'policies[0].enforcement is required',
      'policies[0].rule is required',
    ]);
  });
});

describe('resolveEffectivePolicies', () => {
  it('switches a default off, changes one by id, adds the config and domain policies', () => {
    const { policies, problems } = resolveEffectivePolicies({
      overrides: [
        { id: 'audit-logging', enabled: false },
        {
          id: 'data-lineage',
          enforcement: 'recommended',
          parameters: { maxAgeDays: 30 },
        },
        policy({ id: 'owner-set', rule: 'has(product.spec.owner)' }),
        { id: 'incomplete' },
      ],
      domains: [
        {
          domain: 'domain:default/sales',
          policies: [
            policy({ id: 'quota' }),
            policy({ id: 'encryption-at-rest' }),
          ],
        },
        {
          domain: 'domain:default/commerce',
          policies: [policy({ id: 'quota', enforcement: 'optional' })],
        },
      ],
    });
    const byId = Object.fromEntries(policies.map(p => [p.id, p]));
    expect(byId['audit-logging']).toMatchObject({
      enabled: false,
      source: { type: 'config' },
    });
    expect(byId['data-lineage']).toMatchObject({
      enforcement: 'recommended',
      parameters: { maxAgeDays: 30 },
    });
    expect(byId['owner-set'].source).toEqual({ type: 'config' });
    expect(byId.quota).toMatchObject({
      enforcement: 'required',
      source: { type: 'domain', domain: 'domain:default/sales' },
    });
    expect(byId['encryption-at-rest'].source).toEqual({ type: 'default' });
    expect(problems.map(p => p.message)).toEqual([
      'datamesh.governance.policies[3]: incomplete is not a default policy, so it needs description, enforcement, rule',
      'policy encryption-at-rest of domain:default/sales: a domain cannot replace the global policy of the same id; give it another id',
    ]);
    expect(
      compilePolicies(policies).policies.map(p => p.policy.id),
    ).not.toContain('audit-logging');
  });
});

describe('evaluateProductGovernance', () => {
  it('lists the required failures and the warnings, with the problems of unusable policies', () => {
    const result = evaluateProductGovernance({
      facts: { product },
      overrides: [
        { id: 'data-lineage', enforcement: 'recommended' },
        { id: 'audit-logging', rule: 'nope(' },
      ],
      domains: [{ domain: 'domain:default/sales', policies: [policy({})] }],
    });
    expect(result.problems.map(p => p.policyId)).toEqual(['audit-logging']);
    expect(result.requiredFailures.map(f => f.policyId)).toEqual([
      'encryption-at-rest',
      'quality-slo',
      'short-retention',
    ]);
    expect(result.warnings.map(f => f.policyId)).toEqual(['data-lineage']);
    expect(result.compliance.compliant).toBe(false);
    expect(formatPolicyEvaluation(result.requiredFailures[2])).toBe(
      'FAIL required    short-retention: orders keeps its data 400 days, more than 365',
    );
  });

  it('evaluates the policies given, such as those of a policy file', () => {
    const result = evaluateProductGovernance({
      facts: { product },
      policies: [policy({ parameters: { maxDays: 500 } })],
    });
    expect(result.compliance.compliant).toBe(true);
    expect(result.compliance.evaluations).toHaveLength(1);
  });
});
