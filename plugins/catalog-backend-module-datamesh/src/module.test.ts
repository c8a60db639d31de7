import { TestDatabases } from '@backstage/backend-test-utils';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { parse, stringify } from 'yaml';
import {
  Server,
  TestKnex,
  getEntity,
  relationsOf,
  startCatalog,
  waitFor,
  waitForErrors,
  waitForRelation,
} from './__testUtils__/catalogBackend';

jest.setTimeout(120_000);

const meshFile = path.resolve(__dirname, '__fixtures__/mesh.yaml');

const MESH_CONFIG = {
  catalog: {
    rules: [{ allow: ['Group', 'User', 'Domain', 'DataProduct'] }],
    locations: [{ type: 'file', target: meshFile }],
  },
};

describe('catalogModuleDataMesh in a real catalog backend', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  if (process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING) {
    it('runs against PostgreSQL as well as SQLite', () => {
      expect(databases.supports('POSTGRES_15')).toBe(true);
    });
  }

  if (databases.supports('POSTGRES_15')) {
    it('serves the same mesh from two backend replicas sharing one PostgreSQL', async () => {
      const knex = await databases.init('POSTGRES_15');
      const start = () => startCatalog(knex, MESH_CONFIG);
      // as in a rolling deployment: the first replica migrates the database, then the second joins
      const replicas = [await start(), await start()];
      try {
        for (const replica of replicas) {
          const product = await waitFor(
            'customer-360 on each replica',
            async () => {
              const e = await getEntity(
                replica.server,
                'dataproduct:default/customer-360',
              );
              return e?.relations?.length === 3 ? e : undefined;
            },
          );
          expect(relationsOf(product)).toEqual([
            'dependsOn dataproduct:default/crm-accounts',
            'ownedBy group:default/customer-domain-team',
            'partOf domain:default/customer',
          ]);
        }
        // the upstream product is processed apart from customer-360 (whose relations name it
        // without waiting for it): wait until each replica serves it too, then count
        for (const replica of replicas) {
          await waitFor('crm-accounts on each replica', async () =>
            getEntity(replica.server, 'dataproduct:default/crm-accounts'),
          );
        }
        // one row per entity: the replicas shared the work instead of duplicating it
        const counts = await knex('final_entities')
          .join(
            'refresh_state',
            'refresh_state.entity_id',
            'final_entities.entity_id',
          )
          .where('refresh_state.entity_ref', 'like', 'dataproduct:%')
          .count({ n: '*' });
        expect(Number(counts[0].n)).toBe(2);
      } finally {
        await Promise.all(replicas.map(r => r.stop()));
      }
    });
  }

  describe.each(databases.eachSupportedId())('on %s', databaseId => {
    let server: Server;
    let knex: TestKnex;
    let stop: () => Promise<void>;

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      const backend = await startCatalog(knex, MESH_CONFIG);
      server = backend.server;
      stop = () => backend.stop();
    });

    afterAll(async () => {
      await stop?.();
    });

    it('stores valid data products with both directions of their relations', async () => {
      const product = await waitFor('customer-360 with relations', async () => {
        const e = await getEntity(server, 'dataproduct:default/customer-360');
        return e?.relations?.length ? e : undefined;
      });
      expect(product.spec?.sla).toEqual({
        freshness: '15min',
        availability: '99.95%',
        accuracy: '99.5%',
        completeness: 0.98,
      });
      expect(relationsOf(product)).toEqual([
        'dependsOn dataproduct:default/crm-accounts',
        'ownedBy group:default/customer-domain-team',
        'partOf domain:default/customer',
      ]);

      const upstream = await waitForRelation(
        server,
        'dataproduct:default/crm-accounts',
        'dependencyOf dataproduct:default/customer-360',
      );
      expect(relationsOf(upstream)).toEqual([
        'dependencyOf dataproduct:default/customer-360',
        'ownedBy group:default/sales-team',
        'partOf domain:default/sales',
      ]);

      const domain = await waitForRelation(
        server,
        'domain:default/customer',
        'hasPart dataproduct:default/customer-360',
      );
      expect(relationsOf(domain)).toEqual(
        expect.arrayContaining([
          'hasPart dataproduct:default/customer-360',
          'hasPart domain:default/customer-identity',
        ]),
      );
      const team = await waitForRelation(
        server,
        'group:default/customer-domain-team',
        'ownerOf dataproduct:default/customer-360',
      );
      expect(relationsOf(team)).toContain('ownerOf domain:default/customer');
    });

    it('keeps an invalid entity out with an error naming the field, blocking no other', async () => {
      const errors = await waitForErrors(
        knex,
        'dataproduct:default/broken-orders-feed',
      );
      expect(errors).toEqual([
        'spec.outputPorts[1].type must be one of table, view, topic, api, file, not "tabel"',
      ]);
      expect(
        await getEntity(server, 'dataproduct:default/broken-orders-feed'),
      ).toBeUndefined();
      // its neighbours in the same file are in the catalog
      expect(
        await getEntity(server, 'dataproduct:default/crm-accounts'),
      ).toBeDefined();

      const domainErrors = await waitForErrors(
        knex,
        'domain:default/broken-domain',
      );
      expect(domainErrors[0]).toBe(
        'spec.datamesh.sla.freshness must be a duration such as 15m, 1h or 1d, not "soon"',
      );
    });

    it('answers validate-entity with the processors\u2019 errors', async () => {
      const entity = {
        apiVersion: 'datamesh.io/v1alpha1',
        kind: 'DataProduct',
        metadata: { name: 'orders' },
        spec: {
          owner: 'sales-team',
          domain: 'sales',
          type: 'source-aligned',
          lifecycle: 'production',
          sensitivity: 'secret',
          sla: { availability: '101%' },
        },
      };
      const bad = await request(server)
        .post('/api/catalog/validate-entity')
        .send({
          entity,
          location: 'url:https://example.com/catalog-info.yaml',
        });
      expect(bad.status).toBe(400);
      const messages = bad.body.errors.map(
        (e: { message: string }) => e.message,
      );
      expect(messages).toEqual([
        'spec.sensitivity must be one of public, internal, confidential, restricted, not "secret"',
        'spec.sla.availability must be a percentage between 0% and 100% such as 99.5%, or a ratio between 0 and 1 such as 0.98, not "101%"',
      ]);

      const good = await request(server)
        .post('/api/catalog/validate-entity')
        .send({
          entity: {
            ...entity,
            spec: { ...entity.spec, sensitivity: 'internal', sla: {} },
          },
          location: 'url:https://example.com/catalog-info.yaml',
        });
      expect(good.status).toBe(200);
    });
  });
});

describe('catalogModuleDataMesh configuration (datamesh.descriptors.defaults)', () => {
  let dir: string;
  let target: string;

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'datamesh-defaults-'));
    target = path.join(dir, 'orders.odps.yaml');
    // the module's own ODPS example without the team, the domain and the product type
    const orders = parse(
      fs.readFileSync(
        path.resolve(__dirname, '__fixtures__/descriptors/orders.odps.yaml'),
        'utf8',
      ),
    );
    delete orders.team;
    delete orders.domain;
    delete orders.customProperties;
    fs.writeFileSync(target, stringify(orders));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

  const backendWith = async (defaults: Record<string, string>) =>
    startCatalog(await databases.init('SQLITE_3'), {
      catalog: {
        rules: [{ allow: ['Location', 'DataProduct'] }],
        locations: [{ type: 'odps', target }],
      },
      datamesh: { descriptors: { defaults } },
    });

  it('converts descriptors with the configured defaults where they are silent', async () => {
    const backend = await backendWith({
      owner: 'group:default/data-platform',
      domain: 'sales',
      type: 'aggregate',
      lifecycle: 'experimental',
    });
    try {
      const product = await waitFor('orders', () =>
        getEntity(backend.server, 'dataproduct:default/orders'),
      );
      expect(product.spec).toMatchObject({
        owner: 'group:default/data-platform',
        domain: 'sales',
        type: 'aggregate',
        // ODPS says its status (active): the default lifecycle does not replace it
        lifecycle: 'production',
      });
    } finally {
      await backend.stop();
    }
  });

  it('refuses to start with an invalid default, naming its config key', async () => {
    // each rule is tested with readDescriptorDefaults (DataProductDescriptorProcessor.test.ts)
    await expect(backendWith({ type: 'derived' })).rejects.toThrow(
      'Invalid app-config for data product descriptors: datamesh.descriptors.defaults.type must be one of source-aligned, aggregate, consumer-aligned, not "derived"',
    );
  });
});
