import { mockServices } from '@backstage/backend-test-utils';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { GovernanceChange } from '@backstage-datamesh/plugin-datamesh-common';
import { DataMeshGovernanceFeedClient } from './DataMeshGovernanceFeedClient';

/** A stand-in of the datamesh backend's governance feed, pages of `pageSize`. */
function startFeed(options: { ids: number[]; pageSize: number }) {
  const changes: GovernanceChange[] = options.ids.map(id => ({
    id,
    entityRef: `dataproduct:default/p${id}`,
    compliant: id % 2 === 0,
    requiredPolicyFailures: id % 2 === 0 ? [] : ['retention-policy'],
    evaluatedAt: new Date(id * 1000).toISOString(),
  }));
  const seen: Array<{ url: string; authorization?: string }> = [];
  const server = http.createServer((req, res) => {
    seen.push({ url: req.url ?? '', authorization: req.headers.authorization });
    const url = new URL(req.url ?? '/', 'http://localhost');
    res.setHeader('content-type', 'application/json');
    if (url.pathname === '/api/datamesh/v1/governance/changes') {
      const since = Number(url.searchParams.get('since'));
      const items = changes
        .filter(c => c.id > since)
        .slice(0, options.pageSize);
      res.end(JSON.stringify({ items }));
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
    client: DataMeshGovernanceFeedClient;
    seen: typeof seen;
    close: () => Promise<void>;
  }>(resolve =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      const discovery = mockServices.discovery.mock({
        getBaseUrl: async id => `http://127.0.0.1:${port}/api/${id}`,
      });
      resolve({
        client: new DataMeshGovernanceFeedClient({
          discovery,
          auth: mockServices.auth({ pluginId: 'catalog' }),
        }),
        seen,
        close: () => new Promise(done => server.close(() => done())),
      });
    }),
  );
}

describe('DataMeshGovernanceFeedClient', () => {
  it('reads a page of the feed with the calling plugin’s service token, and every product page after page', async () => {
    const feed = await startFeed({ ids: [1, 2, 3, 5, 8], pageSize: 2 });
    try {
      const page = await feed.client.getChanges({ since: 2 });
      expect(page.map(c => c.id)).toEqual([3, 5]);
      expect(page[0]).toEqual({
        id: 3,
        entityRef: 'dataproduct:default/p3',
        compliant: false,
        requiredPolicyFailures: ['retention-policy'],
        evaluatedAt: new Date(3000).toISOString(),
      });
      expect(feed.seen[0]).toEqual({
        url: '/api/datamesh/v1/governance/changes?since=2',
        authorization: expect.stringMatching(/^Bearer /),
      });
      expect((await feed.client.listCompliance()).map(c => c.id)).toEqual([
        1, 2, 3, 5, 8,
      ]);
      expect(feed.seen.slice(1).map(s => s.url)).toEqual([
        '/api/datamesh/v1/governance/changes?since=0',
        '/api/datamesh/v1/governance/changes?since=2',
        '/api/datamesh/v1/governance/changes?since=5',
        '/api/datamesh/v1/governance/changes?since=8',
      ]);
    } finally {
      await feed.close();
    }
  });

  it('rejects with the backend’s error when the feed does not answer', async () => {
    const feed = await startFeed({ ids: [], pageSize: 2 });
    try {
      const client = new DataMeshGovernanceFeedClient({
        discovery: mockServices.discovery.mock({
          getBaseUrl: async () => 'http://127.0.0.1:1/api/nothing',
        }),
        auth: mockServices.auth({ pluginId: 'catalog' }),
      });
      await expect(client.getChanges({ since: 0 })).rejects.toThrow();
    } finally {
      await feed.close();
    }
  });
});
