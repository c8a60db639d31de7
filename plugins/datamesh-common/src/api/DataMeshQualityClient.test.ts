import { ResponseError } from '@backstage/errors';
import type { Incident } from '../health';
import { DataMeshQualityClient } from './DataMeshQualityClient';

const baseUrl = 'http://localhost:7007/api/datamesh';

const incident: Incident = {
  id: '0b5e3f6c-5d7e-4d0a-9b7e-2d8f3a1c4e5f',
  entityRef: 'dataproduct:default/customer-360',
  state: 'new',
  severity: 'critical',
  title: 'Customer 360 View breaches completeness',
  reasons: ['completeness 0% against 0.98 (1 check)'],
  openedAt: '2025-01-01T10:00:00.000Z',
  events: [
    {
      at: '2025-01-01T10:00:00.000Z',
      type: 'opened',
      reasons: ['completeness 0% against 0.98 (1 check)'],
    },
  ],
};

/** A client whose fetch answers from `respond` and records each requested URL. */
function clientAnswering(respond: (url: string) => Response) {
  const urls: string[] = [];
  const client = new DataMeshQualityClient({
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

describe('DataMeshQualityClient', () => {
  it('asks for the incidents of some states only, and for all without states', async () => {
    const { client, urls } = clientAnswering(() =>
      Response.json({ items: [incident] }),
    );
    const ref = { namespace: 'default', name: 'customer 360' };
    await expect(
      client.getIncidents(ref, { states: ['new', 'acknowledged'] }),
    ).resolves.toEqual([incident]);
    await client.getIncidents(ref);
    expect(urls).toEqual([
      `${baseUrl}/v1/products/default/customer%20360/incidents?state=new,acknowledged`,
      `${baseUrl}/v1/products/default/customer%20360/incidents`,
    ]);
  });

  it('reads a raw document as text with its media type', async () => {
    const raw = '{"metadata":{"dbt_schema_version":"x"},"results":[]}';
    const { client, urls } = clientAnswering(
      () =>
        new Response(raw, {
          headers: { 'content-type': 'application/json; charset=utf-8' },
        }),
    );
    await expect(client.getRawDocument(42)).resolves.toEqual({
      contentType: 'application/json; charset=utf-8',
      body: raw,
    });
    expect(urls).toEqual([`${baseUrl}/v1/runs/42/raw`]);
  });

  it('rejects with a ResponseError naming the missing raw document', async () => {
    const { client } = clientAnswering(() =>
      Response.json(
        {
          error: {
            name: 'NotFoundError',
            message:
              'No raw document of quality run 7 (unknown, or past its retention)',
          },
          response: { statusCode: 404 },
        },
        { status: 404 },
      ),
    );
    const error = await client.getRawDocument(7).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(ResponseError.is(error)).toBe(true);
    expect((error as ResponseError).statusCode).toBe(404);
    expect((error as ResponseError).cause.message).toBe(
      'No raw document of quality run 7 (unknown, or past its retention)',
    );
  });

  it('asks for a page of health and the incidents of many products, each ref encoded', async () => {
    const page = {
      items: [],
      totalItems: 0,
      offset: 50,
      limit: 50,
      counts: {},
      facets: { domain: [], owner: [] },
    };
    const { client, urls } = clientAnswering(url =>
      Response.json(
        url.includes('/incidents')
          ? { items: [incident], totalItems: 1, offset: 0, limit: 100 }
          : page,
      ),
    );
    await expect(
      client.getHealthPage({
        health: ['breaching', 'degraded'],
        domainRefs: ['domain:default/sales'],
        ownerRefs: [],
        limit: 50,
        offset: 50,
      }),
    ).resolves.toEqual(page);
    await expect(
      client.listIncidents({
        states: ['new', 'acknowledged'],
        entityRefs: [
          'dataproduct:default/customer-360',
          'dataproduct:default/a&b',
        ],
      }),
    ).resolves.toMatchObject({ items: [incident], totalItems: 1 });
    await client.getHealthPage({});
    expect(urls).toEqual([
      `${baseUrl}/v1/health?health=breaching,degraded&domain=domain%3Adefault%2Fsales&limit=50&offset=50`,
      `${baseUrl}/v1/incidents?state=new,acknowledged&entityRef=dataproduct%3Adefault%2Fcustomer-360,dataproduct%3Adefault%2Fa%26b`,
      `${baseUrl}/v1/health`,
    ]);
  });
});
