import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  CatalogProcessorResult,
  LocationSpec,
} from '@backstage/plugin-catalog-node';
import { DataMeshEntitiesProcessor } from './DataMeshEntitiesProcessor';

const location: LocationSpec = {
  type: 'url',
  target: 'https://example.com/catalog-info.yaml',
};

function product(spec: Record<string, unknown> = {}, metadata = {}): Entity {
  return {
    apiVersion: 'datamesh.io/v1alpha1',
    kind: 'DataProduct',
    metadata: { name: 'customer-360', ...metadata },
    spec: {
      owner: 'customer-domain-team',
      domain: 'customer',
      type: 'aggregate',
      lifecycle: 'production',
      ...spec,
    },
  };
}

async function process(entity: Entity) {
  const results: CatalogProcessorResult[] = [];
  await new DataMeshEntitiesProcessor().postProcessEntity(entity, location, r =>
    results.push(r),
  );
  const errors = results.flatMap(r =>
    r.type === 'error' ? [r.error.message] : [],
  );
  const relations = results.flatMap(r =>
    r.type === 'relation'
      ? [
          `${stringifyEntityRef(r.relation.source)} ${
            r.relation.type
          } ${stringifyEntityRef(r.relation.target)}`,
        ]
      : [],
  );
  return { errors, relations };
}

const port = {
  name: 'profile',
  type: 'table',
  location: {
    namespace: 'postgres://warehouse:5432',
    name: 'analytics.customer_360',
  },
};

describe('DataMeshEntitiesProcessor', () => {
  const processor = new DataMeshEntitiesProcessor();

  it('claims DataProduct entities of its apiVersion only', async () => {
    await expect(processor.validateEntityKind(product())).resolves.toBe(true);
    await expect(
      processor.validateEntityKind({
        ...product(),
        apiVersion: 'datamesh.io/v2',
      }),
    ).resolves.toBe(false);
    await expect(
      processor.validateEntityKind({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Domain',
        metadata: { name: 'customer' },
        spec: { owner: 'x' },
      }),
    ).resolves.toBe(false);
  });

  it('emits both directions of ownership, domain and upstream relations', async () => {
    const { errors, relations } = await process(
      product({
        outputPorts: [port],
        inputPorts: [
          { name: 'accounts', product: 'crm-accounts', port: 'accounts' },
          {
            name: 'accounts-2',
            product: 'dataproduct:default/crm-accounts',
            port: 'history',
          },
          { name: 'orders', product: 'sales/orders', port: 'orders' },
        ],
      }),
    );
    expect(errors).toEqual([]);
    expect(relations.sort()).toEqual(
      [
        'dataproduct:default/customer-360 ownedBy group:default/customer-domain-team',
        'group:default/customer-domain-team ownerOf dataproduct:default/customer-360',
        'dataproduct:default/customer-360 partOf domain:default/customer',
        'domain:default/customer hasPart dataproduct:default/customer-360',
        'dataproduct:default/customer-360 dependsOn dataproduct:default/crm-accounts',
        'dataproduct:default/crm-accounts dependencyOf dataproduct:default/customer-360',
        'dataproduct:default/customer-360 dependsOn dataproduct:sales/orders',
        'dataproduct:sales/orders dependencyOf dataproduct:default/customer-360',
      ].sort(),
    );
  });

  it('resolves references in the entity namespace and honours explicit kinds', async () => {
    const { relations } = await process(
      product(
        { owner: 'user:ada', domain: 'domain:shared/customer' },
        { namespace: 'mesh' },
      ),
    );
    expect(relations).toContain(
      'dataproduct:mesh/customer-360 ownedBy user:mesh/ada',
    );
    expect(relations).toContain(
      'dataproduct:mesh/customer-360 partOf domain:shared/customer',
    );
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['owner missing', { owner: undefined }, 'spec.owner is required'],
    [
      'owner of the wrong kind',
      { owner: 'component:foo' },
      'spec.owner must refer to a group or user entity, not "component:foo" (kind component)',
    ],
    ['domain missing', { domain: undefined }, 'spec.domain is required'],
    [
      'domain of the wrong kind',
      { domain: 'system:payments' },
      'spec.domain must refer to a domain entity',
    ],
    [
      'unknown type',
      { type: 'derived' },
      'spec.type must be one of source-aligned, aggregate, consumer-aligned, not "derived"',
    ],
    [
      'lifecycle empty',
      { lifecycle: '' },
      'spec.lifecycle must NOT have fewer than 1 characters',
    ],
    [
      'version not semver',
      { version: 'v2.1' },
      'spec.version must be a semantic version such as 2.1.0, not "v2.1"',
    ],
    [
      'previous version not semver',
      { previousVersions: ['2.0.0', 'latest'] },
      'spec.previousVersions[1] must be a semantic version such as 2.1.0, not "latest"',
    ],
    [
      'unknown sensitivity',
      { sensitivity: 'secret' },
      'spec.sensitivity must be one of public, internal, confidential, restricted, not "secret"',
    ],
    [
      'retention not an integer',
      { retentionDays: 7.5 },
      'spec.retentionDays must be of type integer, not 7.5',
    ],
    ['retention zero', { retentionDays: 0 }, 'spec.retentionDays must be >= 1'],
    [
      'freshness without unit',
      { sla: { freshness: '15' } },
      'spec.sla.freshness must be a duration such as 15m, 1h or 1d, not "15"',
    ],
    [
      'freshness unknown unit',
      { sla: { freshness: '15 minutes' } },
      'spec.sla.freshness must be a duration such as 15m, 1h or 1d, not "15 minutes"',
    ],
    [
      'availability over 100%',
      { sla: { availability: '100.5%' } },
      'spec.sla.availability must be a percentage between 0% and 100% such as 99.5%, or a ratio between 0 and 1 such as 0.98, not "100.5%"',
    ],
    [
      'accuracy without percent sign',
      { sla: { accuracy: '99.5' } },
      'spec.sla.accuracy must be a percentage',
    ],
    [
      'completeness ratio over 1',
      { sla: { completeness: 98 } },
      'spec.sla.completeness must be a percentage between 0% and 100% such as 99.5%, or a ratio between 0 and 1 such as 0.98, not 98',
    ],
    [
      'unknown SLO',
      { sla: { latency: '1s' } },
      'spec.sla.latency is not a known field; known fields are freshness, availability, accuracy, completeness',
    ],
    [
      'ownership role not a ref',
      { ownership: { steward: 'user:ada lovelace' } },
      'spec.ownership.steward is not a valid entity reference',
    ],
    [
      'ownership role wrong kind',
      { ownership: { businessOwner: 'system:crm' } },
      'spec.ownership.businessOwner must refer to a group or user entity',
    ],
    [
      'escalation path entry wrong kind',
      { ownership: { escalationPath: ['user:ada', 'api:pager'] } },
      'spec.ownership.escalationPath[1] must refer to a group or user entity',
    ],
    [
      'unknown ownership role',
      { ownership: { sponsor: 'user:ada' } },
      'spec.ownership.sponsor is not a known field',
    ],
    [
      'documentation not a URL',
      { documentationUrl: 'docs/customer' },
      'spec.documentationUrl must be an http(s) URL, not "docs/customer"',
    ],
    [
      'port type typo',
      { outputPorts: [port, { ...port, name: 'stream', type: 'tabel' }] },
      'spec.outputPorts[1].type must be one of table, view, topic, api, file, not "tabel"',
    ],
    [
      'port without location',
      { outputPorts: [{ name: 'p', type: 'table' }] },
      'spec.outputPorts[0].location is required',
    ],
    [
      'port location without namespace',
      { outputPorts: [{ ...port, location: { name: 'x' } }] },
      'spec.outputPorts[0].location.namespace is required',
    ],
    [
      'port name with capitals',
      { outputPorts: [{ ...port, name: 'Profile' }] },
      'spec.outputPorts[0].name must be lowercase letters, digits',
    ],
    [
      'duplicate output port',
      { outputPorts: [port, port] },
      'spec.outputPorts[1].name "profile" is already used by spec.outputPorts[0]',
    ],
    [
      'input port without port',
      { inputPorts: [{ name: 'a', product: 'crm' }] },
      'spec.inputPorts[0].port is required',
    ],
    [
      'input port of a non-product',
      { inputPorts: [{ name: 'a', product: 'component:crm', port: 'x' }] },
      'spec.inputPorts[0].product must refer to a dataproduct entity',
    ],
    [
      'duplicate input port',
      {
        inputPorts: [
          { name: 'a', product: 'crm', port: 'x' },
          { name: 'a', product: 'erp', port: 'y' },
        ],
      },
      'spec.inputPorts[1].name "a" is already used by spec.inputPorts[0]',
    ],
    [
      'unknown spec field',
      { retention_days: 30 },
      'spec.retention_days is not a known field',
    ],
  ])('reports %s naming the field', async (_, spec, message) => {
    const { errors, relations } = await process(product(spec));
    expect(errors).toEqual(
      expect.arrayContaining([expect.stringContaining(message)]),
    );
    expect(relations).toEqual([]);
  });

  it('reports every problem of an entity, each as its own error', async () => {
    const { errors } = await process(
      product({
        type: 'derived',
        sensitivity: 'secret',
        sla: { freshness: 'soon' },
      }),
    );
    expect(errors).toHaveLength(3);
  });

  it('accepts the documented forms of SLO values', async () => {
    for (const sla of [
      {
        freshness: '15m',
        availability: '99.95%',
        accuracy: '99.5%',
        completeness: 0.98,
      },
      {
        freshness: '15min',
        availability: '100%',
        accuracy: 1,
        completeness: '98%',
      },
      { freshness: '1.5h' },
      { freshness: '2w', availability: 0 },
    ]) {
      const { errors } = await process(product({ sla }));
      expect(errors).toEqual([]);
    }
  });

  it('validates what the suite adds to Domains, leaving the rest to the catalog', async () => {
    const domain = (datamesh?: unknown): Entity => ({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Domain',
      metadata: { name: 'customer' },
      spec: {
        owner: 'customer-domain-team',
        ...(datamesh ? { datamesh } : {}),
      },
    });
    await expect(process(domain())).resolves.toEqual({
      errors: [],
      relations: [],
    });
    await expect(
      process(
        domain({
          communicationChannel: '#c',
          steward: 'user:ada',
          sla: { freshness: '1h' },
        }),
      ),
    ).resolves.toEqual({ errors: [], relations: [] });
    const { errors } = await process(
      domain({ sla: { freshness: 'hourly' }, steward: 'system:x', budget: 3 }),
    );
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.stringContaining(
          'spec.datamesh.sla.freshness must be a duration',
        ),
        expect.stringContaining(
          'spec.datamesh.steward must refer to a group or user entity',
        ),
        expect.stringContaining('spec.datamesh.budget is not a known field'),
      ]),
    );
  });
});
