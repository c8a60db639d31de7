import {
  BackstageCredentials,
  SchedulerService,
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { permissionsServiceFactory } from '@backstage/backend-defaults/permissions';
import {
  TestDatabases,
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { RELATION_MEMBER_OF, type Entity } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import catalogModuleUnprocessed from '@backstage/plugin-catalog-backend-module-unprocessed';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import permissionPlugin from '@backstage/plugin-permission-backend';
import searchPlugin from '@backstage/plugin-search-backend';
import searchModuleCatalogCollator from '@backstage/plugin-search-backend-module-catalog';
import catalogModuleDataMesh from '@backstage-datamesh/plugin-catalog-backend-module-datamesh';
import datameshPlugin from '@backstage-datamesh/plugin-datamesh-backend';
import path from 'node:path';
import request from 'supertest';
import permissionPolicyModule from './modules/permissionPolicy';

jest.setTimeout(240_000);

const ORG_FILE = path.resolve(__dirname, '../../../examples/org.yaml');
const PRODUCTS_FILE = path.resolve(
  __dirname,
  '__fixtures__/access/catalog-info.yaml',
);

/** A member of customer-domain-team, which owns the restricted customer-identities. */
const OWNER = 'user:default/guest';
/** A member of data-platform-team, the platform team of `datamesh.access.platformTeams`. */
const PLATFORM = 'user:default/sam-lee';
/** A member of marketing-team: owns identity-reach, which consumes customer-identities. */
const OUTSIDER = 'user:default/lena-fischer';

const RESTRICTED = 'dataproduct:default/customer-identities';
const RESTRICTED_NAME = 'customer-identities';
/** Restricted too, owned by finance-team: neither the owner nor the outsider sees it. */
const OTHER_RESTRICTED = 'dataproduct:default/financial-kpis';
/** Internal, owned by marketing-team; its input port reads customer-identities. */
const CONSUMER = 'dataproduct:default/identity-reach';
/** Restricted, owned by finance-team, rejected by the catalog (a data mesh problem). */
const REJECTED_NAME = 'ledger-snapshots';

const SEARCH_TASK = 'search_index_software_catalog';

/**
 * The user info service as the auth backend fills it in production: a user's ownership refs are
 * the user's own ref and the groups the catalog says it is a member of (`memberOf` relations),
 * which is what the sign-in resolvers' `signInWithCatalogUser` puts in the token's `ent` claim
 * and `coreServices.userInfo` reads back. Only the token is mocked (`mockCredentials`).
 */
const catalogUserInfoFactory = createServiceFactory({
  service: coreServices.userInfo,
  deps: { catalog: catalogServiceRef, auth: coreServices.auth },
  async factory({ catalog, auth }) {
    return {
      async getUserInfo(credentials: BackstageCredentials) {
        if (!auth.isPrincipal(credentials, 'user')) {
          throw new InputError('User info is only available for users');
        }
        const userEntityRef = credentials.principal.userEntityRef;
        const user = await catalog.getEntityByRef(userEntityRef, {
          credentials: await auth.getOwnServiceCredentials(),
        });
        const groups = (user?.relations ?? [])
          .filter(
            r =>
              r.type === RELATION_MEMBER_OF && r.targetRef.startsWith('group:'),
          )
          .map(r => r.targetRef);
        return {
          userEntityRef,
          ownershipEntityRefs: [...new Set([userEntityRef, ...groups])],
        };
      },
    };
  },
});

/**
 * The test backend's mock auth service, but a plugin's request made on behalf of a user carries
 * the plugin as its actor, as production's on-behalf-of tokens do: the mock drops it, and the
 * permission backend refuses resource permissions without a resourceRef from a user with no
 * actor (a browser asking directly), which is how the catalog asks for its conditions.
 */
const onBehalfOfAuthFactory = createServiceFactory({
  service: coreServices.auth,
  deps: { plugin: coreServices.pluginMetadata },
  factory({ plugin }) {
    const auth = mockServices.auth({ pluginId: plugin.getId() });
    const forward = auth.getPluginRequestToken.bind(auth);
    auth.getPluginRequestToken = async options => {
      if (auth.isPrincipal(options.onBehalfOf, 'user')) {
        return {
          token: mockCredentials.user.token(
            options.onBehalfOf.principal.userEntityRef,
            { actor: { subject: `plugin:${plugin.getId()}` } },
          ),
        };
      }
      return forward(options);
    };
    return auth;
  },
});

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

type Server = Awaited<ReturnType<typeof startTestBackend>>['server'];

/** Polls `probe` until it answers something, for at most 120 seconds. */
async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
): Promise<T> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const value = await probe();
    if (value !== undefined) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error(`Timed out waiting for ${what}`);
    }
    await new Promise(resolve => setTimeout(resolve, 250));
  }
}

function openLineageRun() {
  const dataset = (name: string) => ({
    namespace: 'postgres://warehouse:5432',
    name,
  });
  return {
    eventType: 'COMPLETE',
    eventTime: new Date().toISOString(),
    run: { runId: '3f1d2c2e-7a55-4c0e-9a63-1d1b2f3a4b5c' },
    job: { namespace: 'airflow', name: 'marketing.identity_reach' },
    inputs: [dataset('analytics.customer.identities')],
    outputs: [dataset('analytics.marketing.identity_reach')],
    producer: 'https://github.com/backstage-datamesh/access-test',
    schemaURL:
      'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent',
  };
}

function failingQualityRun() {
  return {
    format: 'datamesh-quality-results/v1',
    tool: { name: 'pipeline-checks' },
    finishedAt: new Date().toISOString(),
    checks: [
      {
        name: 'row_count_positive',
        status: 'fail',
        observedValue: 0,
        threshold: '> 0',
      },
    ],
  };
}

describe.each(databases.eachSupportedId())(
  'access by sensitivity, on %s',
  databaseId => {
    let server: Server;
    let stop: (() => Promise<void>) | undefined;

    const as = (user: string) => mockCredentials.user.header(user);
    const get = (url: string, user: string) =>
      request(server).get(url).set('authorization', as(user));
    const dataProductNames = async (user: string) => {
      const res = await get(
        '/api/catalog/entities/by-query?filter=kind=dataproduct&fields=metadata.name&limit=100',
        user,
      );
      if (res.status !== 200) {
        throw new Error(`by-query: ${res.status} ${JSON.stringify(res.body)}`);
      }
      return (res.body.items as Entity[]).map(e => e.metadata.name).sort();
    };

    beforeAll(async () => {
      const knexes = new Map<string, ReturnType<TestDatabases['init']>>();
      // one scheduler for every plugin (its factory answers this instance), whose tasks the test
      // triggers: the search index once the catalog is full
      const scheduler = mockServices.scheduler() as SchedulerService & {
        factory(options: {
          skipTaskRunOnStartup?: boolean;
        }): ReturnType<typeof mockServices.scheduler.factory>;
      };
      const backend = await startTestBackend({
        features: [
          catalogPlugin,
          catalogModuleDataMesh,
          catalogModuleUnprocessed,
          permissionPlugin,
          permissionPolicyModule,
          searchPlugin,
          searchModuleCatalogCollator,
          datameshPlugin,
          // the real permission client (the test backend's default allows everything), asking
          // the permission backend and its policy
          permissionsServiceFactory,
          onBehalfOfAuthFactory,
          catalogUserInfoFactory,
          scheduler.factory({ skipTaskRunOnStartup: true }),
          // each plugin its own database on the engine under test
          createServiceFactory({
            service: coreServices.database,
            deps: { plugin: coreServices.pluginMetadata },
            async factory({ plugin }) {
              const id = plugin.getId();
              if (!knexes.has(id)) {
                knexes.set(id, databases.init(databaseId));
              }
              const knex = await knexes.get(id)!;
              return { getClient: async () => knex };
            },
          }),
          mockServices.rootConfig.factory({
            data: {
              permission: { enabled: true },
              datamesh: {
                access: { platformTeams: ['group:default/data-platform-team'] },
              },
              catalog: {
                rules: [{ allow: ['Group', 'User', 'Domain', 'DataProduct'] }],
                locations: [
                  { type: 'file', target: ORG_FILE },
                  { type: 'file', target: PRODUCTS_FILE },
                ],
              },
              search: {
                collators: {
                  catalog: {
                    schedule: {
                      frequency: { hours: 1 },
                      timeout: { minutes: 5 },
                    },
                  },
                },
              },
            },
          }),
        ],
      });
      server = backend.server;
      stop = () => backend.stop();

      // the catalog has processed everything: the products with their relations, the users with
      // their groups, and the rejected product is a problem
      await waitFor('the data products', async () => {
        const names = await dataProductNames(PLATFORM);
        return names.length === 3 ? names : undefined;
      });
      await waitFor(`${CONSUMER} dependsOn ${RESTRICTED}`, async () => {
        const res = await get(
          '/api/catalog/entities/by-name/dataproduct/default/identity-reach',
          PLATFORM,
        );
        return (res.body as Entity).relations?.some(
          r => r.type === 'dependsOn' && r.targetRef === RESTRICTED,
        )
          ? true
          : undefined;
      });
      for (const user of [OWNER, PLATFORM, OUTSIDER]) {
        await waitFor(`${user} memberOf`, async () => {
          const [, name] = user.split('/');
          const res = await get(
            `/api/catalog/entities/by-name/user/default/${name}`,
            PLATFORM,
          );
          return (res.body as Entity).relations?.some(
            r => r.type === RELATION_MEMBER_OF,
          )
            ? true
            : undefined;
        });
      }
      await waitFor(`${REJECTED_NAME} as a problem`, async () => {
        const res = await request(server)
          .get('/api/datamesh/problems')
          .set('authorization', mockCredentials.service.header());
        return JSON.stringify(res.body).includes(REJECTED_NAME)
          ? true
          : undefined;
      });

      // facts of the restricted product in the suite's stores: a failing quality run (health,
      // checks, an incident), observed lineage to its consumer, and its compliance
      const service = mockCredentials.service.header();
      const quality = await request(server)
        .post(
          '/api/datamesh/v1/products/default/customer-identities/quality?port=identities',
        )
        .set('authorization', service)
        .send(failingQualityRun());
      if (quality.status !== 201) {
        throw new Error(`quality post: ${quality.status} ${quality.text}`);
      }
      const lineage = await request(server)
        .post('/api/datamesh/v1/lineage')
        .set('authorization', service)
        .send(openLineageRun());
      if (lineage.status >= 300) {
        throw new Error(`lineage post: ${lineage.status} ${lineage.text}`);
      }
      const compliance = await get(
        '/api/datamesh/v1/products/default/customer-identities/compliance',
        OWNER,
      );
      if (compliance.status !== 200) {
        throw new Error(`compliance: ${compliance.status} ${compliance.text}`);
      }

      // the search index, from the full catalog
      await scheduler.triggerTask(SEARCH_TASK);
    });

    afterAll(async () => {
      await stop?.();
    });

    describe('the catalog API', () => {
      it('lists restricted products to their owners and the platform team only', async () => {
        expect(await dataProductNames(PLATFORM)).toEqual([
          'customer-identities',
          'financial-kpis',
          'identity-reach',
        ]);
        expect(await dataProductNames(OWNER)).toEqual([
          'customer-identities',
          'identity-reach',
        ]);
        expect(await dataProductNames(OUTSIDER)).toEqual(['identity-reach']);
      });

      it('answers 404 by name to anyone else', async () => {
        const byName = (user: string, name: string) =>
          get(
            `/api/catalog/entities/by-name/dataproduct/default/${name}`,
            user,
          );
        expect((await byName(OWNER, RESTRICTED_NAME)).status).toBe(200);
        expect((await byName(PLATFORM, RESTRICTED_NAME)).status).toBe(200);
        expect((await byName(PLATFORM, 'financial-kpis')).status).toBe(200);
        expect((await byName(OUTSIDER, RESTRICTED_NAME)).status).toBe(404);
        expect((await byName(OWNER, 'financial-kpis')).status).toBe(404);
        expect((await byName(OUTSIDER, 'identity-reach')).status).toBe(200);
      });

      it('answers null by refs to anyone else', async () => {
        const byRefs = async (user: string) => {
          const res = await request(server)
            .post('/api/catalog/entities/by-refs')
            .set('authorization', as(user))
            .send({ entityRefs: [RESTRICTED, OTHER_RESTRICTED, CONSUMER] });
          expect(res.status).toBe(200);
          return (res.body.items as (Entity | null)[]).map(
            e => e?.metadata.name ?? null,
          );
        };
        expect(await byRefs(PLATFORM)).toEqual([
          'customer-identities',
          'financial-kpis',
          'identity-reach',
        ]);
        expect(await byRefs(OWNER)).toEqual([
          'customer-identities',
          null,
          'identity-reach',
        ]);
        expect(await byRefs(OUTSIDER)).toEqual([null, null, 'identity-reach']);
      });

      it('does not count them in facets for anyone else', async () => {
        const facets = async (user: string) => {
          const res = await get(
            '/api/catalog/entity-facets?facet=spec.sensitivity&facet=metadata.name&filter=kind=dataproduct',
            user,
          );
          expect(res.status).toBe(200);
          const counts = (facet: string) =>
            Object.fromEntries(
              (
                res.body.facets[facet] as { value: string; count: number }[]
              ).map(f => [f.value, f.count]),
            );
          return {
            sensitivity: counts('spec.sensitivity'),
            names: Object.keys(counts('metadata.name')).sort(),
          };
        };
        expect(await facets(PLATFORM)).toEqual({
          sensitivity: { restricted: 2, internal: 1 },
          names: ['customer-identities', 'financial-kpis', 'identity-reach'],
        });
        expect(await facets(OWNER)).toEqual({
          sensitivity: { restricted: 1, internal: 1 },
          names: ['customer-identities', 'identity-reach'],
        });
        expect(await facets(OUTSIDER)).toEqual({
          sensitivity: { internal: 1 },
          names: ['identity-reach'],
        });
      });
    });

    it('leaves restricted products out of search results for anyone else', async () => {
      const found = async (user: string) => {
        const res = await get(
          '/api/search/query?term=customer&types%5B0%5D=software-catalog',
          user,
        );
        expect(res.status).toBe(200);
        return (res.body.results as { document: { location: string } }[])
          .map(r => r.document.location)
          .filter(l => l.includes('/dataproduct/'))
          .sort();
      };
      const location = `/catalog/default/dataproduct/${RESTRICTED_NAME}`;
      // the index holds it: the platform team finds it, and so do its owners
      expect(await found(PLATFORM)).toContain(location);
      expect(await found(OWNER)).toContain(location);
      expect(await found(OUTSIDER)).not.toContain(location);
      const kpis = async (user: string) => {
        const res = await get(
          '/api/search/query?term=financial&types%5B0%5D=software-catalog',
          user,
        );
        return JSON.stringify(res.body.results);
      };
      expect(await kpis(PLATFORM)).toContain('financial-kpis');
      expect(await kpis(OWNER)).not.toContain('financial-kpis');
    });

    it('leaves restricted products out of the catalog graph for anyone else', async () => {
      // what @backstage/plugin-catalog-graph 0.6.10 does (useEntityStore): it reads the root
      // entity, then every entity its relations name with one POST /entities/by-refs
      // ({ entityRefs } and no filter), and draws only the entities that came back
      const graph = async (user: string) => {
        const root = await get(
          '/api/catalog/entities/by-name/dataproduct/default/identity-reach',
          user,
        );
        expect(root.status).toBe(200);
        const entityRefs = [
          CONSUMER,
          ...(root.body as Entity).relations!.map(r => r.targetRef),
        ];
        const res = await request(server)
          .post('/api/catalog/entities/by-refs')
          .set('authorization', as(user))
          .send({ entityRefs });
        expect(res.status).toBe(200);
        return (res.body.items as (Entity | null)[])
          .filter((e): e is Entity => e !== null)
          .map(e => `${e.kind}:${e.metadata.name}`.toLocaleLowerCase('en-US'))
          .sort();
      };
      expect(await graph(PLATFORM)).toContain(`dataproduct:${RESTRICTED_NAME}`);
      expect(await graph(OUTSIDER)).not.toContain(
        `dataproduct:${RESTRICTED_NAME}`,
      );
      expect(await graph(OUTSIDER)).toContain('dataproduct:identity-reach');
    });

    it.each([
      `/contracts/default/${RESTRICTED_NAME}/identities`,
      `/products/default/${RESTRICTED_NAME}/infrastructure`,
      `/v1/products/default/${RESTRICTED_NAME}/health`,
      `/v1/products/default/${RESTRICTED_NAME}/checks`,
      `/v1/products/default/${RESTRICTED_NAME}/history`,
      `/v1/products/default/${RESTRICTED_NAME}/incidents`,
      `/v1/products/default/${RESTRICTED_NAME}/runs`,
      `/v1/products/default/${RESTRICTED_NAME}/lineage`,
      `/v1/products/default/${RESTRICTED_NAME}/ports/identities/column-lineage`,
      `/v1/products/default/${RESTRICTED_NAME}/impact`,
      `/v1/products/default/${RESTRICTED_NAME}/lineage/drift`,
      `/v1/products/default/${RESTRICTED_NAME}/compliance`,
    ])(
      'answers %s to the owners and the platform team, and 404 to anyone else',
      async route => {
        const url = `/api/datamesh${route}`;
        expect((await get(url, OWNER)).status).toBe(200);
        expect((await get(url, PLATFORM)).status).toBe(200);
        const outsider = await get(url, OUTSIDER);
        expect(outsider.status).toBe(404);
        expect(outsider.body.error?.name).toBe('NotFoundError');
      },
    );
  },
);
