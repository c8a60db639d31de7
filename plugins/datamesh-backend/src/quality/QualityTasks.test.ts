import http from 'node:http';
import { AddressInfo } from 'node:net';
import { createHash } from 'node:crypto';
import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import { UrlReaders } from '@backstage/backend-defaults/urlReader';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { ConfigReader } from '@backstage/config';
import { connectDatabase } from '../database/migrations';
import { DatabaseQualityStore } from '../database/DatabaseQualityStore';
import { DatabaseHealthStore } from '../database/DatabaseHealthStore';
import { QualityService } from './QualityService';
import { ANNOTATION_QUALITY_RESULTS_URL, QualityTasks } from './QualityTasks';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

describe('QualityTasks', () => {
  let server: http.Server;
  let document = '';
  const requests: Array<string | undefined> = [];

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      requests.push(req.headers['if-none-match']);
      const etag = `"${createHash('sha1').update(document).digest('hex')}"`;
      if (req.headers['if-none-match'] === etag) {
        res.writeHead(304, { etag });
        res.end();
        return;
      }
      res.writeHead(200, { etag, 'content-type': 'application/json' });
      res.end(document);
    });
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  });

  afterAll(async () => {
    await new Promise(resolve => server.close(resolve));
  });

  it('pulls published results on a schedule, and reads them again only when they change', async () => {
    const { port } = server.address() as AddressInfo;
    const url = `http://127.0.0.1:${port}/quality/latest.json`;
    const entity = {
      apiVersion: 'datamesh.io/v1alpha1',
      kind: 'DataProduct',
      metadata: {
        name: 'orders',
        namespace: 'default',
        annotations: { [ANNOTATION_QUALITY_RESULTS_URL]: url },
      },
      spec: {
        owner: 'group:default/sales',
        domain: 'sales',
        type: 'source-aligned',
        lifecycle: 'production',
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
    };
    const knex = await connectDatabase(
      mockServices.database({
        knex: await databases.init('SQLITE_3'),
        migrations: { skip: false },
      }),
    );
    const quality = new DatabaseQualityStore(knex);
    const health = new DatabaseHealthStore(knex);
    const catalog = catalogServiceMock({ entities: [entity] });
    const logger = mockServices.logger.mock();
    const service = new QualityService({ quality, health, catalog, logger });
    const reader = UrlReaders.default({
      logger,
      config: new ConfigReader({
        backend: { reading: { allow: [{ host: `127.0.0.1:${port}` }] } },
      }),
    });
    const tasks = new QualityTasks({
      auth: mockServices.auth(),
      catalog,
      quality,
      service,
      reader,
      logger,
      retention: { rawDocumentsDays: 30, resultsDays: 30 },
    });
    const run = (status: string) =>
      JSON.stringify({
        format: 'datamesh-quality-results/v1',
        finishedAt: new Date().toISOString(),
        dataset: {
          namespace: 'postgres://db:5432',
          name: 'shop.public.orders',
        },
        checks: [{ name: 'orders_not_empty', status }],
      });

    document = run('pass');
    expect(await tasks.pullAll()).toEqual({
      stored: 1,
      unchanged: 0,
      failed: 0,
    });
    expect(await tasks.pullAll()).toEqual({
      stored: 0,
      unchanged: 1,
      failed: 0,
    });
    document = run('fail');
    expect(await tasks.pullAll()).toEqual({
      stored: 1,
      unchanged: 0,
      failed: 0,
    });

    const ref = 'dataproduct:default/orders';
    expect(requests[0]).toBeUndefined();
    expect(requests[1]).toMatch(/^"[0-9a-f]{40}"$/);
    expect(await quality.listRuns(ref)).toHaveLength(2);
    const [latest] = await quality.getLatestChecks(ref);
    expect(latest).toMatchObject({ status: 'fail', port: 'orders' });
    expect(await quality.getPullState(ref)).toMatchObject({
      url,
      status: 'stored',
    });
    expect((await health.getHealth(ref))?.health).toBe('degraded');

    document = 'not json';
    expect(await tasks.pullAll()).toEqual({
      stored: 0,
      unchanged: 0,
      failed: 1,
    });
    expect(await quality.getPullState(ref)).toMatchObject({ status: 'failed' });
  });

  it('prunes port updates past their retention, keeping what the health evaluation reads', async () => {
    const entity = {
      apiVersion: 'datamesh.io/v1alpha1',
      kind: 'DataProduct',
      metadata: { name: 'ledger', namespace: 'default' },
      spec: {
        owner: 'group:default/finance',
        domain: 'finance',
        type: 'source-aligned',
        lifecycle: 'production',
        sla: { freshness: '1h', availability: '99%' },
        outputPorts: [
          {
            name: 'entries',
            type: 'table',
            location: { namespace: 'postgres://db', name: 'ledger.entries' },
          },
          {
            name: 'archive',
            type: 'table',
            location: { namespace: 'postgres://db', name: 'ledger.archive' },
          },
        ],
      },
    };
    const knex = await connectDatabase(
      mockServices.database({
        knex: await databases.init('SQLITE_3'),
        migrations: { skip: false },
      }),
    );
    const quality = new DatabaseQualityStore(knex);
    const health = new DatabaseHealthStore(knex);
    const catalog = catalogServiceMock({ entities: [entity] });
    const logger = mockServices.logger.mock();
    const service = new QualityService({ quality, health, catalog, logger });
    const tasks = (datasetUpdatesDays?: number) =>
      new QualityTasks({
        auth: mockServices.auth(),
        catalog,
        quality,
        service,
        reader: UrlReaders.default({ logger, config: new ConfigReader({}) }),
        logger,
        retention: {
          rawDocumentsDays: 30,
          resultsDays: 30,
          datasetUpdatesDays,
        },
      });
    const ref = 'dataproduct:default/ledger';
    const hour = 3_600_000;
    const day = 24 * hour;
    const now = Date.parse('2026-12-02T12:00:00Z');
    // entries: updated every 2 hours for 200 days (a few late ones); archive: once, 150 days ago
    const rows = [];
    for (let t = now - 200 * day; t <= now - hour; t += 2 * hour) {
      rows.push({ product_ref: ref, port: 'entries', updated_at: t });
    }
    rows.push({
      product_ref: ref,
      port: 'archive',
      updated_at: now - 150 * day,
    });
    await knex.batchInsert('quality_dataset_updates', rows, 200);
    const count = async (port: string) =>
      Number(
        (
          await knex('quality_dataset_updates')
            .where({ product_ref: ref, port })
            .count({ n: '*' })
        )[0].n,
      );
    const credentials = await mockServices.auth().getOwnServiceCredentials();
    const before = await service.evaluate(entity as never, credentials, {
      now,
    });
    expect(before.slos.find(s => s.slo === 'availability')).toBeDefined();

    // configured below what availability reads: 60 days are kept
    const pruned = await tasks(10).prune({ now });
    const kept = await count('entries');
    expect(kept).toBe(rows.filter(r => r.updated_at >= now - 60 * day).length);
    expect(pruned.datasetUpdates).toBe(rows.length - 1 - kept);
    // the only update of a port stays, however old: freshness is measured from it
    expect(await count('archive')).toBe(1);
    expect(
      await service.evaluate(entity as never, credentials, { now }),
    ).toEqual(before);

    // the default: 90 days, nothing more to prune
    expect((await tasks().prune({ now })).datasetUpdates).toBe(0);
    expect(await quality.getLastUpdates(ref)).toEqual({
      entries: rows[rows.length - 2].updated_at,
      archive: now - 150 * day,
    });
  });
});
