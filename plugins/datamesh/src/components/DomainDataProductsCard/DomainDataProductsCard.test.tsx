import { screen, waitFor } from '@testing-library/react';
import type { Entity } from '@backstage/catalog-model';
import {
  dataProduct,
  mockCatalogApi,
  renderForEntity,
} from '../../__testUtils__/fixtures';
import { DomainDataProductsCard } from './DomainDataProductsCard';

const domain: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Domain',
  metadata: { name: 'customer', namespace: 'default' },
  spec: { owner: 'customer-domain-team' },
};

describe('DomainDataProductsCard', () => {
  it("pages through the domain's data products on the server", async () => {
    const catalogApi = mockCatalogApi({
      queryEntities: jest.fn().mockResolvedValue({
        items: [dataProduct()],
        totalItems: 1,
        pageInfo: {},
      }),
    });
    await renderForEntity(<DomainDataProductsCard />, {
      entity: domain,
      catalogApi,
    });

    expect(await screen.findByText('Data products')).toBeInTheDocument();
    await waitFor(() =>
      expect(catalogApi.queryEntities).toHaveBeenCalledWith(
        expect.objectContaining({
          filter: {
            kind: 'DataProduct',
            'relations.partOf': 'domain:default/customer',
          },
          limit: 10,
        }),
      ),
    );
    expect(
      await screen.findByRole('link', { name: 'Customer 360' }),
    ).toHaveAttribute('href', '/catalog/default/dataproduct/customer-360');
    expect(screen.getByText('confidential')).toBeInTheDocument();
    expect(screen.getByText('1–1 of 1')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Next page' })).toBeDisabled();
  });
});
