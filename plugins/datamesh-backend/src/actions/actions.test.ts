import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  TestDatabases,
  mockCredentials,
  mockServices,
} from '@backstage/backend-test-utils';
import { actionsRegistryServiceMock } from '@backstage/backend-test-utils/alpha';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import type {
  CatalogService,
  CatalogServiceRequestOptions,
} from '@backstage/plugin-catalog-node';
import {
  HealthEvaluation,
  isDataProductEntity,
} from '@backstage-datamesh/plugin-datamesh-common';
import { parseQualityResults } from '@backstage-datamesh/plugin-datamesh-node';
import { connectDatabase } from '../database/migrations';
import { DatabaseHealthStore } from '../database/DatabaseHealthStore';
import { DatabaseQualityStore } from '../database/DatabaseQualityStore';
import { QualityService } from '../quality/QualityService';
import { registerDataMeshActions } from '.';
import { ProductVisibility } from '../service/visibility';

jest.setTimeout(60_000);

const INSIDER = 'user:default/insider';
const alice = mockCredentials.user('user:default/alice');
const insider = mockCredentials.user(INSIDER);

function domain(name: string, parent?: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Domain',
    metadata: { name, namespace: 'default' },
    spec: { owner: 'group:default/customer-domain-team', subdomainOf: parent },
    relations: parent
      ? [{ type: 'partOf', targetRef: `domain:default/${parent}` }]
      : [],
  };
}

function product(name: string, domainName: string, owner: string): Entity {
  return {
    apiVersion: 'datamesh.io/v1alpha1',
    kind: 'DataProduct',
    metadata: { name, namespace: 'default', title: `The ${name} product` },
    spec: {
      owner,
      domain: domainName,
      type: 'aggregate',
      lifecycle: 'production',
      outputPorts: [{ name: 'main', type: 'table' }],
    },
    relations: [
      { type: 'ownedBy', targetRef: `group:default/${owner}` },
      { type: 'partOf', targetRef: `domain:default/${domainName}` },
    ],
  };
}

const entities = [
  domain('customer'),
  domain('customer-identity', 'customer'),
  domain('sales'),
  product('customer-360', 'customer', 'customer-domain-team'),
  product('identity-graph', 'customer-identity', 'customer-domain-team'),
  product('crm-accounts', 'sales', 'sales-team'),
  product('never-evaluated', 'sales', 'sales-team'),
  // only the insider may see this one: it is restricted
  restricted(product('secret-ledger', 'customer', 'customer-domain-team')),
];

function restricted(entity: Entity): Entity {
  return { ...entity, spec: { ...entity.spec, sensitivity: 'restricted' } };
}

/** The in-memory catalog, hiding secret-ledger from everyone but the insider, as a permission policy would. */
function catalogWithVisibility(): CatalogService {
  const inner = catalogServiceMock({ entities });
  const visible = (
    entity: Entity | null | undefined,
    { credentials }: CatalogServiceRequestOptions,
  ) =>
    entity &&
    (entity.metadata.name !== 'secret-ledger' ||
      (credentials.principal as { userEntityRef?: string }).userEntityRef ===
        INSIDER)
      ? entity
      : undefined;
  // every other method is the in-memory catalog's own
  const catalog: CatalogService = Object.create(inner);
  catalog.getEntityByRef = async (ref, options) =>
    visible(await inner.getEntityByRef(ref, options), options);
  catalog.getEntities = async (request, options) => {
    const { items } = await inner.getEntities(request, options);
    return { items: items.filter(e => visible(e, options)) };
  };
  catalog.getEntitiesByRefs = async (request, options) => {
    const { items } = await inner.getEntitiesByRefs(request, options);
    return { items: items.map(e => visible(e, options)) };
  };
  return catalog;
}

function evaluation(
  health: HealthEvaluation['health'],
  reason: string,
): HealthEvaluation {
  return {
    health,
    reasons: [reason],
    slos: [
      {
        slo: 'freshness',
        objective: '15m',
        objectiveSource: 'product',
        measured: health === 'breaching' ? 11_520_000 : 60_000,
        status: health === 'breaching' ? 'breached' : 'met',
        reason,
      },
    ],
    failingChecks: [],
  };
}

describe('the data mesh actions', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  const registry = actionsRegistryServiceMock();
  const auditor = mockServices.auditor.mock();
  type Input = Parameters<typeof registry.invoke>[0]['input'];
  const invoke = (
    name: string,
    input: Input,
    credentials: BackstageCredentials = alice,
  ) => registry.invoke({ id: `test:${name}`, input, credentials });

  beforeAll(async () => {
    const knex = await databases.init('SQLITE_3');
    const db = await connectDatabase(
      mockServices.database({ knex, migrations: { skip: false } }),
    );
    const quality = new DatabaseQualityStore(db);
    const health = new DatabaseHealthStore(db);
    const catalog = catalogWithVisibility();
    const service = new QualityService({
      quality,
      health,
      catalog,
      logger: mockServices.logger.mock(),
    });
    registerDataMeshActions({
      actionsRegistry: registry,
      catalog,
      visibility: new ProductVisibility({ catalog }),
      quality,
      health,
      service,
      auditor,
    });

    // customer-360 and crm-accounts as a pipeline reports them: one failing check each
    const now = Date.now();
    for (const [name, minutesAgo] of [
      ['customer-360', 30],
      ['crm-accounts', 10],
    ] as const) {
      const entity = entities.find(e => e.metadata.name === name);
      if (!entity || !isDataProductEntity(entity)) {
        throw new Error(`${name} is not a data product`);
      }
      // one after the other: customer-360 is degraded for longer
      await service.ingest({
        entity,
        port: 'main',
        run: parseQualityResults({
          document: {
            format: 'datamesh-quality-results/v1',
            tool: { name: 'pipeline-checks' },
            finishedAt: new Date(now - minutesAgo * 60_000).toISOString(),
            checks: [
              { name: 'row_count_positive', status: 'pass' },
              {
                name: 'no_null_ids',
                status: 'fail',
                observedValue: 12,
                threshold: '= 0',
              },
            ],
          },
        }),
        raw: { body: '{}', contentType: 'application/json' },
        source: 'push',
        credentials: insider,
      });
      await new Promise(resolve => setTimeout(resolve, 10));
    }
    // identity-graph and secret-ledger breach, the secret one for longer
    await health.recordEvaluation(
      { entityRef: 'dataproduct:default/secret-ledger', title: 'Secret' },
      evaluation('breaching', 'freshness 5h against 15m (port main)'),
      now - 5 * 3_600_000,
    );
    await health.recordEvaluation(
      {
        entityRef: 'dataproduct:default/identity-graph',
        title: 'Identity graph',
        lifecycle: 'production',
      },
      evaluation('breaching', 'freshness 3h 12m against 15m (port main)'),
      now - 3_600_000,
    );
  });

  it('lists the four actions, read-only', async () => {
    const { actions } = await registry.list();
    expect(actions.map(a => a.id).sort()).toEqual([
      'test:get-data-product-checks',
      'test:get-data-product-health',
      'test:get-data-product-incidents',
      'test:list-unhealthy-data-products',
    ]);
    for (const action of actions) {
      expect(action.attributes).toEqual({
        readOnly: true,
        idempotent: true,
        destructive: false,
      });
    }
  });

  it('answers a breaching product’s health with its reasons, objectives and open incident', async () => {
    const { output } = await invoke('get-data-product-health', {
      entityRef: 'identity-graph',
    });
    expect(output).toMatchObject({
      entityRef: 'dataproduct:default/identity-graph',
      title: 'The identity-graph product',
      health: 'breaching',
      reasons: ['freshness 3h 12m against 15m (port main)'],
      slos: [expect.objectContaining({ slo: 'freshness', status: 'breached' })],
      failingChecks: [],
      openIncident: {
        state: 'new',
        severity: 'high',
        title: 'Identity graph breaches freshness',
      },
    });
  });

  it('answers a degraded product’s failing check, and unknown for one never evaluated', async () => {
    const degraded = await invoke('get-data-product-health', {
      entityRef: 'dataproduct:default/customer-360',
    });
    expect(degraded.output).toMatchObject({
      health: 'degraded',
      failingChecks: [
        expect.objectContaining({
          name: 'no_null_ids',
          status: 'fail',
          port: 'main',
        }),
      ],
    });
    expect(degraded.output).toMatchObject({ openIncident: undefined });

    const unknown = await invoke('get-data-product-health', {
      entityRef: 'never-evaluated',
    });
    expect(unknown.output).toEqual({
      entityRef: 'dataproduct:default/never-evaluated',
      title: 'The never-evaluated product',
      health: 'unknown',
      reasons: ['no quality result or update reported yet'],
      slos: [],
      failingChecks: [],
    });
  });

  it('hides the products the caller may not see, as the catalog does', async () => {
    await expect(
      invoke('get-data-product-health', { entityRef: 'secret-ledger' }),
    ).rejects.toThrow(
      'No data product dataproduct:default/secret-ledger in the catalog',
    );
    await expect(
      invoke('get-data-product-incidents', { entityRef: 'secret-ledger' }),
    ).rejects.toMatchObject({ name: 'NotFoundError' });
    auditor.createEvent.mockClear();
    const seen = await invoke(
      'get-data-product-health',
      { entityRef: 'secret-ledger' },
      insider,
    );
    expect(seen.output).toMatchObject({ health: 'breaching' });
    // the read of a restricted product is recorded, with who read it
    expect(auditor.createEvent).toHaveBeenCalledTimes(1);
    expect(auditor.createEvent).toHaveBeenCalledWith({
      eventId: 'restricted-product-read',
      severityLevel: 'low',
      request: undefined,
      meta: {
        entityRef: 'dataproduct:default/secret-ledger',
        queryType: 'action:get-data-product-health',
        actor: { type: 'user', userEntityRef: INSIDER },
      },
    });
    const event = await auditor.createEvent.mock.results[0].value;
    expect(event.success).toHaveBeenCalled();
    // reads of other products are not
    auditor.createEvent.mockClear();
    await invoke('get-data-product-checks', { entityRef: 'customer-360' });
    expect(auditor.createEvent).not.toHaveBeenCalled();
  });

  it('refuses a reference that names no data product, naming the field', async () => {
    await expect(
      invoke('get-data-product-checks', {
        entityRef: 'component:default/customer-360',
      }),
    ).rejects.toThrow(
      'entityRef must name a DataProduct, not a component ("component:default/customer-360")',
    );
    await expect(
      invoke('get-data-product-checks', { entityRef: 'dataproduct:' }),
    ).rejects.toThrow(
      'entityRef must be a data product reference such as dataproduct:default/customer-360, not "dataproduct:"',
    );
    await expect(
      invoke('get-data-product-checks', {
        entityRef: 'customer-360',
        statuses: ['broken'],
      }),
    ).rejects.toThrow('Invalid input to action "test:get-data-product-checks"');
  });

  it('answers the latest checks, of some statuses when asked', async () => {
    const all = await invoke('get-data-product-checks', {
      entityRef: 'customer-360',
    });
    expect(
      (all.output as { checks: Array<{ name: string }> }).checks
        .map(c => c.name)
        .sort(),
    ).toEqual(['no_null_ids', 'row_count_positive']);

    const failing = await invoke('get-data-product-checks', {
      entityRef: 'customer-360',
      statuses: ['fail', 'error'],
    });
    expect(failing.output).toEqual({
      entityRef: 'dataproduct:default/customer-360',
      checks: [
        expect.objectContaining({
          name: 'no_null_ids',
          status: 'fail',
          observedValue: 12,
          threshold: '= 0',
          port: 'main',
          tool: { name: 'pipeline-checks' },
          runId: expect.any(Number),
        }),
      ],
    });
  });

  it('answers incidents with their timeline, of some states when asked', async () => {
    const { output } = await invoke('get-data-product-incidents', {
      entityRef: 'identity-graph',
    });
    expect(output).toMatchObject({
      entityRef: 'dataproduct:default/identity-graph',
      incidents: [
        {
          state: 'new',
          reasons: ['freshness 3h 12m against 15m (port main)'],
          events: [expect.objectContaining({ type: 'opened' })],
        },
      ],
    });
    const resolved = await invoke('get-data-product-incidents', {
      entityRef: 'identity-graph',
      states: ['resolved'],
    });
    expect(resolved.output).toEqual({
      entityRef: 'dataproduct:default/identity-graph',
      incidents: [],
    });
  });

  const listed = async (input: Input, credentials = alice) => {
    const { output } = await invoke(
      'list-unhealthy-data-products',
      input,
      credentials,
    );
    return output as {
      total: number;
      items: Array<{ entityRef: string; [key: string]: unknown }>;
    };
  };

  it('lists breaching and degraded products worst first, with owner, domain and reasons', async () => {
    const { total, items } = await listed({});
    expect(total).toBe(3);
    expect(items.map(i => i.entityRef)).toEqual([
      'dataproduct:default/identity-graph',
      // degraded: the longest in that state first
      'dataproduct:default/customer-360',
      'dataproduct:default/crm-accounts',
    ]);
    expect(items[0]).toEqual({
      entityRef: 'dataproduct:default/identity-graph',
      title: 'The identity-graph product',
      health: 'breaching',
      reasons: ['freshness 3h 12m against 15m (port main)'],
      since: expect.any(String),
      owner: 'group:default/customer-domain-team',
      domain: 'domain:default/customer-identity',
      failingChecks: [],
    });
    expect(items[1].failingChecks).toEqual([
      expect.objectContaining({ name: 'no_null_ids', status: 'fail' }),
    ]);

    // the insider also sees secret-ledger, breaching for longest
    const asInsider = await listed({}, insider);
    expect(asInsider.items.map(i => i.entityRef)).toEqual([
      'dataproduct:default/secret-ledger',
      'dataproduct:default/identity-graph',
      'dataproduct:default/customer-360',
      'dataproduct:default/crm-accounts',
    ]);
  });

  it('keeps to a domain with its subdomains, an owner, a health and a limit', async () => {
    const customer = await listed({ domain: 'customer' });
    expect(customer.items.map(i => i.entityRef)).toEqual([
      'dataproduct:default/identity-graph',
      'dataproduct:default/customer-360',
    ]);
    const breaching = await listed({
      domain: 'domain:default/customer',
      health: ['breaching'],
    });
    expect(breaching.items.map(i => i.entityRef)).toEqual([
      'dataproduct:default/identity-graph',
    ]);
    const subdomain = await listed({ domain: 'customer-identity' });
    expect(subdomain.items.map(i => i.entityRef)).toEqual([
      'dataproduct:default/identity-graph',
    ]);
    const sales = await listed({ owner: 'sales-team' });
    expect(sales.items.map(i => i.entityRef)).toEqual([
      'dataproduct:default/crm-accounts',
    ]);
    const limited = await listed({ limit: 1 });
    expect(limited).toMatchObject({
      total: 3,
      items: [{ health: 'breaching' }],
    });
    await expect(listed({ domain: 'nowhere' })).rejects.toThrow(
      'No domain domain:default/nowhere in the catalog',
    );
  });
});
