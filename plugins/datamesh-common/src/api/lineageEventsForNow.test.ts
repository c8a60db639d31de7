import fs from 'node:fs';
import path from 'node:path';
import { TimedLineageEvent, lineageEventsForNow } from './lineageEventsForNow';

const dir = path.resolve(__dirname, '../../../../examples/lineage');
const events: TimedLineageEvent[] = fs
  .readdirSync(dir)
  .filter(f => f.endsWith('.json'))
  .flatMap(f => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')));
const now = Date.UTC(2026, 11, 1, 12, 0, 0);

describe('lineageEventsForNow, on the example lineage events', () => {
  it('move to end five minutes before the start, keeping their spacing', () => {
    const moved = lineageEventsForNow(events, now);
    const times = moved.map(e => Date.parse(e.eventTime));
    expect(Math.max(...times)).toBe(now - 5 * 60_000);
    const spacing = (list: TimedLineageEvent[]) =>
      list.map(e => Date.parse(e.eventTime) - Date.parse(list[0].eventTime));
    expect(spacing(moved)).toEqual(spacing(events));
  });

  it('give each run a new id, the same for all of its events', () => {
    const moved = lineageEventsForNow(events, now);
    const pairs = new Map<string, Set<string>>();
    events.forEach((e, i) => {
      const ids = pairs.get(e.run!.runId) ?? new Set();
      ids.add(moved[i].run!.runId);
      pairs.set(e.run!.runId, ids);
    });
    for (const [old, ids] of pairs) {
      expect(ids.size).toBe(1);
      expect(ids.has(old)).toBe(false);
    }
    expect(pairs.size).toBe(events.length / 2);
    const again = lineageEventsForNow(events, now);
    expect(again[0].run!.runId).not.toBe(moved[0].run!.runId);
  });
});
