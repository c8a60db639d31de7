import { screen, waitFor } from '@testing-library/react';
import type { Entity } from '@backstage/catalog-model';
import {
  dataProduct,
  mockCatalogApi,
  renderForEntity,
} from '../../__testUtils__/fixtures';
import { DomainDataMeshCard } from './DomainDataMeshCard';

describe('DomainDataMeshCard', () => {
  it('shows the hierarchy and the data mesh settings of a domain', async () => {
    const domain: Entity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Domain',
      metadata: { name: 'customer-analytics', namespace: 'default' },
      spec: {
        owner: 'group:customer-domain-team',
        subdomainOf: 'customer',
        datamesh: {
          steward: 'user:tom-becker',
          communicationChannel: 'https://chat.example.com/customer-analytics',
          sla: { freshness: '1h', availability: '99.9%' },
        },
      },
      relations: [
        { type: 'ownedBy', targetRef: 'group:default/customer-domain-team' },
        { type: 'partOf', targetRef: 'domain:default/customer' },
        { type: 'hasPart', targetRef: 'domain:default/churn' },
        { type: 'hasPart', targetRef: 'dataproduct:default/churn-features' },
      ],
    };
    // churn is the only subdomain; the catalog counts 3 products in the two domains
    const catalogApi = mockCatalogApi({
      getEntities: jest
        .fn()
        .mockResolvedValueOnce({
          items: [
            {
              apiVersion: 'backstage.io/v1alpha1',
              kind: 'Domain',
              metadata: { name: 'churn', namespace: 'default' },
              spec: { subdomainOf: 'customer-analytics' },
            },
          ],
        })
        .mockResolvedValue({ items: [] }),
      queryEntities: jest.fn().mockResolvedValue({
        items: [dataProduct()],
        totalItems: 3,
        pageInfo: { nextCursor: 'next' },
      }),
    });
    await renderForEntity(<DomainDataMeshCard />, {
      entity: domain,
      catalogApi,
    });

    expect(await screen.findByText('Data mesh')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: /^customer$/ })).toHaveAttribute(
      'href',
      '/catalog/default/domain/customer',
    );
    expect(screen.getByRole('link', { name: /churn$/ })).toHaveAttribute(
      'href',
      '/catalog/default/domain/churn',
    );
    expect(screen.getByRole('link', { name: /tom-becker/ })).toHaveAttribute(
      'href',
      '/catalog/default/user/tom-becker',
    );
    expect(
      screen.getByRole('link', {
        name: /^https:\/\/chat\.example\.com\/customer-analytics/,
      }),
    ).toBeInTheDocument();
    expect(screen.getByText('1 hour')).toBeInTheDocument();
    expect(screen.getByText('99.9%')).toBeInTheDocument();

    // the products of the whole subtree, counted as the Data products card counts them
    expect(
      await screen.findByText('(1 directly in this domain)'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('Data products').nextElementSibling,
    ).toHaveTextContent(/^3 \(1 directly in this domain\)$/);
    expect(catalogApi.queryEntities).toHaveBeenCalledWith(
      expect.objectContaining({
        filter: {
          kind: 'DataProduct',
          'relations.partOf': [
            'domain:default/customer-analytics',
            'domain:default/churn',
          ],
        },
      }),
    );
  });

  it('lists the baseline SLOs as label and target on one line, the meaning below', async () => {
    await renderForEntity(<DomainDataMeshCard />, {
      entity: {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Domain',
        metadata: { name: 'sales' },
        spec: {
          owner: 'sales-team',
          datamesh: { sla: { freshness: '1h', completeness: 'most' } },
        },
      },
      catalogApi: mockCatalogApi({
        getEntities: jest.fn().mockResolvedValue({ items: [] }),
        queryEntities: jest
          .fn()
          .mockResolvedValue({ items: [], totalItems: 0, pageInfo: {} }),
      }),
    });
    await screen.findByText('Freshness');
    const list = document.querySelector('dl') as HTMLElement;
    expect(
      [...list.querySelectorAll('dt')].map(term => term.textContent),
    ).toEqual(['Freshness', 'Completeness']);
    expect(
      [...list.querySelectorAll('dd')].map(term => term.textContent),
    ).toEqual([
      '1 hour',
      'The newest data is at most 1 hour old',
      'most (not understood)',
    ]);
    await waitFor(() =>
      expect(
        screen.getByText('Data products').nextElementSibling,
      ).toHaveTextContent(/^0$/),
    );
  });

  it('says a top-level domain has no parent', async () => {
    await renderForEntity(<DomainDataMeshCard />, {
      entity: {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Domain',
        metadata: { name: 'sales' },
        spec: { owner: 'sales-team' },
      },
      catalogApi: mockCatalogApi({
        getEntities: jest.fn().mockResolvedValue({ items: [] }),
        queryEntities: jest
          .fn()
          .mockResolvedValue({ items: [], totalItems: 0, pageInfo: {} }),
      }),
    });
    expect(
      await screen.findByText('None (top-level domain)'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('No service level objectives declared.'),
    ).toBeInTheDocument();
  });
});
