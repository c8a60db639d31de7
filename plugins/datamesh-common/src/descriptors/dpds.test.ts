import fs from 'node:fs';
import path from 'node:path';
import {
  dataProductFromDpds,
  resolveDpdsReferences,
  validateDpdsDescriptor,
} from './dpds';

/** The parts of a resolved descriptor these tests read. */
type ResolvedDescriptor = {
  interfaceComponents: {
    inputPorts: Array<Record<string, unknown> & { name: string }>;
    outputPorts: Array<
      Record<string, unknown> & { name: string; promises?: unknown }
    >;
  };
};

/** The public fixtures copied into the repository (fixtures/, with their sources). */
const fixtures = path.resolve(__dirname, '../../../../fixtures/dpds');
const load = (file: string) =>
  JSON.parse(fs.readFileSync(path.join(fixtures, file), 'utf8'));

const fileReader = async (ref: string, base: string) => {
  const location = path.resolve(path.dirname(base), ref);
  return { location, document: load(path.relative(fixtures, location)) };
};

/** The official trip events descriptor with the facts DPDS cannot state, as x- properties. */
function completedTripEvents() {
  const doc = load('tripexecution/ports/trip-events-oport.json');
  doc.info['x-dataProductType'] = 'source-aligned';
  doc.info['x-lifecycle'] = 'production';
  doc.interfaceComponents.outputPorts[0]['x-location'] = {
    namespace: 'kafka://broker:9092',
    name: 'transportmng.tripexecution.devents.status',
  };
  return doc;
}

describe('validateDpdsDescriptor', () => {
  it('names fields the official schema requires', () => {
    expect(validateDpdsDescriptor(load('minimal.dpd.json'))).toEqual([
      {
        path: 'info.name',
        message: 'info.name is required by the DPDS schema',
      },
    ]);
  });

  it('checks read-only entityType values as the ODM platform does', () => {
    const problems = validateDpdsDescriptor(
      load('odm-platform_dpd-core-props-readonly-wrong.json'),
    );
    expect(problems[0]).toEqual({
      path: 'info.entityType',
      message:
        'info.entityType is a read-only property whose value must be "dataproduct", not "dataproductx"',
    });
    expect(problems).toHaveLength(5);
  });

  it('refuses versions other than 1.0.x', () => {
    const doc = load('minimal.dpd.json');
    doc.dataProductDescriptor = '2.0.0';
    expect(validateDpdsDescriptor(doc)[0].message).toBe(
      'dataProductDescriptor "2.0.0" is not a supported version of the specification; supported: 1.0.x',
    );
  });
});

describe('resolveDpdsReferences', () => {
  it('resolves the tripexecution ports relative to the descriptor', async () => {
    const base = path.join(
      fixtures,
      'tripexecution/data-product-descriptor.json',
    );
    const { document, references, problems } = await resolveDpdsReferences(
      load('tripexecution/data-product-descriptor.json'),
      base,
      fileReader,
    );
    expect(problems).toEqual([]);
    expect(references.map(r => [r.path, r.ref])).toEqual([
      ['interfaceComponents.inputPorts[0]', 'ports/trip-tms-iport.json'],
      ['interfaceComponents.outputPorts[0]', 'ports/trip-status-oport.json'],
      ['interfaceComponents.outputPorts[1]', 'ports/trip-events-oport.json'],
    ]);
    const resolved = document as ResolvedDescriptor;
    expect(resolved.interfaceComponents.outputPorts[0].name).toBe('tripStatus');
    // the description written next to the $ref is kept when the port has none
    expect(resolved.interfaceComponents.inputPorts[0]).toEqual({
      name: 'tmsInput',
      version: '1.0.0',
      description: 'Through this port trip data is ingested from TMS',
    });
    // the official example points its second output port at a whole descriptor
    expect(
      dataProductFromDpds(document, { references }).problems.map(
        p => p.message,
      ),
    ).toEqual([
      'interfaceComponents.outputPorts[1] is a whole data product descriptor (it has dataProductDescriptor and info), not a port (in $ref ports/trip-events-oport.json)',
    ]);
  });

  it('follows fragments and references inside referenced files, and names what it cannot read', async () => {
    const files: Record<string, unknown> = {
      'https://x/dp/ports/a.json': {
        name: 'a',
        version: '1.0.0',
        promises: { $ref: 'promises.json#/a' },
      },
      'https://x/dp/ports/promises.json': {
        a: { platform: 'p', servicesType: 'streaming-services' },
      },
    };
    const reader = async (ref: string, base: string) => {
      const location = new URL(ref, base).toString();
      if (!(location in files)) throw new Error(`${location} not found`);
      return { location, document: files[location] };
    };
    const doc = {
      interfaceComponents: {
        outputPorts: [{ $ref: 'ports/a.json' }, { $ref: 'ports/b.json' }],
        inputPorts: [{ $ref: '#/components/inputPorts/x' }],
      },
      components: { inputPorts: { x: { name: 'x', version: '1.0.0' } } },
    };
    const { document, references, problems } = await resolveDpdsReferences(
      doc,
      'https://x/dp/descriptor.json',
      reader,
    );
    expect(
      (document as ResolvedDescriptor).interfaceComponents.outputPorts[0]
        .promises,
    ).toEqual({ platform: 'p', servicesType: 'streaming-services' });
    expect(
      (document as ResolvedDescriptor).interfaceComponents.inputPorts[0].name,
    ).toBe('x');
    expect(references.map(r => r.location)).toEqual([
      'https://x/dp/descriptor.json',
      'https://x/dp/ports/a.json',
      'https://x/dp/ports/promises.json',
    ]);
    expect(problems).toEqual([
      {
        path: 'interfaceComponents.outputPorts[1]',
        message:
          'interfaceComponents.outputPorts[1]: $ref "ports/b.json" could not be read: https://x/dp/ports/b.json not found',
      },
    ]);
  });
});

describe('dataProductFromDpds', () => {
  it('refuses what the standard cannot say, naming the fields', () => {
    expect(
      dataProductFromDpds(
        load('tripexecution/ports/trip-events-oport.json'),
      ).problems.map(p => p.path),
    ).toEqual([
      'info.x-dataProductType',
      'info.x-lifecycle',
      'interfaceComponents.outputPorts[0]',
    ]);
  });

  it('maps a descriptor once the missing facts are given', () => {
    const { entity, problems } = dataProductFromDpds(completedTripEvents());
    expect(problems).toEqual([]);
    expect(entity).toEqual({
      apiVersion: 'datamesh.io/v1alpha1',
      kind: 'DataProduct',
      metadata: {
        name: 'trip-execution',
        title: 'tripExecution',
        annotations: {
          'datamesh.io/source-standard': 'dpds/1.0.0',
          'datamesh.io/source-id':
            'urn:dpds:com.company-xyz:dataproducts:tripExecution:1',
        },
      },
      spec: {
        owner: 'user:john.doe',
        domain: 'transport-management',
        type: 'source-aligned',
        lifecycle: 'production',
        version: '1.2.3',
        outputPorts: [
          {
            name: 'trip-events',
            type: 'topic',
            location: {
              namespace: 'kafka://broker:9092',
              name: 'transportmng.tripexecution.devents.status',
            },
            description:
              'This port exposes a *stream of events* related to the `Trip` entity (DPDS output port tripEvents version 1.2.0, platform westeurope.azure:confluent, urn:dpds:com.company-xyz:dataproducts:tripExecution:1:outputports:tripEvents)',
          },
        ],
      },
    });
  });

  it('takes type and lifecycle from defaults, the owner as an entity reference, and contact points as links', () => {
    const doc = load('odm-platform_dpd-full.json');
    // only the parts the official schema accepts
    doc.interfaceComponents = { outputPorts: [] };
    delete doc.internalComponents;
    doc.info.owner.id = 'group:logistics/trip-team';
    const { entity, problems } = dataProductFromDpds(doc, {
      defaultType: 'aggregate',
      defaultLifecycle: 'experimental',
    });
    expect(problems).toEqual([]);
    expect(entity!.metadata).toMatchObject({
      name: 'trip-execution',
      title: 'Trip Execution',
      links: [
        {
          url: 'mailto:trip-execution-support@company-xyz.com',
          title: 'Support Team Mail',
          type: 'contact:email',
        },
        {
          url: 'https://readmine.company-xyz.com/trip-execution',
          title: 'Issue Tracker',
          type: 'contact:web',
        },
      ],
    });
    expect(entity!.spec).toMatchObject({
      owner: 'group:logistics/trip-team',
      domain: 'sample-domain',
      type: 'aggregate',
      lifecycle: 'experimental',
    });
  });

  it('names input ports that do not say which product they read', () => {
    const doc = completedTripEvents();
    doc.interfaceComponents.inputPorts = [{ name: 'tms', version: '1.0.0' }];
    expect(dataProductFromDpds(doc).problems).toEqual([
      {
        path: 'interfaceComponents.inputPorts[0]',
        message:
          'interfaceComponents.inputPorts[0]: DPDS input ports do not name the upstream data product; add x-product (entity reference of the upstream DataProduct) and x-port (its output port) to the port',
      },
    ]);
    doc.interfaceComponents.inputPorts[0]['x-product'] = 'tms-trips';
    doc.interfaceComponents.inputPorts[0]['x-port'] = 'trips';
    expect(dataProductFromDpds(doc).entity!.spec.inputPorts).toEqual([
      {
        name: 'tms',
        product: 'tms-trips',
        port: 'trips',
        description: 'DPDS input port tms version 1.0.0',
      },
    ]);
  });
});
