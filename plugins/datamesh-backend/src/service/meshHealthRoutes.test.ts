import request from 'supertest';
import { createServiceFactory } from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { datameshPlugin } from '../plugin';

jest.setTimeout(120_000);

const outsider = 'user:default/outsider';

const product = (name: string, domain: string) => ({
  apiVersion: 'datamesh.io/v1alpha1',
  kind: 'DataProduct',
  metadata: { name, namespace: 'default' },
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
  },
  relations: [
    { type: 'partOf', targetRef: `domain:default/${domain}` },
    { type: 'ownedBy', targetRef: `group:default/${domain}-team` },
  ],
});

const run = (i: number, status: string, unexpected: number) => ({
  format: 'datamesh-quality-results/v1',
  finishedAt: new Date(Date.UTC(2026, 11, 1) + i * 1000).toISOString(),
  checks: [
    {
      name: 'not_null_id',
      status,
      dimension: 'completeness',
      rowsEvaluated: 100,
      unexpectedCount: unexpected,
    },
  ],
});

describe('the Mesh health page routes: paged health and the incidents of many products', () => {
  let server: Awaited<ReturnType<typeof startTestBackend>>['server'];
  let stop: () => Promise<void>;
  const user = mockCredentials.user.header();
  const posted: string[] = [];

  beforeAll(async () => {
    const entities = [
      product('orders', 'sales'),
      product('invoices', 'sales'),
      product('payroll', 'hr'),
      product('leads', 'sales'),
    ];
    const catalog = catalogServiceMock({ entities });
    // the outsider may not see payroll in the catalog
    const hidden = (credentials: unknown) =>
      (credentials as { principal?: { userEntityRef?: string } }).principal
        ?.userEntityRef === outsider;
    const byRefs = catalog.getEntitiesByRefs.bind(catalog);
    catalog.getEntitiesByRefs = async (req, options) => {
      const answer = await byRefs(req, options);
      return hidden(
        (options as { credentials?: unknown } | undefined)?.credentials,
      )
        ? {
            items: answer.items.map(e =>
              e?.metadata.name === 'payroll' ? undefined : e,
            ),
          }
        : answer;
    };
    const all = catalog.getEntities.bind(catalog);
    catalog.getEntities = async (req, options) => {
      const answer = await all(req, options);
      return hidden(
        (options as { credentials?: unknown } | undefined)?.credentials,
      )
        ? { items: answer.items.filter(e => e.metadata.name !== 'payroll') }
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
      ],
    });
    server = backend.server;
    stop = () => backend.stop();
    const post = async (name: string, i: number, status: string, n: number) => {
      const res = await request(server)
        .post(`/api/datamesh/v1/products/default/${name}/quality?port=main`)
        .set('authorization', mockCredentials.service.header())
        .send(run(i, status, n));
      posted.push(`${res.status} ${res.body.health}`);
    };
    // breaching, in this order (the first the longest), then one degraded
    await post('payroll', 1, 'fail', 20);
    await post('orders', 2, 'fail', 10);
    await post('invoices', 3, 'fail', 30);
    await post('leads', 4, 'warn', 0);
  });

  afterAll(async () => {
    await stop?.();
  });

  const get = (path: string, auth = user) =>
    request(server).get(`/api/datamesh/v1${path}`).set('authorization', auth);
  const refs = (items: Array<{ entityRef: string }>) =>
    items.map(i => i.entityRef.replace('dataproduct:default/', ''));

  it('pages the breaching and degraded products worst first, with counts and filter options', async () => {
    expect(posted).toEqual([
      '201 breaching',
      '201 breaching',
      '201 breaching',
      '201 degraded',
    ]);
    const first = await get('/health?health=breaching,degraded&limit=2');
    expect(first.status).toBe(200);
    expect(refs(first.body.items)).toEqual(['payroll', 'orders']);
    expect(first.body).toMatchObject({
      totalItems: 4,
      offset: 0,
      limit: 2,
      counts: { breaching: 3, degraded: 1 },
      facets: {
        domain: [
          { value: 'domain:default/hr', count: 1 },
          { value: 'domain:default/sales', count: 3 },
        ],
        owner: [
          { value: 'group:default/hr-team', count: 1 },
          { value: 'group:default/sales-team', count: 3 },
        ],
      },
    });
    const second = await get(
      '/health?health=breaching,degraded&limit=2&offset=2',
    );
    expect(refs(second.body.items)).toEqual(['invoices', 'leads']);
    const last = await get(
      '/health?health=breaching,degraded&limit=2&offset=4',
    );
    expect(last.body.items).toEqual([]);

    // filters in the store, refs normalised as the catalog does
    const sales = await get('/health?health=breaching,degraded&domain=sales');
    expect(refs(sales.body.items)).toEqual(['orders', 'invoices', 'leads']);
    expect(sales.body).toMatchObject({
      totalItems: 3,
      counts: { breaching: 2, degraded: 1 },
    });
    const hr = await get(
      '/health?health=breaching&owner=group:default/hr-team',
    );
    expect(refs(hr.body.items)).toEqual(['payroll']);
    // without a limit, every product, as the catalog module reads them
    expect(refs((await get('/health')).body.items)).toHaveLength(4);
  });

  it('answers one request for the open incidents of many products, as visible as on each product', async () => {
    const open = await get('/incidents?state=new,acknowledged');
    expect(open.status).toBe(200);
    // newest first
    expect(refs(open.body.items)).toEqual(['invoices', 'orders', 'payroll']);
    expect(open.body).toMatchObject({ totalItems: 3, offset: 0, limit: 100 });
    expect(open.body.items[0]).toMatchObject({
      state: 'new',
      severity: 'high',
      events: [expect.objectContaining({ type: 'opened' })],
    });
    const some = await get(
      `/incidents?state=new&entityRef=${[
        stringifyEntityRef({ kind: 'DataProduct', name: 'orders' }),
        'dataproduct:default/payroll',
      ].join(',')}`,
    );
    expect(refs(some.body.items)).toEqual(['orders', 'payroll']);
    const sales = await get('/incidents?domain=domain:default/sales&limit=1');
    expect(refs(sales.body.items)).toEqual(['invoices']);
    expect(sales.body).toMatchObject({ totalItems: 2, limit: 1 });
    const page2 = await get('/incidents?domain=sales&limit=1&offset=1');
    expect(refs(page2.body.items)).toEqual(['orders']);
    expect((await get('/incidents?state=resolved')).body.items).toEqual([]);

    // what the caller may not see in the catalog is left out of both routes
    const theirs = await get(
      '/incidents?state=new',
      mockCredentials.user.header(outsider),
    );
    expect(refs(theirs.body.items)).toEqual(['invoices', 'orders']);
    expect(theirs.body.totalItems).toBe(2);
    const theirHealth = await get(
      '/health?health=breaching',
      mockCredentials.user.header(outsider),
    );
    expect(refs(theirHealth.body.items)).toEqual(['orders', 'invoices']);
    // nor counted: totals, counts and facets are of what the caller sees, pages full
    expect(theirHealth.body).toMatchObject({
      totalItems: 2,
      counts: { breaching: 2 },
      facets: {
        domain: [{ value: 'domain:default/sales', count: 2 }],
        owner: [{ value: 'group:default/sales-team', count: 2 }],
      },
    });
    const firstPage = await get(
      '/health?health=breaching,degraded&limit=2',
      mockCredentials.user.header(outsider),
    );
    expect(refs(firstPage.body.items)).toEqual(['orders', 'invoices']);
    expect(firstPage.body.totalItems).toBe(3);
    // the change feed: a user sees the changes of its products, a service (the catalog
    // module) every product's
    const theirChanges = await get(
      '/health/changes',
      mockCredentials.user.header(outsider),
    );
    expect(theirChanges.status).toBe(200);
    expect(refs(theirChanges.body.items).sort()).toEqual([
      'invoices',
      'leads',
      'orders',
    ]);
    const allChanges = await get(
      '/health/changes',
      mockCredentials.service.header(),
    );
    expect(refs(allChanges.body.items).sort()).toEqual([
      'invoices',
      'leads',
      'orders',
      'payroll',
    ]);
  });

  it('answers bad paging and filters 400, and no credentials 401', async () => {
    for (const query of [
      'limit=0',
      'limit=501',
      'limit=ten',
      'offset=-1',
      'state=closed',
    ]) {
      const res = await get(`/incidents?${query}`);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(/^(limit|offset|state) /);
    }
    const health = await get('/health?health=breaching&limit=1.5');
    expect(health.status).toBe(400);
    expect(health.body.error.message).toContain('limit must be a whole number');
    for (const path of ['/incidents', '/health']) {
      expect((await get(path, mockCredentials.none.header())).status).toBe(401);
    }
  });
});
