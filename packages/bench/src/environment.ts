/**
 * What a benchmark's header says about where it ran: the machine, and which of the portal's
 * patched dependencies (root README) the measured code loads. The figures differ several-fold
 * with and without the patches, so the output says which it measured.
 */
import fs from 'node:fs';
import os from 'node:os';
import { sqliteBuild } from './sqlite/build';

/** Node, CPUs, memory and load average of this machine, on one line. */
export function machineFacts(): string {
  return `node ${process.version}, ${os.cpus().length} CPUs, ${Math.round(
    os.totalmem() / 2 ** 30,
  )} GiB, load average ${os
    .loadavg()
    .map(l => l.toFixed(2))
    .join(' ')}`;
}

/**
 * Reads a file of the installed knex and says which of two notes applies: `released` when
 * `isReleased` matches its source, `patched` otherwise.
 */
function knexNote(
  file: string,
  isReleased: (source: string) => boolean,
  notes: { released: string; patched: string },
): string {
  try {
    const source = fs.readFileSync(require.resolve(`knex/${file}`), 'utf8');
    return isReleased(source) ? notes.released : notes.patched;
  } catch {
    return 'not found';
  }
}

/**
 * Whether knex still sleeps 1 ms before every `batchInsert` (knex 3.3.0 as released) or yields
 * without a timer (the portal's patch, see the root README). The figures differ about threefold
 * on SQLite, so the output says which one it measured.
 */
export const knexBatchInsertNote = () =>
  knexNote(
    'lib/execution/batch-insert.js',
    source => /await delay\(\d+\)/.test(source),
    {
      released:
        "as released: sleeps 1 ms before every batch (not the portal's patched knex)",
      patched: "the portal's patch: yields with setImmediate, no 1 ms sleep",
    },
  );

/**
 * Whether knex's better-sqlite3 client prepares every query anew (knex 3.3.0 as released) or
 * reuses the statements of each connection (the portal's patch, see the root README): the
 * catalog ran 11 to 25 % faster on SQLite with it (packages/bench/README.md).
 */
export const knexStatementCacheNote = () =>
  knexNote(
    'lib/dialects/better-sqlite3/index.js',
    source => !source.includes('_prepareCached'),
    {
      released:
        "as released: every query is prepared anew (not the portal's patched knex)",
      patched:
        "the portal's patch: each connection reuses its prepared statements",
    },
  );

/** Which SQLite the better-sqlite3 addon was built from (`sqlite/build.ts`), in words. */
export function sqlitePageCacheNote(): string {
  switch (sqliteBuild()) {
    case 'patched':
      return "the portal's patch: a commit after a page split no longer scans the whole page cache";
    case 'as-released':
      return 'as released: a commit after a page split scans the whole page cache (the whole in-memory database)';
    case 'prebuilt':
      return "a prebuilt binary, not compiled from the portal's patched source";
    default:
      return 'not found';
  }
}
