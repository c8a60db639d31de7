import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import {
  TestDatabases,
  mockCredentials,
  mockServices,
} from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import path from 'node:path';
import request from 'supertest';
import {
  Server,
  getEntity,
  startCatalog,
  waitFor,
} from './__testUtils__/catalogBackend';
import { DATA_PRODUCT_HEALTH_LABEL } from '@backstage-datamesh/plugin-datamesh-common';
// the label's source, started next to the catalog as packages/backend adds it
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import datameshBackend from '@backstage-datamesh/plugin-datamesh-backend';

jest.setTimeout(180_000);

const meshFile = path.resolve(__dirname, '__fixtures__/mesh.yaml');
const PRODUCT = 'dataproduct:default/crm-accounts';

const CONFIG = {
  catalog: {
    rules: [{ allow: ['Group', 'User', 'Domain', 'DataProduct'] }],
    locations: [{ type: 'file', target: meshFile }],
  },
  datamesh: {
    health: { labels: { frequency: { milliseconds: 500 } } },
    // the backend's own evaluation of every product (into unknown) is not what this test is about
    quality: {
      schedules: {
        evaluate: {
          frequency: { hours: 1 },
          timeout: { minutes: 5 },
          initialDelay: { hours: 1 },
        },
      },
    },
  },
};

const healthOf = (entity: Entity | undefined) =>
  entity?.metadata.labels?.[DATA_PRODUCT_HEALTH_LABEL];

/** A native quality result, as a pipeline posts it. */
function result(status: string) {
  return {
    format: 'datamesh-quality-results/v1',
    finishedAt: new Date().toISOString(),
    checks: [{ name: 'x', status }],
  };
}

describe('the datamesh.io/health label, with the data mesh backend', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  describe.each(databases.eachSupportedId())('on %s', databaseId => {
    let server: Server;
    let stop: () => Promise<void>;

    beforeAll(async () => {
      const backend = await startCatalog(
        await databases.init(databaseId),
        CONFIG,
        {
          features: [
            // the label's source, started next to the catalog as packages/backend adds it
            datameshBackend,
            // the real scheduler, which runs tasks at their frequency
            schedulerServiceFactory,
          ],
          databases: { datamesh: await databases.init(databaseId) },
        },
      );
      server = backend.server;
      stop = () => backend.stop();
    });

    afterAll(async () => {
      await stop?.();
    });

    const post = (status: string) =>
      request(server)
        .post('/api/datamesh/v1/products/default/crm-accounts/quality')
        .set('authorization', mockCredentials.user.header())
        .send(result(status));

    // well within the catalog's processing interval (100-150 s): the refresh made it
    const waitForHealth = (health: string) =>
      waitFor(
        `${PRODUCT} labelled ${health}`,
        async () => {
          const entity = await getEntity(server, PRODUCT);
          return healthOf(entity) === health ? entity : undefined;
        },
        30_000,
      );

    it('labels a product from its health as it changes, and no product before it is evaluated', async () => {
      const before = await waitFor('crm-accounts', () =>
        getEntity(server, PRODUCT),
      );
      expect(healthOf(before)).toBeUndefined();

      const failing = await post('fail');
      expect(failing.status).toBe(201);
      expect(failing.body.health).toBe('degraded');
      await waitForHealth('degraded');

      const passing = await post('pass');
      expect(passing.body.health).toBe('healthy');
      const healthy = await waitForHealth('healthy');
      // the rest of the entity is as its file says
      expect(healthy.metadata.title).toBe('CRM Accounts');

      // the catalog filters on the label on the server, as the Data products page asks it to
      const filtered = await request(server).get(
        `/api/catalog/entities/by-query?filter=metadata.labels.${DATA_PRODUCT_HEALTH_LABEL}=healthy`,
      );
      expect(filtered.body.items.map((e: Entity) => e.metadata.name)).toEqual([
        'crm-accounts',
      ]);
      expect(
        healthOf(await getEntity(server, 'dataproduct:default/customer-360')),
      ).toBeUndefined();
    });
  });
});

describe('the datamesh.io/health label, without the data mesh backend', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

  it('warns once and keeps processing, with no label', async () => {
    const logger = mockServices.logger.mock();
    logger.child.mockImplementation(() => logger);
    const backend = await startCatalog(
      await databases.init('SQLITE_3'),
      {
        ...CONFIG,
        datamesh: { health: { labels: { frequency: { milliseconds: 200 } } } },
      },
      {
        features: [
          schedulerServiceFactory,
          createServiceFactory({
            service: coreServices.logger,
            deps: {},
            factory: () => logger,
          }),
        ],
      },
    );
    try {
      const product = await waitFor('crm-accounts', () =>
        getEntity(backend.server, PRODUCT),
      );
      expect(healthOf(product)).toBeUndefined();
      const warnings = () =>
        logger.warn.mock.calls.filter(([message]) =>
          String(message).startsWith('Data product health labels'),
        );
      await waitFor('the warning', async () =>
        warnings().length ? true : undefined,
      );
      // runs every 200 ms: a few more runs, still one warning
      await new Promise(resolve => setTimeout(resolve, 1000));
      expect(warnings()).toEqual([
        [
          expect.stringContaining(
            "Data product health labels are not kept current: the datamesh backend's health API did not answer (ResponseError: Request failed with 404 Not Found)",
          ),
        ],
      ]);
    } finally {
      await backend.stop();
    }
  });
});
