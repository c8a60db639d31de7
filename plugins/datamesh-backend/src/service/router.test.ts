import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import catalogModuleUnprocessed from '@backstage/plugin-catalog-backend-module-unprocessed';
import catalogModuleDataMesh from '@backstage-datamesh/plugin-catalog-backend-module-datamesh';
import path from 'node:path';
import request from 'supertest';
import { datameshPlugin } from '../plugin';
import { waitForEntity } from '../__testUtils__/waitForEntity';

jest.setTimeout(60_000);

const meshDir = path.resolve(__dirname, '../__fixtures__/mesh');
const problemsFile = path.resolve(
  __dirname,
  '../__fixtures__/problems/catalog-info.yaml',
);

describe('datamesh backend routes, with a real catalog', () => {
  let server: Awaited<ReturnType<typeof startTestBackend>>['server'];
  let stop: () => Promise<void>;
  const user = mockCredentials.user.header();

  beforeAll(async () => {
    const backend = await startTestBackend({
      features: [
        datameshPlugin,
        catalogPlugin,
        catalogModuleDataMesh,
        catalogModuleUnprocessed,
        mockServices.rootConfig.factory({
          data: {
            catalog: {
              rules: [
                { allow: ['Group', 'Domain', 'DataProduct', 'Component'] },
              ],
              locations: [
                {
                  type: 'file',
                  target: path.join(meshDir, 'catalog-info.yaml'),
                },
                { type: 'file', target: problemsFile },
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

  const get = (p: string) =>
    request(server).get(`/api/datamesh${p}`).set('authorization', user);

  it('requires credentials', async () => {
    const res = await request(server)
      .get('/api/datamesh/contracts/default/customer-360/valid')
      .set('authorization', mockCredentials.none.header());
    expect(res.status).toBe(401);
  });

  it('answers a valid contract with its schema', async () => {
    const res = await get('/contracts/default/customer-360/valid');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: 'valid',
      source: path.join(meshDir, 'contracts/valid.odcs.yaml'),
      contract: {
        apiVersion: 'v3.1.0',
        version: '1.1.0',
        dataProduct: 'my quantum',
      },
    });
    expect(res.body.contract.schema[0].properties[0]).toMatchObject({
      name: 'transaction_reference_date',
      logicalType: 'date',
    });
  });

  it('answers an invalid contract with each problem', async () => {
    const res = await get('/contracts/default/customer-360/invalid');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: 'invalid',
      errors: [{ path: 'status', message: 'status is required' }],
    });
  });

  it('answers a v2 contract as an unsupported version', async () => {
    const res = await get('/contracts/default/customer-360/legacy');
    expect(res.body).toMatchObject({
      status: 'unsupported-version',
      apiVersion: 'v2.2.2',
    });
  });

  it('answers a contract file that does not exist as unreachable', async () => {
    const res = await get('/contracts/default/customer-360/missing');
    expect(res.body).toMatchObject({ status: 'unreachable' });
    expect(res.body.message).toContain('missing.odcs.yaml: no such file');
  });

  it('answers 404 for an unknown product, port, or a port without contract', async () => {
    const unknownProduct = await get('/contracts/default/nope/valid');
    expect(unknownProduct.status).toBe(404);
    expect(unknownProduct.body.error).toMatchObject({
      name: 'NotFoundError',
      message: 'No data product dataproduct:default/nope in the catalog',
    });
    const unknownPort = await get('/contracts/default/customer-360/other');
    expect(unknownPort.status).toBe(404);
    expect(unknownPort.body.error.message).toBe(
      'dataproduct:default/customer-360 has no output port named other',
    );
    const noContract = await get('/contracts/default/customer-360/no-contract');
    expect(noContract.status).toBe(404);
    expect(noContract.body.error.message).toBe(
      'Output port no-contract of dataproduct:default/customer-360 declares no contract',
    );
  });

  it('lists the data mesh entities the catalog could not process, with their errors, and no other', async () => {
    // wait until the catalog has processed (and rejected) the three failing entities
    const failing = [
      'component:default/broken-service',
      'dataproduct:default/broken-orders-feed',
      'domain:default/broken-domain',
    ];
    const rejected = async () => {
      const pending = await request(server)
        .get('/api/catalog/entities/unprocessed/pending')
        .set('authorization', user);
      return (
        pending.body.entities as Array<{
          unprocessed_entity: Entity;
          errors?: unknown[];
        }>
      )
        .filter(e => e.errors?.length)
        .map(e => stringifyEntityRef(e.unprocessed_entity))
        .sort();
    };
    const deadline = Date.now() + 30_000;
    while ((await rejected()).length < failing.length) {
      if (Date.now() > deadline) {
        throw new Error(`the catalog never rejected all of ${failing}`);
      }
      await new Promise(resolve => setTimeout(resolve, 200));
    }
    expect(await rejected()).toEqual(failing);

    // the component is the catalog's to report, not the data mesh's
    const res = await get('/problems');
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([
      {
        entityRef: 'dataproduct:default/broken-orders-feed',
        kind: 'DataProduct',
        title: 'Broken orders feed',
        domain: 'customer',
        location: `file:${path.join(meshDir, 'catalog-info.yaml')}`,
        errors: [
          'spec.sensitivity must be one of public, internal, confidential, restricted, not "secret"',
        ],
      },
      {
        entityRef: 'domain:default/broken-domain',
        kind: 'Domain',
        title: 'Broken domain',
        location: `file:${problemsFile}`,
        // the message is the validator's (-common); the route passes it on, naming the field
        errors: [
          expect.stringMatching(/^spec\.datamesh\.communicationChannel /),
        ],
      },
    ]);
  });

  it('requires credentials for the problems', async () => {
    const anonymous = await request(server)
      .get('/api/datamesh/problems')
      .set('authorization', mockCredentials.none.header());
    expect(anonymous.status).toBe(401);
  });
});
