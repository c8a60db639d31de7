import { screen, within } from '@testing-library/react';
import type { Entity } from '@backstage/catalog-model';
import {
  dataProduct,
  mockCatalogApi,
  renderForEntity,
} from '../../__testUtils__/fixtures';
import { DataProductInputPortsCard } from './DataProductInputPortsCard';

const entity = dataProduct({
  inputPorts: [
    { name: 'accounts-in', product: 'crm-accounts', port: 'accounts' },
    { name: 'orders-in', product: 'sales/orders', port: 'order-lines' },
    { name: 'tickets-in', product: 'support-tickets', port: 'tickets' },
  ],
});

const crmAccounts: Entity = {
  apiVersion: 'datamesh.io/v1alpha1',
  kind: 'DataProduct',
  metadata: { name: 'crm-accounts', namespace: 'default' },
  spec: {
    outputPorts: [{ name: 'accounts' }],
  },
};

const orders: Entity = {
  apiVersion: 'datamesh.io/v1alpha1',
  kind: 'DataProduct',
  metadata: { name: 'orders', namespace: 'sales' },
  spec: {
    outputPorts: [{ name: 'orders' }, { name: 'order-events' }],
  },
};

describe('DataProductInputPortsCard', () => {
  it('links each upstream product and warns about missing products and ports', async () => {
    const catalogApi = mockCatalogApi({
      getEntitiesByRefs: jest.fn().mockResolvedValue({
        items: [crmAccounts, orders, undefined],
      }),
    });
    await renderForEntity(<DataProductInputPortsCard />, {
      entity,
      catalogApi,
    });

    const list = await screen.findByRole('list', { name: 'Input ports' });
    expect(catalogApi.getEntitiesByRefs).toHaveBeenCalledWith(
      expect.objectContaining({
        entityRefs: [
          'dataproduct:default/crm-accounts',
          'dataproduct:sales/orders',
          'dataproduct:default/support-tickets',
        ],
      }),
    );

    const rows = within(list).getAllByRole('listitem');
    expect(rows).toHaveLength(3);

    // a port that exists: no warning, linked to the upstream entity page
    expect(rows[0]).toHaveTextContent(/^accounts-in\s*reads accounts from/);
    expect(within(rows[0]).queryByRole('alert')).not.toBeInTheDocument();
    expect(within(rows[0]).getByText('Available')).toBeInTheDocument();
    expect(within(rows[0]).getByRole('link')).toHaveAttribute(
      'href',
      '/catalog/default/dataproduct/crm-accounts',
    );

    // the product exists, the port does not: the warning lists the ports it has
    expect(within(rows[1]).getByText('Port missing')).toBeInTheDocument();
    const portWarning = within(rows[1]).getByRole('alert');
    expect(portWarning).toHaveTextContent(
      'dataproduct:sales/orders has no output port named "order-lines"',
    );
    expect(portWarning).toHaveTextContent('orders, order-events');

    // the product does not exist
    expect(within(rows[2]).getByText('Product missing')).toBeInTheDocument();
    expect(within(rows[2]).getByRole('alert')).toHaveTextContent(
      'dataproduct:default/support-tickets does not exist in the catalog',
    );
  });

  it('says so when the product has no input ports', async () => {
    await renderForEntity(<DataProductInputPortsCard />, {
      entity: dataProduct({ inputPorts: [] }),
    });
    expect(
      await screen.findByText('This data product declares no input ports.'),
    ).toBeInTheDocument();
  });
});
