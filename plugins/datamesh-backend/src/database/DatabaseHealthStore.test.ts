import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import {
  HealthEvaluation,
  ProductHealthState,
} from '@backstage-datamesh/plugin-datamesh-common';
import { connectDatabase } from './migrations';
import { DatabaseHealthStore } from './DatabaseHealthStore';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

const product = {
  entityRef: 'dataproduct:default/customer-360',
  title: 'Customer 360 View',
  lifecycle: 'production',
};

function evaluation(health: ProductHealthState): HealthEvaluation {
  const breached = health === 'breaching';
  return {
    health,
    reasons: breached
      ? ['freshness 3h 12m against 15m (port profile)']
      : ['all 1 measured objective met'],
    slos: [
      {
        slo: 'freshness',
        objective: '15m',
        objectiveSource: 'product',
        measured: breached ? 11_520_000 : 60_000,
        status: breached ? 'breached' : 'met',
        reason: breached
          ? 'freshness 3h 12m against 15m (port profile)'
          : 'freshness 1m against 15m (port profile)',
      },
    ],
    failingChecks: [],
  };
}

describe.each(databases.eachSupportedId())('DatabaseHealthStore on %s', id => {
  async function createStore() {
    const knex = await databases.init(id);
    const db = await connectDatabase(
      mockServices.database({ knex, migrations: { skip: false } }),
    );
    return new DatabaseHealthStore(db);
  }

  it('records health, its changes, and the incident of a move into breaching', async () => {
    const store = await createStore();
    const first = await store.recordEvaluation(
      product,
      evaluation('healthy'),
      1000,
    );
    expect(first.change).toMatchObject({ to: 'healthy' });
    expect(first.change?.from).toBeUndefined();

    const same = await store.recordEvaluation(
      product,
      evaluation('healthy'),
      2000,
    );
    expect(same).toEqual({});

    const breach = await store.recordEvaluation(
      product,
      evaluation('breaching'),
      3000,
    );
    expect(breach.change).toMatchObject({ from: 'healthy', to: 'breaching' });
    expect(breach.openedIncident).toMatchObject({
      entityRef: product.entityRef,
      state: 'new',
      severity: 'high',
      title: 'Customer 360 View breaches freshness',
      reasons: ['freshness 3h 12m against 15m (port profile)'],
      openedAt: new Date(3000).toISOString(),
      events: [{ type: 'opened', at: new Date(3000).toISOString() }],
    });
    expect(await store.getHealth(product.entityRef)).toMatchObject({
      health: 'breaching',
      since: new Date(3000).toISOString(),
      reasons: ['freshness 3h 12m against 15m (port profile)'],
    });

    // staying in breaching opens no second incident
    expect(
      await store.recordEvaluation(product, evaluation('breaching'), 4000),
    ).toEqual({});
    expect(await store.listIncidents()).toHaveLength(1);

    const acknowledged = await store.acknowledgeIncident(
      breach.openedIncident!.id,
      'user:default/guest',
      5000,
    );
    expect(acknowledged).toMatchObject({
      state: 'acknowledged',
      acknowledgedBy: 'user:default/guest',
    });

    const recovery = await store.recordEvaluation(
      product,
      evaluation('healthy'),
      6000,
    );
    expect(recovery.resolvedIncident).toMatchObject({
      state: 'resolved',
      resolvedAt: new Date(6000).toISOString(),
    });
    expect(recovery.resolvedIncident?.resolvedBy).toBeUndefined();
    expect(recovery.resolvedIncident?.events.map(e => e.type)).toEqual([
      'opened',
      'acknowledged',
      'recovered',
    ]);

    const changes = await store.getChanges({ after: 0 });
    expect(changes.map(c => [c.from, c.to])).toEqual([
      [undefined, 'healthy'],
      ['healthy', 'breaching'],
      ['breaching', 'healthy'],
    ]);
    expect(
      (await store.getChanges({ after: changes[1].id })).map(c => c.to),
    ).toEqual(['healthy']);
  });

  it('keeps the incident open when health becomes unknown', async () => {
    const store = await createStore();
    await store.recordEvaluation(product, evaluation('breaching'), 1000);
    const unknown = await store.recordEvaluation(
      product,
      evaluation('unknown'),
      2000,
    );
    expect(unknown.resolvedIncident).toBeUndefined();
    expect(
      await store.listIncidents({ states: ['new', 'acknowledged'] }),
    ).toHaveLength(1);
  });

  it('refuses to acknowledge a resolved incident', async () => {
    const store = await createStore();
    const { openedIncident } = await store.recordEvaluation(
      product,
      evaluation('breaching'),
      1000,
    );
    await store.resolveIncident(openedIncident!.id, 'user:default/guest', 2000);
    await expect(
      store.acknowledgeIncident(openedIncident!.id, 'user:default/guest', 3000),
    ).rejects.toMatchObject({ name: 'ConflictError' });
    await expect(
      store.acknowledgeIncident('no-such-incident', 'user:default/guest', 3000),
    ).rejects.toMatchObject({ name: 'NotFoundError' });
  });

  it('records one move and one incident when replicas record the same move at once', async () => {
    const store = await createStore();
    await store.recordEvaluation(product, evaluation('healthy'), 1000);
    const results = await Promise.all(
      Array.from({ length: 5 }, () =>
        store.recordEvaluation(product, evaluation('breaching'), 2000),
      ),
    );
    expect(results.filter(r => r.change)).toHaveLength(1);
    expect(results.filter(r => r.openedIncident)).toHaveLength(1);
    expect(await store.listIncidents()).toHaveLength(1);
    expect(await store.getChanges({ after: 0 })).toHaveLength(2);
  });

  it('pages the health of many products worst first, filtered by domain and owner in the database', async () => {
    const store = await createStore();
    const states: ProductHealthState[] = [
      'healthy',
      'degraded',
      'breaching',
      'unknown',
    ];
    // 24 products: domains a and b, owners x, y and z, healths cycling
    for (let i = 0; i < 24; i++) {
      await store.recordEvaluation(
        {
          entityRef: `dataproduct:default/p${String(i).padStart(2, '0')}`,
          title: `P${i}`,
          domainRef: i % 2 ? 'domain:default/a' : 'domain:default/b',
          ownerRef: `group:default/${'xyz'[i % 3]}`,
        },
        evaluation(states[i % 4]),
        // the later products have been in their state for longer
        10_000 - i,
      );
    }
    const unhealthy: ProductHealthState[] = ['breaching', 'degraded'];
    const all = await store.listHealth({ health: unhealthy });
    expect(all.map(h => h.health)).toEqual([
      ...Array(6).fill('breaching'),
      ...Array(6).fill('degraded'),
    ]);
    // the longest in that state first
    expect(all.slice(0, 6).map(h => h.entityRef.slice(-3))).toEqual([
      'p22',
      'p18',
      'p14',
      'p10',
      'p06',
      'p02',
    ]);
    const pages = [];
    for (let offset = 0; offset < 12; offset += 5) {
      pages.push(
        ...(await store.listHealth({ health: unhealthy, limit: 5, offset })),
      );
    }
    expect(pages).toEqual(all);
    expect(await store.summarizeHealth({ health: unhealthy })).toEqual({
      total: 12,
      counts: { breaching: 6, degraded: 6 },
      facets: {
        // degraded products are the odd ones, breaching the even ones
        domain: [
          { value: 'domain:default/a', count: 6 },
          { value: 'domain:default/b', count: 6 },
        ],
        owner: [
          { value: 'group:default/x', count: 4 },
          { value: 'group:default/y', count: 4 },
          { value: 'group:default/z', count: 4 },
        ],
      },
    });
    const filter = {
      health: unhealthy,
      domainRefs: ['domain:default/b'],
      ownerRefs: ['group:default/x'],
    };
    // b: even; x: multiples of 3; breaching: 2 mod 4, degraded: 1 mod 4 -> p06, p18
    expect(
      (await store.listHealth(filter)).map(h => [h.entityRef, h.health]),
    ).toEqual([
      ['dataproduct:default/p18', 'breaching'],
      ['dataproduct:default/p06', 'breaching'],
    ]);
    expect(await store.summarizeHealth(filter)).toMatchObject({
      total: 2,
      counts: { breaching: 2 },
    });

    // a product's domain moves with its next evaluation, health unchanged
    await store.recordEvaluation(
      {
        entityRef: 'dataproduct:default/p18',
        title: 'P18',
        domainRef: 'domain:default/a',
        ownerRef: 'group:default/x',
      },
      evaluation('breaching'),
      20_000,
    );
    expect((await store.listHealth(filter)).map(h => h.entityRef)).toEqual([
      'dataproduct:default/p06',
    ]);

    // the open incidents of many products, newest first, by domain, paged
    const open = await store.listIncidents({
      states: ['new', 'acknowledged'],
    });
    expect(open).toHaveLength(6);
    expect(open.map(i => i.entityRef.slice(-3))).toEqual([
      'p02',
      'p06',
      'p10',
      'p14',
      'p18',
      'p22',
    ]);
    const inA = { states: ['new' as const], domainRefs: ['domain:default/a'] };
    expect(
      (await store.listIncidents(inA)).map(i => i.entityRef.slice(-3)),
    ).toEqual(['p18']);
    expect(await store.countIncidents(inA)).toBe(1);
    const some = {
      entityRefs: ['dataproduct:default/p02', 'dataproduct:default/p10'],
    };
    expect(await store.countIncidents(some)).toBe(2);
    expect(
      (await store.listIncidents({ ...some, limit: 1, offset: 1 })).map(i =>
        i.entityRef.slice(-3),
      ),
    ).toEqual(['p10']);
    expect(open[0].events).toEqual([
      expect.objectContaining({ type: 'opened' }),
    ]);
  });

  it('keeps a list, its counts, facets, incidents and changes to the visible products, sent as one value', async () => {
    const store = await createStore();
    for (let i = 0; i < 6; i++) {
      await store.recordEvaluation(
        {
          entityRef: `dataproduct:default/v${i}`,
          title: `V${i}`,
          domainRef: i < 3 ? 'domain:default/a' : 'domain:default/b',
          ownerRef: i < 3 ? 'group:default/x' : 'group:default/y',
        },
        evaluation('breaching'),
        1000 + i,
      );
    }
    // v3, v4, v5 (domain b, owner y) are hidden; more refs than either engine's parameter cap
    const visibleRefs = [
      'dataproduct:default/v0',
      'dataproduct:default/v1',
      'dataproduct:default/v2',
      ...Array.from(
        { length: 70_000 },
        (_, i) => `dataproduct:default/other-${i}`,
      ),
    ];
    const page = await store.listHealth({ visibleRefs, limit: 2, offset: 1 });
    // the longest breaching first: v0, v1, v2
    expect(page.map(h => h.entityRef)).toEqual([
      'dataproduct:default/v1',
      'dataproduct:default/v2',
    ]);
    expect(await store.summarizeHealth({ visibleRefs })).toEqual({
      total: 3,
      counts: { breaching: 3 },
      facets: {
        domain: [{ value: 'domain:default/a', count: 3 }],
        owner: [{ value: 'group:default/x', count: 3 }],
      },
    });
    expect(
      await store.summarizeHealth({
        visibleRefs,
        domainRefs: ['domain:default/b'],
      }),
    ).toMatchObject({ total: 0, counts: {} });
    expect(await store.countIncidents({ visibleRefs })).toBe(3);
    expect(
      (await store.listIncidents({ visibleRefs, limit: 1, offset: 2 })).map(
        i => i.entityRef,
      ),
    ).toEqual(['dataproduct:default/v0']);
    expect(await store.countIncidents({ visibleRefs: [] })).toBe(0);
    const changes = await store.getChanges({ after: 0, visibleRefs });
    expect(changes.map(c => c.entityRef)).toEqual([
      'dataproduct:default/v0',
      'dataproduct:default/v1',
      'dataproduct:default/v2',
    ]);
    expect(await store.getChanges({ after: 0 })).toHaveLength(6);
    expect(await store.listHealth({ visibleRefs: [] })).toEqual([]);
  });
});
