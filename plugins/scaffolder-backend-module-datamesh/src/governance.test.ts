import fs from 'node:fs/promises';
import path from 'node:path';
import { createMockDirectory } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { createValidateDataProductAction } from './actions/validate';
import { createGovernanceCheck } from './governance';
import { mockContext } from './__testUtils__/context';

const fixture = path.resolve(__dirname, '__fixtures__/product');

describe('the governance check of datamesh:dataproduct:validate', () => {
  const mockDir = createMockDirectory();
  const catalog = catalogServiceMock({
    entities: [
      {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Domain',
        metadata: { name: 'sales', namespace: 'default' },
        spec: {
          owner: 'sales-team',
          datamesh: {
            policies: [
              {
                id: 'sales-retention',
                description: 'Sales data is kept at least 180 days.',
                enforcement: 'required',
                rule: 'product.spec.retentionDays >= 180',
                message: 'retentionDays is {{product.spec.retentionDays}}',
              },
            ],
          },
        },
      },
    ],
  });

  const run = async (changes: Record<string, string | null> = {}) => {
    mockDir.clear();
    await fs.cp(fixture, mockDir.path, { recursive: true });
    for (const [file, content] of Object.entries(changes)) {
      if (content === null) {
        await fs.rm(mockDir.resolve(file));
      } else {
        await fs.writeFile(mockDir.resolve(file), content);
      }
    }
    const action = createValidateDataProductAction({
      catalog,
      checks: [
        createGovernanceCheck({ config: new ConfigReader({}), catalog }),
      ],
    });
    const ctx = mockContext({
      input: { path: 'catalog-info.yaml', checkNameAvailable: false },
      workspacePath: mockDir.path,
    });
    await action.handler(ctx);
    return ctx;
  };

  it('refuses a product that fails a required policy of its domain, naming the policy and its reason', async () => {
    const error = await run().catch(e => e);
    expect(error.message).toMatch(
      /- catalog-info\.yaml: \(governance\) fails the required policy sales-retention/,
    );
  });

  it('passes a product that meets the default policies and its domain’s', async () => {
    const catalogInfo = await fs.readFile(
      path.join(fixture, 'catalog-info.yaml'),
      'utf8',
    );
    const ctx = await run({
      'catalog-info.yaml': catalogInfo.replace(
        'retentionDays: 90',
        'retentionDays: 365',
      ),
    });
    expect(ctx.output).toHaveBeenCalledWith('entityRefs', [
      'dataproduct:default/orders-feed',
    ]);
  });

  it('refuses a product whose infrastructure does not encrypt at rest (a default policy)', async () => {
    const catalogInfo = await fs.readFile(
      path.join(fixture, 'catalog-info.yaml'),
      'utf8',
    );
    const infrastructure = await fs.readFile(
      path.join(fixture, 'infrastructure.yaml'),
      'utf8',
    );
    const error = await run({
      'catalog-info.yaml': catalogInfo.replace(
        'retentionDays: 90',
        'retentionDays: 365',
      ),
      'infrastructure.yaml': infrastructure
        .replace('encryption_at_rest: true', 'encryption_at_rest: false')
        .replace('encryption: AES-256', 'encryption: none'),
    }).catch(e => e);
    expect(error.message).toMatch(
      /\(governance\) fails the required policy encryption-at-rest/,
    );
  });
});
