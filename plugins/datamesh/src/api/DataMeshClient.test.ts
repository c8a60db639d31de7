import { setupServer } from 'msw/node';
import { http, HttpResponse } from 'msw';
import {
  MockFetchApi,
  mockApis,
  registerMswTestHooks,
} from '@backstage/test-utils';
import { ResponseError } from '@backstage/errors';
import type { DataContractResult } from '@backstage-datamesh/plugin-datamesh-common';
import { DataMeshClient } from './DataMeshClient';

const server = setupServer();
registerMswTestHooks(server);

const baseUrl = 'http://localhost:7007';

function createClient() {
  return new DataMeshClient({
    discoveryApi: mockApis.discovery({ baseUrl }),
    fetchApi: new MockFetchApi(),
  });
}

describe('DataMeshClient', () => {
  it('requests the contract of a port, encoding each path segment', async () => {
    const result: DataContractResult = {
      status: 'unreachable',
      source: 'https://example.com/contract.yaml',
      message: 'HTTP 503',
    };
    const seen: string[] = [];
    server.use(
      http.get(`${baseUrl}/api/datamesh/contracts/*`, ({ request }) => {
        seen.push(new URL(request.url).pathname);
        return HttpResponse.json(result);
      }),
    );

    await expect(
      createClient().getDataContract({
        namespace: 'team a',
        name: 'orders',
        port: 'raw/v1#2',
      }),
    ).resolves.toEqual(result);
    expect(seen).toEqual([
      '/api/datamesh/contracts/team%20a/orders/raw%2Fv1%232',
    ]);
  });

  it('rejects with a ResponseError carrying the backend message on 404', async () => {
    server.use(
      http.get(`${baseUrl}/api/datamesh/contracts/*`, () =>
        HttpResponse.json(
          {
            error: {
              name: 'NotFoundError',
              message:
                'Output port nope of dataproduct:default/orders not found',
            },
            request: { method: 'GET', url: '/contracts/default/orders/nope' },
            response: { statusCode: 404 },
          },
          { status: 404 },
        ),
      ),
    );

    const error = await createClient()
      .getDataContract({ namespace: 'default', name: 'orders', port: 'nope' })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(ResponseError.is(error)).toBe(true);
    const responseError = error as ResponseError;
    expect(responseError.statusCode).toBe(404);
    expect(responseError.body.error.name).toBe('NotFoundError');
    expect(responseError.message).toContain('404');
    expect(responseError.cause.message).toContain('Output port nope');
  });

  it('lists the problems the backend reports', async () => {
    const items = [
      {
        entityRef: 'dataproduct:default/broken',
        kind: 'DataProduct',
        title: 'broken',
        errors: [
          'spec.type must be one of source-aligned, aggregate, consumer-aligned, not "x"',
        ],
      },
    ];
    server.use(
      http.get(`${baseUrl}/api/datamesh/problems`, () =>
        HttpResponse.json({ items }),
      ),
    );
    await expect(createClient().getProblems()).resolves.toEqual(items);
  });
});
