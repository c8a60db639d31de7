import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import type { QualityRun } from '@backstage-datamesh/plugin-datamesh-common';
import { connectDatabase } from './migrations';
import { DatabaseQualityStore } from './DatabaseQualityStore';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

const ref = 'dataproduct:default/customer-360';
const at = (iso: string) => Date.parse(iso);

function run(overrides: Partial<QualityRun> = {}): QualityRun {
  return {
    format: 'dbt',
    tool: { name: 'dbt', version: '1.8.5' },
    runId: 'invocation-1',
    finishedAt: '2026-12-01T10:00:00.000Z',
    checks: [
      {
        checkId: 'test.shop.not_null_customers_id',
        name: 'not_null_customers_id',
        status: 'pass',
        column: 'id',
        checkType: 'not_null',
        dimension: 'completeness',
        unexpectedCount: 0,
        rowsEvaluated: 100,
        rawPointer: '/results/0',
      },
      {
        checkId: 'test.shop.unique_customers_id',
        name: 'unique_customers_id',
        status: 'fail',
        column: 'id',
        checkType: 'unique',
        dimension: 'uniqueness',
        unexpectedCount: 2,
        observedValue: 2,
        threshold: '= 0',
        message: 'Got 2 results, configured to fail if != 0',
        rawPointer: '/results/1',
      },
    ],
    metrics: [
      { metric: 'rowCount', value: 100, observedAt: '2026-12-01T10:00:00Z' },
    ],
    updates: [
      {
        dataset: { name: 'analytics.customer.customers' },
        updatedAt: '2026-12-01T09:59:00.000Z',
      },
    ],
    ...overrides,
  };
}

function request(r: QualityRun, body = JSON.stringify(r)) {
  return {
    entityRef: ref,
    run: r,
    checkPorts: r.checks.map(() => 'profile'),
    metricPorts: r.metrics.map(() => 'profile'),
    updatePorts: r.updates.map(() => 'profile'),
    raw: { body, contentType: 'application/json' },
    source: 'push' as const,
    receivedAt: at('2026-12-01T10:01:00Z'),
  };
}

describe.each(databases.eachSupportedId())('DatabaseQualityStore on %s', id => {
  async function createStore() {
    const knex = await databases.init(id);
    const db = await connectDatabase(
      mockServices.database({ knex, migrations: { skip: false } }),
    );
    return { knex: db, store: new DatabaseQualityStore(db) };
  }

  it('stores a run with its checks, latest checks, metrics and updates', async () => {
    const { store } = await createStore();
    const result = await store.addRun(request(run()));
    expect(result.created).toBe(true);

    const [stored] = await store.listRuns(ref);
    expect(stored).toMatchObject({
      id: result.runId,
      entityRef: ref,
      format: 'dbt',
      tool: { name: 'dbt', version: '1.8.5' },
      toolRunId: 'invocation-1',
      finishedAt: '2026-12-01T10:00:00.000Z',
      counts: { pass: 1, warn: 0, fail: 1, error: 0, skipped: 0 },
      hasRawDocument: true,
    });
    const latest = await store.getLatestChecks(ref);
    expect(latest.map(c => [c.name, c.status])).toEqual([
      ['not_null_customers_id', 'pass'],
      ['unique_customers_id', 'fail'],
    ]);
    expect(latest[1]).toEqual({
      entityRef: ref,
      port: 'profile',
      runId: result.runId,
      checkId: 'test.shop.unique_customers_id',
      name: 'unique_customers_id',
      status: 'fail',
      format: 'dbt',
      tool: { name: 'dbt', version: '1.8.5' },
      column: 'id',
      checkType: 'unique',
      dimension: 'uniqueness',
      unexpectedCount: 2,
      observedValue: 2,
      threshold: '= 0',
      message: 'Got 2 results, configured to fail if != 0',
      executedAt: '2026-12-01T10:00:00.000Z',
      rawPointer: '/results/1',
    });
    expect(await store.getLastUpdates(ref)).toEqual({
      profile: at('2026-12-01T09:59:00Z'),
    });
    expect(await store.getRawDocument(result.runId)).toEqual({
      contentType: 'application/json',
      body: JSON.stringify(run()),
    });
  });

  it('stores the same run twice once, and counts it once', async () => {
    const { store } = await createStore();
    const first = await store.addRun(request(run()));
    const second = await store.addRun(request(run()));
    expect(second).toEqual({ runId: first.runId, created: false });
    expect(await store.listRuns(ref)).toHaveLength(1);
    const [day] = await store.getCheckTrend(ref, {
      from: at('2026-11-01T00:00:00Z'),
      to: at('2026-12-02T00:00:00Z'),
    });
    expect(day).toEqual({
      day: '2026-12-01',
      counts: { pass: 1, warn: 0, fail: 1, error: 0, skipped: 0 },
      passRate: 0.5,
    });
  });

  it('keeps the newest result of each check, whatever the order runs arrive in', async () => {
    const { store } = await createStore();
    const later = run({
      runId: 'invocation-2',
      finishedAt: '2026-12-01T11:00:00.000Z',
      checks: run().checks.map(c => ({ ...c, status: 'pass' as const })),
    });
    await store.addRun(request(later));
    await store.addRun(request(run()));
    const latest = await store.getLatestChecks(ref);
    expect(latest.map(c => [c.name, c.status, c.executedAt])).toEqual([
      ['not_null_customers_id', 'pass', '2026-12-01T11:00:00.000Z'],
      ['unique_customers_id', 'pass', '2026-12-01T11:00:00.000Z'],
    ]);
    // many products in one read: each product's as getLatestChecks answers it
    const many = await store.getLatestChecksOf([
      ref,
      'dataproduct:default/no-checks',
    ]);
    expect([...many.keys()]).toEqual([ref]);
    expect(many.get(ref)).toEqual(latest);
  });

  it('rolls metric points up per day, kept after raw retention', async () => {
    const { store } = await createStore();
    for (const [hour, value] of [
      [8, 90],
      [9, 110],
      [10, 100],
    ]) {
      const iso = `2026-12-01T${String(hour).padStart(2, '0')}:00:00.000Z`;
      await store.addRun(
        request(
          run({
            runId: `r${hour}`,
            finishedAt: iso,
            metrics: [{ metric: 'rowCount', value, observedAt: iso }],
          }),
        ),
      );
    }
    const range = {
      from: at('2026-12-01T00:00:00Z'),
      to: at('2026-12-02T00:00:00Z'),
    };
    const raw = await store.getMetricSeries(ref, {
      ...range,
      resolution: 'raw',
    });
    expect(raw).toEqual([
      {
        metric: 'rowCount',
        port: 'profile',
        points: [
          { at: '2026-12-01T08:00:00.000Z', value: 90 },
          { at: '2026-12-01T09:00:00.000Z', value: 110 },
          { at: '2026-12-01T10:00:00.000Z', value: 100 },
        ],
      },
    ]);
    const pruned = await store.prune({
      rawDocumentsBefore: at('2026-12-02T00:00:00Z'),
      resultsBefore: at('2026-12-02T00:00:00Z'),
    });
    expect(pruned).toEqual({
      rawDocuments: 3,
      checkResults: 6,
      metricPoints: 3,
    });
    expect(
      await store.getMetricSeries(ref, { ...range, resolution: 'raw' }),
    ).toEqual([]);
    expect(
      await store.getMetricSeries(ref, { ...range, resolution: 'day' }),
    ).toEqual([
      {
        metric: 'rowCount',
        port: 'profile',
        points: [
          { at: '2026-12-01T00:00:00.000Z', value: 100, min: 90, max: 110 },
        ],
      },
    ]);
    // runs stay, without their raw documents
    const runs = await store.listRuns(ref);
    expect(runs.map(r => r.hasRawDocument)).toEqual([false, false, false]);
    expect(await store.getRawDocument(runs[0].id)).toBeUndefined();
  });

  it('loses and duplicates nothing with twenty concurrent writers', async () => {
    const { store } = await createStore();
    const runs = Array.from({ length: 20 }, (_, i) =>
      run({
        runId: `concurrent-${i}`,
        finishedAt: new Date(
          at('2026-12-01T00:00:00Z') + i * 60_000,
        ).toISOString(),
      }),
    );
    // every run posted twice, all at once
    const results = await Promise.all(
      [...runs, ...runs].map(r => store.addRun(request(r))),
    );
    expect(results.filter(r => r.created)).toHaveLength(20);
    expect(new Set(results.map(r => r.runId)).size).toBe(20);
    expect(await store.listRuns(ref, { limit: 100 })).toHaveLength(20);
    const [day] = await store.getCheckTrend(ref, {
      from: at('2026-12-01T00:00:00Z'),
      to: at('2026-12-02T00:00:00Z'),
    });
    expect(day.counts).toEqual({
      pass: 20,
      warn: 0,
      fail: 20,
      error: 0,
      skipped: 0,
    });
  });

  it('prunes port updates before a time, keeping the latest of each port', async () => {
    const { knex, store } = await createStore();
    const other = 'dataproduct:default/orders';
    await knex('quality_dataset_updates').insert([
      { product_ref: ref, port: 'profile', updated_at: 100 },
      { product_ref: ref, port: 'profile', updated_at: 200 },
      { product_ref: ref, port: 'profile', updated_at: 900 },
      { product_ref: ref, port: 'events', updated_at: 150 },
      { product_ref: other, port: 'profile', updated_at: 120 },
      { product_ref: other, port: 'profile', updated_at: 300 },
    ]);
    const pruned = await store.prune({
      rawDocumentsBefore: 0,
      resultsBefore: 0,
      datasetUpdatesBefore: 500,
    });
    expect(pruned).toEqual({
      rawDocuments: 0,
      checkResults: 0,
      metricPoints: 0,
      datasetUpdates: 3,
    });
    expect(await store.getUpdates(ref, { from: 0, to: 1000 })).toEqual([
      { port: 'events', updatedAt: 150 },
      { port: 'profile', updatedAt: 900 },
    ]);
    expect(await store.getLastUpdates(other)).toEqual({ profile: 300 });
  });
});
