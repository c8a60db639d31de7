import fs from 'node:fs/promises';
import path from 'node:path';
import {
  createMockDirectory,
  mockServices,
} from '@backstage/backend-test-utils';
import { ANNOTATION_LOCATION, Entity } from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { DataContractReader } from '@backstage-datamesh/plugin-datamesh-node';
import { parseAllDocuments } from 'yaml';
import { createUpstreamContractsAction } from './upstreamContracts';
import { mockContext } from '../__testUtils__/context';

const salesFile = path.resolve(
  __dirname,
  '../../../../examples/data-products/sales/catalog-info.yaml',
);

/** The example mesh's sales products, as the catalog holds them after reading their file. */
async function salesProducts(): Promise<Entity[]> {
  const text = await fs.readFile(salesFile, 'utf8');
  return parseAllDocuments(text)
    .map(d => d.toJS() as Entity)
    .filter(e => e?.kind === 'DataProduct')
    .map(e => ({
      ...e,
      metadata: {
        ...e.metadata,
        namespace: 'default',
        annotations: {
          ...e.metadata.annotations,
          [ANNOTATION_LOCATION]: `file:${salesFile}`,
        },
      },
    }));
}

describe('datamesh:dataproduct:upstream-contracts', () => {
  const mockDir = createMockDirectory();
  let action: ReturnType<typeof createUpstreamContractsAction>;

  beforeAll(async () => {
    const entities = await salesProducts();
    // a product whose contract does not validate
    const broken = structuredClone(
      entities.find(e => e.metadata.name === 'crm-accounts')!,
    );
    broken.metadata.name = 'broken-accounts';
    (broken.spec as any).outputPorts[0].contract = './catalog-info.yaml';
    action = createUpstreamContractsAction({
      catalog: catalogServiceMock({ entities: [...entities, broken] }),
      contracts: DataContractReader.fromConfig(new ConfigReader({}), {
        reader: mockServices.urlReader.mock(),
      }),
    });
  });

  beforeEach(() => mockDir.clear());

  const run = (
    ports: Array<{ product: string; port: string }>,
    targetPath = 'contracts/upstream',
  ) => {
    const ctx = mockContext({
      input: { ports, targetPath },
      workspacePath: mockDir.path,
    });
    return action.handler(ctx).then(() => ctx);
  };

  it('writes the contracts of two upstream ports and outputs their input ports and schemas', async () => {
    const ctx = await run([
      { product: 'dataproduct:default/crm-accounts', port: 'accounts' },
      { product: 'order-history', port: 'orders' },
    ]);
    expect(ctx.output).toHaveBeenCalledWith('inputPorts', [
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
    const contracts = (ctx.output as jest.Mock).mock.calls.find(
      ([name]) => name === 'contracts',
    )[1];
    expect(contracts).toHaveLength(2);
    expect(contracts[0]).toMatchObject({
      inputPort: 'crm-accounts-accounts',
      file: 'contracts/upstream/crm-accounts-accounts.odcs.yaml',
      location: {
        namespace: 'postgres://warehouse:5432',
        name: 'analytics.sales.crm_accounts',
      },
      schema: [expect.objectContaining({ properties: expect.any(Array) })],
    });
    const written = await fs.readFile(
      mockDir.resolve('contracts/upstream/crm-accounts-accounts.odcs.yaml'),
      'utf8',
    );
    const original = await fs.readFile(
      path.join(
        path.dirname(salesFile),
        'contracts/crm-accounts-accounts.odcs.yaml',
      ),
      'utf8',
    );
    expect(written).toBe(original);
  });

  it('names the input that is wrong', async () => {
    await expect(
      run([{ product: 'dataproduct:default/nope', port: 'x' }]),
    ).rejects.toThrow(
      'ports[0].product: no data product dataproduct:default/nope in the catalog',
    );
    await expect(
      run([
        { product: 'crm-accounts', port: 'accounts' },
        { product: 'crm-accounts', port: 'missing' },
      ]),
    ).rejects.toThrow(
      'ports[1].port: dataproduct:default/crm-accounts has no output port "missing"; its ports are accounts',
    );
    await expect(
      run([{ product: 'broken-accounts', port: 'accounts' }]),
    ).rejects.toThrow(
      /ports\[0\]: the contract of dataproduct:default\/broken-accounts port accounts is invalid/,
    );
    await expect(
      run([{ product: 'crm-accounts', port: 'accounts' }], '../../elsewhere'),
    ).rejects.toThrow('targetPath "../../elsewhere" is outside the workspace');
  });
});
