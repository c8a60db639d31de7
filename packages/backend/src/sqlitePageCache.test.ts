import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * The portal builds better-sqlite3 with a patch to the SQLite it bundles
 * (`.yarn/patches/better-sqlite3-npm-12.11.1-*.patch`, root `resolutions`). When a B-tree page
 * splits, SQLite swaps two page numbers through a temporary one far above the end of the
 * database (the pending-byte page); its page cache then believed it held a page that high, and
 * at the end of the transaction scanned its whole hash table to drop it. An in-memory database
 * keeps every page in that cache, so each commit cost time in proportion to the size of the
 * database (packages/bench/README.md has the figures). The patch lets the cache's high-water
 * mark come back down once the page moves back.
 *
 * The change is to SQLite's page cache, which holds the catalog's data: these tests check that
 * the build the backend loads carries it, and that a workload of page splits, rollbacks,
 * savepoints, deletions and VACUUM leaves exactly the rows it should and an intact database.
 */
describe('the SQLite the portal builds into better-sqlite3', () => {
  it('is compiled from the patched source, here, not downloaded prebuilt', () => {
    // the copy the backend's database manager loads (through @backstage/backend-defaults)
    const fromBackendDefaults = require.resolve('better-sqlite3/package.json', {
      paths: [
        path.dirname(
          require.resolve('@backstage/backend-defaults/package.json'),
        ),
      ],
    });
    const root = path.dirname(fromBackendDefaults);
    // node-gyp copies the amalgamation here and compiles this copy; a prebuilt binary
    // downloaded by prebuild-install comes without it
    const compiled = path.join(root, 'build/Release/obj/gen/sqlite3/sqlite3.c');
    expect(fs.existsSync(compiled)).toBe(true);
    const source = fs.readFileSync(compiled, 'utf8');
    expect(source).toContain('unsigned int iTempKey;');
    expect(source).toContain('if( iOld==pCache->iTempKey ){');
  });

  type Row = { k: string; v: string; n: number };

  /** A seeded PRNG (xorshift32), so that a failure can be replayed. */
  function random(seed: number) {
    let x = seed >>> 0 || 1;
    return (below: number) => {
      x ^= x << 13;
      x >>>= 0;
      x ^= x >>> 17;
      x ^= x << 5;
      x >>>= 0;
      return x % below;
    };
  }

  const text = (next: (below: number) => number, length: number) =>
    Array.from({ length }, () => String.fromCharCode(97 + next(26))).join('');

  /**
   * Runs the same random workload on SQLite and on a JavaScript model of the table, and
   * returns both. Small pages and long index keys make page splits, and so page-number swaps,
   * happen in most transactions. The model undoes a rolled-back transaction or savepoint from
   * a log of what it changed.
   */
  function workload(db: Database.Database, seed: number, transactions: number) {
    const next = random(seed);
    db.pragma('page_size = 512');
    db.pragma('cache_size = 64');
    db.pragma('synchronous = OFF');
    db.exec(`
      create table t (id integer primary key, k text not null, v text not null, n integer not null);
      create index t_k on t (k, v);
      create index t_v on t (v, id);
      create index t_n on t (n, k);
    `);
    const insert = db.prepare(
      'insert into t (id, k, v, n) values (?, ?, ?, ?)',
    );
    const remove = db.prepare('delete from t where id = ?');
    const update = db.prepare('update t set v = ? where id = ?');
    const model = new Map<number, Row>();
    let undo: Array<[number, Row | undefined]> = [];
    const change = (id: number, row: Row | undefined) => {
      undo.push([id, model.get(id)]);
      if (row) {
        model.set(id, row);
      } else {
        model.delete(id);
      }
    };
    const undoTo = (mark: number) => {
      while (undo.length > mark) {
        const [id, row] = undo.pop()!;
        if (row) {
          model.set(id, row);
        } else {
          model.delete(id);
        }
      }
    };
    let nextId = 1;
    for (let t = 0; t < transactions; t++) {
      undo = [];
      db.exec('BEGIN');
      const operations = 1 + next(40);
      for (let o = 0; o < operations; o++) {
        const op = next(100);
        if (op < 70) {
          const row = {
            k: text(next, 20 + next(120)),
            v: text(next, 10 + next(80)),
            n: next(1000),
          };
          insert.run(nextId, row.k, row.v, row.n);
          change(nextId++, row);
        } else if (op < 82) {
          // an id that may or may not be there: a no-op on both sides when it is not
          const id = 1 + next(nextId);
          remove.run(id);
          change(id, undefined);
        } else if (op < 94) {
          const id = 1 + next(nextId);
          const v = text(next, 10 + next(150));
          update.run(v, id);
          const row = model.get(id);
          if (row) {
            change(id, { ...row, v });
          }
        } else {
          // a savepoint of 30 inserts, kept or rolled back
          const mark = undo.length;
          db.exec('SAVEPOINT burst');
          for (let i = 0; i < 30; i++) {
            const row = {
              k: text(next, 150),
              v: text(next, 60),
              n: next(1000),
            };
            insert.run(nextId, row.k, row.v, row.n);
            change(nextId++, row);
          }
          if (next(2) === 0) {
            db.exec('ROLLBACK TO burst');
            undoTo(mark);
          }
          db.exec('RELEASE burst');
        }
      }
      if (next(6) === 0) {
        db.exec('ROLLBACK');
        undoTo(0);
      } else {
        db.exec('COMMIT');
      }
      if (t % 400 === 399) {
        // shrink the database: VACUUM truncates it and its page cache
        db.prepare('delete from t where id % 3 = 0').run();
        for (const id of [...model.keys()]) {
          if (id % 3 === 0) {
            model.delete(id);
          }
        }
        db.exec('VACUUM');
      }
    }
    const rows = db
      .prepare('select id, k, v, n from t order by id')
      .all() as Array<Row & { id: number }>;
    return { rows, model };
  }

  /** Runs the workload, and reads back what a correct database must show. */
  function runWorkload(db: Database.Database, seed: number) {
    const { rows, model } = workload(db, seed, 1000);
    return {
      rows,
      expected: [...model.entries()]
        .sort(([a], [b]) => a - b)
        .map(([id, row]) => ({ id, ...row })),
      integrity: db.pragma('integrity_check', { simple: true }),
      // every index holds one entry per row of the table
      indexed: ['t_k', 't_v', 't_n'].map(
        index =>
          (
            db
              .prepare(
                `select count(*) as n from t indexed by ${index} where 1`,
              )
              .get() as { n: number }
          ).n,
      ),
    };
  }

  it.each([
    { where: 'in memory', onFile: false, seed: 20261129 },
    { where: 'in a database file', onFile: true, seed: 7 },
  ])(
    'keeps every row $where through splits, rollbacks and VACUUM',
    ({ onFile, seed }) => {
      const dir = onFile
        ? fs.mkdtempSync(path.join(os.tmpdir(), 'datamesh-sqlite-'))
        : undefined;
      const db = new Database(dir ? path.join(dir, 'test.sqlite') : ':memory:');
      try {
        const result = runWorkload(db, seed);
        expect(result.rows.length).toBeGreaterThan(1000);
        expect(result.rows).toEqual(result.expected);
        expect(result.integrity).toBe('ok');
        expect(result.indexed).toEqual([1, 2, 3].map(() => result.rows.length));
      } finally {
        db.close();
        if (dir) {
          fs.rmSync(dir, { recursive: true, force: true });
        }
      }
    },
  );
});
