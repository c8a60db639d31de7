/**
 * Reading the command-line options the benchmarks share. Each takes the benchmark's own way to
 * fail (it prints the message and the benchmark's usage, then exits).
 */
import type { BenchDatabase } from './catalog/measure';

/** Prints why an option was refused, then the usage, and exits. */
export type ArgFail = (message: string) => never;

/** An integer option of at least `min` (1 by default). */
export function integerArg(
  flag: string,
  text: string,
  fail: ArgFail,
  min = 1,
): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min) {
    fail(
      `${flag} must be an integer of at least ${min}, not ${JSON.stringify(
        text,
      )}`,
    );
  }
  return n;
}

/** `--databases`: sqlite, postgres or both, comma-separated, each once. */
export function databasesArg(text: string, fail: ArgFail): BenchDatabase[] {
  const list = text
    .split(',')
    .map(s => s.trim())
    .filter(Boolean);
  if (list.length === 0) {
    fail('--databases takes sqlite, postgres or both');
  }
  for (const database of list) {
    if (database !== 'sqlite' && database !== 'postgres') {
      fail(
        `--databases takes sqlite and postgres, not ${JSON.stringify(
          database,
        )}`,
      );
    }
  }
  return [...new Set(list)] as BenchDatabase[];
}
