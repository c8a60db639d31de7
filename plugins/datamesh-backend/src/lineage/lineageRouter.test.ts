import http from 'node:http';
import { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { randomUUID } from 'node:crypto';
import { TestDatabases, mockCredentials } from '@backstage/backend-test-utils';
import request from 'supertest';
import { Knex } from 'knex';
import {
  OUTSIDER,
  sendRaw,
  startLineageBackend,
} from './__testUtils__/lineageBackend';
import { dataset, facets, runEvent } from './__testUtils__/events';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

const LIMIT = 64 * 1024;
const job = { namespace: 'airflow', name: 'orders.load' };
const orders = dataset('postgres://db:5432', 'shop.public.orders', {
  columns: ['id'],
  facets: {
    columnLineage: facets.columnLineage({
      id: {
        inputFields: [
          {
            namespace: 'postgres://db:5432',
            name: 'shop.public.raw',
            field: 'id',
          },
        ],
      },
    }),
  },
});
const event = (eventType = 'COMPLETE', runId = randomUUID()) =>
  runEvent({
    runId,
    eventType,
    eventTime: '2026-12-01T10:00:00.000Z',
    job,
    inputs: [dataset('postgres://db:5432', 'shop.public.raw')],
    outputs: [orders],
  });

describe('the lineage routes', () => {
  let backend: Awaited<ReturnType<typeof startLineageBackend>>;
  let knex: Knex;

  beforeAll(async () => {
    knex = await databases.init('SQLITE_3');
    backend = await startLineageBackend({
      knex,
      config: {
        datamesh: { lineage: { maxBodySize: LIMIT, maxConcurrentWrites: 4 } },
      },
    });
  });

  afterAll(async () => {
    await backend?.stop();
  });

  const post = (body: unknown, route = 'lineage') => backend.post(route, body);
  const postGzip = (body: Buffer) =>
    sendRaw(backend.server, {
      method: 'POST',
      path: '/api/datamesh/v1/lineage',
      headers: {
        host: 'portal:7007',
        authorization: mockCredentials.service.header(),
        'content-type': 'application/json',
        'content-encoding': 'gzip',
        'content-length': String(body.length),
      },
      body,
    });

  it('answers 401 without credentials and 403 without datamesh.lineage.write', async () => {
    const none = await request(backend.server)
      .post('/api/datamesh/v1/lineage')
      .set('authorization', mockCredentials.none.header())
      .send(event());
    expect(none.status).toBe(401);
    const outsider = await request(backend.server)
      .post('/api/datamesh/v1/lineage')
      .set('authorization', mockCredentials.user.header(OUTSIDER))
      .send(event());
    expect(outsider.status).toBe(403);
    expect(outsider.body.error.message).toBe(
      'You may not write lineage: datamesh.lineage.write is not granted to you',
    );
    const user = await request(backend.server)
      .post('/api/datamesh/v1/lineage')
      .set('authorization', mockCredentials.user.header())
      .send(event());
    expect(user.status).toBe(201);
  });

  it('answers 201 for a new event and 200 for the same event again', async () => {
    const body = event('START');
    const first = await post(body);
    expect(first.status).toBe(201);
    expect(first.body).toEqual({
      status: 'stored',
      kind: 'RunEvent',
      eventType: 'START',
      runId: body.run.runId,
      job,
      qualityRuns: 0,
    });
    const again = await post(body);
    expect(again.status).toBe(200);
    expect(again.body.status).toBe('duplicate');
  });

  it('takes gzip bodies, and the Java client content type with its charset', async () => {
    const body = event();
    const gzip = await postGzip(gzipSync(JSON.stringify(body)));
    expect(gzip.status).toBe(201);
    expect(await backend.store.getRun(body.run.runId)).toMatchObject({
      state: 'COMPLETE',
    });
    const java = await request(backend.server)
      .post('/api/datamesh/v1/lineage')
      .set('authorization', mockCredentials.service.header())
      .set('content-type', 'application/json; charset=UTF-8')
      .send(JSON.stringify(event()));
    expect(java.status).toBe(201);
  });

  it.each([
    [
      'malformed JSON',
      { 'content-type': 'application/json' },
      '{"eventType": ',
      /^The request body is not valid JSON: /,
    ],
    [
      'an array on the single-event route',
      { 'content-type': 'application/json' },
      '[]',
      'An OpenLineage event is a JSON object (a RunEvent, JobEvent or DatasetEvent), not an array (post arrays to the batch route, v1/lineage/batch)',
    ],
    [
      'no event',
      { 'content-type': 'application/json' },
      '{"eventTime": "2026-12-01T10:00:00Z"}',
      'The event is no OpenLineage event: a RunEvent has run and job, a JobEvent job, a DatasetEvent dataset',
    ],
    [
      'another content type',
      { 'content-type': 'text/plain' },
      '{}',
      'Send OpenLineage events as application/json, not text/plain',
    ],
    [
      'another encoding',
      { 'content-type': 'application/json', 'content-encoding': 'br' },
      '{}',
      'Content-Encoding br is not supported; send the body as it is or gzip-compressed',
    ],
    [
      'a body that is not gzip',
      { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      '{}',
      /^The request body is not valid gzip \(Content-Encoding: gzip\): /,
    ],
    [
      'an empty body',
      { 'content-type': 'application/json' },
      '',
      'The request body is empty',
    ],
    [
      'a name longer than the store keeps',
      { 'content-type': 'application/json' },
      JSON.stringify({
        ...event(),
        job: { namespace: 'airflow', name: 'x'.repeat(1025) },
      }),
      'job.name is 1025 characters long; the lineage store keeps names of up to 1024',
    ],
  ])('answers 400 for %s, never 500', async (_, headers, body, message) => {
    const res = await request(backend.server)
      .post('/api/datamesh/v1/lineage')
      .set('authorization', mockCredentials.service.header())
      .set(headers)
      .send(body);
    expect(res.status).toBe(400);
    const exactly =
      message instanceof RegExp
        ? message
        : new RegExp(`^${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
    expect(res.body.error.message).toMatch(exactly);
  });

  it('answers 413 over datamesh.lineage.maxBodySize, sent or decompressed', async () => {
    const big = {
      ...event(),
      run: { runId: randomUUID(), facets: { padding: 'x'.repeat(LIMIT) } },
    };
    const plain = await post(big);
    expect(plain.status).toBe(413);
    expect(plain.body.error.message).toBe(
      `The request body is larger than the limit of ${LIMIT} bytes (datamesh.lineage.maxBodySize)`,
    );
    const compressed = gzipSync(JSON.stringify(big));
    expect(compressed.length).toBeLessThan(LIMIT);
    const bomb = await postGzip(compressed);
    expect(bomb.status).toBe(413);
    expect(JSON.parse(bomb.text).error.message).toBe(
      `The decompressed request body is larger than the limit of ${LIMIT} bytes (datamesh.lineage.maxBodySize)`,
    );
  });

  it('answers a batch with the spec partial-success body', async () => {
    const good = event();
    const { runId: _, ...noRunId } = event().run;
    const all = await post([good, event('START')], 'lineage/batch');
    expect(all.status).toBe(200);
    expect(all.body).toEqual({
      status: 'success',
      summary: {
        received: 2,
        successful: 2,
        failed: 0,
        retriable: 0,
        non_retriable: 0,
      },
      failed_events: [],
    });
    const partial = await post(
      [good, { ...event(), run: noRunId }, 'not an event', event()],
      'lineage/batch',
    );
    expect(partial.status).toBe(200);
    expect(partial.body).toEqual({
      status: 'partial_success',
      summary: {
        received: 4,
        successful: 2,
        failed: 2,
        retriable: 0,
        non_retriable: 2,
      },
      failed_events: [
        {
          index: 1,
          reason:
            'The OpenLineage RunEvent is invalid: run.runId is required by the OpenLineage schema',
          retriable: false,
        },
        {
          index: 2,
          reason:
            'An OpenLineage event is a JSON object (a RunEvent, JobEvent or DatasetEvent), not a string',
          retriable: false,
        },
      ],
    });
    const notArray = await post(good, 'lineage/batch');
    expect(notArray.status).toBe(400);
    expect(notArray.body.error.message).toBe(
      'A batch is a JSON array of OpenLineage events, with at least one event',
    );
  });

  it('rebuilds the graph from the kept events on POST /v1/lineage/replay', async () => {
    await post(event());
    const before = await backend.store.getColumnLineage(orders);
    expect(before).toHaveLength(1);
    await knex('lineage_column_lineage').delete();
    const res = await post({}, 'lineage/replay');
    expect(res.status).toBe(202);
    expect(res.body).toEqual({
      status: 'started',
      task: 'datamesh-lineage-replay',
    });
    // the test scheduler runs the task before triggerTask resolves
    expect(await backend.store.getColumnLineage(orders)).toEqual(before);
  });

  it('answers 503 with Retry-After past datamesh.lineage.maxConcurrentWrites', async () => {
    const { port } = backend.server.address() as AddressInfo;
    // four writers whose bodies are still coming hold every write
    const slow = Array.from({ length: 4 }, () => {
      const body = JSON.stringify(event());
      const req = http.request({
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/api/datamesh/v1/lineage',
        headers: {
          authorization: mockCredentials.service.header(),
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
        },
      });
      const answered = new Promise<number>((resolve, reject) => {
        req.on('response', res => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
      });
      req.write(body.slice(0, 10));
      return { req, rest: body.slice(10), answered };
    });
    await new Promise(resolve => setTimeout(resolve, 500));
    const refused = await post(event());
    expect(refused.status).toBe(503);
    expect(refused.headers['retry-after']).toBe('1');
    for (const s of slow) {
      s.req.end(s.rest);
    }
    expect(await Promise.all(slow.map(s => s.answered))).toEqual([
      201, 201, 201, 201,
    ]);
    expect((await post(event())).status).toBe(201);
  });
});

describe.each(databases.eachSupportedId())(
  'twenty concurrent writers through the API on %s',
  id => {
    it('lose and double nothing', async () => {
      const knex = await databases.init(id);
      const backend = await startLineageBackend({ knex });
      try {
        const runs = Array.from({ length: 10 }, () => randomUUID());
        const events = runs.flatMap(r => [
          event('START', r),
          event('COMPLETE', r),
        ]);
        const answers = await Promise.all(
          events.map(e => backend.post('lineage', e)),
        );
        expect(answers.map(a => a.status)).toEqual(events.map(() => 201));
        const again = await Promise.all(
          events.map(e => backend.post('lineage', e)),
        );
        expect(again.map(a => a.status)).toEqual(events.map(() => 200));
        const [{ n }] = await knex('lineage_raw_events').count({ n: '*' });
        expect(Number(n)).toBe(20);
        for (const r of runs) {
          expect((await backend.store.getRun(r))!.state).toBe('COMPLETE');
        }
        expect(await backend.store.getEdges({ job })).toHaveLength(2);
      } finally {
        await backend.stop();
      }
    });
  },
);
