import { ResponseError } from '@backstage/errors';
import { DataMeshLineageClient } from './DataMeshLineageClient';
import type { LineageGraph } from './lineage';

const baseUrl = 'http://localhost:7007/api/datamesh';

const graph: LineageGraph = {
  root: 'product:dataproduct:default/customer-360',
  direction: 'upstream',
  depth: 3,
  nodes: [
    {
      id: 'product:dataproduct:default/customer-360',
      kind: 'product',
      label: 'Customer 360',
      entityRef: 'dataproduct:default/customer-360',
      distance: 0,
      side: 'root',
    },
  ],
  edges: [],
  truncated: false,
};

/** A client whose fetch answers from `respond` and records each request. */
function clientAnswering(
  respond: (url: string, init?: RequestInit) => Response,
) {
  const requests: Array<{ url: string; headers: Record<string, string> }> = [];
  const client = new DataMeshLineageClient({
    discoveryApi: { getBaseUrl: async () => baseUrl },
    fetchApi: {
      fetch: async (input: RequestInfo | URL, init?: RequestInit) => {
        const url = String(input);
        requests.push({
          url,
          headers: (init?.headers ?? {}) as Record<string, string>,
        });
        return respond(url, init);
      },
    },
  });
  return { client, requests };
}

describe('DataMeshLineageClient', () => {
  it('asks for a graph with the options given, and with none', async () => {
    const { client, requests } = clientAnswering(() => Response.json(graph));
    const ref = { namespace: 'default', name: 'customer 360' };
    await expect(
      client.getLineageGraph(ref, { direction: 'upstream', depth: 'all' }),
    ).resolves.toEqual(graph);
    await client.getLineageGraph(ref);
    await client.getColumnLineage(ref, 'daily/orders');
    await client.getImpact(ref, { depth: 3 });
    await client.getDrift(ref, { days: 7 });
    await client.listDrift({ limit: 10, offset: 20 });
    expect(requests.map(r => r.url)).toEqual([
      `${baseUrl}/v1/products/default/customer%20360/lineage?direction=upstream&depth=all`,
      `${baseUrl}/v1/products/default/customer%20360/lineage`,
      `${baseUrl}/v1/products/default/customer%20360/ports/daily%2Forders/column-lineage`,
      `${baseUrl}/v1/products/default/customer%20360/impact?depth=3`,
      `${baseUrl}/v1/products/default/customer%20360/lineage/drift?days=7`,
      `${baseUrl}/v1/lineage/drift?limit=10&offset=20`,
    ]);
  });

  it('sends the etag of the product edges and resolves to undefined on 304', async () => {
    const edges = {
      items: [
        {
          from: 'dataproduct:default/orders',
          fromPort: 'orders',
          to: 'dataproduct:default/customer-360',
          lastSeenAt: '2026-12-01T00:00:00.000Z',
        },
      ],
      etag: '"abc"',
    };
    const { client, requests } = clientAnswering((_url, init) =>
      (init?.headers as Record<string, string>)['if-none-match'] === '"abc"'
        ? new Response(null, { status: 304 })
        : Response.json(edges),
    );
    await expect(client.getProductEdges()).resolves.toEqual(edges);
    await expect(
      client.getProductEdges({ etag: '"abc"' }),
    ).resolves.toBeUndefined();
    expect(requests[1].headers).toEqual({ 'if-none-match': '"abc"' });
  });

  it('rejects with a ResponseError naming the status', async () => {
    const { client } = clientAnswering(() =>
      Response.json(
        {
          error: { name: 'InputError', message: 'depth must be 1 to 5 or all' },
          response: { statusCode: 400 },
        },
        { status: 400, statusText: 'Bad Request' },
      ),
    );
    const error = await client
      .getLineageGraph({ namespace: 'default', name: 'x' })
      .catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.response.status).toBe(400);
  });
});
