/**
 * An OpenLineage event as {@link lineageEventsForNow} reads it: its time and run, the rest kept.
 * @public
 */
export interface TimedLineageEvent {
  eventTime: string;
  run?: { runId: string; [key: string]: unknown };
  [key: string]: unknown;
}

/**
 * Recorded OpenLineage events as a pipeline would send them now (the example mesh's, a replay's):
 * moved in time so that the newest is `minutesAgo` minutes before `now` (the events keep their
 * spacing), each run given a new run id, the same for every event of the run, so that each
 * sending adds runs as pipelines do.
 * @public
 */
export function lineageEventsForNow<T extends TimedLineageEvent>(
  events: T[],
  now: number,
  minutesAgo = 5,
): T[] {
  const newest = Math.max(...events.map(e => Date.parse(e.eventTime)));
  const shift = now - minutesAgo * 60_000 - newest;
  const runIds = new Map<string, string>();
  return events.map(event => {
    const runId = event.run?.runId;
    if (runId && !runIds.has(runId)) {
      runIds.set(runId, globalThis.crypto.randomUUID());
    }
    return {
      ...event,
      eventTime: new Date(Date.parse(event.eventTime) + shift).toISOString(),
      ...(event.run && runId
        ? { run: { ...event.run, runId: runIds.get(runId)! } }
        : {}),
    };
  });
}
