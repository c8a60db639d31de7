import fs from 'node:fs';
import net, { AddressInfo } from 'node:net';
import path from 'node:path';
import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import { startTestBackend } from '@backstage/backend-test-utils';
import { authServiceFactory } from '@backstage/backend-defaults/auth';
import { httpAuthServiceFactory } from '@backstage/backend-defaults/httpAuth';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import request from 'supertest';
import { datameshPlugin } from '../plugin';
import { DatabaseLineageStore } from '../database/DatabaseLineageStore';
import { productWith } from './__testUtils__/lineageBackend';

jest.setTimeout(60_000);

/*
 * The requests of the official OpenLineage clients, replayed byte for byte (request line, every
 * header as captured, body as sent: gzip, chunked) against the plugin with Backstage's own auth,
 * the pipeline's API key being a backend.auth.externalAccess static token. The captures and how
 * they were made: src/__fixtures__/openlineage-clients/SOURCES.md.
 */

const captures = path.resolve(__dirname, '../__fixtures__/openlineage-clients');

interface Capture {
  client: string;
  config: unknown;
  requestLine: string;
  headers: Array<[string, string]>;
  bodyBase64: string;
}

function load(file: string): Capture {
  return JSON.parse(fs.readFileSync(path.join(captures, file), 'utf8'));
}

/** The bytes of a captured request, as the client wrote them on the wire. */
function bytesOf(capture: Capture): Buffer {
  const head = [
    capture.requestLine,
    ...capture.headers.map(([k, v]) => `${k}: ${v}`),
  ].join('\r\n');
  return Buffer.concat([
    Buffer.from(`${head}\r\n\r\n`, 'latin1'),
    Buffer.from(capture.bodyBase64, 'base64'),
  ]);
}

/** Writes raw bytes to the server and reads one answer. */
async function replay(
  server: { address(): AddressInfo | string | null },
  bytes: Buffer,
): Promise<{ status: number; headers: string; body: string }> {
  const { port } = server.address() as AddressInfo;
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(bytes));
    let data = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      data = Buffer.concat([data, chunk]);
      const text = data.toString('utf8');
      const end = text.indexOf('\r\n\r\n');
      if (end < 0) {
        return;
      }
      const head = text.slice(0, end);
      const length = Number(/content-length: (\d+)/i.exec(head)?.[1] ?? 0);
      const body = Buffer.from(text.slice(end + 4), 'utf8');
      if (body.length >= length) {
        socket.destroy();
        resolve({
          status: Number(head.split(' ')[1]),
          headers: head,
          body: body.toString('utf8'),
        });
      }
    });
    socket.on('error', reject);
  });
}

/** Python's urllib.parse.urljoin, as the Python transport joins url and endpoint (RFC 3986). */
const pythonUrljoin = (url: string, endpoint: string) =>
  new URL(endpoint, url).toString();

/** HttpTransport.getUri of the Java client: the URL's own path, else the endpoint. */
function javaUri(url: string, endpoint?: string): string {
  const uri = new URL(url);
  if (uri.pathname && uri.pathname !== '/') {
    if (endpoint) {
      throw new Error("You can't pass both uri and endpoint parameters.");
    }
    return uri.toString();
  }
  uri.pathname = endpoint ?? '/api/v1/lineage';
  return uri.toString();
}

describe('the official clients URLs', () => {
  const route = 'http://portal:7007/api/datamesh/v1/lineage';

  it.each([
    // each line as Python's urljoin answers it (python3 -c 'from urllib.parse import urljoin; ...')
    ['http://portal:7007/api/datamesh/', 'v1/lineage', route],
    [
      'http://portal:7007/api/datamesh',
      'v1/lineage',
      'http://portal:7007/api/v1/lineage',
    ],
    [
      'http://portal:7007',
      'api/v1/lineage',
      'http://portal:7007/api/v1/lineage',
    ],
    ['http://portal:7007/', 'api/datamesh/v1/lineage', route],
    [
      'http://portal:7007/api/datamesh/',
      '/v1/lineage',
      'http://portal:7007/v1/lineage',
    ],
    [
      'http://portal:7007/api/datamesh/',
      'api/v1/lineage',
      'http://portal:7007/api/datamesh/api/v1/lineage',
    ],
  ])('Python: url %s with endpoint %s posts to %s', (url, endpoint, target) => {
    expect(pythonUrljoin(url, endpoint)).toBe(target);
  });

  it('the README configurations reach the route, and the Python default does not', () => {
    const readme = fs.readFileSync(
      path.resolve(__dirname, '../../README.md'),
      'utf8',
    );
    const python =
      /url: (http:\/\/portal:7007\/api\/datamesh\/)\n\s+endpoint: (v1\/lineage)/.exec(
        readme,
      );
    expect(python).not.toBeNull();
    expect(pythonUrljoin(python![1], python![2])).toBe(route);
    // without the trailing slash urljoin drops the last segment, and the default endpoint misses
    expect(
      pythonUrljoin('http://portal:7007/api/datamesh', 'api/v1/lineage'),
    ).not.toBe(route);
    const java =
      /transport\.url=(http:\/\/portal:7007\/api\/datamesh\/v1\/lineage)\n/.exec(
        readme,
      );
    expect(java).not.toBeNull();
    expect(javaUri(java![1])).toBe(route);
    expect(javaUri('http://portal:7007', '/api/datamesh/v1/lineage')).toBe(
      route,
    );
    expect(() => javaUri(java![1], 'v1/lineage')).toThrow(
      "You can't pass both uri and endpoint parameters.",
    );
  });
});

describe('the official clients requests, replayed byte for byte', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  let backend: Awaited<ReturnType<typeof startTestBackend>>;
  let store: DatabaseLineageStore;

  beforeAll(async () => {
    const knex = await databases.init('SQLITE_3');
    store = new DatabaseLineageStore(knex);
    backend = await startTestBackend({
      features: [
        datameshPlugin,
        authServiceFactory,
        httpAuthServiceFactory,
        mockServices.database.factory({ knex }),
        catalogServiceMock.factory({
          entities: [
            productWith('raw-orders', [
              {
                name: 'raw',
                namespace: 'postgres://db:5432',
                dataset: 'shop.public.raw_orders',
              },
            ]),
          ],
        }),
        mockServices.rootConfig.factory({
          data: {
            backend: {
              auth: {
                externalAccess: [
                  {
                    type: 'static',
                    options: { token: 'pipeline-token', subject: 'pipelines' },
                  },
                ],
              },
            },
          },
        }),
      ],
    });
  });

  afterAll(async () => {
    await backend?.stop();
  });

  it('captures what the SOURCES note says: the route, JSON, the API key as a bearer token', () => {
    for (const file of fs
      .readdirSync(captures)
      .filter(f => /^(python|java)-(?!retries).*\.json$/.test(f))) {
      const capture = load(file);
      const headers = new Map(
        capture.headers.map(([k, v]) => [k.toLowerCase(), v]),
      );
      expect([file, capture.requestLine]).toEqual([
        file,
        expect.stringMatching(
          /^POST \/api\/datamesh\/v1\/lineage(\/batch)? HTTP\/1\.1$/,
        ),
      ]);
      expect(headers.get('authorization')).toBe('Bearer pipeline-token');
      expect(headers.get('content-type')).toMatch(/^application\/json/);
    }
    expect(load('python-complete-gzip.json').headers).toContainEqual([
      'Content-Encoding',
      'gzip',
    ]);
    expect(load('java-complete-gzip.json').headers).toEqual(
      expect.arrayContaining([
        ['Content-Encoding', 'gzip'],
        ['Transfer-Encoding', 'chunked'],
      ]),
    );
  });

  it('stores the Python client events: plain, gzip (the same event again), static events, a batch', async () => {
    const answers: Record<string, number> = {};
    for (const file of [
      'python-start.json',
      'python-complete.json',
      'python-complete-gzip.json',
      'python-job-event.json',
      'python-dataset-event.json',
      'python-batch-gzip.json',
    ]) {
      answers[file] = (
        await replay(backend.server, bytesOf(load(file)))
      ).status;
    }
    expect(answers).toEqual({
      'python-start.json': 201,
      'python-complete.json': 201,
      // the gzip capture is the COMPLETE event again: stored once
      'python-complete-gzip.json': 200,
      'python-job-event.json': 201,
      'python-dataset-event.json': 201,
      'python-batch-gzip.json': 200,
    });
    const batch = await replay(
      backend.server,
      bytesOf(load('python-batch-gzip.json')),
    );
    expect(JSON.parse(batch.body)).toMatchObject({
      status: 'success',
      summary: { received: 2, successful: 2, failed: 0 },
    });
    expect(
      await store.getRun('0193a8a4-5f7e-7c4d-9a3b-3f1c2e9d8b71'),
    ).toMatchObject({
      job: { namespace: 'airflow', name: 'orders.load' },
      state: 'COMPLETE',
      startedAt: '2026-12-01T10:00:00.000Z',
      endedAt: '2026-12-01T10:05:00.000Z',
    });
    expect(
      await store.getColumnLineage({
        namespace: 'postgres://db:5432',
        name: 'shop.public.orders',
      }),
    ).toMatchObject([
      {
        outputColumn: 'order_id',
        inputColumn: 'id',
        transformationSubtype: 'IDENTITY',
      },
    ]);
    // the assertions on the input, a product's port, became its checks
    const checks = await request(backend.server)
      .get('/api/datamesh/v1/products/default/raw-orders/checks')
      .set('authorization', 'Bearer pipeline-token');
    expect(
      checks.body.items.map((c: { name: string; status: string }) => [
        c.name,
        c.status,
      ]),
    ).toEqual([
      ['not_null on id', 'pass'],
      ['unique on id', 'fail'],
    ]);
  });

  it('stores the Java client events: plain, and gzip with chunked transfer (the same event again)', async () => {
    expect(
      (await replay(backend.server, bytesOf(load('java-complete.json'))))
        .status,
    ).toBe(201);
    expect(
      (await replay(backend.server, bytesOf(load('java-complete-gzip.json'))))
        .status,
    ).toBe(200);
    expect(
      await store.getRun('0193a8a4-5f7e-7c4d-9a3b-3f1c2e9d8b72'),
    ).toMatchObject({
      job: {
        namespace: 'spark',
        name: 'orders_daily.execute_insert_into_hadoop_fs_relation_command',
      },
      state: 'COMPLETE',
    });
  });

  it('answers what the Python client retries, as it retries it', async () => {
    const { retried } = JSON.parse(
      fs.readFileSync(path.join(captures, 'python-retries.json'), 'utf8'),
    ) as { retried: Record<string, boolean> };
    // bad input: 400 and 413 without Retry-After, which the client does not send again
    expect(retried['400']).toBe(false);
    expect(retried['413']).toBe(false);
    // a store that is down: 503 with Retry-After, which it does
    expect(retried['503 with Retry-After']).toBe(true);
    const capture = load('python-start.json');
    const badToken = bytesOf({
      ...capture,
      headers: capture.headers.map(([k, v]) =>
        k === 'Authorization' ? [k, 'Bearer not-a-token'] : [k, v],
      ),
    });
    expect((await replay(backend.server, badToken)).status).toBe(401);
  });
});
