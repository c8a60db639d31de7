import { ResponseError } from '@backstage/errors';
import { DataMeshGovernanceClient } from './client';

const baseUrl = 'http://localhost:7007/api/datamesh';

function clientAnswering(respond: (url: string) => Response) {
  const urls: string[] = [];
  const client = new DataMeshGovernanceClient({
    discoveryApi: { getBaseUrl: async () => baseUrl },
    fetchApi: {
      fetch: async (input: RequestInfo | URL) => {
        const url = String(input);
        urls.push(url);
        return respond(url);
      },
    },
  });
  return { client, urls };
}

describe('DataMeshGovernanceClient', () => {
  it('asks for a product, a summary and the policies at their routes', async () => {
    const { client, urls } = clientAnswering(() => Response.json({}));
    await client.getProductCompliance({ namespace: 'default', name: 'a b' });
    await client.getSummary();
    await client.getSummary({ domain: 'domain:default/sales', days: 7 });
    await client.getPolicies();
    await client.getPolicies({ domain: 'marketing' });
    expect(urls).toEqual([
      `${baseUrl}/v1/products/default/a%20b/compliance`,
      `${baseUrl}/v1/governance/summary`,
      `${baseUrl}/v1/governance/summary?domain=domain%3Adefault%2Fsales&days=7`,
      `${baseUrl}/v1/governance/policies`,
      `${baseUrl}/v1/governance/policies?domain=marketing`,
    ]);
  });

  it('asks for a page of the change feed after a position', async () => {
    const items = [
      {
        id: 4,
        entityRef: 'dataproduct:default/orders',
        compliant: false,
        requiredPolicyFailures: ['retention-policy'],
        evaluatedAt: '2026-12-01T10:00:00.000Z',
      },
    ];
    const { client, urls } = clientAnswering(() => Response.json({ items }));
    expect(await client.getChanges({ since: 3 })).toEqual({ items });
    await client.getChanges({ since: 0, limit: 10 });
    expect(urls).toEqual([
      `${baseUrl}/v1/governance/changes?since=3`,
      `${baseUrl}/v1/governance/changes?since=0&limit=10`,
    ]);
  });

  it('rejects with a ResponseError carrying the backend error', async () => {
    const { client } = clientAnswering(() =>
      Response.json(
        {
          error: { name: 'InputError', message: 'days must be a whole number' },
          response: { statusCode: 400 },
        },
        { status: 400 },
      ),
    );
    const error = await client.getSummary({ days: 0 }).catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.body.error.message).toBe('days must be a whole number');
  });
});
