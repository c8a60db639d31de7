import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import { connectDatabase } from './migrations';
import { DatabaseLineageStore } from './DatabaseLineageStore';
import {
  dataset,
  runEvent,
  storeRequest,
} from '../lineage/__testUtils__/events';

jest.setTimeout(120_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

const ns = 'postgres://db:5432';
const [a, b, c, d, e] = ['a', 'b', 'c', 'd', 'e'].map(n =>
  dataset(ns, `shop.public.${n}`),
);
const name = (n: { namespace: string; name: string }) => ({
  namespace: n.namespace,
  name: n.name,
});
const job = (n: string) => ({ namespace: 'airflow', name: n });

/**
 * a -A-> b -B-> c -C-> d, B also reads e, and D closes a cycle: it reads d and writes b.
 */
const events = [
  runEvent({
    eventType: 'COMPLETE',
    eventTime: '2026-12-01T10:00:00.000Z',
    job: job('A'),
    inputs: [a],
    outputs: [b],
  }),
  runEvent({
    eventType: 'COMPLETE',
    eventTime: '2026-12-01T11:00:00.000Z',
    job: job('B'),
    inputs: [b, e],
    outputs: [c],
  }),
  runEvent({
    eventType: 'FAIL',
    eventTime: '2026-12-01T12:00:00.000Z',
    job: job('C'),
    inputs: [c],
    outputs: [d],
  }),
  runEvent({
    eventType: 'START',
    eventTime: '2026-12-01T13:00:00.000Z',
    job: job('D'),
    inputs: [d],
    outputs: [b],
  }),
];

const short = (t: {
  datasets: Array<{ name: string; distance: number }>;
  jobs: Array<{ name: string; distance: number }>;
}) => ({
  datasets: t.datasets.map(x => `${x.name.split('.').pop()}${x.distance}`),
  jobs: t.jobs.map(x => `${x.name}${x.distance}`),
});

describe.each(databases.eachSupportedId())(
  'DatabaseLineageStore graph queries on %s',
  id => {
    let store: DatabaseLineageStore;

    beforeAll(async () => {
      const knex = await databases.init(id);
      const db = await connectDatabase(
        mockServices.database({ knex, migrations: { skip: false } }),
      );
      store = new DatabaseLineageStore(db);
      for (const event of events) {
        await store.addEvent(storeRequest(event));
      }
    });

    it('walks upstream one job hop: the writers of the start and what they read, with the writers of those', async () => {
      const t = await store.traverse({
        from: [name(d)],
        direction: 'upstream',
        depth: 1,
      });
      expect(short(t)).toEqual({ datasets: ['d0', 'c1'], jobs: ['C0', 'B1'] });
      expect(
        t.edges.map(
          x =>
            `${x.job.name}:${x.direction}:${x.dataset.name.split('.').pop()}`,
        ),
      ).toEqual(['B:output:c', 'C:input:c', 'C:output:d']);
      expect(t.jobs[0].latestRun).toEqual({
        runId: expect.any(String),
        state: 'FAIL',
        stateTime: '2026-12-01T12:00:00.000Z',
        endedAt: '2026-12-01T12:00:00.000Z',
      });
      expect(t.edges[0].lastSeenAt).toBe('2026-12-01T11:00:00.000Z');
      expect(t.truncated).toBe(false);
    });

    it('walks upstream through a cycle once, every dataset at its nearest distance', async () => {
      const t = await store.traverse({
        from: [name(d)],
        direction: 'upstream',
      });
      expect(short(t)).toEqual({
        datasets: ['d0', 'c1', 'b2', 'e2', 'a3'],
        jobs: ['C0', 'B1', 'A2', 'D2'],
      });
      const three = await store.traverse({
        from: [name(d)],
        direction: 'upstream',
        depth: 3,
      });
      expect(short(three)).toEqual(short(t));
    });

    it('walks downstream to a depth and through the cycle', async () => {
      expect(
        short(
          await store.traverse({
            from: [name(a)],
            direction: 'downstream',
            depth: 2,
          }),
        ),
      ).toEqual({ datasets: ['a0', 'b1', 'c2'], jobs: ['A1', 'B2'] });
      expect(
        short(
          await store.traverse({ from: [name(a)], direction: 'downstream' }),
        ),
      ).toEqual({
        datasets: ['a0', 'b1', 'c2', 'd3'],
        jobs: ['A1', 'B2', 'C3', 'D4'],
      });
      // from the cycle's own datasets, depth 5 goes round it and stops
      expect(
        short(
          await store.traverse({
            from: [name(b)],
            direction: 'downstream',
            depth: 5,
          }),
        ),
      ).toEqual({
        datasets: ['b0', 'c1', 'd2'],
        jobs: ['B1', 'C2', 'D3'],
      });
    });

    it('keeps the nearest datasets within the limit and says it cut', async () => {
      const t = await store.traverse({
        from: [name(a)],
        direction: 'downstream',
        limit: 2,
      });
      // B reads b, kept; what it writes is cut
      expect(short(t)).toEqual({ datasets: ['a0', 'b1'], jobs: ['A1', 'B2'] });
      expect(t.truncated).toBe(true);
      const limited = await store.traverse({
        from: [name(d)],
        direction: 'upstream',
        depth: 2,
        limit: 3,
      });
      expect(limited.datasets.map(x => x.distance)).toEqual([0, 1, 2]);
      expect(limited.truncated).toBe(true);
    });

    it('says how many datasets within the depth each job at the cut leaves out', async () => {
      const hidden = (t: {
        jobs: Array<{ name: string; hiddenDatasets?: number }>;
      }) => Object.fromEntries(t.jobs.map(j => [j.name, j.hiddenDatasets]));
      // B reads b, kept, and writes c, cut
      expect(
        hidden(
          await store.traverse({
            from: [name(a)],
            direction: 'downstream',
            limit: 2,
          }),
        ),
      ).toEqual({ A: undefined, B: 1 });
      // B writes c, kept, and reads b and e at distance 2: one kept of the two
      const upstream = await store.traverse({
        from: [name(d)],
        direction: 'upstream',
        depth: 2,
        limit: 3,
      });
      expect(hidden(upstream).C).toBeUndefined();
      expect(hidden(upstream).B).toBe(1);
      // both cut: past the limit of 2, neither of B's inputs is in the walk
      expect(
        hidden(
          await store.traverse({
            from: [name(d)],
            direction: 'upstream',
            limit: 2,
          }),
        ),
      ).toEqual({ C: undefined, B: 2 });
      // the inputs of a job at the depth are past it, not left out; nothing is without a cut
      expect(
        hidden(
          await store.traverse({
            from: [name(d)],
            direction: 'upstream',
            depth: 1,
          }),
        ),
      ).toEqual({ C: undefined, B: undefined });
      expect(
        hidden(
          await store.traverse({ from: [name(a)], direction: 'downstream' }),
        ),
      ).toEqual({ A: undefined, B: undefined, C: undefined, D: undefined });
    });

    it('answers nothing for datasets it never saw', async () => {
      expect(
        await store.traverse({
          from: [{ namespace: ns, name: 'shop.public.unknown' }],
          direction: 'both' as never,
        }),
      ).toEqual({ datasets: [], jobs: [], edges: [], truncated: false });
    });

    it('finds datasets by name case-insensitively, the namespace without its trailing slash', async () => {
      expect(
        await store.findDatasets([
          { namespace: 'POSTGRES://db:5432/', name: 'SHOP.public.A' },
          { namespace: 'postgres://other:5432', name: 'shop.public.b' },
        ]),
      ).toEqual([name(a)]);
    });

    it('lists the edges seen since a time', async () => {
      const edges = await store.listEdges({
        since: Date.parse('2026-12-01T12:00:00.000Z'),
      });
      expect(
        edges
          .map(
            x =>
              `${x.job.name}:${x.direction}:${x.dataset.name.split('.').pop()}`,
          )
          .sort(),
      ).toEqual(['C:input:c', 'C:output:d', 'D:input:d', 'D:output:b']);
      expect(await store.listEdges()).toHaveLength(9);
    });

    it('finds a dataset whose name an event quoted by the name of the port, unquoted', async () => {
      // after the edge counts above: these events add their own
      const quoted = dataset(ns, '"shop"."public"."Quoted_Orders"');
      const dotted = dataset(ns, '"shop.public".quoted_orders');
      await store.addEvent(
        storeRequest(
          runEvent({
            eventType: 'COMPLETE',
            eventTime: '2026-12-01T14:00:00.000Z',
            job: job('Q'),
            inputs: [quoted],
            outputs: [dataset(ns, '[shop].[public].quoted_totals')],
          }),
        ),
      );
      await store.addEvent(
        storeRequest(
          runEvent({
            eventType: 'COMPLETE',
            eventTime: '2026-12-01T14:00:00.000Z',
            job: job('R'),
            inputs: [dotted],
            outputs: [],
          }),
        ),
      );
      // the port's location, as a product declares it; the two-part name is another dataset
      const found = await store.findDatasets([
        { namespace: ns, name: 'shop.public.quoted_orders' },
        { namespace: ns, name: 'SHOP.PUBLIC.QUOTED_TOTALS' },
      ]);
      expect(found).toHaveLength(2);
      expect(found).toEqual(
        expect.arrayContaining([
          name(quoted),
          name(dataset(ns, '[shop].[public].quoted_totals')),
        ]),
      );
      expect(
        await store.findDatasets([
          { namespace: ns, name: '"shop.public"."QUOTED_ORDERS"' },
        ]),
      ).toEqual([name(dotted)]);
      // and the walk starts there
      const walk = await store.traverse({
        from: found.filter(f => f.name === quoted.name),
        direction: 'downstream',
      });
      expect(short(walk)).toEqual({
        datasets: ['"Quoted_Orders"0', 'quoted_totals1'],
        jobs: ['Q1'],
      });
    });
  },
);
