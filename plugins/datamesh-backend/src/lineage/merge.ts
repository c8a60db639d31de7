import {
  LINEAGE_TERMINAL_RUN_STATES,
  LineageRunState,
} from '@backstage-datamesh/plugin-datamesh-common';

/**
 * The rules by which the lineage store merges what events say. Each merge takes the greatest of
 * its values in a fixed total order, so it is commutative, associative and idempotent: the same
 * events give the same result in any order, and an event applied twice changes nothing.
 */

/** A run's state with the `eventTime` of the event that gave it. */
export interface RunStateAt {
  state?: LineageRunState;
  at?: number;
}

/** START and RUNNING rank above OTHER, every terminal state above both. */
const STATE_CLASS: Record<LineageRunState, number> = {
  OTHER: 0,
  START: 1,
  RUNNING: 1,
  COMPLETE: 2,
  ABORT: 2,
  FAIL: 2,
};

/** Between states of one class at the same time: RUNNING after START, FAIL over ABORT over COMPLETE. */
const STATE_PRECEDENCE: Record<LineageRunState, number> = {
  OTHER: 0,
  START: 1,
  RUNNING: 2,
  COMPLETE: 3,
  ABORT: 4,
  FAIL: 5,
};

/** Whether a state ends its run (COMPLETE, ABORT, FAIL). */
export function isTerminalState(state: LineageRunState | undefined): boolean {
  return (LINEAGE_TERMINAL_RUN_STATES as readonly string[]).includes(
    state ?? '',
  );
}

function stateKey(value: RunStateAt): [number, number, number] {
  if (!value.state) {
    return [-1, 0, 0];
  }
  return [
    STATE_CLASS[value.state],
    value.at ?? 0,
    STATE_PRECEDENCE[value.state],
  ];
}

/**
 * The state of a run that had both events: the terminal one when either is terminal (a terminal
 * state never goes back to START or RUNNING, whatever the order of arrival), otherwise the later
 * one; OTHER only while nothing else is known, and an event without `eventType` changes nothing.
 */
export function laterRunState(a: RunStateAt, b: RunStateAt): RunStateAt {
  const ka = stateKey(a);
  const kb = stateKey(b);
  for (let i = 0; i < ka.length; i++) {
    if (ka[i] !== kb[i]) {
      return ka[i] > kb[i] ? a : b;
    }
  }
  return a;
}

/** A kept facet: its value, and the `eventTime` of the event that carried it. */
export type KeptFacets = Record<string, { at: number; value: unknown }>;

/**
 * Merges the facets of interest of an event (those defined) into the kept ones: each facet is
 * the one of the latest event that carried it; between events of the same time, the greater
 * JSON text, so that the result does not depend on the order.
 *
 * @returns the merged facets, and whether anything changed
 */
export function mergeFacets(
  kept: KeptFacets,
  incoming: object,
  at: number,
): { facets: KeptFacets; changed: boolean } {
  const facets: KeptFacets = { ...kept };
  let changed = false;
  for (const [key, value] of Object.entries(incoming)) {
    if (value === undefined) {
      continue;
    }
    const current = facets[key];
    if (
      !current ||
      at > current.at ||
      (at === current.at &&
        JSON.stringify(value) > JSON.stringify(current.value))
    ) {
      facets[key] = { at, value };
      changed = true;
    }
  }
  return { facets, changed };
}

/** The values of kept facets, without their times. */
export function facetValues(kept: KeptFacets): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(kept).map(([key, { value }]) => [key, value]),
  );
}
