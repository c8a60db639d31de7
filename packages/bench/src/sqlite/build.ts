import fs from 'node:fs';
import path from 'node:path';

/** How the better-sqlite3 addon this package loads was built. */
export type SqliteBuild = 'patched' | 'as-released' | 'prebuilt' | 'not-found';

/**
 * Whether the better-sqlite3 this package runs on was compiled from the portal's patched SQLite
 * (`.yarn/patches/better-sqlite3-*.patch`): before the patch, every commit that followed a page
 * split scanned the whole page cache, which for an in-memory database is the whole database.
 */
export function sqliteBuild(): SqliteBuild {
  try {
    const root = path.dirname(require.resolve('better-sqlite3/package.json'));
    // node-gyp compiles this copy of the amalgamation; a downloaded prebuilt binary has none
    const compiled = path.join(root, 'build/Release/obj/gen/sqlite3/sqlite3.c');
    if (!fs.existsSync(compiled)) {
      return 'prebuilt';
    }
    return fs.readFileSync(compiled, 'utf8').includes('pCache->iTempKey')
      ? 'patched'
      : 'as-released';
  } catch {
    return 'not-found';
  }
}
