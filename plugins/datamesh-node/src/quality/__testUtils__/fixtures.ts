import fs from 'fs';
import path from 'path';
import type { QualityRun } from '@backstage-datamesh/plugin-datamesh-common';

/** The public fixtures copied into the repository (fixtures/, with their sources). */
export const publicFixtures = path.resolve(
  __dirname,
  '../../../../../fixtures',
);

/** A public fixture of a folder (`dbt`, `soda`…) or, under `__fixtures__/`, one of these tests. */
export function loadFixture<T = unknown>(file: string): T {
  const location = file.startsWith('__fixtures__/')
    ? path.resolve(__dirname, '..', file)
    : path.join(publicFixtures, file);
  return JSON.parse(fs.readFileSync(location, 'utf8')) as T;
}

/** The JSON files of a public fixtures folder. */
export function fixtureFiles(folder: string): string[] {
  return fs
    .readdirSync(path.join(publicFixtures, folder))
    .filter(f => f.endsWith('.json'))
    .sort();
}

/** How many checks of a run have each status. */
export function countByStatus(run: QualityRun): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const check of run.checks) {
    counts[check.status] = (counts[check.status] ?? 0) + 1;
  }
  return counts;
}
