import { screen, within } from '@testing-library/react';
import type { DataContractResult } from '@backstage-datamesh/plugin-datamesh-common';
import { dataProduct, renderForEntity } from '../../__testUtils__/fixtures';
import { DataProductOutputPortsCard } from './DataProductOutputPortsCard';

const validResult: DataContractResult = {
  status: 'valid',
  source: 'https://github.com/acme/data/blob/main/contracts/profiles.odcs.yaml',
  contract: {
    apiVersion: 'v3.1.0',
    id: 'customer-360-profiles',
    name: 'Customer 360 profiles',
    version: '2.1.0',
    status: 'active',
    schema: [
      {
        name: 'customer_360',
        physicalName: 'analytics.public.customer_360',
        physicalType: 'table',
        properties: [
          {
            name: 'customer_id',
            logicalType: 'string',
            physicalType: 'uuid',
            required: true,
            primaryKey: true,
            classification: 'internal',
            description: 'Stable customer identifier',
          },
          {
            name: 'address',
            logicalType: 'object',
            properties: [
              {
                name: 'city',
                logicalType: 'string',
                classification: 'confidential',
              },
            ],
          },
        ],
      },
    ],
  },
};

function renderCard(getDataContract: jest.Mock) {
  return renderForEntity(<DataProductOutputPortsCard />, {
    entity: dataProduct(),
    dataMeshApi: { getDataContract },
  });
}

describe('DataProductOutputPortsCard', () => {
  it('shows the port and its contract schema for a valid contract', async () => {
    const getDataContract = jest.fn().mockResolvedValue(validResult);
    await renderCard(getDataContract);

    expect(await screen.findByText('Output ports')).toBeInTheDocument();
    expect(getDataContract).toHaveBeenCalledWith({
      namespace: 'default',
      name: 'customer-360',
      port: 'profiles',
    });
    expect(
      screen.getByText('analytics.public.customer_360', { selector: 'code' }),
    ).toBeInTheDocument();
    expect(screen.getByText('postgres://warehouse:5432')).toBeInTheDocument();
    expect(screen.getByText('delta')).toBeInTheDocument();

    const table = await screen.findByRole('table', {
      name: 'Schema of customer_360',
    });
    expect(
      within(table).getByRole('columnheader', { name: 'Logical type' }),
    ).toBeInTheDocument();
    const rows = within(table).getAllByRole('row');
    // header, customer_id, address, address.city
    expect(rows).toHaveLength(4);
    expect(rows[1]).toHaveTextContent('customer_id');
    expect(rows[1]).toHaveTextContent('uuid');
    expect(rows[1]).toHaveTextContent('Stable customer identifier');
    expect(within(rows[3]).getByText(/city/)).toHaveAttribute(
      'data-depth',
      '1',
    );
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('shows an alert with each problem for an invalid contract', async () => {
    await renderCard(
      jest.fn().mockResolvedValue({
        status: 'invalid',
        source: 'contracts/profiles.odcs.yaml',
        message: 'The contract does not follow ODCS v3.1.0',
        errors: [
          { path: 'schema[0].properties[1]', message: 'must have name' },
        ],
      } satisfies DataContractResult),
    );
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Invalid data contract');
    expect(alert).toHaveTextContent('The contract does not follow ODCS v3.1.0');
    expect(alert).toHaveTextContent('schema[0].properties[1]: must have name');
    expect(alert).toHaveTextContent('contracts/profiles.odcs.yaml');
  });

  it('shows an alert for an unreachable contract', async () => {
    await renderCard(
      jest.fn().mockResolvedValue({
        status: 'unreachable',
        source: 'https://example.com/contract.yaml',
        message: 'HTTP 404 from https://example.com/contract.yaml',
      } satisfies DataContractResult),
    );
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Unreachable data contract');
    expect(alert).toHaveTextContent('HTTP 404');
  });

  it('shows an alert for a contract of an unsupported version', async () => {
    await renderCard(
      jest.fn().mockResolvedValue({
        status: 'unsupported-version',
        source: 'contracts/old.yaml',
        apiVersion: 'v2.2.0',
        message: 'ODCS v2 contracts are not supported',
      } satisfies DataContractResult),
    );
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Unsupported data contract version');
    expect(alert).toHaveTextContent('v2.2.0');
  });

  it('shows an alert when the backend cannot serve the contract', async () => {
    await renderCard(
      jest
        .fn()
        .mockRejectedValue(new Error('Request failed with 404 Not Found')),
    );
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Could not load the data contract');
    expect(alert).toHaveTextContent('404');
  });

  it('says so when a port has no contract, without calling the backend', async () => {
    const getDataContract = jest.fn();
    await renderForEntity(<DataProductOutputPortsCard />, {
      entity: dataProduct({
        outputPorts: [
          {
            name: 'events',
            type: 'topic',
            location: {
              namespace: 'kafka://broker:9092',
              name: 'customer.events',
            },
          },
        ],
      }),
      dataMeshApi: { getDataContract },
    });
    expect(
      await screen.findByText('This port declares no data contract.'),
    ).toBeInTheDocument();
    expect(getDataContract).not.toHaveBeenCalled();
  });
});
