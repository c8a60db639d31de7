import path from 'node:path';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import catalogModuleDataMesh from '@backstage-datamesh/plugin-catalog-backend-module-datamesh';
import {
  validateDataMeshDomain,
  validateDataProductEntity,
} from '@backstage-datamesh/plugin-datamesh-common';
import {
  parseDataContract,
  parseInfrastructureDescriptor,
} from '@backstage-datamesh/plugin-datamesh-node';
import request from 'supertest';
import { parse } from 'yaml';
import scaffolderModuleDataMesh from './index';
import {
  EXAMPLES_DIR,
  readTemplate,
  skeletonContents,
} from './__testUtils__/templates';

jest.setTimeout(240_000);

type DryRunFile = { path: string; base64Content: string };

describe('the golden paths, through the scaffolder dry-run API of a real backend', () => {
  let server: Awaited<ReturnType<typeof startTestBackend>>['server'];
  let stop: () => Promise<void>;
  const user = mockCredentials.user.header();

  beforeAll(async () => {
    const backend = await startTestBackend({
      features: [
        catalogPlugin,
        catalogModuleDataMesh,
        scaffolderPlugin,
        scaffolderModuleDataMesh,
        mockServices.rootConfig.factory({
          data: {
            backend: { baseUrl: 'http://localhost:7007' },
            catalog: {
              rules: [{ allow: ['Group', 'User', 'Domain', 'DataProduct'] }],
              locations: [
                'org.yaml',
                'domains.yaml',
                'data-products/sales/catalog-info.yaml',
              ].map(file => ({
                type: 'file',
                target: path.join(EXAMPLES_DIR, file),
              })),
            },
          },
        }),
      ],
    });
    server = backend.server;
    stop = () => backend.stop();
    for (const ref of [
      'domain/default/sales',
      'group/default/sales-team',
      'dataproduct/default/crm-accounts',
      'dataproduct/default/order-history',
    ]) {
      const deadline = Date.now() + 180_000;
      for (;;) {
        const res = await request(server)
          .get(`/api/catalog/entities/by-name/${ref}`)
          .set('authorization', user);
        if (res.status === 200) break;
        if (Date.now() > deadline) throw new Error(`no ${ref} in the catalog`);
        await new Promise(r => setTimeout(r, 250));
      }
    }
  });

  afterAll(async () => {
    await stop?.();
  });

  async function dryRun(file: string, values: Record<string, unknown>) {
    const res = await request(server)
      .post('/api/scaffolder/v2/dry-run')
      .set('authorization', user)
      .send({
        template: await readTemplate(file),
        values,
        directoryContents: await skeletonContents(),
      });
    return res;
  }

  function files(body: { directoryContents: DryRunFile[] }) {
    return Object.fromEntries(
      body.directoryContents.map(f => [
        f.path,
        Buffer.from(f.base64Content, 'base64').toString('utf8'),
      ]),
    );
  }

  function logOf(body: { log: Array<{ body: { message: string } }> }) {
    return body.log.map(l => l.body.message).join('\n');
  }

  it('source-aligned batch: generates a valid product, contract per port, dbt tests, descriptor, docs and CI', async () => {
    const res = await dryRun('source-aligned-batch.template.yaml', {
      name: 'orders-feed',
      title: 'Orders feed',
      description: 'Orders as the shop records them',
      domain: 'domain:default/sales',
      owner: 'group:default/sales-team',
      lifecycle: 'experimental',
      sensitivity: 'internal',
      retentionDays: 365,
      warehouse: 'postgres://warehouse:5432',
      outputPorts: [
        {
          name: 'orders',
          dataset: 'analytics.sales.orders_feed',
          primaryKey: 'order_id',
          freshnessColumn: 'updated_at',
          columns: [
            { name: 'order_id', logicalType: 'string', required: true },
            { name: 'amount', logicalType: 'number', required: true },
            { name: 'updated_at', logicalType: 'timestamp', required: true },
          ],
        },
        {
          name: 'order-lines',
          dataset: 'analytics.sales.order_lines',
          primaryKey: 'line_id',
          columns: [{ name: 'line_id', logicalType: 'string', required: true }],
        },
      ],
      qualityTool: 'dbt',
      schedule: '0 */6 * * *',
    });
    expect({ status: res.status, error: res.body.error?.message }).toEqual({
      status: 200,
    });
    const out = files(res.body);
    expect(Object.keys(out).sort()).toEqual([
      '.github/workflows/data-product.yml',
      'catalog-info.yaml',
      'contracts/order-lines.odcs.yaml',
      'contracts/orders.odcs.yaml',
      'dbt_project.yml',
      'docs/index.md',
      'infrastructure.yaml',
      'mkdocs.yml',
      'models/README.md',
      'packages.yml',
      'quality/order-lines.yml',
      'quality/orders.yml',
    ]);
    const entity = parse(out['catalog-info.yaml']);
    expect(validateDataProductEntity(entity)).toEqual([]);
    // the objectives left empty come from the sales domain's data-mesh settings
    expect(entity.spec.sla).toEqual(
      expect.objectContaining({ freshness: expect.any(String) }),
    );
    for (const port of ['orders', 'order-lines']) {
      expect(
        parseDataContract(out[`contracts/${port}.odcs.yaml`], port),
      ).toMatchObject({
        status: 'valid',
      });
    }
    expect(
      parseInfrastructureDescriptor(out['infrastructure.yaml'], 'i'),
    ).toMatchObject({
      status: 'valid',
    });
    const tests = parse(out['quality/orders.yml']);
    expect(tests.models[0].tests[0]['dbt_utils.recency']).toBeDefined();
    expect(logOf(res.body)).toContain(
      'Validated dataproduct:default/orders-feed',
    );
  });

  const product = {
    description: 'Built by the golden path test',
    domain: 'domain:default/sales',
    owner: 'group:default/sales-team',
    lifecycle: 'experimental',
    sensitivity: 'internal',
    retentionDays: 90,
  };

  it.each(['avro', 'protobuf', 'json-schema'])(
    'streaming (%s): generates a topic port with its schema, contract, Soda checks and descriptor',
    async schemaFormat => {
      const res = await dryRun('streaming.template.yaml', {
        ...product,
        name: 'order-events',
        title: 'Order events',
        freshness: '15m',
        completeness: '99.5%',
        portName: 'events',
        broker: 'kafka://broker:9092',
        topic: 'sales.order-events.v1',
        schemaFormat,
        key: 'event_id',
        timestampField: 'event_time',
        fields: [
          { name: 'event_id', logicalType: 'string', required: true },
          { name: 'event_time', logicalType: 'timestamp', required: true },
          { name: 'amount', logicalType: 'number' },
        ],
        engine: 'kafka-streams',
        partitions: 6,
        qualityTool: 'soda',
      });
      expect({ status: res.status, error: res.body.error?.message }).toEqual({
        status: 200,
      });
      const out = files(res.body);
      const schemaFile = {
        avro: 'schemas/sales.order-events.v1.avsc',
        protobuf: 'schemas/sales.order-events.v1.proto',
        'json-schema': 'schemas/sales.order-events.v1.schema.json',
      }[schemaFormat]!;
      expect(Object.keys(out).sort()).toEqual(
        [
          '.github/workflows/data-product.yml',
          'catalog-info.yaml',
          'contracts/events.odcs.yaml',
          'docs/index.md',
          'infrastructure.yaml',
          'mkdocs.yml',
          'quality/events.yml',
          schemaFile,
          'soda/configuration.yml',
        ].sort(),
      );
      const entity = parse(out['catalog-info.yaml']);
      expect(validateDataProductEntity(entity)).toEqual([]);
      expect(entity.spec.outputPorts).toEqual([
        expect.objectContaining({
          name: 'events',
          type: 'topic',
          format: schemaFormat,
          location: {
            namespace: 'kafka://broker:9092',
            name: 'sales.order-events.v1',
          },
        }),
      ]);
      expect(entity.spec.sla).toMatchObject({
        freshness: '15m',
        completeness: '99.5%',
      });
      expect(
        parseDataContract(out['contracts/events.odcs.yaml'], 'c'),
      ).toMatchObject({ status: 'valid' });
      const infrastructure = parseInfrastructureDescriptor(
        out['infrastructure.yaml'],
        'i',
      );
      expect(infrastructure).toMatchObject({
        status: 'valid',
        infrastructure: {
          spec: {
            storage: { type: 'stream' },
            orchestration: { schedule: 'continuous' },
          },
        },
      });
      expect(out['quality/events.yml']).toContain(
        'freshness(event_time) < 15m',
      );
      // completeness of the required fields, at the SLO's 99.5%
      expect(out['quality/events.yml']).toContain(
        'missing_percent(event_time) < 0.5%',
      );
      expect(out['quality/events.yml']).not.toContain('(amount)');
      // each format's schema names every field with its type
      expect(out[schemaFile]).toMatch(
        {
          avro: /"name": "event_time",\s+"type": \{ "type": "long", "logicalType": "timestamp-millis" \}/,
          protobuf: /google\.protobuf\.Timestamp event_time = 2;/,
          'json-schema':
            /"event_time": \{ "type": "string", "format": "date-time" \}/,
        }[schemaFormat]!,
      );
      expect(() =>
        schemaFormat === 'protobuf' ? undefined : JSON.parse(out[schemaFile]),
      ).not.toThrow();
    },
  );

  it('aggregate: takes two upstream ports, writes their contracts and starts its own from them', async () => {
    const res = await dryRun('aggregate.template.yaml', {
      ...product,
      name: 'account-orders',
      title: 'Account orders',
      type: 'aggregate',
      inputPorts: [
        { product: 'dataproduct:default/crm-accounts', port: 'accounts' },
        { product: 'dataproduct:default/order-history', port: 'orders' },
      ],
      portName: 'account-orders',
      warehouse: 'postgres://warehouse:5432',
      dataset: 'analytics.sales.account_orders',
      primaryKey: 'order_id',
      freshnessColumn: 'updated_at',
      qualityTool: 'great-expectations',
      schedule: '0 3 * * *',
    });
    expect({ status: res.status, error: res.body.error?.message }).toEqual({
      status: 200,
    });
    const out = files(res.body);
    expect(Object.keys(out)).toEqual(
      expect.arrayContaining([
        'catalog-info.yaml',
        'contracts/account-orders.odcs.yaml',
        'contracts/upstream/crm-accounts-accounts.odcs.yaml',
        'contracts/upstream/order-history-orders.odcs.yaml',
        'quality/account-orders.json',
        'gx/validate.py',
        'infrastructure.yaml',
      ]),
    );
    const entity = parse(out['catalog-info.yaml']);
    expect(validateDataProductEntity(entity)).toEqual([]);
    expect(entity.spec.type).toBe('aggregate');
    expect(entity.spec.inputPorts).toEqual([
      {
        name: 'crm-accounts-accounts',
        product: 'dataproduct:default/crm-accounts',
        port: 'accounts',
      },
      {
        name: 'order-history-orders',
        product: 'dataproduct:default/order-history',
        port: 'orders',
      },
    ]);
    const contract = parseDataContract(
      out['contracts/account-orders.odcs.yaml'],
      'c',
    );
    expect(contract.status).toBe('valid');
    const columns =
      contract.status === 'valid'
        ? contract.contract.schema[0].properties.map(p => p.name)
        : [];
    // the union of the upstream contracts' columns, each once
    expect(columns).toEqual(expect.arrayContaining(['account_id', 'order_id']));
    expect(new Set(columns).size).toBe(columns.length);
    const suite = JSON.parse(out['quality/account-orders.json']);
    expect(suite.expectations.map((e: any) => e.expectation_type)).toContain(
      'expect_column_values_to_be_unique',
    );
    // the CI posts OpenLineage events naming the upstream datasets as inputs
    expect(out['.github/workflows/data-product.yml']).toContain(
      '"inputs": [{"namespace": "postgres://warehouse:5432", "name": "analytics.sales.crm_accounts"}',
    );
  });

  it('new domain: generates a Domain with its data-mesh settings', async () => {
    const res = await dryRun('new-domain.template.yaml', {
      name: 'logistics',
      title: 'Logistics',
      description: 'Shipments and warehouses',
      owner: 'group:default/sales-team',
      communicationChannel: '#logistics-data',
      freshness: '24h',
      availability: '99.5%',
      completeness: '99%',
    });
    expect({ status: res.status, error: res.body.error?.message }).toEqual({
      status: 200,
    });
    const out = files(res.body);
    expect(Object.keys(out).sort()).toEqual([
      'catalog-info.yaml',
      'docs/index.md',
      'mkdocs.yml',
    ]);
    const domain = parse(out['catalog-info.yaml']);
    expect(domain).toMatchObject({
      kind: 'Domain',
      metadata: { name: 'logistics' },
      spec: {
        type: 'business-domain',
        datamesh: {
          communicationChannel: '#logistics-data',
          sla: { freshness: '24h', availability: '99.5%' },
        },
      },
    });
    expect(validateDataMeshDomain(domain)).toEqual([]);
  });

  it('refuses a name against the catalog rules before any step runs, and a taken name before anything is written', async () => {
    const bad = await dryRun('new-domain.template.yaml', {
      name: 'Not A Name',
      title: 'Bad',
      owner: 'group:default/sales-team',
    });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body.errors)).toContain('name');

    const taken = await dryRun('new-domain.template.yaml', {
      name: 'sales',
      title: 'Sales again',
      owner: 'group:default/sales-team',
    });
    // the validate step fails the run, naming the problem, before the publish step
    expect(taken.status).toBe(400);
    expect(taken.body.error.message).toBe(
      'The generated product has 1 problem, nothing was published:\n- catalog-info.yaml: metadata.name "sales" is already taken in the catalog by domain:default/sales: choose another name',
    );
  });
});
