import {
  PluginDatabaseClient,
  pluginSqliteClientWithRows,
} from './__testUtils__/pluginSqliteClient';

/**
 * The portal runs knex with a patch (`.yarn/patches/knex-npm-3.3.0-*.patch`, root `resolutions`):
 * knex's `batchInsert` slept on a 1 ms timer before every batch so that callers could chain
 * `.transacting()` first. The catalog calls it inside its transactions for search rows,
 * relations and references; on SQLite that transaction holds the only connection, so every
 * batch left the whole catalog idle for a millisecond or more (more than half of an ingestion
 * run, see packages/bench/README.md). The patch yields with `setImmediate` instead.
 *
 * The tests take their client from the backend's own database manager, as plugins get it, so
 * they exercise the knex copy the catalog runs on. Timers are faked (all but `setImmediate`):
 * a batch insert that still waited on a timer would never finish, and the test would fail on
 * its timeout.
 */
describe('knex batchInsert as patched for the portal', () => {
  let knex: PluginDatabaseClient;

  beforeEach(async () => {
    jest.useFakeTimers({
      doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'],
    });
    knex = await pluginSqliteClientWithRows();
  });

  afterEach(async () => {
    await knex.destroy();
    jest.useRealTimers();
  });

  const rows = (n: number) =>
    Array.from({ length: n }, (_, i) => ({ id: i, value: `v${i}` }));

  it('inserts every batch without waiting on a timer', async () => {
    await knex.batchInsert('rows', rows(120), 50);
    await expect(knex('rows').count({ n: '*' })).resolves.toEqual([{ n: 120 }]);
  });

  it('honours .transacting() chained after the call', async () => {
    let inside: unknown;
    const rollback = new Error('roll back');
    await expect(
      knex.transaction(async tx => {
        await knex.batchInsert('rows', rows(30), 50).transacting(tx);
        inside = await tx('rows').count({ n: '*' });
        throw rollback;
      }),
    ).rejects.toBe(rollback);
    // the rows were there inside the transaction, and written through it: rolling it back
    // removed them
    expect(inside).toEqual([{ n: 30 }]);
    await expect(knex('rows').count({ n: '*' })).resolves.toEqual([{ n: 0 }]);
  });

  it('honours .returning() chained after the call', async () => {
    const inserted = await knex
      .batchInsert('rows', rows(3), 2)
      .returning(['id']);
    expect(inserted).toEqual([{ id: 0 }, { id: 1 }, { id: 2 }]);
  });
});
