import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { validateQualityResults } from '@backstage-datamesh/plugin-datamesh-common';
import { ExampleFile, pipelineDocuments } from './exampleQuality';

const examples: ExampleFile = parse(
  fs.readFileSync(
    path.resolve(__dirname, '../../../../examples/quality/pipelines.yaml'),
    'utf8',
  ),
);

const ports = [
  {
    name: 'tickets',
    location: {
      namespace: 'postgres://warehouse:5432',
      name: 'analytics.support.tickets',
    },
  },
];
const now = Date.UTC(2026, 11, 1, 12, 0, 0);

describe('the example pipelines', () => {
  it.each(examples.products.map(p => [p.product, p] as const))(
    '%s posts documents valid in the native format',
    (_name, pipeline) => {
      const documents = pipelineDocuments(pipeline, ports, examples.days, now);
      expect(documents.length).toBeGreaterThan(1);
      for (const document of documents) {
        expect(validateQualityResults(document)).toEqual([]);
      }
    },
  );

  it('stops writing support-tickets 190 minutes before the start and fails its check last', () => {
    const pipeline = examples.products.find(
      p => p.product === 'support-tickets',
    )!;
    const documents = pipelineDocuments(
      pipeline,
      ports,
      examples.days,
      now,
    ) as Array<{
      finishedAt: string;
      checks: Array<{ name: string; status: string }>;
      updates: Array<{ updatedAt: string }>;
    }>;
    const last = documents[documents.length - 1];
    expect(last.finishedAt).toBe(new Date(now).toISOString());
    expect(last.checks.find(c => c.name === 'not_null_ticket_id')?.status).toBe(
      'fail',
    );
    const newest = documents
      .flatMap(d => d.updates)
      .map(u => Date.parse(u.updatedAt))
      .sort((a, b) => b - a)[0];
    expect(now - newest).toBeGreaterThanOrEqual(190 * 60_000);
    expect(now - newest).toBeLessThan(195 * 60_000);
  });
});
