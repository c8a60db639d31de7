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
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import request from 'supertest';
import {
  RELATION_OBSERVED_DEPENDENCY_OF,
  RELATION_OBSERVED_DEPENDS_ON,
} from '@backstage-datamesh/plugin-datamesh-common';
// the relations' source, started next to the catalog as packages/backend adds it
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import datameshBackend from '@backstage-datamesh/plugin-datamesh-backend';
import {
  Server,
  getEntity,
  relationsOf,
  startCatalog,
  waitFor,
  waitForRelation,
} from '../__testUtils__/catalogBackend';

jest.setTimeout(180_000);

const meshFile = path.resolve(__dirname, '../__fixtures__/mesh.yaml');
const UPSTREAM = 'dataproduct:default/crm-accounts';
const DOWNSTREAM = 'dataproduct:default/customer-360';

const CONFIG = {
  catalog: {
    rules: [{ allow: ['Group', 'User', 'Domain', 'DataProduct'] }],
    locations: [{ type: 'file', target: meshFile }],
  },
  datamesh: {
    lineage: { relations: { frequency: { milliseconds: 500 } } },
    // the backend's own evaluation of every product is not what this test is about
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

const PRODUCER =
  'https://github.com/OpenLineage/OpenLineage/tree/1.53.0/client/python';

/**
 * A COMPLETE RunEvent of customer-360's build job: it reads the accounts port of crm-accounts
 * and writes customer-360's profile port, as an Airflow task instrumented with OpenLineage sends it.
 */
function buildRun() {
  return {
    eventType: 'COMPLETE',
    eventTime: new Date().toISOString(),
    run: { runId: randomUUID() },
    job: { namespace: 'airflow', name: 'customer_360.build' },
    inputs: [{ namespace: 'postgres://crm:5432', name: 'crm.public.accounts' }],
    outputs: [
      {
        namespace: 'postgres://warehouse:5432',
        name: 'analytics.customer.customer_360',
      },
    ],
    producer: PRODUCER,
    schemaURL:
      'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent',
  };
}

/** The observed relations of an entity, as `type targetRef`. */
const observed = (relations: string[]) =>
  relations.filter(r => r.startsWith('observed'));

describe('observed lineage relations, with the data mesh backend', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  describe.each(databases.eachSupportedId())('on %s', databaseId => {
    let server: Server;
    let stop: () => Promise<void>;

    beforeAll(async () => {
      const backend = await startCatalog(
        await databases.init(databaseId),
        CONFIG,
        {
          features: [datameshBackend, schedulerServiceFactory],
          databases: { datamesh: await databases.init(databaseId) },
        },
      );
      server = backend.server;
      stop = () => backend.stop();
    });

    afterAll(async () => {
      await stop?.();
    });

    it('relates the products a job was observed connecting, both directions, beside the declared ones', async () => {
      const before = await waitFor('customer-360', () =>
        getEntity(server, DOWNSTREAM),
      );
      // declared from spec.inputPorts, and nothing observed yet
      expect(relationsOf(before)).toContain(`dependsOn ${UPSTREAM}`);
      expect(observed(relationsOf(before))).toEqual([]);

      const posted = await request(server)
        .post('/api/datamesh/v1/lineage')
        .set('authorization', mockCredentials.user.header())
        .send(buildRun());
      expect(posted.status).toBe(201);

      // well within the catalog's processing interval (100-150 s): the refresh made it
      const downstream = await waitForRelation(
        server,
        DOWNSTREAM,
        `${RELATION_OBSERVED_DEPENDS_ON} ${UPSTREAM}`,
      );
      expect(observed(relationsOf(downstream))).toEqual([
        `${RELATION_OBSERVED_DEPENDS_ON} ${UPSTREAM}`,
      ]);
      const upstream = await waitForRelation(
        server,
        UPSTREAM,
        `${RELATION_OBSERVED_DEPENDENCY_OF} ${DOWNSTREAM}`,
      );
      expect(observed(relationsOf(upstream))).toEqual([
        `${RELATION_OBSERVED_DEPENDENCY_OF} ${DOWNSTREAM}`,
      ]);
      // the declared relations are still there, told apart by their type
      expect(relationsOf(downstream)).toContain(`dependsOn ${UPSTREAM}`);
      expect(relationsOf(upstream)).toContain(`dependencyOf ${DOWNSTREAM}`);

      // the catalog filters on them on the server like on any relation
      const filtered = await request(server).get(
        `/api/catalog/entities/by-query?filter=relations.${RELATION_OBSERVED_DEPENDS_ON}=${UPSTREAM}`,
      );
      expect(
        filtered.body.items.map(
          (e: { metadata: { name: string } }) => e.metadata.name,
        ),
      ).toEqual(['customer-360']);
    });
  });
});

describe('observed lineage relations, without the data mesh backend', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

  it('warns once and keeps processing, with the declared relations only', async () => {
    const logger = mockServices.logger.mock();
    logger.child.mockImplementation(() => logger);
    const backend = await startCatalog(
      await databases.init('SQLITE_3'),
      {
        ...CONFIG,
        datamesh: {
          lineage: { relations: { frequency: { milliseconds: 200 } } },
          health: { labels: { enabled: false } },
        },
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
      const product = await waitForRelation(
        backend.server,
        DOWNSTREAM,
        `dependsOn ${UPSTREAM}`,
      );
      expect(observed(relationsOf(product))).toEqual([]);
      const warnings = () =>
        logger.warn.mock.calls.filter(([message]) =>
          String(message).startsWith('Observed lineage relations'),
        );
      await waitFor('the warning', async () =>
        warnings().length ? true : undefined,
      );
      // runs every 200 ms: a few more runs, still one warning
      await new Promise(resolve => setTimeout(resolve, 1000));
      expect(warnings()).toEqual([
        [
          expect.stringContaining(
            "Observed lineage relations are not kept current: the datamesh backend's lineage API did not answer (ResponseError: Request failed with 404 Not Found)",
          ),
        ],
      ]);
    } finally {
      await backend.stop();
    }
  });
});
