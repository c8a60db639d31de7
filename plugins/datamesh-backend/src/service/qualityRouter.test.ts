import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import catalogModuleDataMesh from '@backstage-datamesh/plugin-catalog-backend-module-datamesh';
import path from 'node:path';
import request from 'supertest';
import { datameshPlugin } from '../plugin';
import { waitForEntity } from '../__testUtils__/waitForEntity';

jest.setTimeout(60_000);

const meshDir = path.resolve(__dirname, '../__fixtures__/mesh');
const dbtDir = path.resolve(__dirname, '../../../../fixtures/dbt');
const outsider = 'user:default/outsider';

function nativeRun(status: string, finishedAt = new Date().toISOString()) {
  return {
    format: 'datamesh-quality-results/v1',
    tool: { name: 'pipeline-checks' },
    finishedAt,
    checks: [
      {
        name: 'row_count_positive',
        status,
        observedValue: 10,
        threshold: '> 0',
      },
    ],
  };
}

describe('quality routes, with a real catalog', () => {
  let server: Awaited<ReturnType<typeof startTestBackend>>['server'];
  let stop: () => Promise<void>;
  const user = mockCredentials.user.header();

  beforeAll(async () => {
    const backend = await startTestBackend({
      features: [
        datameshPlugin,
        catalogPlugin,
        catalogModuleDataMesh,
        mockServices.permissions.mock({
          authorize: async (requests, options) =>
            requests.map(() => ({
              result:
                (options?.credentials.principal as { userEntityRef?: string })
                  ?.userEntityRef === outsider
                  ? AuthorizeResult.DENY
                  : AuthorizeResult.ALLOW,
            })),
          // the catalog's own reads are not what these tests are about
          authorizeConditional: async requests =>
            requests.map(() => ({ result: AuthorizeResult.ALLOW })),
        }).factory,
        mockServices.rootConfig.factory({
          data: {
            datamesh: { quality: { maxBodySize: 1024 * 1024 } },
            catalog: {
              rules: [{ allow: ['Group', 'Domain', 'DataProduct'] }],
              locations: [
                {
                  type: 'file',
                  target: path.join(meshDir, 'catalog-info.yaml'),
                },
              ],
            },
          },
        }),
      ],
    });
    server = backend.server;
    stop = () => backend.stop();
    await waitForEntity(server, 'dataproduct/default/customer-360', user);
  });

  afterAll(async () => {
    await stop?.();
  });

  const base = '/api/datamesh/v1/products/default/customer-360';
  const post = (query = '', auth = user) =>
    request(server).post(`${base}/quality${query}`).set('authorization', auth);

  it('stores a native run once, and evaluates health from it', async () => {
    const body = nativeRun('fail');
    const first = await post('?port=valid').send(body);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      created: true,
      format: 'native',
      checks: 1,
      health: 'degraded',
    });
    const again = await post('?port=valid').send(body);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({
      runId: first.body.runId,
      created: false,
    });

    const checks = await request(server)
      .get(`${base}/checks`)
      .set('authorization', user);
    expect(checks.status).toBe(200);
    expect(checks.body.items).toEqual([
      expect.objectContaining({
        name: 'row_count_positive',
        status: 'fail',
        port: 'valid',
        observedValue: 10,
        threshold: '> 0',
        format: 'native',
      }),
    ]);
    const health = await request(server)
      .get(`${base}/health`)
      .set('authorization', user);
    expect(health.body).toMatchObject({
      entityRef: 'dataproduct:default/customer-360',
      health: 'degraded',
      reasons: ['checks: 1 of 1 do not pass: row_count_positive (fail)'],
    });
    const raw = await request(server)
      .get(`/api/datamesh/v1/runs/${first.body.runId}/raw`)
      .set('authorization', user);
    expect(raw.status).toBe(200);
    expect(JSON.parse(raw.text)).toEqual(body);
  });

  it('takes dbt run results with their manifest as a form, as curl -F sends them', async () => {
    const res = await post('?port=valid')
      .attach(
        'results',
        path.join(dbtDir, 'ol-no_test_metadata_run_results.json'),
      )
      .attach(
        'manifest',
        path.join(dbtDir, 'ol-no_test_metadata_manifest.json'),
      );
    expect(res.status).toBe(201);
    expect(res.body.format).toBe('dbt');
    expect(res.body.checks).toBeGreaterThan(0);
  });

  it('answers 400 naming what is wrong', async () => {
    const malformed = await post()
      .set('content-type', 'application/json')
      .send('{"format": ');
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.message).toMatch(
      /^The request body is not valid JSON/,
    );

    const declared = await post('?format=dbt').send(nativeRun('pass'));
    expect(declared.status).toBe(400);

    const badFormat = await post('?format=excel').send(nativeRun('pass'));
    expect(badFormat.status).toBe(400);
    expect(badFormat.body.error.message).toBe(
      'format must be one of dbt, great-expectations, soda, native, not "excel"',
    );

    const missing = await post().send({
      format: 'datamesh-quality-results/v1',
      checks: [],
    });
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toMatch(/finishedAt/);
  });

  it('answers 404 for an unknown product or port', async () => {
    const product = await request(server)
      .post('/api/datamesh/v1/products/default/no-such-product/quality')
      .set('authorization', user)
      .send(nativeRun('pass'));
    expect(product.status).toBe(404);
    const port = await post('?port=nope').send(nativeRun('pass'));
    expect(port.status).toBe(404);
    expect(port.body.error.message).toMatch(/has no output port "nope"/);
  });

  it('answers 413 for a body over the limit', async () => {
    const res = await post().send({
      ...nativeRun('pass'),
      padding: 'x'.repeat(1100 * 1024),
    });
    expect(res.status).toBe(413);
  });

  it('answers 401 without credentials and 403 to someone who may not write', async () => {
    const anonymous = await post('', mockCredentials.none.header()).send(
      nativeRun('pass'),
    );
    expect(anonymous.status).toBe(401);
    const denied = await post('', mockCredentials.user.header(outsider)).send(
      nativeRun('pass'),
    );
    expect(denied.status).toBe(403);
    const reads = await request(server)
      .get(`${base}/health`)
      .set('authorization', mockCredentials.none.header());
    expect(reads.status).toBe(401);
  });

  it('lists the mesh health the caller may see, filtered by health', async () => {
    const res = await request(server)
      .get('/api/datamesh/v1/health?health=degraded,breaching')
      .set('authorization', user);
    expect(res.status).toBe(200);
    expect(
      res.body.items.map((h: { entityRef: string }) => h.entityRef),
    ).toEqual(['dataproduct:default/customer-360']);
    const bad = await request(server)
      .get('/api/datamesh/v1/health?health=sick')
      .set('authorization', user);
    expect(bad.status).toBe(400);
  });

  it('serves history over 7, 30 or 90 days only', async () => {
    const ok = await request(server)
      .get(`${base}/history?days=7`)
      .set('authorization', user);
    expect(ok.status).toBe(200);
    expect(ok.body.checks.length).toBeGreaterThan(0);
    const bad = await request(server)
      .get(`${base}/history?days=12`)
      .set('authorization', user);
    expect(bad.status).toBe(400);
  });
});
