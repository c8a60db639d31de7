import http from 'node:http';
import { AddressInfo } from 'node:net';
import fs from 'node:fs';
import path from 'node:path';
import { mockServices } from '@backstage/backend-test-utils';
import { UrlReaders } from '@backstage/backend-defaults/urlReader';
import { NotFoundError } from '@backstage/errors';
import type { DataProductEntityV1alpha1 } from '@backstage-datamesh/plugin-datamesh-common';
import { DataContractReader } from './DataContractReader';

const fixtureDir = path.resolve(__dirname, '__fixtures__/products');
const contractText = fs.readFileSync(
  path.join(fixtureDir, 'contracts/full-example.odcs.yaml'),
  'utf8',
);

function product(
  location: string,
  contract?: string,
): DataProductEntityV1alpha1 {
  return {
    apiVersion: 'datamesh.io/v1alpha1',
    kind: 'DataProduct',
    metadata: {
      name: 'customer-360',
      annotations: { 'backstage.io/managed-by-location': location },
    },
    spec: {
      owner: 'team',
      domain: 'customer',
      type: 'aggregate',
      lifecycle: 'production',
      outputPorts: [
        {
          name: 'profile',
          type: 'table',
          location: { namespace: 'postgres://db', name: 'x' },
          contract,
        },
      ],
    },
  };
}

describe('DataContractReader', () => {
  let server: http.Server;
  let baseUrl: string;

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      if (req.url === '/repo/contracts/full-example.odcs.yaml') {
        res.writeHead(200, { 'content-type': 'text/yaml' });
        res.end(contractText);
      } else {
        res.writeHead(404);
        res.end('not found');
      }
    });
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise(resolve => server.close(resolve));
  });

  function reader() {
    const config = mockServices.rootConfig({
      data: {
        backend: { reading: { allow: [{ host: '127.0.0.1:1-65535' }] } },
      },
    });
    return DataContractReader.fromConfig(config, {
      reader: UrlReaders.default({
        config,
        logger: mockServices.logger.mock(),
      }),
    });
  }

  it('reads a contract next to an entity registered from a file location', async () => {
    const result = await reader().readPortContract(
      product(
        `file:${fixtureDir}/catalog-info.yaml`,
        './contracts/full-example.odcs.yaml',
      ),
      'profile',
    );
    expect(result).toMatchObject({
      status: 'valid',
      source: path.join(fixtureDir, 'contracts/full-example.odcs.yaml'),
      contract: {
        apiVersion: 'v3.1.0',
        dataProduct: 'my quantum',
        version: '1.1.0',
      },
    });
  });

  it('refuses a file path that leaves the entity folder', async () => {
    const result = await reader().readPortContract(
      product(
        `file:${fixtureDir}/catalog-info.yaml`,
        '../../../../package.json',
      ),
      'profile',
    );
    expect(result).toMatchObject({
      status: 'unreachable',
      message: expect.stringContaining('cannot be resolved'),
    });
  });

  it('reports a missing file as unreachable, naming it', async () => {
    const result = await reader().readPortContract(
      product(
        `file:${fixtureDir}/catalog-info.yaml`,
        './contracts/missing.yaml',
      ),
      'profile',
    );
    expect(result).toEqual({
      status: 'unreachable',
      source: path.join(fixtureDir, 'contracts/missing.yaml'),
      message: `The data contract could not be read from ${path.join(
        fixtureDir,
        'contracts/missing.yaml',
      )}: no such file`,
    });
  });

  it('reads a relative contract through URL reading, resolved against a url location', async () => {
    const result = await reader().readPortContract(
      product(
        `url:${baseUrl}/repo/catalog-info.yaml`,
        './contracts/full-example.odcs.yaml',
      ),
      'profile',
    );
    expect(result).toMatchObject({
      status: 'valid',
      source: `${baseUrl}/repo/contracts/full-example.odcs.yaml`,
    });
  });

  it('reads an absolute contract URL and reports one that cannot be read', async () => {
    const ok = await reader().readPortContract(
      product(
        'url:https://example.com/x/catalog-info.yaml',
        `${baseUrl}/repo/contracts/full-example.odcs.yaml`,
      ),
      'profile',
    );
    expect(ok.status).toBe('valid');
    const missing = await reader().readPortContract(
      product(
        'url:https://example.com/x/catalog-info.yaml',
        `${baseUrl}/repo/nothing.yaml`,
      ),
      'profile',
    );
    expect(missing).toMatchObject({
      status: 'unreachable',
      source: `${baseUrl}/repo/nothing.yaml`,
      message: expect.stringContaining(
        `could not be read from ${baseUrl}/repo/nothing.yaml`,
      ),
    });
  });

  it('throws NotFoundError for an unknown port or a port without contract', async () => {
    await expect(
      reader().readPortContract(
        product('url:https://example.com/c.yaml', 'x'),
        'other',
      ),
    ).rejects.toThrow(
      new NotFoundError(
        'dataproduct:default/customer-360 has no output port named other',
      ),
    );
    await expect(
      reader().readPortContract(
        product('url:https://example.com/c.yaml'),
        'profile',
      ),
    ).rejects.toThrow(
      'Output port profile of dataproduct:default/customer-360 declares no contract',
    );
  });
});
