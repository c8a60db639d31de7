import { TestDatabases, mockCredentials } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import request from 'supertest';
import {
  productWith,
  startLineageBackend,
} from '../lineage/__testUtils__/lineageBackend';
import { dataset, runEvent } from '../lineage/__testUtils__/events';

jest.setTimeout(120_000);

const db = 'postgres://db:5432';
const hoursAgo = (h: number) =>
  new Date(Date.now() - h * 3_600_000).toISOString();

function product(name: string, onCall?: string): Entity {
  const entity = productWith(name, [
    { name, namespace: db, dataset: `shop.public.${name}` },
  ]);
  return {
    ...entity,
    spec: {
      ...entity.spec,
      owner: `group:default/${name}-team`,
      ...(onCall ? { ownership: { onCallRotation: onCall } } : {}),
    },
  };
}

describe('the lineage actions, through the plugin’s actions registry', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  let backend: Awaited<ReturnType<typeof startLineageBackend>>;
  const user = mockCredentials.user.header();
  const actions = '/api/datamesh/.backstage/actions/v1/actions';
  const invoke = (name: string, input: object) =>
    request(backend.server)
      .post(`${actions}/datamesh:${name}/invoke`)
      .set('authorization', user)
      .send(input);

  beforeAll(async () => {
    backend = await startLineageBackend({
      knex: await databases.init('SQLITE_3'),
      entities: [product('orders'), product('customers', 'pagerduty:crm')],
    });
    // kafka events -> orders -> customers
    for (const event of [
      runEvent({
        eventType: 'COMPLETE',
        eventTime: hoursAgo(2),
        job: { namespace: 'airflow', name: 'orders.load' },
        inputs: [dataset('kafka://broker:9092', 'shop.events')],
        outputs: [dataset(db, 'shop.public.orders')],
      }),
      runEvent({
        eventType: 'FAIL',
        eventTime: hoursAgo(1),
        job: { namespace: 'airflow', name: 'customers.build' },
        inputs: [dataset(db, 'shop.public.orders')],
        outputs: [dataset(db, 'shop.public.customers')],
      }),
    ]) {
      const res = await backend.post('lineage', event);
      if (res.status !== 201) {
        throw new Error(`The event was not stored: ${res.status} ${res.text}`);
      }
    }
  });

  afterAll(async () => {
    await backend?.stop();
  });

  it('lists the upstream, downstream and impact actions with their schemas', async () => {
    const res = await request(backend.server)
      .get(actions)
      .set('authorization', user);
    expect(res.status).toBe(200);
    const ids = res.body.actions.map((a: { id: string }) => a.id);
    expect(ids).toEqual(
      expect.arrayContaining([
        'datamesh:get-data-product-upstream',
        'datamesh:get-data-product-downstream',
        'datamesh:get-data-product-impact',
      ]),
    );
    const upstream = res.body.actions.find(
      (a: { name: string }) => a.name === 'get-data-product-upstream',
    );
    expect(Object.keys(upstream.schema.input.properties).sort()).toEqual([
      'depth',
      'entityRef',
    ]);
    expect(upstream.attributes).toMatchObject({ readOnly: true });
  });

  it('answers where a product’s data comes from, to its sources', async () => {
    const res = await invoke('get-data-product-upstream', {
      entityRef: 'customers',
    });
    expect(res.status).toBe(200);
    expect(res.body.output).toEqual({
      entityRef: 'dataproduct:default/customers',
      depth: 'all',
      products: [
        {
          entityRef: 'dataproduct:default/orders',
          distance: 1,
          health: 'healthy',
          ports: ['orders'],
        },
      ],
      jobs: [
        {
          namespace: 'airflow',
          name: 'customers.build',
          distance: 0,
          latestRunState: 'FAIL',
          latestRunAt: expect.any(String),
        },
        {
          namespace: 'airflow',
          name: 'orders.load',
          distance: 1,
          latestRunState: 'COMPLETE',
          latestRunAt: expect.any(String),
        },
      ],
      externalDatasets: [
        { namespace: 'kafka://broker:9092', name: 'shop.events', distance: 2 },
      ],
      truncated: false,
    });
    const one = await invoke('get-data-product-upstream', {
      entityRef: 'dataproduct:default/customers',
      depth: 1,
    });
    expect(one.body.output.externalDatasets).toEqual([]);
  });

  it('answers where it goes and whom its failure hits', async () => {
    const down = await invoke('get-data-product-downstream', {
      entityRef: 'orders',
      depth: 2,
    });
    expect(down.status).toBe(200);
    expect(down.body.output.products).toEqual([
      {
        entityRef: 'dataproduct:default/customers',
        distance: 1,
        health: 'unknown',
        ports: ['customers'],
      },
    ]);
    const impact = await invoke('get-data-product-impact', {
      entityRef: 'orders',
    });
    expect(impact.status).toBe(200);
    expect(impact.body.output).toEqual({
      entityRef: 'dataproduct:default/orders',
      products: [
        {
          entityRef: 'dataproduct:default/customers',
          distance: 1,
          owner: 'group:default/customers-team',
          onCall: 'pagerduty:crm',
          health: 'unknown',
          via: [
            {
              fromEntityRef: 'dataproduct:default/orders',
              fromPort: 'orders',
              job: { namespace: 'airflow', name: 'customers.build' },
            },
          ],
        },
      ],
      externalDatasets: [],
    });
  });

  it('refuses a bad depth or a reference to something else, and answers 404 for an unknown product', async () => {
    expect(
      (
        await invoke('get-data-product-upstream', {
          entityRef: 'orders',
          depth: 9,
        })
      ).status,
    ).toBe(400);
    const component = await invoke('get-data-product-impact', {
      entityRef: 'component:default/orders',
    });
    expect(component.status).toBe(400);
    expect(component.body.error.message).toContain('DataProduct');
    expect(
      (await invoke('get-data-product-downstream', { entityRef: 'nothing' }))
        .status,
    ).toBe(404);
  });
});
