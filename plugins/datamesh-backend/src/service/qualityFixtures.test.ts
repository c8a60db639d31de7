import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { mockCredentials } from '@backstage/backend-test-utils';
import { startMeshBackend } from '../__testUtils__/meshBackend';

jest.setTimeout(120_000);

const fixtures = path.resolve(__dirname, '../../../../fixtures');
const user = mockCredentials.user.header();

const GX_NO_TIME =
  'Invalid Great Expectations result: meta has no time of the run: validation_time, run_id.run_time and batch_markers.ge_load_time are all missing or not times';

/** Every tool output among the public fixtures, with what posting it must answer. */
const cases: Array<{
  file: string;
  manifest?: string;
  format: string;
  error?: string;
}> = [
  ...fs
    .readdirSync(path.join(fixtures, 'dbt'))
    .filter(f => f.endsWith('run_results.json'))
    .map(f => {
      const manifest = f.replace('run_results', 'manifest');
      return {
        file: `dbt/${f}`,
        manifest: fs.existsSync(path.join(fixtures, 'dbt', manifest))
          ? `dbt/${manifest}`
          : undefined,
        format: 'dbt',
      };
    }),
  ...fs
    .readdirSync(path.join(fixtures, 'great-expectations'))
    .filter(f => f.endsWith('.json'))
    .map(f => ({
      file: `great-expectations/${f}`,
      format: 'great-expectations',
      error: [
        'gx1_BasicDatasetProfiler_evrs_with_exception.json',
        'gx1_datetime_column_evrs.json',
      ].includes(f)
        ? GX_NO_TIME
        : undefined,
    })),
  ...fs
    .readdirSync(path.join(fixtures, 'soda'))
    .filter(f => f.startsWith('soda-v3_') && f.endsWith('.json'))
    .map(f => ({ file: `soda/${f}`, format: 'soda' })),
];

describe('every quality fixture, posted through the API as a pipeline would', () => {
  let server: Awaited<ReturnType<typeof startMeshBackend>>['server'];
  let stop: () => Promise<void>;

  beforeAll(async () => {
    const backend = await startMeshBackend();
    server = backend.server;
    stop = () => backend.stop();
  });

  afterAll(async () => {
    await stop?.();
  });

  it('covers the dbt, Great Expectations and Soda fixtures', () => {
    expect(cases.filter(c => c.format === 'dbt').length).toBeGreaterThanOrEqual(
      8,
    );
    expect(cases.filter(c => c.format === 'great-expectations')).toHaveLength(
      10,
    );
    expect(cases.filter(c => c.format === 'soda')).toHaveLength(2);
  });

  const post = (fixture: { file: string; manifest?: string }) => {
    const req = request(server)
      .post('/api/datamesh/v1/products/default/customer-360/quality?port=valid')
      .set('authorization', mockCredentials.service.header());
    return fixture.manifest
      ? req
          .attach('results', path.join(fixtures, fixture.file))
          .attach('manifest', path.join(fixtures, fixture.manifest))
      : req
          .set('content-type', 'application/json')
          .send(fs.readFileSync(path.join(fixtures, fixture.file), 'utf8'));
  };

  it.each(cases.filter(c => c.error))('refuses $file', async fixture => {
    const res = await post(fixture);
    expect({ status: res.status, message: res.body.error?.message }).toEqual({
      status: 400,
      message: fixture.error,
    });
  });

  it.each(cases.filter(c => !c.error))('stores $file', async fixture => {
    const { file, format } = fixture;
    const res = await post(fixture);
    expect({ status: res.status, format: res.body.format }).toEqual({
      status: 201,
      format,
    });
    // what was stored is the run the document holds, once
    const runs = await request(server)
      .get('/api/datamesh/v1/products/default/customer-360/runs')
      .set('authorization', user);
    const stored = runs.body.items.find(
      (r: { id: number }) => r.id === res.body.runId,
    );
    const counted = Object.values(
      stored.counts as Record<string, number>,
    ).reduce((a, b) => a + b, 0);
    expect(counted).toBe(res.body.checks);
    const raw = await request(server)
      .get(`/api/datamesh/v1/runs/${res.body.runId}/raw`)
      .set('authorization', user);
    expect(raw.text).toBe(fs.readFileSync(path.join(fixtures, file), 'utf8'));
    const again = await post(fixture);
    expect({ status: again.status, runId: again.body.runId }).toEqual({
      status: 200,
      runId: res.body.runId,
    });
  });
});
