import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import type {
  DataContractResult,
  DataProductEntityV1alpha1,
} from '@backstage-datamesh/plugin-datamesh-common';
import { connectDatabase } from '../database/migrations';
import { DatabaseLineageStore } from '../database/DatabaseLineageStore';
import { LineageGraphService } from './LineageGraphService';
import { ProductIndex } from './ProductIndex';
import {
  dataset,
  facets,
  runEvent,
  storeRequest,
} from './__testUtils__/events';

jest.setTimeout(120_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

const ns = 'postgres://db:5432';

const customers: DataProductEntityV1alpha1 = {
  apiVersion: 'datamesh.io/v1alpha1',
  kind: 'DataProduct',
  metadata: { name: 'customers', namespace: 'default' },
  spec: {
    owner: 'group:default/sales',
    domain: 'sales',
    type: 'aggregate',
    lifecycle: 'production',
    outputPorts: [
      {
        name: 'customers',
        type: 'table',
        location: { namespace: ns, name: 'shop.public.customers' },
        contract: './contracts/customers.odcs.yaml',
      },
    ],
  },
} as DataProductEntityV1alpha1;

/** The port's ODCS contract: a type for each column but `region`. */
const contract: DataContractResult = {
  status: 'valid',
  source: 'file:contracts/customers.odcs.yaml',
  contract: {
    apiVersion: 'v3.1.0',
    id: 'customers',
    version: '1.0.0',
    schema: [
      {
        name: 'other_table',
        properties: [{ name: 'orders', physicalType: 'TEXT' }],
      },
      {
        name: 'customers',
        properties: [
          { name: 'customer_id', physicalType: 'UUID' },
          { name: 'ORDERS', logicalType: 'integer', physicalType: 'BIGINT' },
          { name: 'signup_day', logicalType: 'date' },
        ],
      },
    ],
  },
};

const from = (field: string) => ({
  inputFields: [
    {
      namespace: ns,
      name: 'shop.public.orders',
      field,
      transformations: [{ type: 'DIRECT', subtype: 'IDENTITY' }],
    },
  ],
});

describe.each(databases.eachSupportedId())(
  'LineageGraphService column lineage on %s',
  id => {
    let store: DatabaseLineageStore;

    beforeAll(async () => {
      const knex = await databases.init(id);
      store = new DatabaseLineageStore(
        await connectDatabase(
          mockServices.database({ knex, migrations: { skip: false } }),
        ),
      );
      const output = dataset(ns, 'shop.public.customers', {
        facets: {
          columnLineage: facets.columnLineage({
            customer_id: from('customer_id'),
            orders: from('order_id'),
            signup_day: from('created_at'),
            region: from('country'),
          }),
        },
      });
      // the schema facet types customer_id alone
      (output.facets as Record<string, unknown>).schema = {
        _producer: 'https://example.com/producer',
        _schemaURL:
          'https://openlineage.io/spec/facets/1-0-0/SchemaDatasetFacet.json#/$defs/SchemaDatasetFacet',
        fields: [{ name: 'customer_id', type: 'VARCHAR(36)' }],
      };
      await store.addEvent(
        storeRequest(
          runEvent({
            eventType: 'COMPLETE',
            eventTime: '2026-12-01T10:00:00.000Z',
            job: { namespace: 'dbt', name: 'customers' },
            inputs: [dataset(ns, 'shop.public.orders')],
            outputs: [output],
          }),
        ),
      );
    });

    const service = (
      contracts?: ConstructorParameters<
        typeof LineageGraphService
      >[0]['contracts'],
    ) => {
      const catalog = catalogServiceMock({ entities: [customers] });
      return new LineageGraphService({
        store,
        products: new ProductIndex({ catalog, auth: mockServices.auth() }),
        health: { listHealth: async () => [] },
        catalog,
        quality: { getProduct: async () => customers },
        contracts,
      });
    };

    const types = (columns: Array<{ name: string; type?: string }>) =>
      Object.fromEntries(columns.map(c => [c.name, c.type]));

    it('types the columns the events did not type from the port contract', async () => {
      const readPortContract = jest.fn(async () => contract);
      const lineage = await service({ readPortContract }).columnLineage(
        customers,
        'customers',
      );
      expect(readPortContract).toHaveBeenCalledWith(customers, 'customers');
      // the event's type first; the contract's physical type, else its logical type, of the
      // object that is the port's table (by name, case-insensitively); none for region
      expect(types(lineage.columns)).toEqual({
        customer_id: 'VARCHAR(36)',
        orders: 'BIGINT',
        signup_day: 'date',
        region: undefined,
      });
      expect(
        lineage.columns.find(c => c.name === 'orders')?.sources[0].column,
      ).toBe('order_id');
    });

    it("keeps the events' types alone when the contract cannot be read or is invalid", async () => {
      const unreachable = await service({
        readPortContract: async () => ({
          status: 'unreachable',
          source: 'file:contracts/customers.odcs.yaml',
          message: 'not found',
        }),
      }).columnLineage(customers, 'customers');
      const failing = await service({
        readPortContract: async () => {
          throw new Error('no contract');
        },
      }).columnLineage(customers, 'customers');
      const none = await service().columnLineage(customers, 'customers');
      for (const lineage of [unreachable, failing, none]) {
        expect(types(lineage.columns)).toEqual({
          customer_id: 'VARCHAR(36)',
          orders: undefined,
          signup_day: undefined,
          region: undefined,
        });
      }
    });
  },
);
