import { measureLineage } from './measure';

// a smoke test: the benchmark measures a tiny mesh (no figure is asserted); measureLineage
// itself fails when the store's walk and the raw CTE of its answer disagree
jest.setTimeout(240_000);

describe('yarn bench:lineage', () => {
  it('measures a tiny mesh on SQLite, the store answering as the raw CTE does', async () => {
    const lines: string[] = [];
    const result = await measureLineage({
      database: 'sqlite',
      products: 400,
      edges: 1200,
      cases: [
        { direction: 'upstream', depth: 1 },
        { direction: 'upstream', depth: 3 },
        { direction: 'upstream', depth: 'all' },
        { direction: 'downstream', depth: 3 },
        { direction: 'downstream', depth: 'all' },
      ],
      queries: 3,
      warmup: 1,
      maxNodes: 2000,
      ingestEvents: 8,
      concurrency: 2,
      onProgress: line => lines.push(line),
    });
    expect(result.edgeRows).toBe(400 + 1200 + 200 / 4);
    expect(result.walks).toHaveLength(5);
    for (const walk of result.walks) {
      expect(walk.datasets).toBeGreaterThan(0);
      expect(walk.nodes).toBeGreaterThan(walk.datasets);
      expect(walk.store.p95).toBeGreaterThan(0);
    }
    // deeper walks reach more
    expect(result.walks[2].datasets).toBeGreaterThanOrEqual(
      result.walks[1].datasets,
    );
    expect(result.ingestion?.apiPerSecond).toBeGreaterThan(0);
    expect(result.ingestion?.rawPerSecond).toBeGreaterThan(0);
    expect(lines.some(l => l.includes('seeded'))).toBe(true);
  });
});
