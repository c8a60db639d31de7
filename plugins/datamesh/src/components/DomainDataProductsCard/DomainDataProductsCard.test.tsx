import { screen, waitFor, within } from '@testing-library/react';
import type { Entity } from '@backstage/catalog-model';
import type { CatalogApi } from '@backstage/plugin-catalog-react';
import type { DataMeshProblem } from '@backstage-datamesh/plugin-datamesh-common';
import {
  dataProduct,
  mockCatalogApi,
  renderForEntity,
} from '../../__testUtils__/fixtures';
import { DomainDataProductsCard } from './DomainDataProductsCard';

type GetEntitiesRequest = Parameters<CatalogApi['getEntities']>[0];

function domain(name: string, title?: string, subdomainOf?: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Domain',
    metadata: { name, namespace: 'default', title },
    spec: { owner: 'customer-domain-team', subdomainOf },
  };
}

const customer = domain('customer', 'Customer');

/** The example mesh's customer domain, with one more level: churn is a subdomain of analytics. */
const SUBDOMAINS: Record<string, Entity[]> = {
  'domain:default/customer': [
    domain('customer-analytics', 'Customer Analytics', 'customer'),
    domain('customer-identity', 'Customer Identity', 'customer'),
  ],
  'domain:default/customer-analytics': [
    domain('churn', 'Churn', 'customer-analytics'),
  ],
};

async function subdomainsOf(request?: GetEntitiesRequest) {
  const filter = request?.filter as Record<string, string[]>;
  return {
    items: filter['relations.partOf'].flatMap(ref => SUBDOMAINS[ref] ?? []),
  };
}

function productIn(name: string, domainName: string) {
  return dataProduct({
    name,
    domain: domainName,
    relations: [
      { type: 'ownedBy', targetRef: 'group:default/customer-domain-team' },
      { type: 'partOf', targetRef: `domain:default/${domainName}` },
    ],
  });
}

function rowOf(name: string): HTMLElement {
  const link = screen
    .getAllByRole('link')
    .find(
      element =>
        element.getAttribute('href') === `/catalog/default/dataproduct/${name}`,
    );
  const row = link?.closest('tr');
  if (!row) {
    throw new Error(`no row for ${name}`);
  }
  return row;
}

describe('DomainDataProductsCard', () => {
  it('pages through the products of the whole subtree on the server, each marked with its subdomain', async () => {
    const catalogApi = mockCatalogApi({
      getEntities: jest.fn().mockImplementation(subdomainsOf),
      queryEntities: jest.fn().mockResolvedValue({
        items: [
          {
            ...productIn('customer-360', 'customer'),
            metadata: {
              ...productIn('customer-360', 'customer').metadata,
              labels: { 'datamesh.io/health': 'degraded' },
            },
          },
          productIn('churn-features', 'churn'),
          productIn('customer-identities', 'customer-identity'),
        ],
        totalItems: 3,
        pageInfo: {},
      }),
    });
    await renderForEntity(<DomainDataProductsCard />, {
      entity: customer,
      catalogApi,
    });

    expect(
      await screen.findByRole('table', {
        name: 'Data products of this domain and its subdomains',
      }),
    ).toBeInTheDocument();
    expect(
      screen.getByText('With the products of its 3 subdomains'),
    ).toBeInTheDocument();

    // one small query per level of the tree, until a level has no subdomains
    expect(catalogApi.getEntities).toHaveBeenCalledTimes(3);
    expect(catalogApi.getEntities).toHaveBeenLastCalledWith(
      expect.objectContaining({
        filter: {
          kind: 'Domain',
          'relations.partOf': ['domain:default/churn'],
        },
        fields: expect.not.arrayContaining(['relations']),
      }),
    );

    // then one page of products of every domain of the subtree, counted on the server
    await waitFor(() =>
      expect(catalogApi.queryEntities).toHaveBeenCalledWith(
        expect.objectContaining({
          filter: {
            kind: 'DataProduct',
            'relations.partOf': [
              'domain:default/customer',
              'domain:default/customer-analytics',
              'domain:default/customer-identity',
              'domain:default/churn',
            ],
          },
          limit: 10,
        }),
      ),
    );
    expect(await screen.findByText('1–3 of 3')).toBeInTheDocument();

    // each product's health, from its catalog label; unknown without one
    expect(
      within(rowOf('customer-360')).getByLabelText('Health: Degraded'),
    ).toBeInTheDocument();
    expect(
      within(rowOf('churn-features')).getByLabelText('Health: Unknown'),
    ).toBeInTheDocument();
    expect(catalogApi.queryEntities).toHaveBeenCalledWith(
      expect.objectContaining({
        fields: expect.arrayContaining(['metadata.labels']),
      }),
    );

    // a product placed directly in the domain has no subdomain; the others name theirs
    expect(
      within(rowOf('customer-360')).queryByRole('link', { name: /churn/i }),
    ).not.toBeInTheDocument();
    expect(within(rowOf('customer-360')).getAllByRole('link')).toHaveLength(2);
    expect(
      within(rowOf('churn-features')).getByRole('link', { name: 'Churn' }),
    ).toHaveAttribute('href', '/catalog/default/domain/churn');
    expect(
      within(rowOf('customer-identities')).getByRole('link', {
        name: 'Customer Identity',
      }),
    ).toHaveAttribute('href', '/catalog/default/domain/customer-identity');
  });

  it('has no subdomain column for a domain without subdomains', async () => {
    const catalogApi = mockCatalogApi({
      getEntities: jest.fn().mockResolvedValue({ items: [] }),
      queryEntities: jest.fn().mockResolvedValue({
        items: [dataProduct()],
        totalItems: 1,
        pageInfo: {},
      }),
    });
    await renderForEntity(<DomainDataProductsCard />, {
      entity: domain('sales', 'Sales'),
      catalogApi,
    });

    expect(
      await screen.findByRole('link', { name: 'Customer 360' }),
    ).toHaveAttribute('href', '/catalog/default/dataproduct/customer-360');
    expect(catalogApi.queryEntities).toHaveBeenCalledWith(
      expect.objectContaining({
        filter: {
          kind: 'DataProduct',
          'relations.partOf': ['domain:default/sales'],
        },
      }),
    );
    expect(
      screen.queryByRole('columnheader', { name: 'Subdomain' }),
    ).not.toBeInTheDocument();
    expect(screen.getByText('1–1 of 1')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Next page' })).toBeDisabled();
  });

  it('ends the walk on a cycle of subdomains', async () => {
    // a is a subdomain of b, b of a: the catalog answers a's subdomains with b, then b's with a
    const a = domain('a', 'A', 'b');
    const b = domain('b', 'B', 'a');
    const catalogApi = mockCatalogApi({
      getEntities: jest
        .fn()
        .mockImplementation(async (request?: GetEntitiesRequest) => {
          const [ref] = (request?.filter as Record<string, string[]>)[
            'relations.partOf'
          ];
          return { items: ref === 'domain:default/a' ? [b] : [a] };
        }),
      queryEntities: jest
        .fn()
        .mockResolvedValue({ items: [], totalItems: 0, pageInfo: {} }),
    });
    await renderForEntity(<DomainDataProductsCard />, {
      entity: a,
      catalogApi,
    });

    expect(
      await screen.findByText(
        'No data product belongs to this domain or its subdomains yet.',
      ),
    ).toBeInTheDocument();
    expect(catalogApi.getEntities).toHaveBeenCalledTimes(2);
    expect(catalogApi.queryEntities).toHaveBeenCalledWith(
      expect.objectContaining({
        filter: {
          kind: 'DataProduct',
          'relations.partOf': ['domain:default/a', 'domain:default/b'],
        },
      }),
    );
  });

  it("names the subtree's rejected entities, and only those", async () => {
    const problems: DataMeshProblem[] = [
      {
        entityRef: 'dataproduct:default/broken-churn-scores',
        kind: 'DataProduct',
        title: 'Broken churn scores',
        domain: 'churn',
        errors: ['spec.sensitivity must be one of public, internal'],
      },
      {
        entityRef: 'dataproduct:default/broken-orders-feed',
        kind: 'DataProduct',
        title: 'Broken orders feed',
        domain: 'sales',
        errors: ['spec.outputPorts[1].type must be one of table, view'],
      },
    ];
    const catalogApi = mockCatalogApi({
      getEntities: jest.fn().mockImplementation(subdomainsOf),
      queryEntities: jest
        .fn()
        .mockResolvedValue({ items: [], totalItems: 0, pageInfo: {} }),
    });
    await renderForEntity(<DomainDataProductsCard />, {
      entity: customer,
      catalogApi,
      dataMeshApi: { getProblems: jest.fn().mockResolvedValue(problems) },
    });

    const alert = await screen.findByRole('alert', {
      name: 'Entities the catalog rejected',
    });
    expect(alert).toHaveTextContent('1 data mesh entity is not in the catalog');
    expect(alert).toHaveTextContent('dataproduct:default/broken-churn-scores');
    expect(alert).not.toHaveTextContent('broken-orders-feed');
  });

  it('queries nothing for an entity that is not a domain', async () => {
    const catalogApi = mockCatalogApi({
      getEntities: jest.fn(),
      queryEntities: jest.fn(),
    });
    const getProblems = jest.fn().mockResolvedValue([]);
    await renderForEntity(<DomainDataProductsCard />, {
      entity: dataProduct(),
      catalogApi,
      dataMeshApi: { getProblems },
    });

    expect(await screen.findByText(/Not a domain/)).toBeInTheDocument();
    expect(catalogApi.getEntities).not.toHaveBeenCalled();
    expect(catalogApi.queryEntities).not.toHaveBeenCalled();
    expect(getProblems).not.toHaveBeenCalled();
  });

  it('says so when the subdomains cannot be read', async () => {
    const catalogApi = mockCatalogApi({
      getEntities: jest.fn().mockRejectedValue(new Error('catalog is down')),
      queryEntities: jest.fn(),
    });
    await renderForEntity(<DomainDataProductsCard />, {
      entity: customer,
      catalogApi,
    });

    expect(
      await screen.findByText('Error: catalog is down', { selector: 'h6' }),
    ).toBeInTheDocument();
    expect(catalogApi.queryEntities).not.toHaveBeenCalled();
  });
});
