import {
  TestDatabases,
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import {
  AuditorServiceEvent,
  BackstageCredentials,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import type {
  LineageDriftList,
  LineageGraph,
  LineageImpact,
  ObservedProductEdges,
  PortColumnLineage,
} from '@backstage-datamesh/plugin-datamesh-common';
import request from 'supertest';
import { datameshPlugin } from '../plugin';
import { productWith } from './__testUtils__/lineageBackend';
import { dataset, facets, runEvent } from './__testUtils__/events';
import { HIDDEN_PORT_LABEL, HIDDEN_PRODUCT_LABEL } from './redact';

jest.setTimeout(180_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

const db = 'postgres://db:5432';
const hoursAgo = (h: number) =>
  new Date(Date.now() - h * 3_600_000).toISOString();

/** A user the catalog hides the restricted products from. */
const ANALYST = 'user:default/analyst';

function product(
  name: string,
  port: string,
  spec: Record<string, unknown> = {},
): Entity {
  const entity = productWith(name, [
    { name: port, namespace: db, dataset: `shop.public.${port}` },
  ]);
  return {
    ...entity,
    metadata: { ...entity.metadata, title: `The ${name}` },
    spec: { ...entity.spec, owner: `group:default/${name}-team`, ...spec },
  };
}

/** payroll (restricted) -> headcount (declares it) -> planning (reads both, declares neither). */
const entities = [
  product('payroll', 'salaries', {
    sensitivity: 'restricted',
    ownership: { onCallRotation: 'pagerduty:payroll' },
  }),
  product('headcount', 'heads', {
    sensitivity: 'internal',
    inputPorts: [{ name: 'pay', product: 'payroll', port: 'salaries' }],
  }),
  product('planning', 'plan'),
];

const salaries = dataset(db, 'shop.public.salaries', {
  columns: ['employee_id', 'salary'],
});
const heads = dataset(db, 'shop.public.heads', {
  columns: ['team', 'heads'],
  facets: {
    columnLineage: facets.columnLineage({
      heads: {
        inputFields: [
          {
            namespace: db,
            name: 'shop.public.salaries',
            field: 'employee_id',
            transformations: [{ type: 'DIRECT', subtype: 'AGGREGATION' }],
          },
        ],
      },
    }),
  },
});
const plan = dataset(db, 'shop.public.plan');

const events = [
  runEvent({
    eventType: 'COMPLETE',
    eventTime: hoursAgo(3),
    job: { namespace: 'airflow', name: 'hr.load' },
    inputs: [],
    outputs: [salaries],
  }),
  runEvent({
    eventType: 'COMPLETE',
    eventTime: hoursAgo(2),
    job: { namespace: 'airflow', name: 'hr.count' },
    inputs: [salaries],
    outputs: [heads],
  }),
  runEvent({
    eventType: 'COMPLETE',
    eventTime: hoursAgo(1),
    job: { namespace: 'dbt', name: 'plan.build' },
    inputs: [heads, salaries],
    outputs: [plan],
  }),
];

/** A catalog that hides the restricted products from the analyst, in every read. */
function restrictedCatalog() {
  const catalog = catalogServiceMock({ entities });
  const hides = (options: unknown) =>
    (
      (options as { credentials?: BackstageCredentials } | undefined)
        ?.credentials?.principal as { userEntityRef?: string } | undefined
    )?.userEntityRef === ANALYST;
  const visible = (e: Entity | undefined) =>
    e && (e.spec as { sensitivity?: string })?.sensitivity !== 'restricted'
      ? e
      : undefined;
  const getEntities = catalog.getEntities.bind(catalog);
  catalog.getEntities = async (req, options) => {
    const answer = await getEntities(req, options);
    if (!hides(options)) {
      return answer;
    }
    // the fields asked for may leave spec out: decide on the full entity
    const names = new Set(
      entities.filter(e => visible(e)).map(e => e.metadata.name),
    );
    return {
      items: answer.items.filter(
        e => e.kind !== 'DataProduct' || names.has(e.metadata.name),
      ),
    };
  };
  const getEntityByRef = catalog.getEntityByRef.bind(catalog);
  catalog.getEntityByRef = async (ref, options) => {
    const entity = await getEntityByRef(ref, options);
    return hides(options) ? visible(entity) : entity;
  };
  const getEntitiesByRefs = catalog.getEntitiesByRefs.bind(catalog);
  catalog.getEntitiesByRefs = async (req, options) => {
    const answer = await getEntitiesByRefs(req, options);
    return hides(options) ? { items: answer.items.map(visible) } : answer;
  };
  return catalog;
}

describe.each(databases.eachSupportedId())(
  'the lineage routes, for a caller who may not see every product, on %s',
  id => {
    const auditor = mockServices.auditor.mock();
    let server: Awaited<ReturnType<typeof startTestBackend>>['server'];
    let stop: () => Promise<void>;
    const analyst = mockCredentials.user.header(ANALYST);
    const owner = mockCredentials.user.header();
    const get = (path: string, auth = analyst) =>
      request(server)
        .get(`/api/datamesh/v1/${path}`)
        .set('authorization', auth);

    beforeAll(async () => {
      const catalog = restrictedCatalog();
      const backend = await startTestBackend({
        features: [
          datameshPlugin,
          auditor.factory,
          createServiceFactory({
            service: catalogServiceRef,
            deps: {},
            factory: () => catalog,
          }),
          mockServices.database.factory({ knex: await databases.init(id) }),
        ],
      });
      server = backend.server;
      stop = () => backend.stop();
      const service = mockCredentials.service.header();
      const single = await request(server)
        .post('/api/datamesh/v1/lineage')
        .set('authorization', service)
        .send(events[0]);
      if (single.status !== 201) {
        throw new Error(
          `The event was not stored: ${single.status} ${single.text}`,
        );
      }
      const batch = await request(server)
        .post('/api/datamesh/v1/lineage/batch')
        .set('authorization', service)
        .send(events.slice(1));
      if (batch.body.status !== 'success') {
        throw new Error(`The batch was not stored: ${batch.text}`);
      }
    });

    afterAll(async () => {
      await stop?.();
    });

    beforeEach(() => {
      auditor.createEvent.mockClear();
    });

    it('hides a neighbour the caller may not see: no name, title, owner, health or ports', async () => {
      const res = await get('products/default/headcount/lineage?depth=1');
      expect(res.status).toBe(200);
      const graph = res.body as LineageGraph;
      expect(res.text).not.toContain('payroll');
      expect(res.text).not.toContain('salaries');
      const hidden = graph.nodes.filter(n => n.id.includes('restricted-'));
      expect(hidden).toEqual([
        {
          id: 'product:restricted-1',
          kind: 'product',
          label: HIDDEN_PRODUCT_LABEL,
          distance: 1,
          side: 'upstream',
        },
        {
          id: 'port:restricted-1#1',
          kind: 'port',
          label: HIDDEN_PORT_LABEL,
          distance: 1,
          side: 'upstream',
        },
      ]);
      // the lineage still goes through it
      expect(graph.edges).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            from: 'product:restricted-1',
            to: 'port:restricted-1#1',
            kind: 'hasPort',
          }),
          expect.objectContaining({
            from: 'port:restricted-1#1',
            to: 'job:airflow/hr.count',
            kind: 'reads',
          }),
        ]),
      );
      const ids = new Set(graph.nodes.map(n => n.id));
      for (const e of graph.edges) {
        expect(ids.has(e.from) && ids.has(e.to)).toBe(true);
      }

      // its owners see it
      const theirs = await get(
        'products/default/headcount/lineage?depth=1',
        owner,
      );
      expect(theirs.body.nodes).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            id: 'product:dataproduct:default/payroll',
            title: 'The payroll',
          }),
        ]),
      );
    });

    it('answers 404 for the hidden product itself, on every per-product route', async () => {
      for (const path of [
        'lineage',
        'impact',
        'lineage/drift',
        'ports/salaries/column-lineage',
      ]) {
        const res = await get(`products/default/payroll/${path}`);
        expect(res.status).toBe(404);
      }
      expect(
        (await get('products/default/payroll/lineage', owner)).status,
      ).toBe(200);
    });

    it('leaves the hidden product out of impact, column lineage, drift and product edges', async () => {
      // planning reads the restricted salaries: the impact of headcount lists planning only
      const impact = (await get('products/default/headcount/impact'))
        .body as LineageImpact;
      expect(impact.products.map(p => p.entityRef)).toEqual([
        'dataproduct:default/planning',
      ]);
      expect(JSON.stringify(impact)).not.toContain('payroll');

      const columns = (
        await get('products/default/headcount/ports/heads/column-lineage')
      ).body as PortColumnLineage;
      const source = columns.columns.find(c => c.name === 'heads')!.sources[0];
      expect(source).toMatchObject({ column: 'employee_id' });
      expect(source.entityRef).toBeUndefined();
      expect(source.port).toBeUndefined();
      const ownersColumns = (
        await get(
          'products/default/headcount/ports/heads/column-lineage',
          owner,
        )
      ).body as PortColumnLineage;
      expect(
        ownersColumns.columns.find(c => c.name === 'heads')!.sources[0],
      ).toMatchObject({ entityRef: 'dataproduct:default/payroll' });

      // planning reads payroll and headcount undeclared; payroll is hidden, headcount stays
      const drift = (await get('lineage/drift')).body as LineageDriftList;
      expect(JSON.stringify(drift)).not.toContain('payroll');
      // headcount: planning consumes it undeclared
      expect(drift.items.map(d => d.entityRef)).toEqual([
        'dataproduct:default/headcount',
        'dataproduct:default/planning',
      ]);
      expect(drift.totalCount).toBe(2);
      expect(drift.items[1].undeclaredInputs.map(i => i.entityRef)).toEqual([
        'dataproduct:default/headcount',
      ]);
      const page = (await get('lineage/drift?limit=1&offset=1'))
        .body as LineageDriftList;
      expect(page.items.map(d => d.entityRef)).toEqual([
        'dataproduct:default/planning',
      ]);
      expect(page.totalCount).toBe(2);
      const ownersDrift = (await get('lineage/drift', owner))
        .body as LineageDriftList;
      expect(ownersDrift.items.map(d => d.entityRef)).toEqual([
        'dataproduct:default/headcount',
        'dataproduct:default/payroll',
        'dataproduct:default/planning',
      ]);
      expect(
        (await get('products/default/headcount/lineage/drift')).text,
      ).not.toContain('dataproduct:default/payroll');

      const edges = await get('lineage/product-edges');
      const ownersEdges = await get('lineage/product-edges', owner);
      expect(
        (edges.body as ObservedProductEdges).items.map(
          e => `${e.from}>${e.to}`,
        ),
      ).toEqual(['dataproduct:default/headcount>dataproduct:default/planning']);
      expect((ownersEdges.body as ObservedProductEdges).items).toHaveLength(3);
      expect(edges.headers.etag).not.toBe(ownersEdges.headers.etag);
      const again = await request(server)
        .get('/api/datamesh/v1/lineage/product-edges')
        .set('authorization', analyst)
        .set('if-none-match', ownersEdges.headers.etag);
      expect(again.status).toBe(200);
    });

    it('leaves the hidden product out of what the lineage actions answer', async () => {
      const invoke = (name: string, input: object, auth = analyst) =>
        request(server)
          .post(
            `/api/datamesh/.backstage/actions/v1/actions/datamesh:${name}/invoke`,
          )
          .set('authorization', auth)
          .send(input);
      const upstream = await invoke('get-data-product-upstream', {
        entityRef: 'headcount',
        depth: 1,
      });
      expect(upstream.status).toBe(200);
      expect(upstream.text).not.toContain('payroll');
      expect(upstream.body.output.products).toEqual([]);
      const theirs = await invoke(
        'get-data-product-upstream',
        { entityRef: 'headcount', depth: 1 },
        owner,
      );
      expect(
        theirs.body.output.products.map(
          (p: { entityRef: string }) => p.entityRef,
        ),
      ).toEqual(['dataproduct:default/payroll']);
      const impact = await invoke('get-data-product-impact', {
        entityRef: 'headcount',
      });
      expect(impact.text).not.toContain('payroll');
      expect(
        impact.body.output.products.map(
          (p: { entityRef: string }) => p.entityRef,
        ),
      ).toEqual(['dataproduct:default/planning']);
      expect(
        (await invoke('get-data-product-impact', { entityRef: 'payroll' }))
          .status,
      ).toBe(404);
    });

    it('records the lineage writes and the reads of the restricted product, and no other read', async () => {
      await get('products/default/headcount/lineage');
      await get('products/default/headcount/impact');
      expect(auditor.createEvent).not.toHaveBeenCalled();
      await get('products/default/payroll/lineage', owner);
      await get('products/default/payroll/impact', owner);
      const reads = auditor.createEvent.mock.calls.map(([o]) => o);
      expect(reads).toEqual([
        expect.objectContaining({
          eventId: 'restricted-product-read',
          meta: {
            entityRef: 'dataproduct:default/payroll',
            queryType: 'lineage-graph',
          },
        }),
        expect.objectContaining({
          eventId: 'restricted-product-read',
          meta: {
            entityRef: 'dataproduct:default/payroll',
            queryType: 'impact',
          },
        }),
      ]);

      auditor.createEvent.mockClear();
      const service = mockCredentials.service.header();
      await request(server)
        .post('/api/datamesh/v1/lineage')
        .set('authorization', service)
        .send(events[0]);
      await request(server)
        .post('/api/datamesh/v1/lineage/batch')
        .set('authorization', service)
        .send([events[1], { eventType: 'COMPLETE' }]);
      const writes = await Promise.all(
        auditor.createEvent.mock.calls.map(async ([o], i) => {
          const event = (await auditor.createEvent.mock.results[i]
            .value) as jest.Mocked<AuditorServiceEvent>;
          return [
            o.eventId,
            o.severityLevel,
            event.success.mock.calls.map(([s]) => s?.meta),
          ];
        }),
      );
      expect(writes).toEqual([
        ['lineage-event-post', 'medium', [{ status: 'duplicate' }]],
        [
          'lineage-batch-post',
          'medium',
          [
            {
              status: 'partial_success',
              received: 2,
              successful: 1,
              failed: 1,
              retriable: 0,
              non_retriable: 1,
            },
          ],
        ],
      ]);
    });
  },
);
