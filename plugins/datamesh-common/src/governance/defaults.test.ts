import type { Entity } from '@backstage/catalog-model';
import type { JsonObject } from '@backstage/types';
import { DEFAULT_GOVERNANCE_POLICIES } from './defaults';
import { compilePolicies, evaluateCompliance, lineageFacts } from './engine';
import type { PolicyEvaluation, PolicyFacts } from './types';

const now = new Date('2026-12-01T12:00:00Z');

const compliantProduct: Entity = {
  apiVersion: 'datamesh.io/v1alpha1',
  kind: 'DataProduct',
  metadata: { name: 'customer-identities' },
  spec: {
    owner: 'group:customer-domain-team',
    domain: 'customer-identity',
    type: 'source-aligned',
    lifecycle: 'production',
    sensitivity: 'restricted',
    retentionDays: 730,
    sla: { freshness: '1h', completeness: '99%' },
    infrastructure: './infrastructure.yaml',
  },
};

const infrastructure = {
  apiVersion: 'datamesh.io/v1alpha1',
  kind: 'DataProductInfrastructure',
  metadata: { name: 'customer-identities' },
  spec: {
    storage: {
      type: 'warehouse',
      location: 'postgres://warehouse:5432/analytics',
      encryption: 'AES-256',
    },
    security: {
      access_control: 'rbac',
      encryption_at_rest: true,
      audit_logging: true,
    },
  },
};

const contract = (email: Record<string, unknown>) => ({
  apiVersion: 'v3.1.0',
  kind: 'DataContract',
  id: 'customer-identities-identities',
  schema: [
    {
      name: 'identities',
      properties: [
        { name: 'customer_id', classification: 'internal' },
        { name: 'email', ...email },
      ],
    },
  ],
});

const compliantFacts: PolicyFacts = {
  product: compliantProduct,
  contracts: [contract({ classification: 'pii', tags: ['masked'] })],
  infrastructure,
  lineage: lineageFacts(
    { lastSeenAt: '2026-11-30T12:00:00Z', upstream: 1 },
    now,
  ),
  environment: { name: 'staging', production: false },
};

const { policies, problems } = compilePolicies([
  ...DEFAULT_GOVERNANCE_POLICIES,
]);

function evaluationOf(id: string, facts: PolicyFacts): PolicyEvaluation {
  const found = evaluateCompliance(policies, facts, now).evaluations.find(
    e => e.policyId === id,
  );
  if (!found) {
    throw new Error(`no evaluation of ${id}`);
  }
  return found;
}

function withSpec(spec: JsonObject): Entity {
  return { ...compliantProduct, spec: { ...compliantProduct.spec, ...spec } };
}

describe('the default policies', () => {
  it('all compile, are required and pass for a compliant product', () => {
    expect(problems).toEqual([]);
    expect(policies.map(p => p.policy.id)).toEqual([
      'encryption-at-rest',
      'pii-masking',
      'data-lineage',
      'quality-slo',
      'retention-policy',
      'audit-logging',
    ]);
    const result = evaluateCompliance(policies, compliantFacts, now);
    expect(result.evaluations.filter(e => e.status !== 'pass')).toEqual([]);
    expect(result.compliant).toBe(true);
  });

  it('encryption-at-rest: fails without a descriptor or with encryption none', () => {
    expect(
      evaluationOf('encryption-at-rest', {
        ...compliantFacts,
        infrastructure: undefined,
      }),
    ).toMatchObject({
      status: 'fail',
      reason:
        'customer-identities does not declare encryption at rest: it has no infrastructure descriptor (spec.infrastructure), which must set spec.security.encryption_at_rest: true or spec.storage.encryption (for example AES-256).',
    });
    const unencrypted = {
      ...infrastructure,
      spec: {
        storage: { ...infrastructure.spec.storage, encryption: 'none' },
        security: { encryption_at_rest: false },
      },
    };
    expect(
      evaluationOf('encryption-at-rest', {
        ...compliantFacts,
        infrastructure: unencrypted,
      }),
    ).toMatchObject({
      status: 'fail',
      reason:
        'customer-identities does not declare encryption at rest: its infrastructure descriptor must set spec.security.encryption_at_rest: true or spec.storage.encryption (for example AES-256).',
    });
    // storage encryption alone is enough
    expect(
      evaluationOf('encryption-at-rest', {
        ...compliantFacts,
        infrastructure: {
          spec: { storage: { encryption: 'AES-256' }, security: {} },
        },
      }).status,
    ).toBe('pass');
  });

  it('pii-masking: fails an unmasked PII column outside production, passes in production', () => {
    const facts = {
      ...compliantFacts,
      contracts: [contract({ tags: ['pii'] })],
    };
    expect(evaluationOf('pii-masking', facts)).toMatchObject({
      status: 'fail',
      reason:
        'PII columns are not masked in the staging environment: customer-identities-identities.identities.email (tag them masked or give them the custom property masking).',
    });
    expect(
      evaluationOf('pii-masking', {
        ...facts,
        environment: { name: 'production', production: true },
      }).status,
    ).toBe('pass');
    expect(
      evaluationOf('pii-masking', {
        ...compliantFacts,
        contracts: [
          contract({
            classification: 'pii',
            customProperties: [{ property: 'masking', value: 'sha256' }],
          }),
        ],
      }).status,
    ).toBe('pass');
  });

  it('data-lineage: fails when never observed or observed too long ago', () => {
    expect(
      evaluationOf('data-lineage', { ...compliantFacts, lineage: undefined }),
    ).toMatchObject({
      status: 'fail',
      reason:
        'no lineage of customer-identities has been observed; its pipeline must send OpenLineage events to the portal.',
    });
    expect(
      evaluationOf('data-lineage', {
        ...compliantFacts,
        lineage: lineageFacts({ lastSeenAt: '2026-11-20T12:00:00Z' }, now),
      }),
    ).toMatchObject({
      status: 'fail',
      reason:
        'the lineage of customer-identities was last observed 11 days ago, more than 7.',
    });
  });

  it('quality-slo: fails without SLOs', () => {
    expect(
      evaluationOf('quality-slo', {
        ...compliantFacts,
        product: withSpec({ sla: {} }),
      }),
    ).toMatchObject({
      status: 'fail',
      reason:
        'customer-identities defines no quality SLO: spec.sla needs at least one of freshness, availability, accuracy, completeness.',
    });
    expect(
      evaluationOf('quality-slo', {
        ...compliantFacts,
        product: withSpec({ sla: undefined }),
      }).status,
    ).toBe('fail');
  });

  it('retention-policy: fails without a retention or over the longest allowed', () => {
    expect(
      evaluationOf('retention-policy', {
        ...compliantFacts,
        product: withSpec({ retentionDays: undefined }),
      }),
    ).toMatchObject({
      status: 'fail',
      reason:
        'customer-identities has no retention policy (spec.retentionDays).',
    });
    expect(
      evaluationOf('retention-policy', {
        ...compliantFacts,
        product: withSpec({ retentionDays: 5000 }),
      }),
    ).toMatchObject({
      status: 'fail',
      reason:
        'customer-identities keeps its data 5000 days, more than the 3650 allowed.',
    });
  });

  it('audit-logging: fails when the descriptor does not enable it', () => {
    expect(
      evaluationOf('audit-logging', {
        ...compliantFacts,
        infrastructure: {
          spec: { ...infrastructure.spec, security: { audit_logging: false } },
        },
      }),
    ).toMatchObject({
      status: 'fail',
      reason:
        'customer-identities does not declare audit logging: its infrastructure descriptor must set spec.security.audit_logging: true.',
    });
  });
});
