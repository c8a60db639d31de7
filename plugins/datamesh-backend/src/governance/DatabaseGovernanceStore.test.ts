import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import type {
  PolicyStatus,
  ProductCompliance,
} from '@backstage-datamesh/plugin-datamesh-common';
import { connectDatabase } from '../database/migrations';
import { DatabaseGovernanceStore } from './DatabaseGovernanceStore';

jest.setTimeout(120_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

function compliance(
  name: string,
  status: PolicyStatus,
  reason = status === 'fail' ? 'no retention' : 'ok',
): ProductCompliance {
  return {
    entityRef: `dataproduct:default/${name}`,
    compliant: status !== 'fail',
    evaluatedAt: '2026-12-01T00:00:00.000Z',
    counts: {
      pass: status === 'pass' ? 1 : 0,
      fail: status === 'fail' ? 1 : 0,
      'not-applicable': status === 'not-applicable' ? 1 : 0,
    },
    requiredFailures: status === 'fail' ? 1 : 0,
    evaluations: [
      {
        policyId: 'retention-policy',
        title: 'Retention policy',
        enforcement: 'required',
        status,
        reason,
        source: { type: 'default' },
      },
    ],
  };
}

describe.each(databases.eachSupportedId())(
  'DatabaseGovernanceStore on %s',
  id => {
    async function createStore() {
      const knex = await databases.init(id);
      const db = await connectDatabase(
        mockServices.database({ knex, migrations: { skip: false } }),
      );
      return new DatabaseGovernanceStore(db);
    }

    it('keeps the latest compliance and a history entry per change of outcome only', async () => {
      const store = await createStore();
      const sales = 'domain:default/sales';
      expect(
        await store.recordCompliance(
          [
            { compliance: compliance('orders', 'fail'), domain: sales },
            { compliance: compliance('accounts', 'pass') },
          ],
          1_000,
        ),
      ).toEqual({ changed: 2 });
      // the same outcome again: confirmed, not stored twice
      expect(
        await store.recordCompliance(
          [{ compliance: compliance('orders', 'fail'), domain: sales }],
          2_000,
        ),
      ).toEqual({ changed: 0 });
      expect(await store.getCompliance('dataproduct:default/orders')).toEqual({
        ...compliance('orders', 'fail'),
        domain: sales,
        evaluatedAt: new Date(1_000).toISOString(),
        checkedAt: new Date(2_000).toISOString(),
      });
      // another reason is another outcome
      expect(
        await store.recordCompliance(
          [
            {
              compliance: compliance('orders', 'fail', 'retention too long'),
              domain: sales,
            },
          ],
          3_000,
        ),
      ).toEqual({ changed: 1 });
      await store.recordCompliance(
        [{ compliance: compliance('orders', 'pass'), domain: sales }],
        4_000,
      );
      const history = await store.getHistory('dataproduct:default/orders');
      expect(
        history.map(h => [h.evaluatedAt, h.compliant, h.evaluations[0].reason]),
      ).toEqual([
        [new Date(4_000).toISOString(), true, 'ok'],
        [new Date(3_000).toISOString(), false, 'retention too long'],
        [new Date(1_000).toISOString(), false, 'no retention'],
      ]);
      expect(
        (await store.getHistory('dataproduct:default/orders', { limit: 1 }))
          .length,
      ).toBe(1);
      expect(
        (await store.listCompliance()).map(c => [c.entityRef, c.compliant]),
      ).toEqual([
        ['dataproduct:default/accounts', true],
        ['dataproduct:default/orders', true],
      ]);
      expect(
        (await store.listCompliance({ domains: [sales] })).map(
          c => c.entityRef,
        ),
      ).toEqual(['dataproduct:default/orders']);
      expect(await store.getCompliance('dataproduct:default/none')).toBe(
        undefined,
      );
    });

    it('forgets products no longer in the catalog', async () => {
      const store = await createStore();
      await store.recordCompliance(
        [
          { compliance: compliance('orders', 'fail') },
          { compliance: compliance('gone', 'pass') },
        ],
        1_000,
      );
      expect(
        await store.retainProducts(['dataproduct:default/orders']),
      ).toEqual({ removed: 1 });
      expect(await store.getCompliance('dataproduct:default/gone')).toBe(
        undefined,
      );
      expect(await store.getHistory('dataproduct:default/gone')).toEqual([]);
      expect((await store.listCompliance()).map(c => c.entityRef)).toEqual([
        'dataproduct:default/orders',
      ]);
    });

    it('replaces the trend of a day and reads it from a day on', async () => {
      const store = await createStore();
      await store.recordTrend('2026-11-30', [
        { day: '2026-11-30', kind: 'all', key: '', products: 4, compliant: 1 },
      ]);
      await store.recordTrend('2026-12-01', [
        { day: '2026-12-01', kind: 'all', key: '', products: 4, compliant: 2 },
        {
          day: '2026-12-01',
          kind: 'policy',
          key: 'retention-policy',
          products: 4,
          compliant: 3,
        },
      ]);
      await store.recordTrend('2026-12-01', [
        { day: '2026-12-01', kind: 'all', key: '', products: 5, compliant: 3 },
      ]);
      expect(await store.getTrend({ since: '2026-11-01' })).toEqual([
        { day: '2026-11-30', kind: 'all', key: '', products: 4, compliant: 1 },
        { day: '2026-12-01', kind: 'all', key: '', products: 5, compliant: 3 },
      ]);
      expect(
        await store.getTrend({ since: '2026-12-01', kind: 'policy' }),
      ).toEqual([]);
    });
  },
);
