import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import { InputError } from '@backstage/errors';
import { connectDatabase } from './migrations';
import { DatabaseLineageStore } from './DatabaseLineageStore';
import { readLineageEvent } from '../lineage/readEvent';
import {
  dataset,
  facets,
  runEvent,
  storeRequest,
} from '../lineage/__testUtils__/events';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

const job = { namespace: 'airflow', name: 'orders.load' };
const runId = '3f5e83fa-3480-44ff-99c5-ff943cd7e3a1';
const raw = dataset('postgres://db:5432', 'shop.public.raw_orders', {
  columns: ['id', 'amount'],
});
const orders = dataset('postgres://db:5432', 'shop.public.orders', {
  columns: ['order_id', 'total'],
  facets: {
    columnLineage: facets.columnLineage({
      order_id: {
        inputFields: [
          {
            namespace: 'postgres://db:5432',
            name: 'shop.public.raw_orders',
            field: 'id',
            transformations: [{ type: 'DIRECT', subtype: 'IDENTITY' }],
          },
        ],
      },
      total: {
        inputFields: [
          {
            namespace: 'postgres://db:5432',
            name: 'shop.public.raw_orders',
            field: 'amount',
            transformations: [
              {
                type: 'DIRECT',
                subtype: 'AGGREGATION',
                description: 'sum(amount)',
              },
            ],
          },
        ],
      },
    }),
  },
});

const at = (minute: number) =>
  `2026-12-01T10:${String(minute).padStart(2, '0')}:00.000Z`;

function lifecycle(id = runId) {
  return {
    start: runEvent({
      runId: id,
      eventType: 'START',
      eventTime: at(0),
      job,
      inputs: [raw],
      runFacets: {
        parent: facets.parent('0a4f2c2e-6d3e-4c1f-8a51-8f3b1f6c0d10', {
          namespace: 'airflow',
          name: 'orders',
        }),
        nominalTime: facets.nominalTime('2026-12-01T10:00:00Z'),
      },
      jobFacets: { documentation: facets.documentation('Loads the orders') },
    }),
    running: runEvent({
      runId: id,
      eventType: 'RUNNING',
      eventTime: at(1),
      job,
    }),
    complete: runEvent({
      runId: id,
      eventType: 'COMPLETE',
      eventTime: at(2),
      job,
      inputs: [raw],
      outputs: [orders],
    }),
    fail: runEvent({
      runId: id,
      eventType: 'FAIL',
      eventTime: at(2),
      job,
      runFacets: { errorMessage: facets.errorMessage('division by zero') },
    }),
  };
}

/** Every order of a list. */
function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) {
    return [items];
  }
  return items.flatMap((item, i) =>
    permutations([...items.slice(0, i), ...items.slice(i + 1)]).map(rest => [
      item,
      ...rest,
    ]),
  );
}

describe.each(databases.eachSupportedId())('DatabaseLineageStore on %s', id => {
  async function createStore() {
    const knex = await databases.init(id);
    const db = await connectDatabase(
      mockServices.database({ knex, migrations: { skip: false } }),
    );
    return { knex: db, store: new DatabaseLineageStore(db) };
  }

  /** Everything the derived tables say, for comparing two stores. */
  async function snapshot(store: DatabaseLineageStore, runIds: string[]) {
    return {
      runs: await Promise.all(runIds.map(r => store.getRun(r))),
      job: await store.getJob(job),
      edges: await store.getEdges({ job }),
      raw: await store.getDataset(raw),
      orders: await store.getDataset(orders),
      columns: await store.getColumnLineage(orders),
    };
  }

  it('stores a run with its job, datasets, edges and column lineage', async () => {
    const { store } = await createStore();
    const events = lifecycle();
    for (const event of [events.start, events.running, events.complete]) {
      expect((await store.addEvent(storeRequest(event))).created).toBe(true);
    }
    expect(await store.getRun(runId)).toEqual({
      runId,
      job,
      state: 'COMPLETE',
      stateTime: at(2),
      startedAt: at(0),
      endedAt: at(2),
      parent: {
        runId: '0a4f2c2e-6d3e-4c1f-8a51-8f3b1f6c0d10',
        job: { namespace: 'airflow', name: 'orders' },
      },
      nominalTime: { start: '2026-12-01T10:00:00Z' },
    });
    expect(await store.getJob(job)).toMatchObject({
      ...job,
      description: 'Loads the orders',
      latestRun: { runId, state: 'COMPLETE' },
      firstSeenAt: at(0),
      lastSeenAt: at(2),
    });
    expect(await store.getEdges({ job })).toEqual([
      {
        job,
        dataset: {
          namespace: 'postgres://db:5432',
          name: 'shop.public.raw_orders',
        },
        direction: 'input',
        lastRunId: runId,
        firstSeenAt: at(0),
        lastSeenAt: at(2),
      },
      {
        job,
        dataset: {
          namespace: 'postgres://db:5432',
          name: 'shop.public.orders',
        },
        direction: 'output',
        lastRunId: runId,
        firstSeenAt: at(2),
        lastSeenAt: at(2),
      },
    ]);
    expect(await store.getEdges({ dataset: orders })).toHaveLength(1);
    expect(await store.getDataset(orders)).toEqual({
      namespace: 'postgres://db:5432',
      name: 'shop.public.orders',
      fields: [
        { name: 'order_id', type: 'VARCHAR' },
        { name: 'total', type: 'VARCHAR' },
      ],
      firstSeenAt: at(2),
      lastSeenAt: at(2),
    });
    expect(await store.getColumnLineage(orders)).toEqual([
      {
        output: { namespace: 'postgres://db:5432', name: 'shop.public.orders' },
        outputColumn: 'order_id',
        input: {
          namespace: 'postgres://db:5432',
          name: 'shop.public.raw_orders',
        },
        inputColumn: 'id',
        transformationType: 'DIRECT',
        transformationSubtype: 'IDENTITY',
        job,
        lastSeenAt: at(2),
      },
      {
        output: { namespace: 'postgres://db:5432', name: 'shop.public.orders' },
        outputColumn: 'total',
        input: {
          namespace: 'postgres://db:5432',
          name: 'shop.public.raw_orders',
        },
        inputColumn: 'amount',
        transformationType: 'DIRECT',
        transformationSubtype: 'AGGREGATION',
        description: 'sum(amount)',
        job,
        lastSeenAt: at(2),
      },
    ]);
  });

  it('stores the same event once, however its JSON is written', async () => {
    const { knex, store } = await createStore();
    const { start } = lifecycle();
    const first = await store.addEvent(storeRequest(start));
    const reordered = JSON.parse(
      JSON.stringify(start, Object.keys(start).reverse()),
    );
    const request = storeRequest(start);
    const again = await store.addEvent({
      ...request,
      raw: { ...request.raw, body: JSON.stringify(reordered, null, 2) },
    });
    expect(again).toEqual({ eventId: first.eventId, created: false });
    const [{ n }] = await knex('lineage_raw_events').count({ n: '*' });
    expect(Number(n)).toBe(1);
  });

  it('gives the same final state whatever order the events arrive in', async () => {
    const events = lifecycle();
    const orders3 = permutations([
      events.start,
      events.running,
      events.complete,
    ]);
    const results = [];
    for (const order of orders3) {
      const { store } = await createStore();
      for (const event of order) {
        await store.addEvent(storeRequest(event));
      }
      results.push(await snapshot(store, [runId]));
    }
    for (const result of results) {
      expect(result).toEqual(results[0]);
    }
    expect(results[0].runs[0]).toMatchObject({
      state: 'COMPLETE',
      startedAt: at(0),
      endedAt: at(2),
    });
  });

  it('never moves a terminal run back to START or RUNNING: COMPLETE before START, a late START after FAIL', async () => {
    const { store } = await createStore();
    const a = lifecycle('5b1f3a9e-7c41-4d44-9d57-36e7cbb6b9a2');
    await store.addEvent(storeRequest(a.complete));
    await store.addEvent(storeRequest(a.start));
    expect(
      await store.getRun('5b1f3a9e-7c41-4d44-9d57-36e7cbb6b9a2'),
    ).toMatchObject({
      state: 'COMPLETE',
      startedAt: at(0),
      endedAt: at(2),
    });

    const b = lifecycle('9d0c9b1e-4a5e-4a38-92b2-9f6a8b6f1c33');
    await store.addEvent(storeRequest(b.fail));
    await store.addEvent(storeRequest(b.start));
    // a RUNNING event even later than the failure does not revive the run
    await store.addEvent(
      storeRequest(
        runEvent({
          runId: '9d0c9b1e-4a5e-4a38-92b2-9f6a8b6f1c33',
          eventType: 'RUNNING',
          eventTime: at(30),
          job,
        }),
      ),
    );
    expect(
      await store.getRun('9d0c9b1e-4a5e-4a38-92b2-9f6a8b6f1c33'),
    ).toMatchObject({
      state: 'FAIL',
      stateTime: at(2),
      startedAt: at(0),
      endedAt: at(2),
      errorMessage: 'division by zero',
      nominalTime: { start: '2026-12-01T10:00:00Z' },
    });
  });

  it('keeps an event without eventType, and OTHER events, from changing a state', async () => {
    const { store } = await createStore();
    const id2 = '0f6e7c0b-2e0e-4c8a-9d0b-6f3b7f2a1b10';
    await store.addEvent(
      storeRequest(runEvent({ runId: id2, eventTime: at(5), job })),
    );
    expect((await store.getRun(id2))!.state).toBeUndefined();
    await store.addEvent(
      storeRequest(
        runEvent({ runId: id2, eventType: 'OTHER', eventTime: at(6), job }),
      ),
    );
    expect((await store.getRun(id2))!.state).toBe('OTHER');
    await store.addEvent(
      storeRequest(
        runEvent({ runId: id2, eventType: 'START', eventTime: at(1), job }),
      ),
    );
    await store.addEvent(
      storeRequest(
        runEvent({ runId: id2, eventType: 'OTHER', eventTime: at(9), job }),
      ),
    );
    expect(await store.getRun(id2)).toMatchObject({
      state: 'START',
      stateTime: at(1),
    });
  });

  it('keeps the latest run of each edge and job, whatever the order', async () => {
    const { store } = await createStore();
    const older = '11111111-1111-4111-8111-111111111111';
    const newer = '22222222-2222-4222-8222-222222222222';
    const write = (run: string, minute: number) =>
      runEvent({
        runId: run,
        eventType: 'COMPLETE',
        eventTime: at(minute),
        job,
        outputs: [orders],
      });
    await store.addEvent(storeRequest(write(newer, 20)));
    await store.addEvent(storeRequest(write(older, 10)));
    const [edge] = await store.getEdges({ dataset: orders });
    expect(edge).toMatchObject({
      lastRunId: newer,
      firstSeenAt: at(10),
      lastSeenAt: at(20),
    });
    expect((await store.getJob(job))!.latestRun!.runId).toBe(newer);
  });

  it('takes twenty concurrent writers without losing or doubling anything', async () => {
    const { knex, store } = await createStore();
    const runs = Array.from(
      { length: 10 },
      (_, i) => `aaaaaaaa-0000-4000-8000-${String(i).padStart(12, '0')}`,
    );
    const events = runs.flatMap(r => {
      const l = lifecycle(r);
      return [l.start, l.complete];
    });
    // twenty writers at once, each event sent twice (a client's retry)
    const results = await Promise.all(
      [...events, ...events].map(e => store.addEvent(storeRequest(e))),
    );
    expect(results.filter(r => r.created)).toHaveLength(events.length);
    const [{ n }] = await knex('lineage_raw_events').count({ n: '*' });
    expect(Number(n)).toBe(events.length);
    for (const r of runs) {
      expect(await store.getRun(r)).toMatchObject({ state: 'COMPLETE' });
    }
    const edges = await store.getEdges({ job });
    expect(edges.map(e => e.direction)).toEqual(['input', 'output']);
    const [{ jobs }] = await knex('lineage_jobs').count({ jobs: '*' });
    expect(Number(jobs)).toBe(1);
  });

  it('rebuilds the derived tables from the kept events, reporting those the reader refuses', async () => {
    const { knex, store } = await createStore();
    const events = lifecycle();
    for (const event of [events.complete, events.start, events.running]) {
      await store.addEvent(storeRequest(event));
    }
    const before = await snapshot(store, [runId]);
    // a reader that misread column lineage: a rebuild with the fixed one restores it
    await knex('lineage_column_lineage').delete();
    const result = await store.rebuild(
      body => readLineageEvent(JSON.parse(body)).record,
    );
    expect(result).toEqual({ applied: 3, refused: [] });
    expect(await snapshot(store, [runId])).toEqual(before);

    const refusing = await store.rebuild(body => {
      const event = JSON.parse(body);
      if (event.eventType === 'RUNNING') {
        throw new InputError('RUNNING is not read');
      }
      return readLineageEvent(event).record;
    });
    expect(refusing.applied).toBe(2);
    expect(refusing.refused).toEqual([
      { eventId: expect.any(Number), reason: 'RUNNING is not read' },
    ]);
    expect((await store.getRun(runId))!.state).toBe('COMPLETE');
  });

  it('prunes raw events past their retention, keeping the graph', async () => {
    const { knex, store } = await createStore();
    const events = lifecycle();
    await store.addEvent(
      storeRequest(events.start, Date.parse('2026-11-01T00:00:00Z')),
    );
    await store.addEvent(
      storeRequest(events.complete, Date.parse('2026-12-01T00:00:00Z')),
    );
    expect(
      await store.prune({
        rawEventsBefore: Date.parse('2026-11-15T00:00:00Z'),
      }),
    ).toEqual({ rawEvents: 1 });
    const [{ n }] = await knex('lineage_raw_events').count({ n: '*' });
    expect(Number(n)).toBe(1);
    expect(await store.getEdges({ job })).toHaveLength(2);
  });
});
