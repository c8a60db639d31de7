import { TestDatabases, mockCredentials } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import type {
  LineageDrift,
  LineageGraph,
  LineageImpact,
  ObservedProductEdges,
  PortColumnLineage,
} from '@backstage-datamesh/plugin-datamesh-common';
import request from 'supertest';
import {
  productWith,
  startLineageBackend,
} from './__testUtils__/lineageBackend';
import { dataset, facets, runEvent } from './__testUtils__/events';

jest.setTimeout(180_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

const db = 'postgres://db:5432';
const hoursAgo = (h: number) =>
  new Date(Date.now() - h * 3_600_000).toISOString();

/** A product with ports, input ports and an on-call rotation. */
function product(
  name: string,
  port: string,
  options: {
    inputs?: Array<{ name: string; product: string; port: string }>;
    onCall?: string;
  } = {},
): Entity {
  const entity = productWith(name, [
    { name: port, namespace: db, dataset: `shop.public.${port}` },
  ]);
  return {
    ...entity,
    metadata: { ...entity.metadata, title: `The ${name}` },
    spec: {
      ...entity.spec,
      owner: `group:default/${name}-team`,
      ...(options.inputs ? { inputPorts: options.inputs } : {}),
      ...(options.onCall
        ? { ownership: { onCallRotation: options.onCall } }
        : {}),
    },
  };
}

/**
 * orders <- kafka raw events (external); customers reads orders (declared); analytics reads
 * customers (declared) and orders (not declared), and declares billing's invoices, never read.
 */
const entities = [
  product('orders', 'orders', { onCall: 'pagerduty:orders' }),
  product('customers', 'customers', {
    inputs: [{ name: 'orders-in', product: 'orders', port: 'orders' }],
    onCall: 'pagerduty:customers',
  }),
  product('analytics', 'report', {
    inputs: [
      { name: 'customers-in', product: 'customers', port: 'customers' },
      { name: 'invoices-in', product: 'billing', port: 'invoices' },
    ],
  }),
  product('billing', 'invoices'),
];

const ordersDataset = dataset(db, 'shop.public.orders', {
  columns: ['order_id', 'customer_id', 'total'],
});
const customersDataset = dataset(db, 'shop.public.customers', {
  columns: ['customer_id', 'orders'],
  facets: {
    columnLineage: facets.columnLineage({
      customer_id: {
        inputFields: [
          {
            namespace: db,
            name: 'shop.public.orders',
            field: 'customer_id',
            transformations: [{ type: 'DIRECT', subtype: 'IDENTITY' }],
          },
        ],
      },
      orders: {
        inputFields: [
          {
            namespace: db,
            name: 'shop.public.orders',
            field: 'order_id',
            transformations: [
              {
                type: 'DIRECT',
                subtype: 'AGGREGATION',
                description: 'count(order_id)',
              },
            ],
          },
        ],
      },
    }),
  },
});
const raw = dataset('kafka://broker:9092', 'shop.raw_events');
const report = dataset(db, 'shop.public.report');

const events = [
  runEvent({
    eventType: 'FAIL',
    eventTime: hoursAgo(3),
    job: { namespace: 'airflow', name: 'orders.load' },
    inputs: [raw],
    outputs: [ordersDataset],
  }),
  runEvent({
    eventType: 'COMPLETE',
    eventTime: hoursAgo(2),
    job: { namespace: 'airflow', name: 'customers.build' },
    inputs: [ordersDataset],
    outputs: [customersDataset],
  }),
  runEvent({
    eventType: 'COMPLETE',
    eventTime: hoursAgo(1),
    job: { namespace: 'dbt', name: 'analytics.report' },
    inputs: [customersDataset, ordersDataset],
    outputs: [report],
  }),
];

describe.each(databases.eachSupportedId())(
  'the lineage read routes on %s',
  id => {
    let backend: Awaited<ReturnType<typeof startLineageBackend>>;
    const user = mockCredentials.user.header();
    const get = (path: string) =>
      request(backend.server)
        .get(`/api/datamesh/v1/${path}`)
        .set('authorization', user);

    beforeAll(async () => {
      backend = await startLineageBackend({
        knex: await databases.init(id),
        entities,
      });
      for (const event of events) {
        const res = await backend.post('lineage', event);
        if (res.status !== 201) {
          throw new Error(
            `The event was not stored: ${res.status} ${res.text}`,
          );
        }
      }
    });

    afterAll(async () => {
      await backend?.stop();
    });

    it('answers the graph of a product both ways, ports grouped under products', async () => {
      const res = await get('products/default/customers/lineage?depth=1');
      expect(res.status).toBe(200);
      const graph = res.body as LineageGraph;
      expect(graph).toMatchObject({
        root: 'product:dataproduct:default/customers',
        direction: 'both',
        depth: 1,
        truncated: false,
      });
      const nodes = Object.fromEntries(
        graph.nodes.map(n => [n.id, `${n.side} ${n.distance}`]),
      );
      expect(nodes).toEqual({
        'product:dataproduct:default/customers': 'root 0',
        'port:dataproduct:default/customers#customers': 'root 0',
        'job:airflow/customers.build': 'root 0',
        'product:dataproduct:default/orders': 'upstream 1',
        'port:dataproduct:default/orders#orders': 'upstream 1',
        'job:airflow/orders.load': 'upstream 1',
        'job:dbt/analytics.report': 'downstream 1',
        'product:dataproduct:default/analytics': 'downstream 1',
        'port:dataproduct:default/analytics#report': 'downstream 1',
      });
      expect(
        graph.edges.map(e => `${e.from} ${e.kind} ${e.to}`).sort(),
      ).toEqual(
        [
          'job:airflow/customers.build writes port:dataproduct:default/customers#customers',
          'job:airflow/orders.load writes port:dataproduct:default/orders#orders',
          'job:dbt/analytics.report writes port:dataproduct:default/analytics#report',
          'port:dataproduct:default/customers#customers reads job:dbt/analytics.report',
          'port:dataproduct:default/orders#orders reads job:airflow/customers.build',
          'product:dataproduct:default/analytics hasPort port:dataproduct:default/analytics#report',
          'product:dataproduct:default/customers hasPort port:dataproduct:default/customers#customers',
          'product:dataproduct:default/orders hasPort port:dataproduct:default/orders#orders',
        ].sort(),
      );
      const orders = graph.nodes.find(n => n.id === 'job:airflow/orders.load')!;
      expect(orders.kind).toBe('job');
      expect(orders.job?.latestRun).toMatchObject({ state: 'FAIL' });
      const port = graph.nodes.find(
        n => n.id === 'port:dataproduct:default/orders#orders',
      )!;
      expect(port).toMatchObject({
        kind: 'port',
        entityRef: 'dataproduct:default/orders',
        title: 'The orders',
        port: 'orders',
        dataset: { namespace: db, name: 'shop.public.orders' },
        // its run failed: no quality run, never evaluated
        health: 'unknown',
      });
      expect(graph.nodes[0]).toMatchObject({
        id: 'product:dataproduct:default/customers',
        health: 'healthy',
      });
      expect(graph.edges.find(e => e.kind === 'reads')?.lastSeenAt).toEqual(
        expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      );
    });

    it('keeps external datasets as dataset nodes, upstream to any depth', async () => {
      const res = await get(
        'products/default/customers/lineage?direction=upstream&depth=all',
      );
      expect(res.status).toBe(200);
      const graph = res.body as LineageGraph;
      expect(graph.nodes.find(n => n.kind === 'dataset')).toEqual({
        id: 'dataset:kafka://broker:9092/shop.raw_events',
        kind: 'dataset',
        label: 'shop.raw_events',
        dataset: { namespace: 'kafka://broker:9092', name: 'shop.raw_events' },
        distance: 2,
        side: 'upstream',
      });
      expect(graph.nodes.some(n => n.side === 'downstream')).toBe(false);
    });

    it('cuts the graph at maxNodes, nearest first, saying what it hides', async () => {
      const res = await get('products/default/customers/lineage?maxNodes=3');
      expect(res.status).toBe(200);
      const graph = res.body as LineageGraph;
      expect(graph.truncated).toBe(true);
      expect(graph.nodes.map(n => n.id)).toEqual([
        'product:dataproduct:default/customers',
        'port:dataproduct:default/customers#customers',
        'job:airflow/customers.build',
      ]);
      const port = graph.nodes[1];
      // the job analytics.report reading it is left out
      expect(port.hiddenNeighbours).toBe(1);
      expect(graph.nodes[2].hiddenNeighbours).toBe(1);
      expect(graph.edges).toHaveLength(2);
    });

    it('answers 400 naming the parameter, 404 for an unknown product, 401 without credentials', async () => {
      for (const [query, name] of [
        ['direction=sideways', 'direction'],
        ['depth=6', 'depth'],
        ['depth=0', 'depth'],
        ['maxNodes=0', 'maxNodes'],
        ['maxNodes=2001', 'maxNodes'],
        ['maxNodes=ten', 'maxNodes'],
        ['depth=1&depth=2', 'depth'],
      ]) {
        const res = await get(`products/default/customers/lineage?${query}`);
        expect(res.status).toBe(400);
        expect(res.body.error.message).toContain(name);
      }
      expect(
        (await get('products/default/customers/impact?depth=9')).status,
      ).toBe(400);
      expect(
        (await get('products/default/customers/lineage/drift?days=0')).status,
      ).toBe(400);
      expect((await get('lineage/drift?limit=501')).status).toBe(400);
      expect((await get('lineage/drift?offset=-1')).status).toBe(400);
      const missing = await get('products/default/nothing/lineage');
      expect(missing.status).toBe(404);
      expect(missing.body.error.message).toContain(
        'dataproduct:default/nothing',
      );
      expect(
        (
          await request(backend.server)
            .get('/api/datamesh/v1/products/default/customers/lineage')
            .set('authorization', mockCredentials.none.header())
        ).status,
      ).toBe(401);
    });

    it('answers the column lineage of a port, sources tied to their product', async () => {
      const res = await get(
        'products/default/customers/ports/customers/column-lineage',
      );
      expect(res.status).toBe(200);
      const body = res.body as PortColumnLineage;
      expect(body).toEqual({
        entityRef: 'dataproduct:default/customers',
        port: 'customers',
        dataset: { namespace: db, name: 'shop.public.customers' },
        columns: [
          {
            name: 'customer_id',
            type: 'VARCHAR',
            sources: [
              {
                dataset: { namespace: db, name: 'shop.public.orders' },
                entityRef: 'dataproduct:default/orders',
                port: 'orders',
                column: 'customer_id',
                transformationType: 'DIRECT',
                transformationSubtype: 'IDENTITY',
                job: { namespace: 'airflow', name: 'customers.build' },
              },
            ],
          },
          {
            name: 'orders',
            type: 'VARCHAR',
            sources: [
              expect.objectContaining({
                column: 'order_id',
                transformationSubtype: 'AGGREGATION',
                description: 'count(order_id)',
              }),
            ],
          },
        ],
        datasetDependencies: [],
      });
      const none = await get(
        'products/default/billing/ports/invoices/column-lineage',
      );
      expect(none.status).toBe(200);
      expect(none.body.columns).toEqual([]);
      const unknown = await get(
        'products/default/customers/ports/nope/column-lineage',
      );
      expect(unknown.status).toBe(404);
      expect(unknown.body.error.message).toContain('nope');
    });

    it('answers who a failing product hits, by distance, with owners and on-call', async () => {
      const res = await get('products/default/orders/impact');
      expect(res.status).toBe(200);
      expect(res.body as LineageImpact).toEqual({
        entityRef: 'dataproduct:default/orders',
        products: [
          {
            entityRef: 'dataproduct:default/analytics',
            title: 'The analytics',
            distance: 1,
            owner: 'group:default/analytics-team',
            // its COMPLETE run was fed to the quality store: evaluated healthy
            health: 'healthy',
            via: [
              {
                fromEntityRef: 'dataproduct:default/customers',
                fromPort: 'customers',
                job: { namespace: 'dbt', name: 'analytics.report' },
              },
              {
                fromEntityRef: 'dataproduct:default/orders',
                fromPort: 'orders',
                job: { namespace: 'dbt', name: 'analytics.report' },
              },
            ],
          },
          {
            entityRef: 'dataproduct:default/customers',
            title: 'The customers',
            distance: 1,
            owner: 'group:default/customers-team',
            onCall: 'pagerduty:customers',
            health: 'healthy',
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
      const external = await get('products/default/analytics/impact?depth=1');
      expect(external.body).toEqual({
        entityRef: 'dataproduct:default/analytics',
        products: [],
        externalDatasets: [],
      });
    });

    it('answers the drift of a product and of every product with some', async () => {
      const analytics = (await get('products/default/analytics/lineage/drift'))
        .body as LineageDrift;
      expect(analytics).toEqual({
        entityRef: 'dataproduct:default/analytics',
        windowDays: 30,
        undeclaredInputs: [
          {
            entityRef: 'dataproduct:default/orders',
            port: 'orders',
            lastSeenAt: expect.any(String),
            job: { namespace: 'dbt', name: 'analytics.report' },
          },
        ],
        unobservedInputs: [
          {
            inputPort: 'invoices-in',
            entityRef: 'dataproduct:default/billing',
            port: 'invoices',
          },
        ],
        undeclaredConsumers: [],
      });
      const orders = (await get('products/default/orders/lineage/drift?days=7'))
        .body as LineageDrift;
      expect(orders.windowDays).toBe(7);
      expect(orders.undeclaredConsumers).toEqual([
        {
          entityRef: 'dataproduct:default/analytics',
          port: 'orders',
          lastSeenAt: expect.any(String),
          job: { namespace: 'dbt', name: 'analytics.report' },
        },
      ]);
      const customers = (await get('products/default/customers/lineage/drift'))
        .body as LineageDrift;
      expect(customers).toMatchObject({
        undeclaredInputs: [],
        unobservedInputs: [],
        undeclaredConsumers: [],
      });
      const all = await get('lineage/drift');
      expect(all.status).toBe(200);
      expect(all.body.totalCount).toBe(2);
      expect(all.body.items).toEqual([
        analytics,
        { ...orders, windowDays: 30 },
      ]);
      const page = await get('lineage/drift?limit=1&offset=1');
      expect(page.body).toEqual({ items: [all.body.items[1]], totalCount: 2 });
    });

    it('answers the observed product edges with an ETag, 304 when unchanged', async () => {
      const res = await get('lineage/product-edges');
      expect(res.status).toBe(200);
      const body = res.body as ObservedProductEdges;
      expect(body.items.map(e => `${e.from}#${e.fromPort} -> ${e.to}`)).toEqual(
        [
          'dataproduct:default/customers#customers -> dataproduct:default/analytics',
          'dataproduct:default/orders#orders -> dataproduct:default/analytics',
          'dataproduct:default/orders#orders -> dataproduct:default/customers',
        ],
      );
      expect(res.headers.etag).toBe(body.etag);
      const again = await get('lineage/product-edges').set(
        'if-none-match',
        body.etag,
      );
      expect(again.status).toBe(304);
      const other = await get('lineage/product-edges').set(
        'if-none-match',
        '"something-else"',
      );
      expect(other.status).toBe(200);
    });
  },
);
