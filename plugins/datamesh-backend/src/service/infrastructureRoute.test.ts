import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import catalogModuleDataMesh from '@backstage-datamesh/plugin-catalog-backend-module-datamesh';
import path from 'node:path';
import request from 'supertest';
import { datameshPlugin } from '../plugin';
import { waitForEntity } from '../__testUtils__/waitForEntity';

jest.setTimeout(120_000);

const dir = path.resolve(__dirname, '../__fixtures__/infrastructure');

describe('GET /products/:namespace/:name/infrastructure, with a real catalog', () => {
  let server: Awaited<ReturnType<typeof startTestBackend>>['server'];
  let stop: () => Promise<void>;
  const user = mockCredentials.user.header();

  beforeAll(async () => {
    const backend = await startTestBackend({
      features: [
        datameshPlugin,
        catalogPlugin,
        catalogModuleDataMesh,
        mockServices.rootConfig.factory({
          data: {
            catalog: {
              rules: [{ allow: ['Group', 'Domain', 'DataProduct'] }],
              locations: [
                { type: 'file', target: path.join(dir, 'catalog-info.yaml') },
              ],
            },
          },
        }),
      ],
    });
    server = backend.server;
    stop = () => backend.stop();
    for (const name of [
      'with-valid-infrastructure',
      'with-invalid-infrastructure',
      'with-missing-infrastructure',
      'with-escaping-infrastructure',
      'without-infrastructure',
    ]) {
      await waitForEntity(server, `dataproduct/default/${name}`, user, 90_000);
    }
  });

  afterAll(async () => {
    await stop?.();
  });

  const get = (name: string) =>
    request(server)
      .get(`/api/datamesh/products/default/${name}/infrastructure`)
      .set('authorization', user);

  it('requires credentials', async () => {
    const res = await request(server)
      .get(
        '/api/datamesh/products/default/with-valid-infrastructure/infrastructure',
      )
      .set('authorization', mockCredentials.none.header());
    expect(res.status).toBe(401);
  });

  it('answers a valid descriptor with its sections', async () => {
    const res = await get('with-valid-infrastructure');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: 'valid',
      source: path.join(dir, 'valid.yaml'),
      infrastructure: {
        kind: 'DataProductInfrastructure',
        spec: {
          storage: { type: 'data-lake', format: 'delta-lake' },
          processing: { engine: 'spark', min_workers: 2, max_workers: 20 },
          orchestration: { tool: 'airflow', schedule: '0 */6 * * *' },
          quality: { framework: 'great-expectations' },
          security: { encryption_at_rest: true, audit_logging: true },
        },
      },
    });
  });

  it('names every failing field of an invalid descriptor', async () => {
    const res = await get('with-invalid-infrastructure');
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('invalid');
    const messages: string[] = res.body.errors.map(
      (e: { message: string }) => e.message,
    );
    expect(messages).toEqual(
      expect.arrayContaining([
        'spec.storage.location is required',
        expect.stringMatching(/^spec\.storage\.retention must be a duration/),
        expect.stringMatching(/^spec\.orchestration\.schedule must be a cron/),
        'spec.quality.framework must be one of dbt, great-expectations, soda, not "deequ"',
        'spec.security.encryption_at_rest must be of type boolean, not "yes please"',
        'spec.processing.min_workers (30) must not be above spec.processing.max_workers (20)',
      ]),
    );
    expect(messages).toHaveLength(6);
  });

  it('answers a missing file or a path leaving the folder as unreachable', async () => {
    const missing = await get('with-missing-infrastructure');
    expect(missing.status).toBe(200);
    expect(missing.body).toMatchObject({
      status: 'unreachable',
      message: `The infrastructure descriptor could not be read from ${path.join(
        dir,
        'missing.yaml',
      )}: no such file`,
    });
    const escaping = await get('with-escaping-infrastructure');
    expect(escaping.body.status).toBe('unreachable');
    expect(escaping.body.message).toMatch(/cannot be resolved/);
  });

  it('answers 404 for a product without descriptor or an unknown product', async () => {
    const none = await get('without-infrastructure');
    expect(none.status).toBe(404);
    expect(none.body.error.message).toMatch(
      /references no infrastructure descriptor \(spec\.infrastructure\)/,
    );
    const unknown = await get('nope');
    expect(unknown.status).toBe(404);
  });
});
