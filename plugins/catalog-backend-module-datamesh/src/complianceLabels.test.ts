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
import {
  DATA_PRODUCT_COMPLIANCE_LABEL,
  DATA_PRODUCT_POLICY_FAILURES_ANNOTATION,
} from '@backstage-datamesh/plugin-datamesh-common';
// the labels' source, started next to the catalog as packages/backend adds it
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
    governance: {
      labels: { frequency: { milliseconds: 500 } },
      // the scheduled evaluation of every product does not run during the test
      schedule: {
        frequency: { hours: 24 },
        timeout: { minutes: 5 },
        initialDelay: { hours: 24 },
      },
      // new products are found in the catalog and evaluated within a second
      changes: {
        delayMs: 100,
        catalogSchedule: { frequency: { seconds: 1 }, timeout: { minutes: 1 } },
      },
      policies: [
        ...[
          'encryption-at-rest',
          'pii-masking',
          'data-lineage',
          'quality-slo',
          'retention-policy',
          'audit-logging',
        ].map(id => ({ id, enabled: false })),
        {
          id: 'quality-passing',
          description: 'The latest quality checks pass.',
          enforcement: 'required',
          rule: 'quality.evaluated && quality.failing == 0',
        },
        {
          id: 'title-set',
          description: 'Products have a title.',
          enforcement: 'recommended',
          rule: 'has(product.metadata.title)',
        },
      ],
    },
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

const labelOf = (entity: Entity | undefined) =>
  entity?.metadata.labels?.[DATA_PRODUCT_COMPLIANCE_LABEL];
const failuresOf = (entity: Entity | undefined) =>
  entity?.metadata.annotations?.[DATA_PRODUCT_POLICY_FAILURES_ANNOTATION];

/** A native quality result, as a pipeline posts it. */
function result(status: string) {
  return {
    format: 'datamesh-quality-results/v1',
    finishedAt: new Date().toISOString(),
    checks: [{ name: 'x', status }],
  };
}

describe('the datamesh.io/compliance label, with the data mesh backend', () => {
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

    // well within the catalog's processing interval (100-150 s): the refresh made it
    const waitForLabel = (label: string) =>
      waitFor(
        `${PRODUCT} labelled ${label}`,
        async () => {
          const entity = await getEntity(server, PRODUCT);
          return labelOf(entity) === label ? entity : undefined;
        },
        60_000,
      );

    it('labels a product from its compliance as it changes, with the required policies it fails', async () => {
      const failing = await waitForLabel('non-compliant');
      expect(failuresOf(failing)).toBe('quality-passing');
      // the rest of the entity is as its file says
      expect(failing.metadata.title).toBe('CRM Accounts');

      const passing = await request(server)
        .post('/api/datamesh/v1/products/default/crm-accounts/quality')
        .set('authorization', mockCredentials.user.header())
        .send(result('pass'));
      expect(passing.status).toBe(201);
      const compliant = await waitForLabel('compliant');
      expect(failuresOf(compliant)).toBeUndefined();

      // the catalog filters on the label on the server, as the Data products page asks it to
      const filtered = await request(server).get(
        `/api/catalog/entities/by-query?filter=kind=dataproduct,metadata.labels.${DATA_PRODUCT_COMPLIANCE_LABEL}=compliant`,
      );
      expect(filtered.body.items.map((e: Entity) => e.metadata.name)).toEqual([
        'crm-accounts',
      ]);
    });
  });
});

describe('the datamesh.io/compliance label on the example mesh', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  const examples = path.resolve(__dirname, '../../../examples');
  const files = [
    'org.yaml',
    'domains.yaml',
    ...['customer', 'marketing', 'sales', 'product', 'finance', 'support'].map(
      d => `data-products/${d}/catalog-info.yaml`,
    ),
  ];

  it('labels every example product once the backend has evaluated it, with the default policies', async () => {
    const backend = await startCatalog(
      await databases.init('SQLITE_3'),
      {
        catalog: {
          rules: [{ allow: ['Group', 'User', 'Domain', 'DataProduct'] }],
          locations: files.map(f => ({
            type: 'file',
            target: path.join(examples, f),
          })),
        },
        datamesh: {
          governance: {
            labels: { frequency: { milliseconds: 500 } },
            // as app-config.yaml, with the catalog read for new products every second
            environment: { name: 'development', production: false },
            changes: {
              delayMs: 100,
              catalogSchedule: {
                frequency: { seconds: 1 },
                timeout: { minutes: 1 },
              },
            },
          },
        },
      },
      {
        features: [datameshBackend, schedulerServiceFactory],
        databases: { datamesh: await databases.init('SQLITE_3') },
      },
    );
    try {
      const labelled = await waitFor(
        'every example product labelled',
        async () => {
          const res = await request(backend.server).get(
            '/api/catalog/entities/by-query?filter=kind=dataproduct&limit=100',
          );
          const items = res.body.items as Entity[];
          return items.length >= 18 && items.every(e => labelOf(e))
            ? items
            : undefined;
        },
        120_000,
      );
      for (const entity of labelled) {
        const label = labelOf(entity);
        expect(['compliant', 'non-compliant']).toContain(label);
        // an annotation exactly when non-compliant
        expect(failuresOf(entity) !== undefined).toBe(
          label === 'non-compliant',
        );
      }
    } finally {
      await backend.stop();
    }
  });
});

describe('the datamesh.io/compliance label, without the data mesh backend', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

  it('warns once and keeps processing, with no label', async () => {
    const logger = mockServices.logger.mock();
    logger.child.mockImplementation(() => logger);
    const backend = await startCatalog(
      await databases.init('SQLITE_3'),
      {
        ...CONFIG,
        datamesh: {
          governance: { labels: { frequency: { milliseconds: 200 } } },
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
      const product = await waitFor('crm-accounts', () =>
        getEntity(backend.server, PRODUCT),
      );
      expect(labelOf(product)).toBeUndefined();
      expect(failuresOf(product)).toBeUndefined();
      const warnings = () =>
        logger.warn.mock.calls.filter(([message]) =>
          String(message).startsWith('Data product compliance labels'),
        );
      await waitFor('the warning', async () =>
        warnings().length ? true : undefined,
      );
      // runs every 200 ms: a few more runs, still one warning
      await new Promise(resolve => setTimeout(resolve, 1000));
      expect(warnings()).toEqual([
        [
          expect.stringContaining(
            "Data product compliance labels are not kept current: the datamesh backend's governance API did not answer",
          ),
        ],
      ]);
    } finally {
      await backend.stop();
    }
  });
});
