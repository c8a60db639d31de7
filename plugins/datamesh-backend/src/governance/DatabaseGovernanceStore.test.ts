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

    const DAY = 86_400_000;
    const day1 = Date.parse('2026-11-30T10:00:00Z');
    const day2 = day1 + DAY;

    it("keeps the trend as the sums of each product's outcome of the day, and leaves out the products asked", async () => {
      const store = await createStore();
      const sales = 'domain:default/sales';
      const emea = 'domain:default/emea';
      await store.recordCompliance(
        [
          {
            compliance: compliance('orders', 'fail'),
            domain: emea,
            domains: [emea, sales],
          },
          {
            compliance: compliance('accounts', 'pass'),
            domain: sales,
            domains: [sales],
          },
          { compliance: compliance('loose', 'not-applicable') },
        ],
        day1,
      );
      // the next day: orders evaluated twice (its last outcome counts), accounts once
      await store.recordCompliance(
        [
          {
            compliance: compliance('orders', 'fail'),
            domain: emea,
            domains: [emea, sales],
          },
          {
            compliance: compliance('accounts', 'pass'),
            domain: sales,
            domains: [sales],
          },
        ],
        day2,
      );
      await store.recordCompliance(
        [
          {
            compliance: compliance('orders', 'pass'),
            domain: emea,
            domains: [emea, sales],
          },
        ],
        day2 + 1_000,
      );
      const point = (
        day: string,
        kind: 'all' | 'domain' | 'policy',
        key: string,
        products: number,
        compliant: number,
      ) => ({ day, kind, key, products, compliant });
      expect(await store.getTrend({ since: '2026-11-01' })).toEqual([
        point('2026-11-30', 'all', '', 3, 2),
        point('2026-11-30', 'domain', emea, 1, 0),
        point('2026-11-30', 'domain', sales, 2, 1),
        point('2026-11-30', 'policy', 'retention-policy', 2, 1),
        point('2026-12-01', 'all', '', 2, 2),
        point('2026-12-01', 'domain', emea, 1, 1),
        point('2026-12-01', 'domain', sales, 2, 2),
        point('2026-12-01', 'policy', 'retention-policy', 2, 2),
      ]);
      // a caller who cannot see orders
      expect(
        await store.getTrend({
          since: '2026-11-01',
          exclude: ['dataproduct:default/orders'],
        }),
      ).toEqual([
        point('2026-11-30', 'all', '', 2, 2),
        point('2026-11-30', 'domain', sales, 1, 1),
        point('2026-11-30', 'policy', 'retention-policy', 1, 1),
        point('2026-12-01', 'all', '', 1, 1),
        point('2026-12-01', 'domain', sales, 1, 1),
        point('2026-12-01', 'policy', 'retention-policy', 1, 1),
      ]);
      expect(
        await store.getTrend({
          since: '2026-12-01',
          kind: 'domain',
          exclude: ['dataproduct:default/accounts'],
        }),
      ).toEqual([
        point('2026-12-01', 'domain', emea, 1, 1),
        point('2026-12-01', 'domain', sales, 1, 1),
      ]);

      // a product that leaves the catalog leaves the trend
      await store.retainProducts([
        'dataproduct:default/accounts',
        'dataproduct:default/loose',
      ]);
      expect(
        await store.getTrend({ since: '2026-11-01', kind: 'all' }),
      ).toEqual([
        point('2026-11-30', 'all', '', 2, 2),
        point('2026-12-01', 'all', '', 1, 1),
      ]);
    });

    it('does not record an evaluation older than the latest stored, and keeps the entity hash', async () => {
      const store = await createStore();
      const ref = 'dataproduct:default/orders';
      await store.recordCompliance(
        [{ compliance: compliance('orders', 'pass'), entityHash: 'h2' }],
        2_000,
      );
      // a long run that read its facts at 1,000
      expect(
        await store.recordCompliance(
          [{ compliance: compliance('orders', 'fail'), entityHash: 'h1' }],
          1_000,
        ),
      ).toEqual({ changed: 0 });
      expect((await store.getCompliance(ref))?.compliant).toBe(true);
      expect(await store.listEntityHashes()).toEqual([
        { entityRef: ref, entityHash: 'h2' },
      ]);
      // the same outcome from another entity: only the hash moves
      await store.recordCompliance(
        [{ compliance: compliance('orders', 'pass'), entityHash: 'h3' }],
        3_000,
      );
      expect(await store.listEntityHashes()).toEqual([
        { entityRef: ref, entityHash: 'h3' },
      ]);
      expect(await store.getHistory(ref)).toHaveLength(1);
      expect(
        await store.getTrend({ since: '1970-01-01', kind: 'all' }),
      ).toEqual([
        { day: '1970-01-01', kind: 'all', key: '', products: 1, compliant: 1 },
      ]);
    });

    it('answers the change feed: each product once, with its current compliance, after a position', async () => {
      const store = await createStore();
      await store.recordCompliance(
        [
          { compliance: compliance('orders', 'fail') },
          { compliance: compliance('accounts', 'pass') },
        ],
        1_000,
      );
      const all = await store.listChanges({ after: 0, limit: 10 });
      expect(all).toEqual([
        {
          id: expect.any(Number),
          entityRef: 'dataproduct:default/orders',
          compliant: false,
          requiredPolicyFailures: ['retention-policy'],
          evaluatedAt: new Date(1_000).toISOString(),
        },
        {
          id: expect.any(Number),
          entityRef: 'dataproduct:default/accounts',
          compliant: true,
          requiredPolicyFailures: [],
          evaluatedAt: new Date(1_000).toISOString(),
        },
      ]);
      const position = all[1].id;
      expect(await store.listChanges({ after: position, limit: 10 })).toEqual(
        [],
      );
      expect(await store.listChanges({ after: 0, limit: 1 })).toHaveLength(1);
      // orders passes now: it is after the position, once
      await store.recordCompliance(
        [{ compliance: compliance('orders', 'pass') }],
        2_000,
      );
      await store.recordCompliance(
        [{ compliance: compliance('accounts', 'pass') }],
        2_000,
      );
      expect(await store.listChanges({ after: position, limit: 10 })).toEqual([
        expect.objectContaining({
          entityRef: 'dataproduct:default/orders',
          compliant: true,
          requiredPolicyFailures: [],
          evaluatedAt: new Date(2_000).toISOString(),
        }),
      ]);
    });

    it('prunes the days and history older than the retention, never a latest compliance', async () => {
      const store = await createStore();
      const day = (d: string) => Date.parse(`${d}T12:00:00.000Z`);
      // orders changes outcome on three days; accounts is evaluated once, on the first
      await store.recordCompliance(
        [
          { compliance: compliance('orders', 'fail') },
          { compliance: compliance('accounts', 'pass') },
        ],
        day('2025-01-10'),
      );
      await store.recordCompliance(
        [{ compliance: compliance('orders', 'pass') }],
        day('2025-06-10'),
      );
      await store.recordCompliance(
        [{ compliance: compliance('orders', 'fail', 'retention too long') }],
        day('2026-12-01'),
      );
      const trendBefore = await store.getTrend({ since: '2025-01-01' });
      expect(trendBefore.map(p => p.day)).toContain('2025-01-10');

      expect(
        await store.prune({
          daysBefore: '2025-06-01',
          historyBefore: day('2025-12-01'),
        }),
      ).toEqual({
        // the two products' outcomes of 2025-01-10 and their trend points
        days: 2,
        trendPoints: trendBefore.filter(p => p.day < '2025-06-01').length,
        // orders' first two entries; accounts' only entry is its latest
        history: 2,
      });
      const trend = await store.getTrend({ since: '2025-01-01' });
      expect(trend.every(p => p.day >= '2025-06-01')).toBe(true);
      expect(trend.filter(p => p.kind === 'all').map(p => p.day)).toEqual([
        '2025-06-10',
        '2026-12-01',
      ]);
      expect(
        (await store.getHistory('dataproduct:default/orders')).map(
          h => h.evaluations[0].reason,
        ),
      ).toEqual(['retention too long']);
      expect(await store.getCompliance('dataproduct:default/accounts')).toEqual(
        expect.objectContaining({ compliant: true }),
      );
    });
  },
);
