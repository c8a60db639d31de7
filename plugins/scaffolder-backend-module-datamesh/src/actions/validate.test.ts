import fs from 'node:fs/promises';
import path from 'node:path';
import { createMockDirectory } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { createValidateDataProductAction } from './validate';
import { mockContext } from '../__testUtils__/context';
import type { GeneratedProductCheck } from '../checks';

const fixture = path.resolve(__dirname, '../__fixtures__/product');

describe('datamesh:dataproduct:validate', () => {
  const mockDir = createMockDirectory();

  async function workspaceWith(changes: Record<string, string | null> = {}) {
    mockDir.clear();
    await fs.cp(fixture, mockDir.path, { recursive: true });
    for (const [file, content] of Object.entries(changes)) {
      if (content === null) {
        await fs.rm(mockDir.resolve(file));
      } else {
        await fs.writeFile(mockDir.resolve(file), content);
      }
    }
    return mockDir.path;
  }

  const catalog = catalogServiceMock({
    entities: [
      {
        apiVersion: 'datamesh.io/v1alpha1',
        kind: 'DataProduct',
        metadata: { name: 'taken-product', namespace: 'default' },
        spec: {},
      },
    ],
  });

  const run = async (
    workspacePath: string,
    input: { path?: string; checkNameAvailable?: boolean } = {},
    checks: GeneratedProductCheck[] = [],
    isDryRun = false,
  ) => {
    const action = createValidateDataProductAction({ catalog, checks });
    const ctx = mockContext({
      input: {
        path: input.path ?? 'catalog-info.yaml',
        checkNameAvailable: input.checkNameAvailable ?? true,
      },
      workspacePath,
      isDryRun,
    });
    await action.handler(ctx);
    return ctx;
  };

  it('passes a valid product with its contract and descriptor, in a dry run too', async () => {
    const workspace = await workspaceWith();
    const ctx = await run(workspace);
    expect(ctx.output).toHaveBeenCalledWith('entityRefs', [
      'dataproduct:default/orders-feed',
    ]);
    const dry = await run(workspace, {}, [], true);
    expect(dry.output).toHaveBeenCalledWith('entityRefs', [
      'dataproduct:default/orders-feed',
    ]);
  });

  it('lists every problem with its file and field', async () => {
    const catalogInfo = await fs.readFile(
      path.join(fixture, 'catalog-info.yaml'),
      'utf8',
    );
    const contract = await fs.readFile(
      path.join(fixture, 'contracts/orders.odcs.yaml'),
      'utf8',
    );
    const infrastructure = await fs.readFile(
      path.join(fixture, 'infrastructure.yaml'),
      'utf8',
    );
    const workspace = await workspaceWith({
      'catalog-info.yaml': catalogInfo
        .replace('type: source-aligned', 'type: sideways')
        .replace('freshness: 1h', 'freshness: soon'),
      'contracts/orders.odcs.yaml': contract.replace(
        'kind: DataContract',
        'kind: Contract',
      ),
      'infrastructure.yaml': infrastructure.replace(
        'encryption_at_rest: true',
        'encryption_at_rest: maybe',
      ),
    });
    const error = await run(workspace).catch(e => e);
    expect(error.name).toBe('InputError');
    expect(error.message).toContain('nothing was published');
    expect(error.message).toContain(
      '- catalog-info.yaml: spec.type must be one of source-aligned, aggregate, consumer-aligned, not "sideways"',
    );
    expect(error.message).toContain(
      '- catalog-info.yaml: spec.sla.freshness must be a duration such as 15m, 1h or 1d, not "soon"',
    );
    expect(error.message).toMatch(
      /- contracts\/orders\.odcs\.yaml: kind must be .*DataContract/,
    );
    expect(error.message).toContain(
      '- infrastructure.yaml: spec.security.encryption_at_rest must be of type boolean, not "maybe"',
    );
  });

  it('refuses a name taken in the catalog', async () => {
    const catalogInfo = await fs.readFile(
      path.join(fixture, 'catalog-info.yaml'),
      'utf8',
    );
    const workspace = await workspaceWith({
      'catalog-info.yaml': catalogInfo.replace(
        'name: orders-feed',
        'name: taken-product',
      ),
    });
    await expect(run(workspace)).rejects.toThrow(
      'catalog-info.yaml: metadata.name "taken-product" is already taken in the catalog by dataproduct:default/taken-product: choose another name',
    );
    await expect(
      run(workspace, { checkNameAvailable: false }),
    ).resolves.toBeDefined();
  });

  it('refuses missing files and references outside the workspace', async () => {
    const catalogInfo = await fs.readFile(
      path.join(fixture, 'catalog-info.yaml'),
      'utf8',
    );
    const workspace = await workspaceWith({
      'catalog-info.yaml': catalogInfo.replace(
        './infrastructure.yaml',
        '../../../etc/passwd',
      ),
      'contracts/orders.odcs.yaml': null,
    });
    const error = await run(workspace).catch(e => e);
    expect(error.message).toContain(
      '- catalog-info.yaml: spec.outputPorts[0].contract "./contracts/orders.odcs.yaml": no such file in the workspace (contracts/orders.odcs.yaml)',
    );
    expect(error.message).toContain(
      '- catalog-info.yaml: spec.infrastructure "../../../etc/passwd" is outside the workspace',
    );
    await expect(run(workspace, { path: '../outside.yaml' })).rejects.toThrow(
      'path "../outside.yaml" is outside the workspace',
    );
    await expect(run(workspace, { path: 'nope.yaml' })).rejects.toThrow(
      'nope.yaml: no such file in the workspace, nothing to validate',
    );
  });

  it('validates a Domain with its data-mesh settings', async () => {
    const workspace = await workspaceWith({
      'domain.yaml': [
        'apiVersion: backstage.io/v1alpha1',
        'kind: Domain',
        'metadata:',
        '  name: logistics',
        'spec:',
        '  owner: group:default/logistics-team',
        '  datamesh:',
        "    communicationChannel: '#logistics-data'",
        '    steward: user:default/someone',
        '    sla:',
        '      freshness: fast',
      ].join('\n'),
    });
    await expect(run(workspace, { path: 'domain.yaml' })).rejects.toThrow(
      'domain.yaml: spec.datamesh.sla.freshness must be a duration such as 15m, 1h or 1d, not "fast"',
    );
  });

  it('runs the added checks (the governance hook) on a valid product and lists their problems', async () => {
    const workspace = await workspaceWith();
    const seen: string[] = [];
    const check: GeneratedProductCheck = {
      id: 'encryption',
      async check(generated) {
        seen.push(generated.entity.metadata.name);
        expect(generated.contracts).toEqual([
          expect.objectContaining({
            port: 'orders',
            file: 'contracts/orders.odcs.yaml',
            result: expect.objectContaining({ status: 'valid' }),
          }),
        ]);
        expect(generated.infrastructure?.result.status).toBe('valid');
        return [
          {
            file: generated.infrastructure!.file,
            path: 'spec.storage.encryption',
            message:
              'spec.storage.encryption must be AES-256 for internal products (policy encryption-at-rest)',
          },
        ];
      },
    };
    await expect(run(workspace, {}, [check])).rejects.toThrow(
      '- infrastructure.yaml: spec.storage.encryption must be AES-256 for internal products (policy encryption-at-rest)',
    );
    expect(seen).toEqual(['orders-feed']);
  });
});
