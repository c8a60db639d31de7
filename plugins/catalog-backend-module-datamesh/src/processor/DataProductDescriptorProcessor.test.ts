import { Readable } from 'node:stream';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import type { UrlReaderService } from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import { Entity } from '@backstage/catalog-model';
import {
  CatalogProcessorResult,
  LocationSpec,
} from '@backstage/plugin-catalog-node';
import request from 'supertest';
import {
  Server,
  TestKnex,
  getEntity,
  relationsOf,
  startCatalog,
  waitFor,
  waitForRelation,
} from '../__testUtils__/catalogBackend';
import {
  DataProductDescriptorProcessor,
  parseDescriptor,
  readDescriptorDefaults,
} from './DataProductDescriptorProcessor';

jest.setTimeout(180_000);

/** The public fixtures copied into the repository (fixtures/, with their sources). */
const fixtures = path.resolve(__dirname, '../../../../fixtures');
const own = path.resolve(__dirname, '../__fixtures__/descriptors');

const odps = (file: string) => path.join(fixtures, 'odps', file);
const dpds = (file: string) => path.join(fixtures, 'dpds', file);

/** What each official fixture gives: the messages of its refusal, in order. */
const REFUSED: Array<[string, 'odps' | 'dpds', string[]]> = [
  [
    odps('simple-data-product.odps.yaml'),
    'odps',
    [
      'team.name: the ODPS descriptor names no team to own the product; add team.name (a Group of the catalog) or set datamesh.descriptors.defaults.owner in app-config',
      'domain: the ODPS descriptor names no domain; add domain (a Domain of the catalog) or set datamesh.descriptors.defaults.domain in app-config',
      'customProperties[dataProductType]: ODPS has no data product type; add a custom property dataProductType (source-aligned, aggregate or consumer-aligned) or set datamesh.descriptors.defaults.type in app-config',
      'outputPorts[0]: ODPS output ports have no dataset location; add a custom property location with { namespace, name } as OpenLineage names the dataset',
      'inputPorts[0]: ODPS input ports name a contract (contractId 12345678-1234-1234-1234-123456789abc), not the upstream data product; add custom properties product (entity reference of the upstream DataProduct) and port (its output port)',
    ],
  ],
  [
    odps('customer-data-product.odps.yaml'),
    'odps',
    [
      'customProperties[dataProductType]: ODPS has no data product type; add a custom property dataProductType (source-aligned, aggregate or consumer-aligned) or set datamesh.descriptors.defaults.type in app-config',
      ...[0, 1, 2, 3].map(
        i =>
          `outputPorts[${i}]: ODPS output ports have no dataset location; add a custom property location with { namespace, name } as OpenLineage names the dataset`,
      ),
      ...[
        'dbb7b1eb-7628-436e-8914-2a00638ba6db',
        'dbb7b1eb-7628-436e-8914-2a00638ba6da',
        'ec2a112d-5cfe-49f3-8760-f9cfb4597544',
        'ec2a112d-5cfe-49f3-8760-f9cfb4597547',
      ].map(
        (id, i) =>
          `inputPorts[${i}]: ODPS input ports name a contract (contractId ${id}), not the upstream data product; add custom properties product (entity reference of the upstream DataProduct) and port (its output port)`,
      ),
    ],
  ],
  [
    dpds('minimal.dpd.json'),
    'dpds',
    ['info.name is required by the DPDS schema'],
  ],
  [
    dpds('odm-platform_dpd-core.json'),
    'dpds',
    ['info.fullyQualifiedName is required by the DPDS schema'],
  ],
  [
    dpds('odm-platform_dpd-core-props-readonly-wrong.json'),
    'dpds',
    [
      'info.entityType is a read-only property whose value must be "dataproduct", not "dataproductx"',
      'interfaceComponents.inputPorts[0].entityType is a read-only property whose value must be "inputport", not "inputportx"',
      'interfaceComponents.outputPorts[0].entityType is a read-only property whose value must be "outputport", not "outputportx"',
      'internalComponents.applicationComponents[0].entityType is a read-only property whose value must be "application", not "applicationx"',
      'internalComponents.infrastructuralComponents[0].entityType is a read-only property whose value must be "infrastructure", not "infrastructurex"',
    ],
  ],
  [
    dpds('odm-platform_dpd-lifecycle.json'),
    'dpds',
    [
      'internalComponents.lifecycleInfo.dev[0].template.name is required by the DPDS schema',
      'internalComponents.lifecycleInfo.dev[0].template.version is required by the DPDS schema',
      'internalComponents.lifecycleInfo.prod[0].template.name is required by the DPDS schema',
      'internalComponents.lifecycleInfo.prod[0].template.version is required by the DPDS schema',
    ],
  ],
  [
    dpds('tripexecution/data-product-descriptor.json'),
    'dpds',
    [
      'interfaceComponents.outputPorts[1] is a whole data product descriptor (it has dataProductDescriptor and info), not a port (in $ref ports/trip-events-oport.json)',
    ],
  ],
  [
    dpds('tripexecution/ports/trip-events-oport.json'),
    'dpds',
    [
      'info.x-dataProductType: DPDS has no data product type; add info.x-dataProductType (source-aligned, aggregate or consumer-aligned) or set datamesh.descriptors.defaults.type in app-config',
      'info.x-lifecycle: DPDS has no lifecycle status; add info.x-lifecycle (for example experimental, production, deprecated) or set datamesh.descriptors.defaults.lifecycle in app-config',
      'interfaceComponents.outputPorts[0]: DPDS output ports have no dataset location (promises.platform "westeurope.azure:confluent" names a platform, not a dataset); add x-location with { namespace, name } as OpenLineage names the dataset',
    ],
  ],
];

/** dpd-full breaks the official schema in many places; a few of its messages. */
const DPD_FULL = dpds('odm-platform_dpd-full.json');
const DPD_FULL_SOME = [
  'interfaceComponents.inputPorts[0].promises.api.name is required by the DPDS schema',
  'interfaceComponents.outputPorts[0].promises.api.version is required by the DPDS schema',
  'internalComponents.lifecycleInfo.dev[0].template.name is required by the DPDS schema',
];

const ORDERS = path.join(own, 'orders.odps.yaml');
const TRIP_ANALYTICS = path.join(
  own,
  'trip-analytics/data-product-descriptor.json',
);

describe('fixtures', () => {
  it('covers every ODPS and DPDS descriptor among the public fixtures', () => {
    const descriptors: string[] = [];
    const walk = (dir: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const file = path.join(dir, entry.name);
        if (entry.isDirectory()) {
          walk(file);
        } else if (/\.(ya?ml|json)$/.test(entry.name)) {
          const text = fs.readFileSync(file, 'utf8');
          const isDpds =
            entry.name.endsWith('.json') &&
            typeof JSON.parse(text).dataProductDescriptor === 'string';
          if (/^kind: DataProduct\s*$/m.test(text) || isDpds) {
            descriptors.push(file);
          }
        }
      }
    };
    walk(path.join(fixtures, 'odps'));
    walk(path.join(fixtures, 'dpds'));
    expect(descriptors.sort()).toEqual(
      [...REFUSED.map(([file]) => file), DPD_FULL].sort(),
    );
  });
});

describe('DataProductDescriptorProcessor in a real catalog backend', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });
  const ordersRelative = path.relative(process.cwd(), ORDERS);

  describe.each(databases.eachSupportedId())('on %s', databaseId => {
    let server: Server;
    let knex: TestKnex;
    let stop: () => Promise<void>;

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      const backend = await startCatalog(knex, {
        catalog: {
          rules: [{ allow: ['Location', 'DataProduct'] }],
          locations: [
            ...REFUSED.map(([target, type]) => ({ type, target })),
            { type: 'dpds', target: DPD_FULL },
            { type: 'odps', target: ordersRelative },
            { type: 'dpds', target: TRIP_ANALYTICS },
          ],
        },
      });
      server = backend.server;
      stop = () => backend.stop();
    });

    afterAll(async () => {
      await stop?.();
    });

    /** The processing errors of the location entity of a target, once it was processed. */
    async function locationErrors(target: string): Promise<string[]> {
      return waitFor(`errors of ${target}`, async () => {
        const rows: Array<{ unprocessed_entity: string; errors: string }> =
          await knex('refresh_state')
            .where('entity_ref', 'like', 'location:%')
            .select('unprocessed_entity', 'errors');
        const row = rows.find(
          r => JSON.parse(r.unprocessed_entity).spec?.target === target,
        );
        if (!row?.errors || row.errors === '[]') {
          return undefined;
        }
        return JSON.parse(row.errors).map(
          (e: { message: string }) => e.message,
        );
      });
    }

    it('stores converted ODPS and multi-file DPDS products with their relations', async () => {
      const orders = await waitFor('orders', async () => {
        const e = await getEntity(server, 'dataproduct:default/orders');
        return e?.relations?.length ? e : undefined;
      });
      expect(orders.metadata.annotations).toMatchObject({
        'datamesh.io/source-standard': 'odps/v1.0.0',
        'datamesh.io/source-id': '5f1c2a8e-3b7d-4e61-9a0f-2d4c6b8e1f30',
        'datamesh.io/source-status': 'active',
        'backstage.io/managed-by-location': `odps:${ordersRelative}`,
      });
      expect(orders.metadata.title).toBe('Orders');
      expect(orders.metadata.tags).toEqual(['orders', 'sales-data']);
      expect(orders.spec).toEqual({
        owner: 'group:sales-team',
        domain: 'sales',
        type: 'source-aligned',
        lifecycle: 'production',
        version: '2.1.0',
        outputPorts: [
          {
            name: 'orders',
            type: 'table',
            location: {
              namespace: 'postgres://warehouse:5432',
              name: 'sales.public.orders',
            },
            format: 'delta',
            description:
              'Orders table (ODPS output port orders version 2.1.0, contractId 0c7e9a52-9f0e-4d8e-8d55-3f5b1f0d9a11)',
          },
        ],
      });
      expect(relationsOf(orders)).toEqual(
        expect.arrayContaining([
          'ownedBy group:default/sales-team',
          'partOf domain:default/sales',
        ]),
      );

      const trips = await waitFor('trip-analytics', async () => {
        const e = await getEntity(server, 'dataproduct:default/trip-analytics');
        return e?.relations?.length ? e : undefined;
      });
      expect(trips.metadata.annotations).toMatchObject({
        'datamesh.io/source-standard': 'dpds/1.0.0',
        'datamesh.io/source-id':
          'urn:dpds:com.example:dataproducts:tripAnalytics:1',
      });
      expect(trips.spec).toMatchObject({
        owner: 'user:john.doe',
        domain: 'transport-management',
        type: 'consumer-aligned',
        lifecycle: 'experimental',
        version: '1.0.0',
        outputPorts: [
          {
            name: 'trip-kpis',
            type: 'table',
            location: {
              namespace: 'postgres://warehouse:5432',
              name: 'analytics.trips.trip_kpis',
            },
            format: 'parquet',
          },
        ],
        inputPorts: [{ name: 'orders', product: 'orders', port: 'orders' }],
      });
      expect(relationsOf(trips)).toEqual([
        'dependsOn dataproduct:default/orders',
        'ownedBy user:default/john.doe',
        'partOf domain:default/transport-management',
      ]);
      const upstream = await waitForRelation(
        server,
        'dataproduct:default/orders',
        'dependencyOf dataproduct:default/trip-analytics',
      );
      expect(relationsOf(upstream)).toEqual([
        'dependencyOf dataproduct:default/trip-analytics',
        'ownedBy group:default/sales-team',
        'partOf domain:default/sales',
      ]);
    });

    it.each(REFUSED)(
      'refuses %s with errors naming the fields',
      async (target, type, messages) => {
        expect(await locationErrors(target)).toEqual(
          messages.map(m => `${type} descriptor ${target}: ${m}`),
        );
      },
    );

    it('refuses the ODM platform full descriptor, which breaks the official schema', async () => {
      const errors = await locationErrors(DPD_FULL);
      expect(errors).toEqual(
        expect.arrayContaining(
          DPD_FULL_SOME.map(m => `dpds descriptor ${DPD_FULL}: ${m}`),
        ),
      );
      expect(errors.every(e => e.includes('by the DPDS schema'))).toBe(true);
    });

    it('stores no entity for a refused descriptor', async () => {
      await locationErrors(dpds('minimal.dpd.json'));
      const res = await request(server).get(
        '/api/catalog/entities/by-query?filter=kind=dataproduct&fields=metadata.name',
      );
      expect(res.body.items.map((e: Entity) => e.metadata.name).sort()).toEqual(
        ['orders', 'trip-analytics'],
      );
    });
  });
});

describe('DataProductDescriptorProcessor.readLocation', () => {
  async function read(
    processor: DataProductDescriptorProcessor,
    location: LocationSpec,
    optional = false,
  ) {
    const results: CatalogProcessorResult[] = [];
    const handled = await processor.readLocation(location, optional, r =>
      results.push(r),
    );
    return { handled, results };
  }

  /** A URL reader serving the public fixtures from https://example.com/fixtures/. */
  const reader: UrlReaderService = {
    async readUrl(url: string) {
      const prefix = 'https://example.com/fixtures/';
      const file = url.startsWith(prefix)
        ? path.join(fixtures, url.slice(prefix.length))
        : '';
      if (!file || !fs.existsSync(file)) {
        throw new NotFoundError(`${url} not found`);
      }
      const data = fs.readFileSync(file);
      return {
        buffer: async () => data,
        stream: () => Readable.from([data]),
      };
    },
    readTree: jest.fn(),
    search: jest.fn(),
  };
  const processor = new DataProductDescriptorProcessor({ reader });

  it('leaves other location types to other processors', async () => {
    expect(
      (await read(processor, { type: 'url', target: 'https://x/y.yaml' }))
        .handled,
    ).toBe(false);
  });

  it('reads a descriptor and its relative $refs through the URL reader', async () => {
    const target =
      'https://example.com/fixtures/dpds/tripexecution/data-product-descriptor.json';
    const { handled, results } = await read(processor, {
      type: 'dpds',
      target,
    });
    expect(handled).toBe(true);
    // the refs were read relative to the descriptor's URL: the port file's content is known
    expect(results).toEqual([
      {
        type: 'error',
        location: { type: 'dpds', target },
        error: expect.objectContaining({
          message: `dpds descriptor ${target}: interfaceComponents.outputPorts[1] is a whole data product descriptor (it has dataProductDescriptor and info), not a port (in $ref ports/trip-events-oport.json)`,
        }),
      },
    ]);
  });

  it('converts with the defaults the caller configures', async () => {
    const withDefaults = new DataProductDescriptorProcessor({
      reader,
      defaults: {
        defaultType: 'source-aligned',
        defaultLifecycle: 'production',
      },
    });
    const target = path.join(
      own,
      'trip-analytics/data-product-descriptor.json',
    );
    const { results } = await read(withDefaults, { type: 'dpds', target });
    expect(results).toEqual([
      expect.objectContaining({
        type: 'entity',
        // the descriptor's own values win over defaults
        entity: expect.objectContaining({
          spec: expect.objectContaining({
            type: 'consumer-aligned',
            lifecycle: 'experimental',
          }),
        }),
      }),
    ]);
  });

  it('reports a missing descriptor as not found, unless optional', async () => {
    const location = {
      type: 'odps',
      target: 'https://example.com/fixtures/odps/nope.odps.yaml',
    };
    const { results } = await read(processor, location);
    expect(results).toEqual([
      expect.objectContaining({
        type: 'error',
        error: expect.objectContaining({ name: 'NotFoundError' }),
      }),
    ]);
    expect((await read(processor, location, true)).results).toEqual([]);
  });

  describe('with descriptors in a temporary folder', () => {
    let dir: string;
    beforeAll(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dpds-'));
      fs.writeFileSync(path.join(dir, 'broken.odps.yaml'), 'kind: [oops');
      fs.writeFileSync(
        path.join(dir, 'escape.dpd.json'),
        JSON.stringify({
          dataProductDescriptor: '1.0.0',
          info: {
            fullyQualifiedName: 'urn:dpds:x:dataproducts:escape:1',
            name: 'escape',
            version: '1.0.0',
            domain: 'x',
            owner: { id: 'a@b.c' },
          },
          interfaceComponents: {
            outputPorts: [
              { $ref: '../outside.json' },
              { $ref: 'missing.json' },
            ],
          },
        }),
      );
    });
    afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

    it('reports YAML that does not parse', async () => {
      const target = path.join(dir, 'broken.odps.yaml');
      const { results } = await read(processor, { type: 'odps', target });
      expect(results).toHaveLength(1);
      expect(results[0]).toMatchObject({
        type: 'error',
        error: {
          message: expect.stringMatching(
            /^odps descriptor .*broken\.odps\.yaml: YAML error/,
          ),
        },
      });
    });

    it('refuses a descriptor file with a second document, naming the file and the line', async () => {
      const target = path.join(dir, 'two.odps.yaml');
      const orders = fs.readFileSync(ORDERS, 'utf8');
      fs.writeFileSync(target, `${orders}---\n${orders}`);
      const { results } = await read(processor, { type: 'odps', target });
      const line = orders.split('\n').length;
      expect(results).toEqual([
        expect.objectContaining({
          type: 'error',
          error: expect.objectContaining({
            name: 'InputError',
            message: `odps descriptor ${target}: the file holds 2 YAML documents, but a descriptor is one document: remove the document starting at line ${line} (or move it to its own file)`,
          }),
        }),
      ]);
    });

    it('reads no $ref outside the descriptor folder and names unreadable refs', async () => {
      const target = path.join(dir, 'escape.dpd.json');
      const { results } = await read(processor, { type: 'dpds', target });
      const messages = results.map(r => (r as { error: Error }).error.message);
      expect(messages).toEqual([
        expect.stringMatching(
          /interfaceComponents\.outputPorts\[0\]: \$ref "\.\.\/outside\.json" could not be read: .*outside its parent/,
        ),
        expect.stringMatching(
          /interfaceComponents\.outputPorts\[1\]: \$ref "missing\.json" could not be read: dpds descriptor .*missing\.json does not exist/,
        ),
      ]);
    });
  });
});

describe('readDescriptorDefaults', () => {
  const read = (defaults: Record<string, string | number>) =>
    readDescriptorDefaults(
      mockServices.rootConfig({
        data: { datamesh: { descriptors: { defaults } } },
      }),
    );

  it('reads the defaults, and names the config key in problems of descriptors without them', () => {
    const options = read({
      owner: 'group:default/data-platform',
      domain: 'sales',
      type: 'aggregate',
      lifecycle: 'experimental',
    });
    expect(options).toMatchObject({
      defaultOwner: 'group:default/data-platform',
      defaultDomain: 'sales',
      defaultType: 'aggregate',
      defaultLifecycle: 'experimental',
    });
    expect(options.describeDefault?.('owner')).toBe(
      'set datamesh.descriptors.defaults.owner in app-config',
    );
    expect(
      readDescriptorDefaults(mockServices.rootConfig({ data: {} })),
    ).toMatchObject({
      defaultOwner: undefined,
      defaultDomain: undefined,
      defaultType: undefined,
      defaultLifecycle: undefined,
    });
  });

  it.each([
    [
      { type: 'derived' },
      'datamesh.descriptors.defaults.type must be one of source-aligned, aggregate, consumer-aligned, not "derived"',
    ],
    [
      { owner: 'component:default/x' },
      'datamesh.descriptors.defaults.owner must refer to a group or user entity, not "component:default/x" (kind component)',
    ],
    [
      { owner: 'not a ref!' },
      'datamesh.descriptors.defaults.owner is not a valid entity reference: "not a ref!"',
    ],
    [
      { domain: 'group:sales' },
      'datamesh.descriptors.defaults.domain must refer to a domain entity, not "group:sales" (kind group)',
    ],
    [
      { lifecycle: ' ' },
      'datamesh.descriptors.defaults.lifecycle must be a non-empty string, not " "',
    ],
    [{ owner: 42 }, "'datamesh.descriptors.defaults.owner'"],
  ])(
    'refuses the invalid default %j, naming its config key',
    (defaults, message) => {
      expect(() => read(defaults)).toThrow(message);
    },
  );

  it('reports every invalid default at once', () => {
    expect(() => read({ type: 'derived', domain: 'group:sales' })).toThrow(
      'Invalid app-config for data product descriptors: datamesh.descriptors.defaults.domain must refer to a domain entity, not "group:sales" (kind group); datamesh.descriptors.defaults.type must be one of source-aligned, aggregate, consumer-aligned, not "derived"',
    );
  });
});

describe('parseDescriptor', () => {
  it('reads one YAML or JSON document', () => {
    expect(parseDescriptor('# the product\nkind: DataProduct\n---\n')).toEqual({
      kind: 'DataProduct',
    });
    expect(parseDescriptor('{"dataProductDescriptor": "1.0.0"}')).toEqual({
      dataProductDescriptor: '1.0.0',
    });
  });

  it('refuses a file with several documents, naming the line of each extra one', () => {
    expect(() =>
      parseDescriptor(
        'kind: DataProduct\nid: a\n---\nkind: DataProduct\nid: b\n',
      ),
    ).toThrow(
      'the file holds 2 YAML documents, but a descriptor is one document: remove the document starting at line 3 (or move it to its own file)',
    );
    expect(() =>
      parseDescriptor('---\nid: a\n---\nid: b\n---\n# empty\n---\nid: c\n'),
    ).toThrow(
      'the file holds 3 YAML documents, but a descriptor is one document: remove the documents starting at lines 3, 7 (or move each to its own file)',
    );
  });

  it('refuses an empty file and YAML that does not parse', () => {
    expect(() => parseDescriptor('# nothing\n')).toThrow('the file is empty');
    expect(() => parseDescriptor('kind: [oops')).toThrow(
      /^YAML error: .* at line 1, column 12$/,
    );
  });
});
