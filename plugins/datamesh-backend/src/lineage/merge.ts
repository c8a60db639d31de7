import {
  LINEAGE_TERMINAL_RUN_STATES,
  LineageRunState,
  splitDatasetName,
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

/**
 * The key by which two dataset names are the same dataset (the rule of `matchesDatasetLocation`
 * for names): their dot-separated parts, without their quotes, case-insensitively. Per the
 * OpenLineage naming spec, `"db"."schema"."Table"`, `db.schema.table` and `[db].schema.TABLE`
 * are one dataset; `"my.db".t` has two parts.
 */
export function datasetNameKey(name: string): string {
  return splitDatasetName(name)
    .map(part => part.toLowerCase())
    .join('\u0000');
}

/**
 * The key by which two dataset names, namespace and name, are the same dataset: the namespace
 * case-insensitively without trailing slashes, the name by {@link datasetNameKey}. What
 * `LineageStore.findDatasets` matches a port's location with.
 */
export function datasetMatchKey(dataset: {
  namespace: string;
  name: string;
}): string {
  return JSON.stringify([
    dataset.namespace.trim().replace(/\/+$/, '').toLowerCase(),
    datasetNameKey(dataset.name),
  ]);
}

/** Quoted spellings are listed for names of at most this many parts (2^parts per quote style). */
const MAX_SPELLED_PARTS = 5;
const QUOTE_STYLES: Array<[string, string]> = [
  ['"', '"'],
  ['`', '`'],
  ['[', ']'],
];

/**
 * The lowercased spellings an event may give a dataset name (what `LOWER(name)` of a stored
 * dataset is when its {@link datasetNameKey} is the name's): each part bare or quoted in one of
 * the styles `"…"`, `` `…` ``, `[…]` (a part holding a dot always quoted). The store looks a
 * port's datasets up by these, through its index on `LOWER(name)`, then keeps those whose key
 * is the port's.
 */
export function datasetNameSpellings(name: string): string[] {
  const parts = splitDatasetName(name).map(part => part.toLowerCase());
  const spellings = new Set<string>([name.trim().toLowerCase()]);
  for (const [open, close] of QUOTE_STYLES) {
    const quoted = parts.map(part => `${open}${part}${close}`);
    if (parts.length > MAX_SPELLED_PARTS) {
      // only the all-bare and all-quoted spellings
      if (parts.every(part => !part.includes('.'))) {
        spellings.add(parts.join('.'));
      }
      spellings.add(quoted.join('.'));
      continue;
    }
    for (let mask = 0; mask < 1 << parts.length; mask++) {
      const spelled = parts.map((part, i) =>
        mask & (1 << i) || part.includes('.') ? quoted[i] : part,
      );
      spellings.add(spelled.join('.'));
    }
  }
  return [...spellings];
}
