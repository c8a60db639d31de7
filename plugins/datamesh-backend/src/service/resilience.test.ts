import http from 'node:http';
import { AddressInfo } from 'node:net';
import knexFactory, { Knex } from 'knex';
import request from 'supertest';
import { createServiceFactory } from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  NotificationSendOptions,
  notificationService,
} from '@backstage/plugin-notifications-node';
import { datameshPlugin } from '../plugin';
import { ThrowawayPostgres } from '../__testUtils__/throwawayPostgres';

jest.setTimeout(180_000);

const product = (annotations: Record<string, string> = {}) => ({
  apiVersion: 'datamesh.io/v1alpha1',
  kind: 'DataProduct',
  metadata: { name: 'orders', namespace: 'default', annotations },
  spec: {
    owner: 'group:default/sales',
    domain: 'sales',
    type: 'source-aligned',
    lifecycle: 'production',
    sla: { completeness: '99%' },
    outputPorts: [
      {
        name: 'orders',
        type: 'table',
        location: {
          namespace: 'postgres://db:5432',
          name: 'shop.public.orders',
        },
      },
    ],
  },
});

const run = (i: number, status = 'pass', unexpected = 0) => ({
  format: 'datamesh-quality-results/v1',
  runId: `run-${i}`,
  finishedAt: new Date(Date.UTC(2026, 11, 1) + i * 1000).toISOString(),
  checks: [
    {
      name: 'not_null_order_id',
      status,
      dimension: 'completeness',
      rowsEvaluated: 100,
      unexpectedCount: unexpected,
    },
  ],
});

function connect(pg: ThrowawayPostgres): Knex {
  return knexFactory({
    client: 'pg',
    connection: pg.connection,
    pool: { min: 0, max: 5, acquireTimeoutMillis: 3000 },
    acquireConnectionTimeout: 3000,
  });
}

describe('the quality store through the API, on a PostgreSQL that fails', () => {
  let pg: ThrowawayPostgres;
  const clients: Knex[] = [];
  const stops: Array<() => Promise<void>> = [];

  beforeAll(async () => {
    pg = await ThrowawayPostgres.create();
  });

  afterAll(async () => {
    for (const stop of stops) {
      await stop();
    }
    for (const client of clients) {
      await client.destroy();
    }
    pg?.destroy();
  });

  it('loses no result answered 2xx when the database restarts in the middle of a load, and answers the rest 503', async () => {
    const knex = connect(pg);
    clients.push(knex);
    const backend = await startTestBackend({
      features: [
        datameshPlugin,
        catalogServiceMock.factory({ entities: [product()] }),
        mockServices.database.factory({ knex }),
      ],
    });
    stops.push(() => backend.stop());
    const total = 120;
    const outcomes = new Map<number, number[]>();
    let next = 0;
    let done = 0;
    let restarted: Promise<void> | undefined;
    const unexpected: string[] = [];
    const retryAfter: Array<string | undefined> = [];
    const restart = async () => {
      pg.stop();
      await new Promise(resolve => setTimeout(resolve, 1500));
      pg.start();
    };
    const post = (i: number) =>
      request(backend.server)
        .post('/api/datamesh/v1/products/default/orders/quality')
        .set('authorization', mockCredentials.service.header())
        .send(run(i));
    const worker = async () => {
      while (next < total) {
        const i = next++;
        const res = await post(i);
        outcomes.set(i, [...(outcomes.get(i) ?? []), res.status]);
        if (![200, 201, 503].includes(res.status)) {
          unexpected.push(`${res.status} ${res.text}`);
        }
        if (res.status === 503) {
          retryAfter.push(res.headers['retry-after']);
        }
        done += 1;
        if (done === 30 && !restarted) {
          restarted = restart();
        }
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    await restarted;

    const statuses = [...outcomes.values()].flat();
    // every answer was a success or an error a client retries
    expect(unexpected).toEqual([]);
    expect(statuses.filter(s => ![200, 201, 503].includes(s))).toEqual([]);
    expect(statuses.filter(s => s === 503).length).toBeGreaterThan(0);
    expect(new Set(retryAfter)).toEqual(new Set(['5']));

    // clients retry what was refused, until it is stored
    for (const [i, answers] of outcomes) {
      for (let attempt = 0; ![200, 201].includes(answers.at(-1)!); attempt++) {
        expect(attempt).toBeLessThan(20);
        await new Promise(resolve => setTimeout(resolve, 250));
        answers.push((await post(i)).status);
      }
    }
    const rows = await knex('quality_runs').select('tool_run_id');
    const ids = rows.map(r => r.tool_run_id).sort();
    expect(ids).toEqual(
      Array.from({ length: total }, (_, i) => `run-${i}`).sort(),
    );
    const checks = await knex('quality_check_results').count({ n: '*' });
    expect(Number(checks[0].n)).toBe(total);
  });

  it('with two replicas, pulls each source once and raises one incident and one notification per move', async () => {
    const admin = connect(pg);
    clients.push(admin);
    await admin.raw('CREATE DATABASE replicas');
    const served: string[] = [];
    const server = http.createServer((req, res) => {
      served.push(req.url ?? '');
      res.writeHead(200, { 'content-type': 'application/json', etag: '"v1"' });
      res.end(JSON.stringify(run(1000)));
    });
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const url = `http://127.0.0.1:${port}/orders/quality.json`;
    const sent: NotificationSendOptions[] = [];
    const replicas: Array<Awaited<ReturnType<typeof startTestBackend>>> = [];
    for (let r = 0; r < 2; r++) {
      const knex = knexFactory({
        client: 'pg',
        connection: { ...pg.connection, database: 'replicas' },
      });
      clients.push(knex);
      const backend = await startTestBackend({
        features: [
          datameshPlugin,
          schedulerServiceFactory,
          catalogServiceMock.factory({
            entities: [product({ 'datamesh.io/quality-results-url': url })],
          }),
          mockServices.database.factory({ knex }),
          createServiceFactory({
            service: notificationService,
            deps: {},
            factory: () => ({
              send: async (options: NotificationSendOptions) => {
                sent.push(options);
              },
            }),
          }),
          mockServices.rootConfig.factory({
            data: {
              backend: { reading: { allow: [{ host: `127.0.0.1:${port}` }] } },
              datamesh: {
                quality: {
                  schedules: {
                    pull: {
                      frequency: { hours: 1 },
                      timeout: { minutes: 1 },
                      initialDelay: { seconds: 1 },
                    },
                    evaluate: {
                      frequency: { hours: 1 },
                      timeout: { minutes: 1 },
                      initialDelay: { hours: 1 },
                    },
                  },
                },
              },
            },
          }),
        ],
      });
      stops.push(() => backend.stop());
      replicas.push(backend);
    }
    // both replicas scheduled the pull; one of them runs it
    const deadline = Date.now() + 30_000;
    while (served.length === 0 && Date.now() < deadline) {
      await new Promise(resolve => setTimeout(resolve, 200));
    }
    await new Promise(resolve => setTimeout(resolve, 5000));
    expect(served).toEqual(['/orders/quality.json']);

    // the same move into breaching, recorded by both replicas at once
    const breach = (r: number, i: number) =>
      request(replicas[r].server)
        .post('/api/datamesh/v1/products/default/orders/quality')
        .set('authorization', mockCredentials.service.header())
        .send(run(i, 'fail', 10));
    const answers = await Promise.all([breach(0, 2000), breach(1, 2001)]);
    expect(answers.map(a => a.body.health)).toEqual(['breaching', 'breaching']);
    const incidents = await request(replicas[0].server)
      .get('/api/datamesh/v1/products/default/orders/incidents')
      .set('authorization', mockCredentials.user.header());
    expect(incidents.body.items).toHaveLength(1);
    expect(
      sent.filter(s => s.payload.topic === 'datamesh-health-breaching'),
    ).toHaveLength(1);
    await new Promise(resolve => server.close(resolve));
  });
});
