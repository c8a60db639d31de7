import { screen } from '@testing-library/react';
import { dataProduct, renderForEntity } from '../../__testUtils__/fixtures';
import { DataProductInfrastructureCard } from './DataProductInfrastructureCard';

const valid = {
  status: 'valid',
  source: '/repos/customer-360/infrastructure.yaml',
  infrastructure: {
    apiVersion: 'platform/v1',
    kind: 'DataProductInfrastructure',
    metadata: { name: 'customer-360' },
    spec: {
      storage: {
        type: 'data-lake',
        format: 'delta-lake',
        location: 's3://lake/customer/',
        retention: '90 days',
      },
      processing: { engine: 'spark', auto_scaling: true, max_workers: 20 },
      orchestration: { tool: 'airflow', schedule: '0 */6 * * *' },
      quality: {
        framework: 'great-expectations',
        checks: [{ name: 'row_count', threshold: '> 1000' }],
      },
      discovery: { catalog: 'backstage', publish_schema: true },
      security: {
        access_control: 'rbac',
        encryption_at_rest: true,
        audit_logging: false,
      },
    },
  },
} as const;

describe('DataProductInfrastructureCard', () => {
  it('shows each section of a valid descriptor, read through the backend', async () => {
    const getInfrastructure = jest.fn().mockResolvedValue(valid);
    await renderForEntity(<DataProductInfrastructureCard />, {
      entity: dataProduct({ infrastructure: './infrastructure.yaml' }),
      dataMeshApi: { getInfrastructure },
    });
    expect(await screen.findByText('Storage')).toBeInTheDocument();
    for (const title of [
      'Processing',
      'Orchestration',
      'Quality',
      'Discovery',
      'Security',
    ]) {
      expect(screen.getByText(title)).toBeInTheDocument();
    }
    expect(screen.getByText('s3://lake/customer/')).toBeInTheDocument();
    expect(screen.getByText('0 */6 * * *')).toBeInTheDocument();
    expect(screen.getByText(/^Encryption at rest$/i)).toBeInTheDocument();
    expect(screen.getByText('row_count > 1000')).toBeInTheDocument();
    expect(
      screen.getByText('/repos/customer-360/infrastructure.yaml'),
    ).toBeInTheDocument();
    expect(getInfrastructure).toHaveBeenCalledWith({
      namespace: 'default',
      name: 'customer-360',
    });
  });

  it('names each problem of an invalid descriptor', async () => {
    await renderForEntity(<DataProductInfrastructureCard />, {
      entity: dataProduct({ infrastructure: './infrastructure.yaml' }),
      dataMeshApi: {
        getInfrastructure: jest.fn().mockResolvedValue({
          status: 'invalid',
          source: '/repos/x/infrastructure.yaml',
          message: 'The infrastructure descriptor fails its schema',
          errors: [
            {
              path: 'spec.security.encryption_at_rest',
              message:
                'spec.security.encryption_at_rest must be of type boolean, not "maybe"',
            },
          ],
        }),
      },
    });
    expect(
      await screen.findByText('Invalid infrastructure descriptor'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/must be of type boolean, not "maybe"/),
    ).toBeInTheDocument();
  });

  it('says so when the product references no descriptor, without calling the backend', async () => {
    const getInfrastructure = jest.fn();
    await renderForEntity(<DataProductInfrastructureCard />, {
      entity: dataProduct(),
      dataMeshApi: { getInfrastructure },
    });
    expect(
      await screen.findByText(/references no infrastructure descriptor/),
    ).toBeInTheDocument();
    expect(getInfrastructure).not.toHaveBeenCalled();
  });
});
