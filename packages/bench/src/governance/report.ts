/**
 * What `yarn bench:governance` prints from its measurements: the summary per size (evaluation
 * against catalog processing, the target), the parts of a pass, and the growth between sizes.
 */
import { count, median, ms, seconds, table } from '../format';
import type { GovernanceMeasurement } from './measure';

/** The target: evaluating every product costs under 10 % of the catalog's processing. */
export const RATIO_TARGET = 0.1;

/** The figures of one size the tables print. */
export interface GovernanceSummary {
  products: number;
  /** The catalog's processing of the products (processed and stitched), ms. */
  catalogMs: number;
  /** The first full pass (every result stored), ms. */
  firstMs: number;
  /** The median of the later passes (results unchanged), ms; undefined with one pass. */
  againMs?: number;
  /** The rules alone over every product's facts, ms. */
  rulesMs: number;
  /** firstMs / catalogMs. */
  ratio: number;
  pass: boolean;
  /**
   * againMs / catalogMs: what the scheduled evaluation costs once every document was parsed
   * (the passes after the first); undefined with one pass.
   */
  againRatio?: number;
  againPass?: boolean;
}

/** The summary of one measurement. */
export function summarize(m: GovernanceMeasurement): GovernanceSummary {
  const [first, ...again] = m.passes;
  const ratio = first.ms / m.catalog.totalMs;
  const againMs = again.length ? median(again.map(p => p.ms)) : undefined;
  const againRatio =
    againMs === undefined ? undefined : againMs / m.catalog.totalMs;
  return {
    products: m.products,
    catalogMs: m.catalog.totalMs,
    firstMs: first.ms,
    againMs,
    rulesMs: m.parts.rules.ms,
    ratio,
    pass: ratio < RATIO_TARGET,
    againRatio,
    againPass: againRatio === undefined ? undefined : againRatio < RATIO_TARGET,
  };
}

const verdict = (pass: boolean | undefined) => {
  if (pass === undefined) {
    return '-';
  }
  return pass ? 'PASS' : 'FAIL';
};
const percent = (value: number) => `${(value * 100).toFixed(1)} %`;
const perProduct = (value: number, products: number) =>
  `${(value / products).toFixed(3)} ms`;
const factor = (value: number, previous: number) =>
  `${(value / previous).toFixed(2)}x`;

/** The main table: evaluation against catalog processing per size, with the target. */
export function summaryTable(summaries: GovernanceSummary[]): string {
  return table([
    [
      'N',
      'catalog processing',
      'evaluation, first pass',
      'evaluation, again',
      'rules alone',
      'first / catalog',
      `first < ${percent(RATIO_TARGET)}`,
      'again / catalog',
      `again < ${percent(RATIO_TARGET)}`,
    ],
    ...summaries.map(s => [
      count(s.products),
      seconds(s.catalogMs),
      seconds(s.firstMs),
      s.againMs === undefined ? '-' : seconds(s.againMs),
      ms(s.rulesMs),
      percent(s.ratio),
      verdict(s.pass),
      s.againRatio === undefined ? '-' : percent(s.againRatio),
      verdict(s.againPass),
    ]),
  ]);
}

/**
 * Growth from one size to the next: time per product of the catalog, the first pass and the
 * rules, and each one's growth factor against the previous size (products grow by the first
 * column's factor; the same factor in the others is linear growth).
 */
export function growthTable(summaries: GovernanceSummary[]): string {
  const sorted = [...summaries].sort((a, b) => a.products - b.products);
  return table([
    [
      'N',
      'products ×',
      'catalog per product',
      'catalog ×',
      'evaluation per product',
      'evaluation ×',
      'rules per product',
      'rules ×',
    ],
    ...sorted.map((s, i) => {
      const previous = sorted[i - 1];
      return [
        count(s.products),
        previous ? factor(s.products, previous.products) : '-',
        perProduct(s.catalogMs, s.products),
        previous ? factor(s.catalogMs, previous.catalogMs) : '-',
        perProduct(s.firstMs, s.products),
        previous ? factor(s.firstMs, previous.firstMs) : '-',
        perProduct(s.rulesMs, s.products),
        previous ? factor(s.rulesMs, previous.rulesMs) : '-',
      ];
    }),
  ]);
}

/** Where one pass's time goes: the pass in parts, each with its share and its CPU time. */
export function partsTable(measurements: GovernanceMeasurement[]): string {
  const names: Array<[keyof GovernanceMeasurement['parts'], string]> = [
    ['catalogRead', 'catalog read (queryEntities, pages of 200)'],
    ['compile', 'policies resolved and compiled'],
    ['facts', 'facts (contracts, descriptor, quality, health, lineage)'],
    ['rules', 'rules (evaluateCompliance)'],
    ['store', 'results stored (recordCompliance, empty store)'],
  ];
  const rows: string[][] = [];
  for (const m of measurements) {
    const total = names.reduce((sum, [key]) => sum + m.parts[key].ms, 0);
    for (const [key, label] of names) {
      const part = m.parts[key];
      rows.push([
        count(m.products),
        label,
        ms(part.ms),
        ms(part.cpuMs),
        perProduct(part.ms, m.products),
        percent(part.ms / total),
      ]);
    }
  }
  return table([['N', 'part', 'wall', 'CPU', 'per product', 'share'], ...rows]);
}

/** Products per outcome of each default policy (the largest size): every rule ran both ways. */
export function outcomesTable(m: GovernanceMeasurement): string {
  return table([
    ['policy', 'pass', 'fail', 'not applicable'],
    ...Object.entries(m.outcomes).map(([policy, o]) => [
      policy,
      count(o.pass),
      count(o.fail),
      count(o['not-applicable']),
    ]),
    [
      'compliant products',
      count(m.compliant),
      count(m.products - m.compliant),
      '',
    ],
  ]);
}

/** The facts' time by source (the parts run), per size. */
export function factSourcesTable(
  measurements: GovernanceMeasurement[],
): string {
  const rows: string[][] = [];
  for (const m of measurements) {
    const total = Object.values(m.factSources).reduce((s, f) => s + f.ms, 0);
    for (const [source, f] of Object.entries(m.factSources).sort(
      (a, b) => b[1].ms - a[1].ms,
    )) {
      rows.push([
        count(m.products),
        source === 'parse'
          ? 'the rest: YAML of contracts and descriptors, descriptor schema check'
          : source,
        count(f.calls),
        ms(f.ms),
        perProduct(f.ms, m.products),
        percent(f.ms / total),
      ]);
    }
  }
  return table([
    ['N', 'facts from', 'calls', 'wall', 'per product', 'share'],
    ...rows,
  ]);
}
