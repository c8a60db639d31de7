import { createHash } from 'crypto';
import { canonicalJson } from '@backstage-datamesh/plugin-datamesh-common';
import type { QualityCheckResult } from '@backstage-datamesh/plugin-datamesh-common';

/**
 * Makes the check ids of one run unique: a check whose id an earlier check of the run already has
 * (the same expectation twice in a suite, say) gets `#2`, `#3`… appended, in document order, so
 * that the same document always gives the same ids.
 */
export function withUniqueCheckIds(
  checks: QualityCheckResult[],
): QualityCheckResult[] {
  const seen = new Map<string, number>();
  return checks.map(check => {
    const count = (seen.get(check.checkId) ?? 0) + 1;
    seen.set(check.checkId, count);
    return count === 1
      ? check
      : { ...check, checkId: `${check.checkId}#${count}` };
  });
}

/** A short hash of a JSON value that does not depend on the order of its keys. */
export function stableHash(value: unknown): string {
  return createHash('sha256')
    .update(canonicalJson(value))
    .digest('hex')
    .slice(0, 12);
}

/** A value as text for `observedValue`: numbers and strings as they are, anything else as JSON, cut at 500 characters. */
export function observedValueOf(value: unknown): number | string | undefined {
  if (value === undefined || value === null) {
    return undefined;
  }
  if (typeof value === 'number') {
    return Number.isFinite(value) ? value : undefined;
  }
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > 500 ? `${text.slice(0, 499)}…` : text;
}

/** Removes the keys whose value is undefined, so that results compare and serialise cleanly. */
export function compact<T extends object>(value: T): T {
  return Object.fromEntries(
    Object.entries(value).filter(([, v]) => v !== undefined),
  ) as T;
}
