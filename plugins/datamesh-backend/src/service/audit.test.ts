import request from 'supertest';
import {
  AuditorServiceEvent,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { datameshPlugin } from '../plugin';

jest.setTimeout(120_000);

const product = (name: string, sensitivity: string) => ({
  apiVersion: 'datamesh.io/v1alpha1',
  kind: 'DataProduct',
  metadata: { name, namespace: 'default' },
  spec: {
    owner: 'group:default/finance-team',
    domain: 'finance',
    type: 'source-aligned',
    lifecycle: 'production',
    sensitivity,
    sla: { completeness: '99%' },
    outputPorts: [
      {
        name: 'main',
        type: 'table',
        location: { namespace: 'postgres://db', name: `finance.${name}` },
      },
    ],
  },
  relations: [
    { type: 'partOf', targetRef: 'domain:default/finance' },
    { type: 'ownedBy', targetRef: 'group:default/finance-team' },
  ],
});

const failingRun = {
  format: 'datamesh-quality-results/v1',
  finishedAt: new Date(Date.UTC(2026, 11, 1)).toISOString(),
  checks: [
    {
      name: 'not_null_id',
      status: 'fail',
      dimension: 'completeness',
      rowsEvaluated: 100,
      unexpectedCount: 20,
    },
  ],
};

describe('the audit events of the suite: its writes, and the reads of restricted products', () => {
  const auditor = mockServices.auditor.mock();
  let server: Awaited<ReturnType<typeof startTestBackend>>['server'];
  let stop: () => Promise<void>;
  const user = mockCredentials.user.header();

  beforeAll(async () => {
    const catalog = catalogServiceMock({
      entities: [
        product('ledger', 'restricted'),
        product('invoices', 'internal'),
      ],
    });
    const backend = await startTestBackend({
      features: [
        datameshPlugin,
        auditor.factory,
        createServiceFactory({
          service: catalogServiceRef,
          deps: {},
          factory: () => catalog,
        }),
      ],
    });
    server = backend.server;
    stop = () => backend.stop();
  });

  afterAll(async () => {
    await stop?.();
  });

  beforeEach(() => {
    auditor.createEvent.mockClear();
  });

  /** The events created, each with what it was marked with (success or fail, and meta). */
  async function events() {
    return Promise.all(
      auditor.createEvent.mock.calls.map(async ([options], i) => {
        const event = (await auditor.createEvent.mock.results[i]
          .value) as jest.Mocked<AuditorServiceEvent>;
        return {
          eventId: options.eventId,
          severityLevel: options.severityLevel,
          meta: options.meta,
          hasRequest: Boolean(options.request),
          success: event.success.mock.calls.map(([o]) => o?.meta ?? {}),
          fail: event.fail.mock.calls.map(([o]) => o.error.name),
        };
      }),
    );
  }

  it('records a quality run post with its product and counts, never its body', async () => {
    const res = await request(server)
      .post('/api/datamesh/v1/products/default/invoices/quality?port=main')
      .set('authorization', mockCredentials.service.header())
      .send(failingRun);
    expect(res.status).toBe(201);
    const recorded = await events();
    expect(recorded).toEqual([
      {
        eventId: 'quality-run-post',
        severityLevel: 'medium',
        meta: { entityRef: 'dataproduct:default/invoices' },
        hasRequest: true,
        success: [
          {
            runId: res.body.runId,
            created: true,
            format: 'native',
            checks: 1,
            health: 'breaching',
          },
        ],
        fail: [],
      },
    ]);
    expect(JSON.stringify(recorded)).not.toContain('not_null_id');
  });

  it('records a refused write as failed', async () => {
    const res = await request(server)
      .post('/api/datamesh/v1/products/default/nothing/quality')
      .set('authorization', mockCredentials.service.header())
      .send(failingRun);
    expect(res.status).toBe(404);
    expect(await events()).toEqual([
      expect.objectContaining({
        eventId: 'quality-run-post',
        meta: { entityRef: 'dataproduct:default/nothing' },
        success: [],
        fail: ['NotFoundError'],
      }),
    ]);
  });

  it('records acknowledging and resolving an incident', async () => {
    const open = await request(server)
      .get('/api/datamesh/v1/incidents?state=new')
      .set('authorization', user);
    const incident = open.body.items.find(
      (i: { entityRef: string }) =>
        i.entityRef === 'dataproduct:default/invoices',
    );
    expect(incident).toBeDefined();
    auditor.createEvent.mockClear();
    for (const action of ['acknowledge', 'resolve']) {
      const res = await request(server)
        .post(`/api/datamesh/v1/incidents/${incident.id}/${action}`)
        .set('authorization', user);
      expect(res.status).toBe(200);
    }
    expect(await events()).toEqual([
      expect.objectContaining({
        eventId: 'incident-acknowledge',
        severityLevel: 'medium',
        meta: { incidentId: incident.id },
        success: [
          {
            entityRef: 'dataproduct:default/invoices',
            state: 'acknowledged',
          },
        ],
      }),
      expect.objectContaining({
        eventId: 'incident-resolve',
        success: [
          { entityRef: 'dataproduct:default/invoices', state: 'resolved' },
        ],
      }),
    ]);
  });

  it('records each read of a restricted product, and none of another product', async () => {
    await request(server)
      .post('/api/datamesh/v1/products/default/ledger/quality?port=main')
      .set('authorization', mockCredentials.service.header())
      .send(failingRun);
    auditor.createEvent.mockClear();
    for (const path of ['health', 'checks', 'runs', 'history?days=7']) {
      const open = await request(server)
        .get(`/api/datamesh/v1/products/default/invoices/${path}`)
        .set('authorization', user);
      expect(open.status).toBe(200);
    }
    // the list routes read no product's data on their own
    await request(server)
      .get('/api/datamesh/v1/health')
      .set('authorization', user);
    expect(auditor.createEvent).not.toHaveBeenCalled();

    for (const path of ['health', 'checks', 'runs', 'history?days=7']) {
      const restricted = await request(server)
        .get(`/api/datamesh/v1/products/default/ledger/${path}`)
        .set('authorization', user);
      expect(restricted.status).toBe(200);
    }
    const recorded = await events();
    expect(recorded.map(e => [e.eventId, e.meta?.queryType])).toEqual([
      ['restricted-product-read', 'health'],
      ['restricted-product-read', 'checks'],
      ['restricted-product-read', 'runs'],
      ['restricted-product-read', 'history'],
    ]);
    expect(recorded[1]).toEqual({
      eventId: 'restricted-product-read',
      severityLevel: 'low',
      meta: { entityRef: 'dataproduct:default/ledger', queryType: 'checks' },
      hasRequest: true,
      success: [{ count: 1 }],
      fail: [],
    });
    expect(recorded[3].meta).toMatchObject({ days: 7 });
  });

  it('records the reads of a restricted product through the governance routes too', async () => {
    const open = await request(server)
      .get('/api/datamesh/v1/products/default/invoices/compliance')
      .set('authorization', user);
    expect(open.status).toBe(200);
    expect(auditor.createEvent).not.toHaveBeenCalled();
    const restricted = await request(server)
      .get('/api/datamesh/v1/products/default/ledger/compliance')
      .set('authorization', user);
    expect(restricted.status).toBe(200);
    const missing = await request(server)
      .get('/api/datamesh/v1/products/default/nothing/compliance')
      .set('authorization', user);
    expect(missing.status).toBe(404);
    expect(await events()).toEqual([
      {
        eventId: 'restricted-product-read',
        severityLevel: 'low',
        meta: {
          entityRef: 'dataproduct:default/ledger',
          queryType: 'compliance',
        },
        hasRequest: true,
        success: [{}],
        fail: [],
      },
    ]);
  });
});
