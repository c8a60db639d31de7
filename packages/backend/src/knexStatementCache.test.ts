import {
  PluginDatabaseClient,
  pluginSqliteClientWithRows,
} from './__testUtils__/pluginSqliteClient';
import Database from 'better-sqlite3';

/**
 * The portal runs knex with a patch (`.yarn/patches/knex-npm-3.3.0-*.patch`, root `resolutions`):
 * knex's better-sqlite3 client prepared every query anew, and SQLite compiles the SQL text on
 * every prepare. For the catalog's multi-row inserts (one compound SELECT per row) compiling
 * cost about as much as running: 21 s of a 171 s run of 20,000 data products
 * (packages/bench/README.md). The patch keeps the 500 most recently used statements of each
 * connection and reuses them for the same SQL text.
 *
 * The tests take their client from the backend's own database manager, as plugins get it, so
 * they exercise the knex copy the catalog runs on, and count the statements it prepares.
 */
describe('knex better-sqlite3 statements as patched for the portal', () => {
  let knex: PluginDatabaseClient;
  let prepare: jest.SpyInstance;

  /** How many times the client prepared exactly this SQL text. */
  const prepared = (sql: string) =>
    prepare.mock.calls.filter(([text]) => text === sql).length;

  /**
   * The message of the error a query fails with. better-sqlite3 gives its addon its error class
   * once per process: in a jest worker that loaded it for an earlier test file, the error comes
   * from that file's module registry and fails jest's `toThrow`, so the message is compared.
   */
  const failure = async (query: PromiseLike<unknown>): Promise<string> => {
    try {
      await query;
    } catch (error) {
      return String((error as { message?: unknown }).message);
    }
    throw new Error('the query did not fail');
  };

  beforeEach(async () => {
    knex = await pluginSqliteClientWithRows();
    prepare = jest.spyOn(Database.prototype, 'prepare');
  });

  afterEach(async () => {
    prepare.mockRestore();
    await knex.destroy();
  });

  it('prepares a query once and runs it with each call’s bindings', async () => {
    for (let i = 0; i < 20; i++) {
      await knex('rows').insert({ id: i, value: `v${i}` });
    }
    const values = [];
    for (const id of [3, 17, 8]) {
      values.push(await knex('rows').where({ id }).first());
    }

    expect(values).toEqual([
      { id: 3, value: 'v3' },
      { id: 17, value: 'v17' },
      { id: 8, value: 'v8' },
    ]);
    expect(prepared('insert into `rows` (`id`, `value`) values (?, ?)')).toBe(
      1,
    );
    expect(prepared('select * from `rows` where `id` = ? limit ?')).toBe(1);
  });

  it('reuses multi-row inserts and transactions’ BEGIN and COMMIT', async () => {
    for (let batch = 0; batch < 5; batch++) {
      await knex.transaction(async tx => {
        await tx('rows').insert(
          Array.from({ length: 10 }, (_, i) => ({
            id: batch * 10 + i,
            value: `v${batch * 10 + i}`,
          })),
        );
      });
    }

    await expect(knex('rows').count({ n: '*' })).resolves.toEqual([{ n: 50 }]);
    const multiRow = prepare.mock.calls
      .map(([text]) => text as string)
      .filter(text => text.startsWith('insert into `rows`'));
    expect(multiRow).toHaveLength(1);
    expect(multiRow[0].match(/union all/g)).toHaveLength(9);
    expect(prepared('BEGIN;')).toBe(1);
    expect(prepared('COMMIT;')).toBe(1);
  });

  it('sees schema changes made after a statement was prepared', async () => {
    await knex('rows').insert({ id: 1, value: 'one' });
    await expect(knex('rows').select()).resolves.toEqual([
      { id: 1, value: 'one' },
    ]);

    await knex.schema.alterTable('rows', table => {
      table.string('extra').defaultTo('x');
    });
    await expect(knex('rows').select()).resolves.toEqual([
      { id: 1, value: 'one', extra: 'x' },
    ]);

    await knex.schema.dropTable('rows');
    await expect(failure(knex('rows').select())).resolves.toMatch(
      /no such table: rows/,
    );
    await knex.schema.createTable('rows', table => {
      table.string('name');
    });
    await knex('rows').insert({ name: 'recreated' });
    await expect(knex('rows').select()).resolves.toEqual([
      { name: 'recreated' },
    ]);
    expect(prepared('select * from `rows`')).toBe(1);
  });

  it('keeps a statement usable after it failed', async () => {
    await knex('rows').insert({ id: 1, value: 'one' });
    await expect(
      failure(knex('rows').insert({ id: 1, value: 'again' })),
    ).resolves.toMatch(/UNIQUE constraint failed: rows.id/);
    await knex('rows').insert({ id: 2, value: 'two' });

    await expect(knex('rows').orderBy('id').select()).resolves.toEqual([
      { id: 1, value: 'one' },
      { id: 2, value: 'two' },
    ]);
    expect(prepared('insert into `rows` (`id`, `value`) values (?, ?)')).toBe(
      1,
    );
  });

  it('keeps statements prepared with and without safeIntegers apart', async () => {
    // 2^53 + 1: a number loses the last digit, a BigInt keeps it
    await knex.raw(
      'insert into `rows` (`id`, `value`) values (9007199254740993, ?)',
      ['big'],
    );
    const read = () => knex('rows').select('id').where({ value: 'big' });

    await expect(read()).resolves.toEqual([{ id: 9007199254740992 }]);
    await expect(read().options({ safeIntegers: true })).resolves.toEqual([
      { id: 9007199254740993n },
    ]);
    await expect(read()).resolves.toEqual([{ id: 9007199254740992 }]);
    await expect(read().options({ safeIntegers: false })).resolves.toEqual([
      { id: 9007199254740992 },
    ]);
    await expect(read().options({ safeIntegers: true })).resolves.toEqual([
      { id: 9007199254740993n },
    ]);
    // one statement per mode, so that the mode one call sets never sticks to another call
    expect(prepared(read().toString().replace("'big'", '?'))).toBe(3);
  });

  it('keeps at most 500 statements per connection, dropping the least recently used', async () => {
    const query = (i: number) => knex.raw(`select ${i} as n`);
    await query(0);
    for (let i = 1; i <= 499; i++) {
      await query(i);
    }
    // 500 statements: the first is still there, and using it makes it the most recent
    await expect(query(0)).resolves.toEqual([{ n: 0 }]);
    expect(prepared('select 0 as n')).toBe(1);

    // one more pushes out the least recently used, now statement 1, not statement 0
    await query(500);
    await query(0);
    await query(1);
    expect(prepared('select 0 as n')).toBe(1);
    expect(prepared('select 1 as n')).toBe(2);
  });
});
