import { mockCredentials } from '@backstage/backend-test-utils';
import request from 'supertest';
import { startMeshBackend } from '../__testUtils__/meshBackend';

jest.setTimeout(60_000);

describe('the data mesh actions, through the plugin’s actions registry', () => {
  let server: Awaited<ReturnType<typeof startMeshBackend>>['server'];
  let stop: () => Promise<void>;
  const user = mockCredentials.user.header();
  const actions = '/api/datamesh/.backstage/actions/v1/actions';

  beforeAll(async () => {
    const backend = await startMeshBackend();
    server = backend.server;
    stop = () => backend.stop();
    const posted = await request(server)
      .post('/api/datamesh/v1/products/default/customer-360/quality?port=valid')
      .set('authorization', user)
      .send({
        format: 'datamesh-quality-results/v1',
        finishedAt: new Date().toISOString(),
        checks: [{ name: 'row_count_positive', status: 'fail' }],
      });
    if (posted.status !== 201) {
      throw new Error(`posting the failing result answered ${posted.status}`);
    }
  });

  afterAll(async () => {
    await stop?.();
  });

  it('lists the actions with their JSON schemas', async () => {
    const res = await request(server).get(actions).set('authorization', user);
    expect(res.status).toBe(200);
    expect(res.body.actions.map((a: { id: string }) => a.id).sort()).toEqual([
      'datamesh:get-data-product-checks',
      'datamesh:get-data-product-downstream',
      'datamesh:get-data-product-health',
      'datamesh:get-data-product-impact',
      'datamesh:get-data-product-incidents',
      'datamesh:get-data-product-upstream',
      'datamesh:list-unhealthy-data-products',
    ]);
    const list = res.body.actions.find(
      (a: { name: string }) => a.name === 'list-unhealthy-data-products',
    );
    expect(Object.keys(list.schema.input.properties).sort()).toEqual([
      'domain',
      'health',
      'limit',
      'owner',
    ]);
  });

  it('answers a user what is unhealthy in a domain and why', async () => {
    const res = await request(server)
      .post(`${actions}/datamesh:list-unhealthy-data-products/invoke`)
      .set('authorization', user)
      .send({ domain: 'customer' });
    expect(res.status).toBe(200);
    expect(res.body.output).toEqual({
      total: 1,
      items: [
        expect.objectContaining({
          entityRef: 'dataproduct:default/customer-360',
          health: 'degraded',
          owner: 'group:default/customer-domain-team',
          domain: 'domain:default/customer',
          failingChecks: [
            expect.objectContaining({
              name: 'row_count_positive',
              status: 'fail',
              port: 'valid',
            }),
          ],
        }),
      ],
    });

    const health = await request(server)
      .post(`${actions}/datamesh:get-data-product-health/invoke`)
      .set('authorization', user)
      .send({ entityRef: 'customer-360' });
    expect(health.status).toBe(200);
    expect(health.body.output).toMatchObject({
      entityRef: 'dataproduct:default/customer-360',
      health: 'degraded',
    });
  });

  it('answers bad input with 400 naming the field, an unknown product with 404, no credentials with 401', async () => {
    const bad = await request(server)
      .post(`${actions}/datamesh:get-data-product-checks/invoke`)
      .set('authorization', user)
      .send({ entityRef: 'component:default/customer-360' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toBe(
      'entityRef must name a DataProduct, not a component ("component:default/customer-360")',
    );
    const unknown = await request(server)
      .post(`${actions}/datamesh:get-data-product-incidents/invoke`)
      .set('authorization', user)
      .send({ entityRef: 'nothing-here' });
    expect(unknown.status).toBe(404);
    const anonymous = await request(server)
      .post(`${actions}/datamesh:get-data-product-health/invoke`)
      .set('authorization', mockCredentials.none.header())
      .send({ entityRef: 'customer-360' });
    expect(anonymous.status).toBe(401);
  });
});
