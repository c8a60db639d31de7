import fs from 'node:fs';
import path from 'node:path';
import {
  TimedLineageEvent,
  lineageEventsForNow,
} from '@backstage-datamesh/plugin-datamesh-common';

/** The example mesh's OpenLineage events (examples/lineage). */
export const EXAMPLE_LINEAGE_DIR = path.resolve(
  __dirname,
  '../../../../../examples/lineage',
);

/**
 * The example events of every file of examples/lineage as the example loader sends them, but
 * with the newest an hour ago.
 */
export function exampleLineageEvents(): TimedLineageEvent[] {
  const events = fs
    .readdirSync(EXAMPLE_LINEAGE_DIR)
    .filter(f => f.endsWith('.json'))
    .sort()
    .flatMap(
      f =>
        JSON.parse(
          fs.readFileSync(path.join(EXAMPLE_LINEAGE_DIR, f), 'utf8'),
        ) as TimedLineageEvent[],
    );
  return lineageEventsForNow(events, Date.now(), 60);
}
