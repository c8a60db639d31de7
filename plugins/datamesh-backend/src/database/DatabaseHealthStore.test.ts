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
});
