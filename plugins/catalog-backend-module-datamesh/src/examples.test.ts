import { TestDatabases } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import path from 'node:path';
import request from 'supertest';
import { startCatalog } from './__testUtils__/catalogBackend';

jest.setTimeout(120_000);

/** The example mesh the portal loads (examples/ at the repository root), as app-config.yaml lists it. */
const examples = path.resolve(__dirname, '../../../examples');
const files = [
  'org.yaml',
  'domains.yaml',
  ...['customer', 'marketing', 'sales', 'product', 'finance', 'support'].map(
    d => `data-products/${d}/catalog-info.yaml`,
  ),
  'broken/catalog-info.yaml',
];

describe('the example mesh in a real catalog', () => {
  // the database comes from TestDatabases, which closes its connection pool after the tests (the
  // default database service of startTestBackend left the pool's timer running in the worker)
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

  it('loads every example but the one deliberately invalid product, with its relations', async () => {
    const knex = await databases.init('SQLITE_3');
    const backend = await startCatalog(knex, {
      catalog: {
        rules: [{ allow: ['Group', 'User', 'Domain', 'DataProduct'] }],
        locations: files.map(f => ({
          type: 'file',
          target: path.join(examples, f),
        })),
      },
    });
    const server = backend.server;
    try {
      const products = async () => {
        const res = await request(server).get(
          '/api/catalog/entities/by-query?filter=kind=dataproduct&limit=100',
        );
        return res.body.items as Entity[];
      };
      const deadline = Date.now() + 90_000;
      let items = await products();
      // 18 products and 3 of the 4 broken ones; every one stitched with its relations
      while (
        (items.length < 21 || items.some(e => !e.relations?.length)) &&
        Date.now() < deadline
      ) {
        await new Promise(resolve => setTimeout(resolve, 500));
        items = await products();
      }
      const names = items.map(e => e.metadata.name).sort();
      expect(names).toHaveLength(21);
      expect(names).not.toContain('broken-orders-feed');
      expect(names).toEqual(
        expect.arrayContaining([
          'customer-360',
          'marketing-campaign-data',
          'legacy-support-tickets',
          'finance-ledger-snapshots',
          'support-csat-scores',
        ]),
      );

      const customer360 = items.find(e => e.metadata.name === 'customer-360')!;
      expect(customer360.metadata.title).toBe('Customer 360 View');
      expect(customer360.spec).toMatchObject({
        owner: expect.stringContaining('customer-domain-team'),
        version: '2.1.0',
        sensitivity: 'confidential',
        retentionDays: 730,
      });
      const targets = (customer360.relations ?? []).map(
        r => `${r.type} ${r.targetRef}`,
      );
      expect(targets).toEqual(
        expect.arrayContaining([
          'ownedBy group:default/customer-domain-team',
          'partOf domain:default/customer',
          'dependsOn dataproduct:default/crm-accounts',
          'dependencyOf dataproduct:default/customer-churn-features',
        ]),
      );

      // every Domain is in the catalog, subdomains included
      const domains = await request(server).get(
        '/api/catalog/entities/by-query?filter=kind=domain&limit=100',
      );
      expect(domains.body.totalItems).toBeGreaterThanOrEqual(18);
    } finally {
      await backend.stop();
    }
  });
});
