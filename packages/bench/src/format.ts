/**
 * What every benchmark of this package prints its figures with: Markdown tables, percentiles and
 * medians, durations and counts.
 */

/**
 * A Markdown table: the first row is the header; the first column is aligned left, the others
 * right (they hold figures).
 */
export function table(rows: string[][]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map(r => r[c].length)));
  const line = (r: string[]) =>
    `| ${r
      .map((cell, c) =>
        c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]),
      )
      .join(' | ')} |`;
  const rule = `|${widths.map(w => '-'.repeat(w + 2)).join('|')}|`;
  return [line(rows[0]), rule, ...rows.slice(1).map(line)].join('\n');
}

/**
 * The `p`-th percentile (0 to 100) of some values, nearest-rank: the smallest value that at
 * least `p` % of the values are at or below. `NaN` for no values.
 */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) {
    return NaN;
  }
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

/** The median of some values (the upper one of the two middle values for an even count). */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Milliseconds, with one decimal under 100 ms. */
export const ms = (value: number) =>
  `${value < 100 ? value.toFixed(1) : value.toFixed(0)} ms`;

/** Seconds from milliseconds, with one decimal. */
export const seconds = (value: number) => `${(value / 1000).toFixed(1)} s`;

/** A count with thousands separators. */
export const count = (n: number) => n.toLocaleString('en-US');
