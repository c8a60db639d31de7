import type { DataProductSla } from './types';

const DURATION = /^([0-9]+(?:\.[0-9]+)?)(s|m|min|h|d|w)$/;
const PERCENT = /^(100(?:\.0+)?|[0-9]{1,2}(?:\.[0-9]+)?)%$/;
const UNIT_MS: Record<string, number> = {
  s: 1000,
  m: 60_000,
  min: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

/**
 * Parses a duration such as `15m`, `15min`, `1h`, `1.5d` or `2w` into milliseconds.
 * Anything else, including a bare number or a unit that is not listed, is rejected.
 * @public
 */
export function parseDuration(value: string): number | undefined {
  const match = DURATION.exec(value.trim());
  if (!match) {
    return undefined;
  }
  return Math.round(Number(match[1]) * UNIT_MS[match[2]]);
}

/**
 * Parses a percentage written as `99.95%` (0% to 100%) or as a ratio between 0 and 1 (`0.98`)
 * into a ratio between 0 and 1. Anything else, such as `101%` or `98`, is rejected.
 * @public
 */
export function parsePercentage(value: string | number): number | undefined {
  if (typeof value === 'number') {
    return Number.isFinite(value) && value >= 0 && value <= 1
      ? value
      : undefined;
  }
  const match = PERCENT.exec(value.trim());
  return match ? Number(match[1]) / 100 : undefined;
}

/**
 * A data product's service level objectives in comparable units.
 * @public
 */
export interface ParsedSla {
  /** Maximum age of the newest data, in milliseconds. */
  freshnessMs?: number;
  /** Availability as a ratio between 0 and 1. */
  availability?: number;
  /** Accuracy as a ratio between 0 and 1. */
  accuracy?: number;
  /** Completeness as a ratio between 0 and 1. */
  completeness?: number;
}

/**
 * Parses the SLOs of a data product. Values that do not parse are left out; use
 * {@link validateDataProductEntity} to report them.
 * @public
 */
export function parseSla(sla: DataProductSla | undefined): ParsedSla {
  const parsed: ParsedSla = {};
  if (!sla) {
    return parsed;
  }
  if (typeof sla.freshness === 'string') {
    parsed.freshnessMs = parseDuration(sla.freshness);
  }
  for (const key of ['availability', 'accuracy', 'completeness'] as const) {
    const value = sla[key];
    if (value !== undefined) {
      parsed[key] = parsePercentage(value);
    }
  }
  return parsed;
}

/**
 * Formats a duration in milliseconds the way people read SLOs: `15 minutes`, `1 hour`, `2 days`.
 * @public
 */
export function formatDuration(ms: number): string {
  const units: Array<[number, string]> = [
    [604_800_000, 'week'],
    [86_400_000, 'day'],
    [3_600_000, 'hour'],
    [60_000, 'minute'],
    [1000, 'second'],
  ];
  for (const [size, name] of units) {
    if (ms >= size && ms % size === 0) {
      const n = ms / size;
      return `${n} ${name}${n === 1 ? '' : 's'}`;
    }
  }
  const seconds = ms / 1000;
  return `${seconds} second${seconds === 1 ? '' : 's'}`;
}

/**
 * Formats a ratio between 0 and 1 as a percentage such as `99.95%`.
 * @public
 */
export function formatPercentage(ratio: number): string {
  return `${Number((ratio * 100).toFixed(4))}%`;
}
