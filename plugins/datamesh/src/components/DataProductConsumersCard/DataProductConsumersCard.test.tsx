import { screen, within } from '@testing-library/react';
import type { Entity } from '@backstage/catalog-model';
import {
  dataProduct,
  mockCatalogApi,
  renderForEntity,
} from '../../__testUtils__/fixtures';
import { DataProductConsumersCard } from './DataProductConsumersCard';

const churn: Entity = {
  apiVersion: 'datamesh.io/v1alpha1',
  kind: 'DataProduct',
  metadata: { name: 'churn-features', namespace: 'default' },
  spec: {
    owner: 'analytics-team',
    domain: 'customer-analytics',
    inputPorts: [
      { name: 'profiles-in', product: 'customer-360', port: 'profiles' },
      { name: 'other', product: 'crm-accounts', port: 'accounts' },
    ],
  },
  relations: [
    { type: 'ownedBy', targetRef: 'group:default/analytics-team' },
    { type: 'partOf', targetRef: 'domain:default/customer-analytics' },
  ],
};

describe('DataProductConsumersCard', () => {
  it('lists the downstream data products from dependencyOf relations', async () => {
    const entity = dataProduct({
      relations: [
        { type: 'ownedBy', targetRef: 'group:default/customer-domain-team' },
        {
          type: 'dependencyOf',
          targetRef: 'dataproduct:default/churn-features',
        },
        {
          type: 'dependencyOf',
          targetRef: 'dataproduct:marketing/campaign-audiences',
        },
        { type: 'dependencyOf', targetRef: 'component:default/some-service' },
      ],
    });
    const catalogApi = mockCatalogApi({
      getEntitiesByRefs: jest.fn().mockResolvedValue({
        items: [churn, undefined],
      }),
    });
    await renderForEntity(<DataProductConsumersCard />, { entity, catalogApi });

    const table = await screen.findByRole('table', { name: 'Consumers' });
    expect(catalogApi.getEntitiesByRefs).toHaveBeenCalledWith(
      expect.objectContaining({
        entityRefs: [
          'dataproduct:default/churn-features',
          'dataproduct:marketing/campaign-audiences',
        ],
      }),
    );
    const rows = within(table).getAllByRole('row');
    expect(rows).toHaveLength(3);
    const churnLinks = within(rows[1]).getAllByRole('link');
    expect(churnLinks.map(link => link.getAttribute('href'))).toEqual([
      '/catalog/default/dataproduct/churn-features',
      '/catalog/default/domain/customer-analytics',
      '/catalog/default/group/analytics-team',
    ]);
    expect(rows[1]).toHaveTextContent('profiles');
    expect(rows[1]).not.toHaveTextContent('accounts');
    expect(within(rows[2]).getByRole('link')).toHaveAttribute(
      'href',
      '/catalog/marketing/dataproduct/campaign-audiences',
    );
  });

  it('says so when nothing consumes the product', async () => {
    await renderForEntity(<DataProductConsumersCard />, {
      entity: dataProduct({ relations: [] }),
    });
    expect(
      await screen.findByText('No data product consumes this product yet.'),
    ).toBeInTheDocument();
  });
});
