import request from 'supertest';
import { createServiceFactory } from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { datameshPlugin } from '../plugin';
import { runEvent } from '../lineage/__testUtils__/events';

jest.setTimeout(180_000);

const outsider = 'user:default/outsider';

const product = (name: string, domain: string) => ({
  apiVersion: 'datamesh.io/v1alpha1',
  kind: 'DataProduct',
  metadata: { name, namespace: 'default', etag: `${name}-1` },
  spec: {
    owner: `group:default/${domain}-team`,
    domain,
    type: 'source-aligned',
    lifecycle: 'production',
    sla: { completeness: '99%' },
    outputPorts: [
      {
        name: 'main',
        type: 'table',
        location: { namespace: 'postgres://db', name: `${domain}.${name}` },
      },
    ],
  } as NonNullable<Entity['spec']>,
  relations: [
    { type: 'partOf', targetRef: `domain:default/${domain}` },
    { type: 'ownedBy', targetRef: `group:default/${domain}-team` },
  ],
});

const domain = (name: string) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Domain',
  metadata: { name, namespace: 'default', etag: `${name}-1` },
  spec: { owner: `group:default/${name}-team` } as NonNullable<Entity['spec']>,
});

const run = (status: string) => ({
  format: 'datamesh-quality-results/v1',
  finishedAt: new Date().toISOString(),
  checks: [
    {
      name: 'not_null_id',
      status,
      dimension: 'completeness',
      rowsEvaluated: 100,
      unexpectedCount: status === 'pass' ? 0 : 10,
    },
  ],
});

/** Reads until `done` holds, or a minute has passed (then answers the last read). */
async function waitFor<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
): Promise<T> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) {
      return value;
    }
    await new Promise(resolve => setTimeout(resolve, 200));
  }
}

type Compliance = {
  compliant: boolean;
  evaluations: Array<{ policyId: string; status: string }>;
  history: unknown[];
};

const statusOf = (body: Compliance, policyId: string) =>
  body.evaluations?.find(e => e.policyId === policyId)?.status;

describe('continuous governance: products evaluated again when they or their facts change, and summaries of what the caller can see', () => {
  let server: Awaited<ReturnType<typeof startTestBackend>>['server'];
  let stop: () => Promise<void>;
  const user = mockCredentials.user.header();
  const outsiderHeader = mockCredentials.user.header(outsider);
  const service = mockCredentials.service.header();
  const orders = product('orders', 'sales');
  const payroll = product('payroll', 'hr');
  const sales = domain('sales');

  beforeAll(async () => {
    const catalog = catalogServiceMock({
      entities: [orders, payroll, sales, domain('hr')],
    });
    // the outsider may not see payroll in the catalog
    const hidden = (options: unknown) =>
      (
        options as
          | { credentials?: { principal?: { userEntityRef?: string } } }
          | undefined
      )?.credentials?.principal?.userEntityRef === outsider;
    const byRef = catalog.getEntityByRef.bind(catalog);
    catalog.getEntityByRef = async (ref, options) => {
      const entity = await byRef(ref, options);
      return hidden(options) && entity?.metadata.name === 'payroll'
        ? undefined
        : entity;
    };
    const query = catalog.queryEntities.bind(catalog);
    catalog.queryEntities = async (req, options) => {
      const answer = await query(req, options);
      return hidden(options)
        ? {
            ...answer,
            items: answer.items.filter(e => e.metadata.name !== 'payroll'),
          }
        : answer;
    };
    const backend = await startTestBackend({
      features: [
        datameshPlugin,
        createServiceFactory({
          service: catalogServiceRef,
          deps: {},
          factory: () => catalog,
        }),
        schedulerServiceFactory,
        mockServices.rootConfig.factory({
          data: {
            datamesh: {
              governance: {
                // the scheduled evaluation of every product does not run during the test
                schedule: {
                  frequency: { hours: 24 },
                  timeout: { minutes: 5 },
                  initialDelay: { hours: 24 },
                },
                changes: {
                  delayMs: 100,
                  catalogSchedule: {
                    frequency: { seconds: 1 },
                    timeout: { minutes: 1 },
                  },
                },
                policies: [
                  ...[
                    'encryption-at-rest',
                    'pii-masking',
                    'data-lineage',
                    'quality-slo',
                    'retention-policy',
                    'audit-logging',
                  ].map(id => ({ id, enabled: false })),
                  {
                    id: 'quality-passing',
                    description: 'The latest quality checks pass.',
                    enforcement: 'required',
                    rule: 'quality.evaluated && quality.failing == 0',
                    message: '{{product.metadata.name}} has failing checks',
                  },
                  {
                    id: 'lineage-observed',
                    description: 'The lineage of the product is observed.',
                    enforcement: 'recommended',
                    rule: 'lineage.observed',
                  },
                  {
                    id: 'retention-set',
                    description: 'Products declare their retention.',
                    enforcement: 'required',
                    rule: 'has(product.spec.retentionDays)',
                    message: '{{product.metadata.name}} has no retention',
                  },
                ],
              },
            },
          },
        }),
      ],
    });
    server = backend.server;
    stop = () => backend.stop();
  });

  afterAll(async () => {
    await stop?.();
  });

  const get = (path: string, auth = user) =>
    request(server).get(`/api/datamesh/v1${path}`).set('authorization', auth);
  const compliance = (name: string) =>
    get(`/products/default/${name}/compliance`);

  it('evaluates a product again after a quality run that changes a policy, without waiting for the schedule', async () => {
    const before = await compliance('orders');
    expect(before.status).toBe(200);
    expect(statusOf(before.body, 'quality-passing')).toBe('fail');
    expect(before.body.history).toHaveLength(1);

    const posted = await request(server)
      .post('/api/datamesh/v1/products/default/orders/quality?port=main')
      .set('authorization', service)
      .send(run('pass'));
    expect(posted.status).toBe(201);

    const after = await waitFor(
      () => compliance('orders'),
      r => statusOf(r.body, 'quality-passing') === 'pass',
    );
    expect(statusOf(after.body, 'quality-passing')).toBe('pass');
    expect(after.body.history).toHaveLength(2);
    expect(after.body.history[0]).toMatchObject({ requiredFailures: 1 });
    expect(after.body.history[1]).toMatchObject({ requiredFailures: 2 });
  });

  it('evaluates a product again when its entity changes in the catalog', async () => {
    const first = await waitFor(
      () => compliance('payroll'),
      r => r.status === 200,
    );
    expect(statusOf(first.body, 'retention-set')).toBe('fail');
    payroll.spec.retentionDays = 30;
    payroll.metadata.etag = 'payroll-2';
    const after = await waitFor(
      () => compliance('payroll'),
      r => statusOf(r.body, 'retention-set') === 'pass',
    );
    expect(statusOf(after.body, 'retention-set')).toBe('pass');
    expect(after.body.history.length).toBeGreaterThanOrEqual(2);
  });

  it('counts in the summary, its trend and its failing products only the products the caller can see', async () => {
    const all = await waitFor(
      () => get('/governance/summary'),
      r => r.body.products === 2 && r.body.trend?.[0]?.products === 2,
    );
    expect(all.body).toMatchObject({ products: 2 });
    expect(all.body.trend).toEqual([expect.objectContaining({ products: 2 })]);
    const outside = await get('/governance/summary', outsiderHeader);
    expect(outside.status).toBe(200);
    expect(outside.body.products).toBe(1);
    expect(outside.body.trend).toEqual([
      expect.objectContaining({ products: 1 }),
    ]);
    expect(
      outside.body.byDomain.map((d: { domain: string }) => d.domain),
    ).toEqual(['domain:default/sales']);
    expect(outside.body.byDomain[0].trend).toEqual([
      expect.objectContaining({ products: 1 }),
    ]);
    for (const policy of outside.body.byPolicy) {
      expect(policy.applicable).toBe(1);
      expect(policy.trend).toEqual([expect.objectContaining({ products: 1 })]);
      expect(
        policy.failingProducts.map((p: { entityRef: string }) => p.entityRef),
      ).not.toContain('dataproduct:default/payroll');
    }
    expect((await compliance('payroll')).status).toBe(200);
    expect(
      (await get('/products/default/payroll/compliance', outsiderHeader))
        .status,
    ).toBe(404);
  });

  it('answers the change feed to other plugins only', async () => {
    const feed = await get('/governance/changes?since=0', service);
    expect(feed.status).toBe(200);
    const refs = feed.body.items.map((i: { entityRef: string }) => i.entityRef);
    expect(refs.sort()).toEqual([
      'dataproduct:default/orders',
      'dataproduct:default/payroll',
    ]);
    const last = feed.body.items.at(-1).id;
    expect(
      (await get(`/governance/changes?since=${last}`, service)).body.items,
    ).toEqual([]);
    expect((await get('/governance/changes?since=0', user)).status).toBe(403);
    expect(
      (await get('/governance/changes?since=-1', service)).body.error.message,
    ).toBe('since must be a whole number, 0 or more, not "-1"');
    expect((await get('/governance/changes?limit=0', service)).status).toBe(
      400,
    );
  });

  it('evaluates a product again when an event observes lineage of its ports', async () => {
    const before = await compliance('orders');
    expect(statusOf(before.body, 'lineage-observed')).toBe('fail');
    const posted = await request(server)
      .post('/api/datamesh/v1/lineage')
      .set('authorization', service)
      .send(
        runEvent({
          eventType: 'COMPLETE',
          eventTime: new Date().toISOString(),
          job: { namespace: 'airflow', name: 'orders.load' },
          inputs: [{ namespace: 'kafka://broker:9092', name: 'raw.orders' }],
          outputs: [{ namespace: 'postgres://db', name: 'sales.orders' }],
        }),
      );
    expect(posted.status).toBe(201);
    const after = await waitFor(
      () => compliance('orders'),
      r => statusOf(r.body, 'lineage-observed') === 'pass',
    );
    expect(statusOf(after.body, 'lineage-observed')).toBe('pass');
    expect(after.body.history.length).toBe(before.body.history.length + 1);
  });

  it("evaluates a domain's products again when the domain's policies change", async () => {
    const before = await compliance('orders');
    expect(statusOf(before.body, 'sales-channel')).toBeUndefined();
    sales.spec.datamesh = {
      policies: [
        {
          id: 'sales-channel',
          description: 'Sales products name a channel.',
          enforcement: 'recommended',
          rule: 'has(product.spec.ownership)',
        },
      ],
    };
    sales.metadata.etag = 'sales-2';
    const after = await waitFor(
      () => compliance('orders'),
      r => statusOf(r.body, 'sales-channel') !== undefined,
    );
    expect(statusOf(after.body, 'sales-channel')).toBe('fail');
    // the other domain's product is not changed by it
    expect(statusOf((await compliance('payroll')).body, 'sales-channel')).toBe(
      undefined,
    );
  });
});
