import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { dataProductFromOdps, validateOdpsDescriptor } from './odps';

/** The public fixtures copied into the repository (fixtures/, with their sources). */
const fixtures = path.resolve(__dirname, '../../../../fixtures/odps');
const load = (file: string) =>
  parse(fs.readFileSync(path.join(fixtures, file), 'utf8'));

/** The customer example with what the kind needs and ODPS cannot say, as custom properties. */
type OdpsPort = {
  type?: string;
  customProperties?: Array<{ property: string; value: unknown }>;
};

function completedCustomer() {
  const doc = load('customer-data-product.odps.yaml') as {
    status?: string;
    version?: string;
    customProperties?: unknown;
    outputPorts: OdpsPort[];
    inputPorts: OdpsPort[];
  };
  doc.customProperties = [{ property: 'dataProductType', value: 'aggregate' }];
  doc.outputPorts.forEach((port, i) => {
    port.customProperties = [
      ...(port.customProperties ?? []),
      {
        property: 'location',
        value: { namespace: 'postgres://db:5432', name: `sales.t${i}` },
      },
    ];
  });
  doc.inputPorts.forEach(port => {
    port.customProperties = [
      ...(port.customProperties ?? []),
      { property: 'product', value: 'dataproduct:payments/payments' },
      { property: 'port', value: 'transactions' },
    ];
  });
  return doc;
}

describe('validateOdpsDescriptor', () => {
  it('accepts both official examples (v0.9.0 documents, v1.0.0 shapes)', () => {
    expect(
      validateOdpsDescriptor(load('simple-data-product.odps.yaml')),
    ).toEqual([]);
    expect(
      validateOdpsDescriptor(load('customer-data-product.odps.yaml')),
    ).toEqual([]);
  });

  it('accepts a v0.9.0 document in the v0.9.0 shape (team as a list of members)', () => {
    const doc = load('simple-data-product.odps.yaml');
    doc.team = [{ username: 'jane@example.com', role: 'owner' }];
    expect(validateOdpsDescriptor(doc)).toEqual([]);
  });

  it('names the fields of an invalid document', () => {
    const doc = load('simple-data-product.odps.yaml');
    delete doc.id;
    doc.apiVersion = 'v2.0.0';
    doc.outputPorts[0].location = 'x';
    expect(validateOdpsDescriptor(doc).map(p => p.message)).toEqual([
      'id is required by the ODPS schema',
      'apiVersion must be one of v0.9.0, v1.0.0, not "v2.0.0"',
      'outputPorts[0].location is not a field of the ODPS schema',
    ]);
  });
});

describe('dataProductFromOdps', () => {
  it('refuses what the standard cannot say, naming the fields', () => {
    const result = dataProductFromOdps(load('simple-data-product.odps.yaml'), {
      defaultOwner: 'group:data-team',
      defaultDomain: 'testing',
      defaultType: 'source-aligned',
    });
    expect(result.entity).toBeUndefined();
    expect(result.problems.map(p => p.path)).toEqual([
      'outputPorts[0]',
      'inputPorts[0]',
    ]);
    expect(result.problems[0].message).toBe(
      'outputPorts[0]: ODPS output ports have no dataset location; add a custom property location with { namespace, name } as OpenLineage names the dataset',
    );
  });

  it('does not convert an invalid document', () => {
    expect(dataProductFromOdps({ kind: 'DataProduct' }).problems).toEqual([
      {
        path: 'apiVersion',
        message: 'apiVersion is required by the ODPS schema',
      },
      { path: 'id', message: 'id is required by the ODPS schema' },
      { path: 'status', message: 'status is required by the ODPS schema' },
    ]);
  });

  it('maps the customer example once the missing facts are given', () => {
    const { entity, problems } = dataProductFromOdps(completedCustomer(), {
      namespace: 'retail',
    });
    expect(problems).toEqual([]);
    expect(entity!.metadata).toEqual({
      name: 'customer-data-product',
      namespace: 'retail',
      title: 'Customer Data Product',
      description:
        'Enterprise view of a customer.\n\nLimitations: No known limitations.\n\nUsage: Check the various artefacts for their own description.',
      tags: ['customer'],
      links: [
        {
          url: 'https://retailcorp.slack.com/archives/C1234567890',
          title: 'Data Team Slack',
          type: 'support:slack',
        },
        {
          url: 'mailto:data-support@retailcorp.com',
          title: 'Email Support',
          type: 'support:email',
        },
      ],
      annotations: {
        'datamesh.io/source-standard': 'odps/v0.9.0',
        'datamesh.io/source-id': 'fbe8d147-28db-4f1d-bedf-a3fe9f458427',
        'datamesh.io/source-status': 'draft',
      },
    });
    const spec = entity!.spec;
    expect(spec.owner).toBe('group:data-team');
    expect(spec.domain).toBe('seller');
    expect(spec.type).toBe('aggregate');
    expect(spec.lifecycle).toBe('experimental');
    expect(spec.version).toBeUndefined();
    // one name at two versions becomes two ports; the contract id stays in the description
    expect(spec.outputPorts!.map(p => p.name)).toEqual([
      'rawtransactions-v1-0-0',
      'rawtransactions-v2-0-0',
      'consolidatedtransactions',
      'fulltransactionswithreturns',
    ]);
    expect(spec.outputPorts![1]).toEqual({
      name: 'rawtransactions-v2-0-0',
      type: 'table',
      location: { namespace: 'postgres://db:5432', name: 'sales.t1' },
      description:
        'Raw Transactions (ODPS output port rawtransactions version 2.0.0, contractId c2798941-1b7e-4b03-9e0d-955b1a872b33)',
    });
    expect(spec.inputPorts!.map(p => p.name)).toEqual([
      'payments-v1-0-0',
      'payments-v2-0-0',
      'onlinetransactions-v1-0-0',
      'onlinetransactions-v1-1-0',
    ]);
    expect(spec.inputPorts![0]).toEqual({
      name: 'payments-v1-0-0',
      product: 'dataproduct:payments/payments',
      port: 'transactions',
      description:
        'ODPS input port payments version 1.0.0, contractId dbb7b1eb-7628-436e-8914-2a00638ba6db',
    });
  });

  it('maps status to lifecycle, a v-prefixed version to semver, and prefers the descriptor over defaults', () => {
    const doc = completedCustomer();
    doc.status = 'active';
    doc.version = 'v1.0.0';
    const { entity } = dataProductFromOdps(doc, {
      defaultOwner: 'someone-else',
      defaultType: 'source-aligned',
    });
    expect(entity!.spec).toMatchObject({
      owner: 'group:data-team',
      type: 'aggregate',
      lifecycle: 'production',
      version: '1.0.0',
    });
  });

  it('is deterministic', () => {
    expect(dataProductFromOdps(completedCustomer())).toEqual(
      dataProductFromOdps(completedCustomer()),
    );
  });

  it('names a port type it cannot map and a malformed location', () => {
    const doc = completedCustomer();
    doc.outputPorts[0].type = 'dashboards';
    doc.outputPorts[1].customProperties = [
      { property: 'location', value: 'postgres://db/sales.t1' },
    ];
    expect(dataProductFromOdps(doc).problems.map(p => p.message)).toEqual([
      'outputPorts[0].type "dashboards" has no DataProduct port type; use one of table, view, topic, api, file (or their plurals)',
      'outputPorts[1].customProperties[location] must be an object with a namespace and a name, as OpenLineage names the dataset',
    ]);
  });
});

describe('dataProductFromOdps defaults', () => {
  it('ends the problem of a missing field with how to set its default', () => {
    const doc = completedCustomer();
    delete (doc as { customProperties?: unknown }).customProperties;
    const problem = (options = {}) =>
      dataProductFromOdps(doc, options).problems.find(
        p => p.path === 'customProperties[dataProductType]',
      )?.message;
    expect(problem()).toBe(
      'customProperties[dataProductType]: ODPS has no data product type; add a custom property dataProductType (source-aligned, aggregate or consumer-aligned) or pass the defaultType option',
    );
    expect(
      problem({ describeDefault: (field: string) => `set x.${field}` }),
    ).toBe(
      'customProperties[dataProductType]: ODPS has no data product type; add a custom property dataProductType (source-aligned, aggregate or consumer-aligned) or set x.type',
    );
    expect(
      dataProductFromOdps(doc, { defaultType: 'consumer-aligned' }).entity?.spec
        .type,
    ).toBe('consumer-aligned');
  });

  it('does not replace what the descriptor writes, invalid or not, by a default', () => {
    const doc = completedCustomer() as ReturnType<typeof completedCustomer> & {
      team: { name: string };
    };
    doc.team = { name: '***' };
    expect(
      dataProductFromOdps(doc, { defaultOwner: 'group:data-team' }).problems,
    ).toEqual([
      {
        path: 'team.name',
        message: 'team.name "***" yields no valid Group name; rename the team',
      },
    ]);
  });
});
