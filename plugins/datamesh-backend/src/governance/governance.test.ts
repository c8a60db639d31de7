import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import type { LoggerService } from '@backstage/backend-plugin-api';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import catalogModuleDataMesh from '@backstage-datamesh/plugin-catalog-backend-module-datamesh';
import path from 'node:path';
import request from 'supertest';
import { datameshPlugin } from '../plugin';
import { waitForEntity } from '../__testUtils__/waitForEntity';

jest.setTimeout(180_000);

const MESH = path.resolve(__dirname, '__fixtures__/catalog-info.yaml');

type Line = { level: string; message: string; meta?: unknown };

/** A root logger that keeps every line, for the startup report. */
function recordingLogger(lines: Line[]): LoggerService {
  const logger: LoggerService = {
    error: (message, meta) => lines.push({ level: 'error', message, meta }),
    warn: (message, meta) => lines.push({ level: 'warn', message, meta }),
    info: (message, meta) => lines.push({ level: 'info', message, meta }),
    debug: (message, meta) => lines.push({ level: 'debug', message, meta }),
    child: () => logger,
  };
  return logger;
}

async function poll<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 120_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) {
      return value;
    }
    await new Promise(resolve => setTimeout(resolve, 300));
  }
}

describe('governance in the datamesh backend', () => {
  const lines: Line[] = [];
  let backend: Awaited<ReturnType<typeof startTestBackend>>;
  const user = mockCredentials.user.header();

  beforeAll(async () => {
    backend = await startTestBackend({
      features: [
        datameshPlugin,
        catalogPlugin,
        catalogModuleDataMesh,
        // the real scheduler, which runs the evaluation at its frequency
        schedulerServiceFactory,
        mockServices.rootLogger.mock(recordingLogger(lines) as never).factory,
        mockServices.rootConfig.factory({
          data: {
            catalog: {
              rules: [{ allow: ['Group', 'Domain', 'DataProduct'] }],
              locations: [{ type: 'file', target: MESH }],
            },
            datamesh: {
              governance: {
                environment: { name: 'staging', production: false },
                schedule: {
                  frequency: { seconds: 2 },
                  timeout: { minutes: 2 },
                  initialDelay: { seconds: 1 },
                },
                policies: [
                  // no lineage is posted in this test
                  { id: 'data-lineage', enabled: false },
                  {
                    id: 'broken-rule',
                    description: 'A rule that does not parse.',
                    enforcement: 'required',
                    rule: 'product.spec.(',
                  },
                  {
                    id: 'title-set',
                    description: 'Products have a title.',
                    enforcement: 'recommended',
                    rule: 'has(product.metadata.title)',
                    message: '{{product.metadata.name}} has no title',
                  },
                ],
              },
            },
          },
        }),
      ],
    });
    await waitForEntity(
      backend.server,
      'dataproduct/default/good-orders',
      user,
    );
    await waitForEntity(backend.server, 'dataproduct/default/bad-orders', user);
  });

  afterAll(async () => {
    await backend?.stop();
  });

  it('reports a bad rule at startup with its policy id, and evaluates the others', async () => {
    expect(lines).toContainEqual({
      level: 'error',
      message:
        'Governance policy broken-rule is not evaluated: policy broken-rule: its rule does not parse: Expected IDENTIFIER, got LPAREN',
      meta: { policyId: 'broken-rule' },
    });
    const res = await request(backend.server)
      .get('/api/datamesh/v1/governance/policies')
      .set('authorization', user);
    expect(res.status).toBe(200);
    expect(res.body.problems).toEqual([
      expect.objectContaining({ policyId: 'broken-rule' }),
    ]);
    const ids = res.body.policies.map((p: { id: string }) => p.id);
    expect(ids).toEqual([
      'encryption-at-rest',
      'pii-masking',
      'data-lineage',
      'quality-slo',
      'retention-policy',
      'audit-logging',
      'broken-rule',
      'title-set',
    ]);
    expect(
      res.body.policies.find((p: { id: string }) => p.id === 'data-lineage'),
    ).toMatchObject({ enabled: false, source: { type: 'config' } });
  });

  it("answers a product's compliance: each policy with its reason, domain policies of the parent domain included", async () => {
    const good = await request(backend.server)
      .get('/api/datamesh/v1/products/default/good-orders/compliance')
      .set('authorization', user);
    expect(good.status).toBe(200);
    expect(good.body).toMatchObject({
      entityRef: 'dataproduct:default/good-orders',
      domain: 'domain:default/orders',
      compliant: true,
      requiredFailures: 0,
    });
    expect(
      good.body.evaluations.map((e: { policyId: string; status: string }) => [
        e.policyId,
        e.status,
      ]),
    ).toEqual([
      ['encryption-at-rest', 'pass'],
      ['pii-masking', 'pass'],
      ['quality-slo', 'pass'],
      ['retention-policy', 'pass'],
      ['audit-logging', 'pass'],
      ['title-set', 'fail'],
      ['communication-channel', 'pass'],
    ]);
    expect(good.body.history).toHaveLength(1);

    const bad = await request(backend.server)
      .get('/api/datamesh/v1/products/default/bad-orders/compliance')
      .set('authorization', user);
    expect(bad.status).toBe(200);
    expect(bad.body.compliant).toBe(false);
    const reasons = Object.fromEntries(
      bad.body.evaluations.map((e: { policyId: string; reason: string }) => [
        e.policyId,
        e.reason,
      ]),
    );
    expect(reasons).toEqual({
      'encryption-at-rest':
        'bad-orders does not declare encryption at rest: it has no infrastructure descriptor (spec.infrastructure), which must set spec.security.encryption_at_rest: true or spec.storage.encryption (for example AES-256).',
      'pii-masking':
        'PII columns are not masked in the staging environment: bad-orders-orders.orders.customer_email (tag them masked or give them the custom property masking).',
      'quality-slo':
        'bad-orders defines no quality SLO: spec.sla needs at least one of freshness, availability, accuracy, completeness.',
      'retention-policy':
        'bad-orders has no retention policy (spec.retentionDays).',
      'audit-logging':
        'bad-orders does not declare audit logging: it has no infrastructure descriptor (spec.infrastructure), which must set spec.security.audit_logging: true.',
      'title-set': 'bad-orders has no title',
      'communication-channel':
        'bad-orders names no communication channel (spec.ownership.communicationChannel).',
    });
    expect(bad.body.requiredFailures).toBe(6);
  });

  it('answers the summary by domain and by policy with its trend, after the scheduled evaluation', async () => {
    const res = await poll(
      () =>
        request(backend.server)
          .get('/api/datamesh/v1/governance/summary?domain=commerce')
          .set('authorization', user),
      r => r.status === 200 && r.body.trend.length > 0,
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      domain: 'domain:default/commerce',
      days: 30,
      products: 2,
      compliant: 1,
      byDomain: [
        {
          domain: 'domain:default/orders',
          products: 2,
          compliant: 1,
          requiredFailures: 6,
        },
      ],
    });
    expect(res.body.trend).toEqual([
      expect.objectContaining({ products: 2, compliant: 1, ratio: 0.5 }),
    ]);
    const retention = res.body.byPolicy.find(
      (p: { policyId: string }) => p.policyId === 'retention-policy',
    );
    expect(retention).toMatchObject({
      enforcement: 'required',
      applicable: 2,
      passing: 1,
      failing: 1,
      failingProducts: [
        {
          entityRef: 'dataproduct:default/bad-orders',
          reason: 'bad-orders has no retention policy (spec.retentionDays).',
        },
      ],
      trend: [expect.objectContaining({ products: 2, compliant: 1 })],
    });
  });

  it("lists a domain's effective policies: the portal's and those of the domains above it", async () => {
    const res = await request(backend.server)
      .get('/api/datamesh/v1/governance/policies?domain=orders')
      .set('authorization', user);
    expect(res.status).toBe(200);
    expect(res.body.domain).toBe('domain:default/orders');
    expect(res.body.domains).toEqual([
      'domain:default/orders',
      'domain:default/commerce',
    ]);
    expect(res.body.policies.at(-1)).toMatchObject({
      id: 'communication-channel',
      source: { type: 'domain', domain: 'domain:default/commerce' },
    });
  });

  it('answers bad input with 400, unknown products and domains with 404, no credentials with 401', async () => {
    const get = (url: string, auth = user) =>
      request(backend.server)
        .get(`/api/datamesh${url}`)
        .set('authorization', auth);
    expect(
      (await get('/v1/governance/summary?days=0')).body.error.message,
    ).toBe('days must be a whole number from 1 to 365, not "0"');
    expect((await get('/v1/governance/summary?days=abc')).status).toBe(400);
    expect((await get('/v1/governance/policies?domain=group:x')).status).toBe(
      400,
    );
    expect((await get('/v1/governance/policies?domain=nowhere')).status).toBe(
      404,
    );
    expect((await get('/v1/governance/summary?domain=nowhere')).status).toBe(
      404,
    );
    expect(
      (await get('/v1/products/default/no-such-product/compliance')).status,
    ).toBe(404);
    const anonymous = await get(
      '/v1/governance/summary',
      mockCredentials.none.header(),
    );
    expect(anonymous.status).toBe(401);
  });
});
