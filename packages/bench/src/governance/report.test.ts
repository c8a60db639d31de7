import YAML from 'yaml';
import {
  DataProductEntityV1alpha1,
  evaluateProductGovernance,
  lineageFacts,
} from '@backstage-datamesh/plugin-datamesh-common';
import { generateEntities, GeneratedProduct } from '../catalog/generate';
import { governanceDocuments, productProfile } from './documents';
import { lineageProfile, lineageRows } from './facts';
import type { GovernanceMeasurement } from './measure';
import { growthTable, summarize, summaryTable } from './report';
import { BENCH_ENVIRONMENT } from './measure';

const NOW = Date.parse('2026-12-01T12:00:00Z');

function measurement(
  products: number,
  catalogMs: number,
  passes: number[],
  rulesMs: number,
): GovernanceMeasurement {
  const timed = (ms: number) => ({ ms, cpuMs: ms });
  return {
    products,
    database: 'sqlite',
    catalog: { processedMs: catalogMs, totalMs: catalogMs, cpuMs: catalogMs },
    seed: { rows: {}, ms: 1 },
    passes: passes.map(ms => ({
      ...timed(ms),
      evaluated: products,
      failed: 0,
      changed: 0,
    })),
    parts: {
      catalogRead: timed(1),
      compile: timed(1),
      facts: timed(1),
      rules: timed(rulesMs),
      store: timed(1),
    },
    factSources: {},
    outcomes: {},
    compliant: products,
    peakRssMiB: 1,
  };
}

describe('yarn bench:governance', () => {
  it('compares the first pass with the catalog and the target, the later passes by their median', () => {
    const fast = summarize(
      measurement(5000, 20_000, [1_500, 900, 1_100, 1_000], 80),
    );
    expect(fast).toMatchObject({
      firstMs: 1_500,
      againMs: 1_000,
      ratio: 0.075,
      pass: true,
      againRatio: 0.05,
      againPass: true,
    });
    const slow = summarize(measurement(5000, 20_000, [2_000], 80));
    expect(slow).toMatchObject({ ratio: 0.1, pass: false });
    expect(slow.againMs).toBeUndefined();
    expect(slow.againPass).toBeUndefined();
    // a first pass over the target, the later ones under it
    const warm = summarize(measurement(5000, 20_000, [6_000, 1_900], 80));
    expect(warm).toMatchObject({ pass: false, againPass: true });
    const text = summaryTable([fast, slow, warm]);
    const [, , fastRow, slowRow, warmRow] = text.split('\n');
    expect(fastRow).toMatch(/7\.5 % \|\s+PASS \|\s+5\.0 % \|\s+PASS \|$/);
    expect(slowRow).toMatch(/10\.0 % \|\s+FAIL \|\s+- \|\s+- \|$/);
    expect(warmRow).toMatch(/30\.0 % \|\s+FAIL \|\s+9\.5 % \|\s+PASS \|$/);
  });

  it('prints the growth per product and against the previous size, whatever the order measured', () => {
    const text = growthTable([
      summarize(measurement(5000, 25_000, [5_000], 100)),
      summarize(measurement(1000, 5_000, [1_000], 20)),
    ]);
    const [, , first, second] = text.split('\n');
    expect(first).toMatch(/^\| 1,000 \|\s+- \|\s+5\.000 ms \|/);
    // 5x the products, 5x the time: 5.00x, the same per product
    expect(second).toMatch(
      /^\| 5,000 \|\s+5\.00x \|\s+5\.000 ms \|\s+5\.00x \|\s+1\.000 ms \|\s+5\.00x \|/,
    );
  });

  it('generates products whose documents and lineage make each default policy pass and fail', () => {
    const products = generateEntities('dataproduct', 60) as unknown as Array<
      GeneratedProduct & DataProductEntityV1alpha1
    >;
    const lineage = lineageRows(products, NOW);
    // a job per observed product, each writing its ports and reading at least one dataset
    const observed = products.filter((_, i) => lineageProfile(i) !== 'none');
    expect(lineage.jobs).toHaveLength(observed.length);
    expect(lineage.runs).toHaveLength(observed.length);
    for (const job of lineage.jobs) {
      const edges = lineage.edges.filter(e => e.job_id === job.id);
      expect(edges.some(e => e.direction === 'output')).toBe(true);
      expect(edges.some(e => e.direction === 'input')).toBe(true);
    }
    expect(new Set(lineage.datasets.map(d => d.id)).size).toBe(
      lineage.datasets.length,
    );

    const failing = new Map<string, number[]>();
    products.forEach((product, index) => {
      const { infrastructure, files } = governanceDocuments(product, index);
      const read = (file?: string) =>
        YAML.parse(files.find(f => `./${f.path}` === file)?.text ?? 'null');
      const lastSeen =
        lineageProfile(index) === 'none'
          ? undefined
          : NOW -
            (lineageProfile(index) === 'stale' ? 10 : 1 / 24) * 86_400_000;
      const { compliance } = evaluateProductGovernance({
        facts: {
          product: { ...product, spec: { ...product.spec, infrastructure } },
          domains: [],
          contracts: product.spec.outputPorts.map(p => read(p.contract)),
          infrastructure: infrastructure ? read(infrastructure) : undefined,
          environment: BENCH_ENVIRONMENT,
          lineage: lineageFacts({ lastSeenAt: lastSeen }, new Date(NOW)),
        },
        now: new Date(NOW),
      });
      for (const e of compliance.evaluations) {
        if (e.status === 'fail') {
          failing.set(e.policyId, [...(failing.get(e.policyId) ?? []), index]);
        }
      }
      const profile = productProfile(index);
      const fails = (id: string) =>
        compliance.evaluations.find(e => e.policyId === id)?.status === 'fail';
      expect(fails('encryption-at-rest')).toBe(
        profile.noDescriptor || profile.unencrypted,
      );
      expect(fails('audit-logging')).toBe(
        profile.noDescriptor || profile.noAuditLogging,
      );
      expect(fails('pii-masking')).toBe(profile.unmaskedPii);
      expect(fails('data-lineage')).toBe(lineageProfile(index) !== 'recent');
    });
    expect([...failing.keys()].sort()).toEqual([
      'audit-logging',
      'data-lineage',
      'encryption-at-rest',
      'pii-masking',
    ]);
  });
});
