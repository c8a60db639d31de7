/**
 * `yarn bench:sqlite`: what a commit costs an in-memory SQLite database as it grows, with the
 * writes the catalog makes when it stitches an entity (its `final_entities` row, then its search
 * rows deleted and inserted again, in one transaction).
 *
 * The baseline is the same run's smallest database: with SQLite as released, every commit that
 * follows a page split scans the whole page cache, which for an in-memory database is the whole
 * database, so the cost per commit grows with the database; with the portal's patch
 * (`.yarn/patches/better-sqlite3-*.patch`) it stays flat.
 */
import Database from 'better-sqlite3';
import os from 'node:os';
import { sqliteBuild } from './build';

/** The catalog's `final_entities` and `search` tables, as its migrations leave them on SQLite. */
const SCHEMA = `
  create table final_entities (
    entity_id varchar(255) primary key,
    entity_ref varchar(255) not null,
    final_entity text,
    hash varchar(255) not null
  );
  create table search (
    entity_id varchar(255) references final_entities (entity_id) on delete cascade,
    key varchar(255) not null,
    value varchar(255),
    original_value varchar(255)
  );
  create unique index search_entity_key_value_idx on search (entity_id, key, value);
  create index search_key_value_entity_idx on search (key, value, entity_id);
  create index search_facets_covering_idx on search (key, original_value, entity_id);
`;

/** Rows per entity: a Component of the catalog bench has 25 search rows, a DataProduct 46. */
const ROWS = [25, 46];
const SIZES = [2_500, 5_000, 10_000, 20_000];
/** The catalog inserts search rows in batches of this many (its `BATCH_SIZE`). */
const BATCH = 50;

interface Result {
  rows: number;
  entities: number;
  /** Mean time of a COMMIT over the last 2,000 entities written, in ms. */
  commitMs: number;
  /** Mean time of the statements before the COMMIT, per entity, in ms. */
  writeMs: number;
}

function uuid(i: number): string {
  return `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
}

function measure(rows: number, sizes: number[]): Result[] {
  const db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  db.exec(SCHEMA);
  const begin = db.prepare('BEGIN');
  const commit = db.prepare('COMMIT');
  const upsert = db.prepare(
    `insert into final_entities (entity_id, entity_ref, final_entity, hash) values (?, ?, ?, ?)
     on conflict (entity_id) do update set final_entity = excluded.final_entity, hash = excluded.hash`,
  );
  const clear = db.prepare('delete from search where entity_id = ?');
  const inserts = new Map<number, Database.Statement>();
  const insertFor = (n: number) => {
    let statement = inserts.get(n);
    if (!statement) {
      statement = db.prepare(
        `insert into search (entity_id, key, original_value, value) values ${Array.from(
          { length: n },
          () => '(?, ?, ?, ?)',
        ).join(', ')}`,
      );
      inserts.set(n, statement);
    }
    return statement;
  };
  // field paths like an entity's; values unique per entity but for a few shared ones (kind,
  // lifecycle, owner), as in a catalog
  const keys = Array.from({ length: rows }, (_, k) => `spec.field${k}`);
  const json = JSON.stringify({ keys, padding: 'x'.repeat(rows * 30) });
  const results: Result[] = [];
  let written = 0;
  for (const size of sizes) {
    let commitMs = 0;
    let writeMs = 0;
    const timedFrom = size - 2_000;
    for (; written < size; written++) {
      const id = uuid(written);
      const started = performance.now();
      begin.run();
      upsert.run(id, `component:default/e-${written}`, json, `h${written}`);
      clear.run(id);
      for (let start = 0; start < rows; start += BATCH) {
        const chunk = keys.slice(start, start + BATCH);
        const bindings: string[] = [];
        for (const [k, key] of chunk.entries()) {
          const value =
            k % 8 === 0 ? `shared-${k}` : `value-${written}-${start + k}`;
          bindings.push(id, key, value, value);
        }
        insertFor(chunk.length).run(bindings);
      }
      const committing = performance.now();
      commit.run();
      if (written >= timedFrom) {
        writeMs += committing - started;
        commitMs += performance.now() - committing;
      }
    }
    results.push({
      rows,
      entities: size,
      commitMs: commitMs / 2_000,
      writeMs: writeMs / 2_000,
    });
  }
  db.close();
  return results;
}

const BUILD_NOTES: Record<ReturnType<typeof sqliteBuild>, string> = {
  patched: "compiled from the portal's patched source",
  'as-released': 'compiled from the source as released (no patch)',
  prebuilt: "a prebuilt binary, not compiled from the portal's patched source",
  'not-found': 'not found',
};

function main() {
  const version = (
    new Database(':memory:').prepare('select sqlite_version() as v').get() as {
      v: string;
    }
  ).v;
  console.log(`SQLite commit cost as an in-memory database grows
  SQLite ${version} in better-sqlite3: ${BUILD_NOTES[sqliteBuild()]}
  each entity: one transaction that upserts its final_entities row, deletes its search rows and
  inserts them again in batches of ${BATCH}, as the catalog stitches an entity; tables and indexes
  as the catalog's migrations create them on SQLite
  timed: the last 2,000 entities written before each size is reached
  node ${process.version}, ${os.cpus().length} CPUs
`);
  const rows: string[] = [
    '| rows per entity | entities | commit | other statements | commit vs the smallest size |',
    '|-----------------|----------|--------|------------------|----------------------------|',
  ];
  for (const n of ROWS) {
    const results = measure(n, SIZES);
    const base = results[0].commitMs;
    for (const r of results) {
      rows.push(
        `| ${String(r.rows).padStart(15)} | ${String(r.entities).padStart(
          8,
        )} | ${r.commitMs.toFixed(3).padStart(3)} ms | ${r.writeMs
          .toFixed(3)
          .padStart(13)} ms | ${(r.commitMs / base).toFixed(2).padStart(26)} |`,
      );
    }
  }
  console.log(rows.join('\n'));
}

main();
