import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HealthChange } from '@backstage-datamesh/plugin-datamesh-common';
import { DataMeshHealthClient } from './DataMeshHealthClient';

/** A stand-in of the datamesh backend's health routes: a feed of changes, pages of `pageSize`. */
function startFeed(options: { ids: number[]; pageSize?: number }) {
  const pageSize = options.pageSize ?? 500;
  const changes: HealthChange[] = options.ids.map(id => ({
    id,
    entityRef: `dataproduct:default/p${id % 7}`,
    to: 'healthy',
    reasons: [],
    at: new Date(id * 1000).toISOString(),
  }));
  const seen: Array<{ url: string; authorization?: string }> = [];
  const server = http.createServer((req, res) => {
    seen.push({ url: req.url ?? '', authorization: req.headers.authorization });
    const url = new URL(req.url ?? '/', 'http://localhost');
    res.setHeader('content-type', 'application/json');
    if (url.pathname === '/api/datamesh/v1/health/changes') {
      const after = Number(url.searchParams.get('after'));
      const items = changes.filter(c => c.id > after).slice(0, pageSize);
      res.end(JSON.stringify({ items }));
    } else if (url.pathname === '/api/datamesh/v1/health') {
      res.end(
        JSON.stringify({
          items: [{ entityRef: 'dataproduct:default/p1', health: 'degraded' }],
        }),
      );
    } else {
      res.statusCode = 404;
      res.end(
        JSON.stringify({
          error: { name: 'NotFoundError', message: 'Not found' },
          request: { method: req.method, url: req.url },
          response: { statusCode: 404 },
        }),
      );
    }
  });
  return new Promise<{
    client: DataMeshHealthClient;
    seen: typeof seen;
    port: number;
    close: () => Promise<void>;
  }>(resolve =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      const discovery = mockServices.discovery.mock({
        getBaseUrl: async id => `http://127.0.0.1:${port}/api/${id}`,
      });
      resolve({
        client: new DataMeshHealthClient({
          discovery,
          auth: mockServices.auth({ pluginId: 'catalog' }),
        }),
        seen,
        port,
        close: () => new Promise(done => server.close(() => done())),
      });
    }),
  );
}

describe('DataMeshHealthClient', () => {
  it('reads the health and the feed with the calling plugin’s service token', async () => {
    const feed = await startFeed({ ids: [1, 2, 3] });
    try {
      expect(await feed.client.listHealth()).toEqual([
        { entityRef: 'dataproduct:default/p1', health: 'degraded' },
      ]);
      expect(
        (await feed.client.getChanges({ after: 1 })).map(c => c.id),
      ).toEqual([2, 3]);
      expect(feed.seen.map(s => s.url)).toEqual([
        '/api/datamesh/v1/health',
        '/api/datamesh/v1/health/changes?after=1',
      ]);
      for (const { authorization } of feed.seen) {
        // the catalog's own service credentials, for the datamesh backend
        expect(authorization).toBe(
          mockCredentials.service.header({
            onBehalfOf: mockCredentials.service('plugin:catalog'),
            targetPluginId: 'datamesh',
          }),
        );
      }
    } finally {
      await feed.close();
    }
  });

  it('rejects with the response’s error when the datamesh backend is not there', async () => {
    const feed = await startFeed({ ids: [] });
    const at = (baseUrl: string) =>
      new DataMeshHealthClient({
        discovery: mockServices.discovery.mock({
          getBaseUrl: async () => baseUrl,
        }),
        auth: mockServices.auth(),
      });
    try {
      // a backend without the datamesh plugin
      await expect(
        at(`http://127.0.0.1:${feed.port}/api/other`).getChanges({ after: 0 }),
      ).rejects.toMatchObject({ name: 'ResponseError', statusCode: 404 });
    } finally {
      await feed.close();
    }
    // nothing listening at all
    await expect(
      at(`http://127.0.0.1:${feed.port}/api/datamesh`).listHealth(),
    ).rejects.toThrow('fetch failed');
  });

  describe('findLatestChangeId', () => {
    const cases: Array<[string, number[], number]> = [
      ['an empty feed', [], 1],
      ['a feed shorter than a page', [1, 2, 3, 5, 8], 2],
      ['a feed of exactly one page', range(1, 500), 2],
      ['a feed of many pages', range(1, 1234), 6],
      [
        'a long feed with gaps',
        range(1, 200_000).filter(id => id % 3 !== 0),
        17,
      ],
      ['a feed whose ids start high', range(90_001, 90_010), 2],
    ];

    it.each(cases)(
      'finds the latest change of %s',
      async (_, ids, requests) => {
        const feed = await startFeed({ ids });
        try {
          const latest = await feed.client.findLatestChangeId();
          expect(latest).toBe(ids.length ? ids[ids.length - 1] : 0);
          // never pages through a long feed
          expect(feed.seen).toHaveLength(requests);
        } finally {
          await feed.close();
        }
      },
    );

    it('is not misled by a backend with a smaller page', async () => {
      const ids = range(1, 1000);
      const feed = await startFeed({ ids, pageSize: 50 });
      try {
        expect(await feed.client.findLatestChangeId()).toBe(1000);
      } finally {
        await feed.close();
      }
    });
  });
});

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}
