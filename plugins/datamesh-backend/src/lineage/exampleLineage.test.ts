import fs from 'node:fs';
import path from 'node:path';
import { TestDatabases, mockCredentials } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import type {
  LineageBatchResponse,
  LineageDrift,
  LineageGraph,
  LineageImpact,
  PortColumnLineage,
} from '@backstage-datamesh/plugin-datamesh-common';
import request from 'supertest';
import { parseAllDocuments } from 'yaml';
import { startLineageBackend } from './__testUtils__/lineageBackend';
import { exampleLineageEvents } from './__testUtils__/exampleEvents';

jest.setTimeout(180_000);

const examples = path.resolve(__dirname, '../../../../examples');

/** The example mesh's products, as the catalog reads them. */
function exampleEntities(): Entity[] {
  const dir = path.join(examples, 'data-products');
  return fs.readdirSync(dir).flatMap(domain =>
    parseAllDocuments(
      fs.readFileSync(path.join(dir, domain, 'catalog-info.yaml'), 'utf8'),
    )
      .map(d => d.toJS() as Entity)
      .filter(e => e?.kind === 'DataProduct'),
  );
}

describe('the example lineage (examples/lineage) on the example mesh', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  let backend: Awaited<ReturnType<typeof startLineageBackend>>;
  const get = (route: string) =>
    request(backend.server)
      .get(`/api/datamesh/v1/${route}`)
      .set('authorization', mockCredentials.user.header());

  beforeAll(async () => {
    backend = await startLineageBackend({
      knex: await databases.init('SQLITE_3'),
      entities: exampleEntities(),
    });
  });

  afterAll(async () => {
    await backend?.stop();
  });

  it('is accepted whole by the batch endpoint', async () => {
    const res = await backend.post('lineage/batch', exampleLineageEvents());
    expect(res.status).toBe(200);
    expect((res.body as LineageBatchResponse).failed_events).toEqual([]);
  });

  it('connects customer-360 to the ports it reads and to its consumers', async () => {
    const graph = (await get('products/default/customer-360/lineage?depth=1'))
      .body as LineageGraph;
    const products = graph.nodes
      .filter(n => n.kind === 'product')
      .map(n => `${n.side} ${n.entityRef}`)
      .sort();
    expect(products).toEqual([
      'downstream dataproduct:default/campaign-roi',
      'downstream dataproduct:default/customer-churn-features',
      'root dataproduct:default/customer-360',
      'upstream dataproduct:default/crm-accounts',
      'upstream dataproduct:default/customer-identities',
      'upstream dataproduct:default/order-history',
      'upstream dataproduct:default/product-usage-events',
      'upstream dataproduct:default/support-tickets',
    ]);
    // the reverse ETL writes an external dataset
    expect(
      graph.nodes.filter(n => n.kind === 'dataset').map(n => n.id),
    ).toEqual(['dataset:hubspot://company/contacts']);
    const churn = graph.nodes.find(
      n => n.id === 'job:spark/customer.churn_features',
    );
    expect(churn?.job?.latestRun?.state).toBe('FAIL');
  });

  it('shows drift: a declared input never read, an undeclared consumer', async () => {
    const drift = (await get('products/default/customer-360/lineage/drift'))
      .body as LineageDrift;
    expect(drift.unobservedInputs).toEqual([
      {
        inputPort: expect.any(String),
        entityRef: 'dataproduct:default/marketing-campaign-data',
        port: 'campaign-touchpoints',
      },
    ]);
    expect(drift.undeclaredConsumers).toEqual([
      expect.objectContaining({
        entityRef: 'dataproduct:default/campaign-roi',
        port: 'customer-profile',
        job: { namespace: 'dbt', name: 'marketing.campaign_roi' },
      }),
    ]);
    const all = await get('lineage/drift');
    expect(all.body.items.map((d: LineageDrift) => d.entityRef).sort()).toEqual(
      ['dataproduct:default/campaign-roi', 'dataproduct:default/customer-360'],
    );
  });

  it('answers the impact of order-history and the column lineage of the customer profile', async () => {
    const impact = (await get('products/default/order-history/impact'))
      .body as LineageImpact;
    expect(
      impact.products.filter(p => p.distance === 1).map(p => p.entityRef),
    ).toEqual([
      'dataproduct:default/campaign-attribution',
      'dataproduct:default/customer-360',
      'dataproduct:default/revenue-recognition',
    ]);
    expect(impact.externalDatasets).toContainEqual({
      namespace: 'hubspot://company',
      name: 'contacts',
    });
    const columns = (
      await get(
        'products/default/customer-360/ports/customer-profile/column-lineage',
      )
    ).body as PortColumnLineage;
    expect(
      columns.columns.find(c => c.name === 'lifetime_value')?.sources,
    ).toEqual([
      expect.objectContaining({
        entityRef: 'dataproduct:default/order-history',
        port: 'orders',
        column: 'amount',
        transformationSubtype: 'AGGREGATION',
      }),
    ]);
    expect(columns.datasetDependencies).toHaveLength(3);
  });
});
