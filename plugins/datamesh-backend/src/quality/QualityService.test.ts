import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { ConfigReader } from '@backstage/config';
import { UrlReaders } from '@backstage/backend-defaults/urlReader';
import type { DataProductEntityV1alpha1 } from '@backstage-datamesh/plugin-datamesh-common';
import type { HealthStore } from '@backstage-datamesh/plugin-datamesh-node';
import { parseQualityResults } from '@backstage-datamesh/plugin-datamesh-node';
import { connectDatabase } from '../database/migrations';
import { DatabaseQualityStore } from '../database/DatabaseQualityStore';
import { DatabaseHealthStore } from '../database/DatabaseHealthStore';
import { QualityService } from './QualityService';
import { QualityTasks } from './QualityTasks';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

const domain = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Domain',
  metadata: { name: 'sales', namespace: 'default' },
  spec: { owner: 'group:default/sales' },
};

const product = {
  apiVersion: 'datamesh.io/v1alpha1',
  kind: 'DataProduct',
  metadata: { name: 'orders', namespace: 'default' },
  spec: {
    owner: 'group:default/sales',
    domain: 'sales',
    type: 'source-aligned',
    lifecycle: 'production',
    outputPorts: [
      {
        name: 'orders',
        type: 'table',
        location: { namespace: 'postgres://db', name: 'shop.orders' },
      },
    ],
  },
  relations: [{ type: 'partOf', targetRef: 'domain:default/sales' }],
} as unknown as DataProductEntityV1alpha1;

function run(i: number, status: 'pass' | 'fail') {
  return parseQualityResults({
    document: {
      format: 'datamesh-quality-results/v1',
      tool: { name: 'pipeline-checks' },
      finishedAt: new Date(Date.UTC(2026, 11, 1, 0, 0, i)).toISOString(),
      checks: [{ name: 'orders_not_empty', status }],
    },
  });
}

async function setup(options?: {
  health?: (store: HealthStore) => HealthStore;
  now?: () => number;
}) {
  const knex = await connectDatabase(
    mockServices.database({
      knex: await databases.init('SQLITE_3'),
      migrations: { skip: false },
    }),
  );
  const quality = new DatabaseQualityStore(knex);
  const stored = new DatabaseHealthStore(knex);
  const health = options?.health?.(stored) ?? stored;
  const catalog = catalogServiceMock({ entities: [product, domain] });
  const reads: string[] = [];
  const getEntityByRef = catalog.getEntityByRef.bind(catalog);
  jest
    .spyOn(catalog, 'getEntityByRef')
    .mockImplementation(async (ref, opts) => {
      reads.push(typeof ref === 'string' ? ref : `${ref.kind}:${ref.name}`);
      return getEntityByRef(ref, opts);
    });
  const logger = mockServices.logger.mock();
  const service = new QualityService({
    quality,
    health,
    catalog,
    logger,
    now: options?.now,
  });
  const tasks = new QualityTasks({
    auth: mockServices.auth(),
    catalog,
    quality,
    service,
    reader: UrlReaders.default({ logger, config: new ConfigReader({}) }),
    logger,
    retention: { rawDocumentsDays: 30, resultsDays: 30 },
  });
  const credentials = await mockServices.auth().getOwnServiceCredentials();
  const ingest = (i: number, status: 'pass' | 'fail') =>
    service.ingest({
      entity: product,
      run: run(i, status),
      raw: { body: `{"i":${i}}`, contentType: 'application/json' },
      source: 'push',
      credentials,
    });
  return { service, tasks, stored, reads, ingest, credentials };
}

describe('QualityService', () => {
  it('coalesces the evaluations of a burst of posts for one product', async () => {
    let release!: () => void;
    const gate = new Promise<void>(resolve => {
      release = resolve;
    });
    const recorded: string[] = [];
    const { ingest, stored } = await setup({
      health: store =>
        Object.assign(Object.create(store), {
          recordEvaluation: async (
            ...args: Parameters<HealthStore['recordEvaluation']>
          ) => {
            recorded.push(args[1].health);
            // the first evaluation waits until every post of the burst is in
            if (recorded.length === 1) {
              await gate;
            }
            return store.recordEvaluation(...args);
          },
        }),
    });
    const first = ingest(0, 'pass');
    // wait until the first post's evaluation is recording
    while (recorded.length === 0) {
      await new Promise(resolve => setTimeout(resolve, 5));
    }
    const burst = Array.from({ length: 9 }, (_, i) =>
      ingest(i + 1, i === 8 ? 'fail' : 'pass'),
    );
    // give the burst time to store its runs and join the queued evaluation
    await new Promise(resolve => setTimeout(resolve, 500));
    release();
    const answers = await Promise.all([first, ...burst]);
    // ten posts, two evaluations: the one running, and one for all that came during it
    expect(recorded).toEqual(['healthy', 'degraded']);
    expect(answers.map(a => a.health)).toEqual([
      'healthy',
      ...Array(9).fill('degraded'),
    ]);
    expect(answers.every(a => a.created)).toBe(true);
    expect((await stored.getHealth('dataproduct:default/orders'))?.health).toBe(
      'degraded',
    );
    // once settled, the next post is evaluated on its own
    expect((await ingest(10, 'pass')).health).toBe('healthy');
    expect(recorded).toHaveLength(3);
  });

  it('reads a product and its domain from the catalog again once the cache expired', async () => {
    let now = 1_000_000;
    const { service, ingest, reads, credentials } = await setup({
      now: () => now,
    });
    const ref = { namespace: 'default', name: 'orders' };
    await service.getProduct(ref, credentials, { cached: true });
    await ingest(0, 'pass');
    await service.getProduct(ref, credentials, { cached: true });
    await ingest(1, 'pass');
    expect(reads).toEqual(['DataProduct:orders', 'domain:default/sales']);
    // uncached reads (the read routes) always ask the catalog
    await service.getProduct(ref, credentials);
    expect(reads).toHaveLength(3);
    // another caller gets what the catalog shows them, not what it showed the first
    await service.getProduct(
      ref,
      await mockServices.auth().getOwnServiceCredentials(),
      {
        cached: true,
      },
    );
    const user = {
      $$type: '@backstage/BackstageCredentials',
      principal: { type: 'user', userEntityRef: 'user:default/amy' },
    } as never;
    await service.getProduct(ref, user, { cached: true });
    expect(reads).toHaveLength(4);
    // a product the catalog does not have (yet) is not kept: it is asked for again
    const missing = { namespace: 'default', name: 'returns' };
    for (let i = 0; i < 2; i++) {
      await expect(
        service.getProduct(missing, credentials, { cached: true }),
      ).rejects.toThrow('No data product dataproduct:default/returns');
    }
    expect(reads.slice(4)).toEqual([
      'DataProduct:returns',
      'DataProduct:returns',
    ]);
    reads.splice(4);
    now += 30_000;
    await service.getProduct(ref, credentials, { cached: true });
    await ingest(2, 'pass');
    expect(reads.slice(4)).toEqual([
      'DataProduct:orders',
      'domain:default/sales',
    ]);
  });

  it('loses no evaluation: a run stored whose evaluation failed is evaluated by evaluateAll', async () => {
    let fail = true;
    const { ingest, tasks, stored } = await setup({
      health: store =>
        Object.assign(Object.create(store), {
          recordEvaluation: async (
            ...args: Parameters<HealthStore['recordEvaluation']>
          ) => {
            if (fail) {
              throw new Error('the database went away');
            }
            return store.recordEvaluation(...args);
          },
        }),
    });
    await expect(ingest(0, 'fail')).rejects.toThrow('the database went away');
    expect(
      await stored.getHealth('dataproduct:default/orders'),
    ).toBeUndefined();
    fail = false;
    expect(await tasks.evaluateAll()).toEqual({ evaluated: 1, failed: 0 });
    expect((await stored.getHealth('dataproduct:default/orders'))?.health).toBe(
      'degraded',
    );
  });
});
