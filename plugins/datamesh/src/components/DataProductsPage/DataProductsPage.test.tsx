import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useLocation } from 'react-router-dom';
import type { Entity } from '@backstage/catalog-model';
import { mockCatalogApi, renderForEntity } from '../../__testUtils__/fixtures';
import { DataProductsPage, DataProductsPageContent } from './DataProductsPage';

function product(
  name: string,
  title?: string,
  health?: string,
  compliance?: { label: string; failures?: string },
): Entity {
  const labels: Record<string, string> = {
    ...(health ? { 'datamesh.io/health': health } : {}),
    ...(compliance ? { 'datamesh.io/compliance': compliance.label } : {}),
  };
  return {
    apiVersion: 'datamesh.io/v1alpha1',
    kind: 'DataProduct',
    metadata: {
      name,
      namespace: 'default',
      title,
      ...(Object.keys(labels).length ? { labels } : {}),
      ...(compliance?.failures
        ? {
            annotations: {
              'datamesh.io/required-policy-failures': compliance.failures,
            },
          }
        : {}),
    },
    spec: {
      type: 'aggregate',
      lifecycle: 'production',
      sensitivity: 'internal',
      version: '1.0.0',
      owner: 'customer-domain-team',
      domain: 'customer',
    },
    relations: [
      { type: 'ownedBy', targetRef: 'group:default/customer-domain-team' },
      { type: 'partOf', targetRef: 'domain:default/customer' },
    ],
  };
}

function LocationProbe() {
  const location = useLocation();
  return <div data-testid="location">{location.search}</div>;
}

function createCatalogApi() {
  return mockCatalogApi({
    getEntityFacets: jest.fn().mockResolvedValue({
      facets: {
        'relations.partOf': [
          { value: 'domain:default/customer', count: 2 },
          { value: 'domain:default/sales', count: 1 },
        ],
        'relations.ownedBy': [
          { value: 'group:default/customer-domain-team', count: 2 },
          { value: 'group:default/sales-team', count: 1 },
        ],
        'spec.type': [{ value: 'aggregate', count: 3 }],
        'spec.lifecycle': [{ value: 'production', count: 3 }],
        'spec.sensitivity': [{ value: 'internal', count: 3 }],
        'metadata.tags': [{ value: 'pii', count: 1 }],
        'metadata.labels.datamesh.io/health': [
          { value: 'breaching', count: 1 },
          { value: 'healthy', count: 17 },
          { value: 'unknown', count: 1 },
        ],
        'metadata.labels.datamesh.io/compliance': [
          { value: 'compliant', count: 5 },
          { value: 'non-compliant', count: 14 },
        ],
        kind: [{ value: 'DataProduct', count: 21 }],
      },
    }),
    queryEntities: jest.fn().mockImplementation(async request =>
      request && 'cursor' in request
        ? {
            items: [product('orders-history')],
            totalItems: 21,
            pageInfo: { prevCursor: 'prev-1' },
          }
        : {
            items: [
              product('customer-360', 'Customer 360', 'breaching', {
                label: 'non-compliant',
                failures: 'encryption-at-rest, audit-logging',
              }),
              product('churn'),
              product('orders', 'Orders', 'healthy', { label: 'compliant' }),
            ],
            totalItems: 21,
            pageInfo: { nextCursor: 'next-1' },
          },
    ),
  });
}

jest.setTimeout(30_000);

describe('DataProductsPage', () => {
  it('queries the catalog on the server with the URL filter, the search term and the cursor', async () => {
    const catalogApi = createCatalogApi();
    await renderForEntity(<DataProductsPageContent />, {
      catalogApi,
      routeEntries: ['/data-products?domain=domain:default/customer'],
    });

    // the domain filter from the URL is applied to the first query
    await waitFor(() =>
      expect(catalogApi.queryEntities).toHaveBeenCalledWith(
        expect.objectContaining({
          filter: {
            kind: 'DataProduct',
            'relations.partOf': 'domain:default/customer',
          },
          limit: 20,
          fullTextFilter: undefined,
          fields: expect.arrayContaining(['metadata.name', 'relations']),
        }),
      ),
    );
    expect(catalogApi.getEntityFacets).toHaveBeenCalledWith({
      filter: { kind: 'DataProduct' },
      facets: [
        'relations.partOf',
        'relations.ownedBy',
        'spec.type',
        'spec.lifecycle',
        'spec.sensitivity',
        'metadata.tags',
        'metadata.labels.datamesh.io/health',
        'metadata.labels.datamesh.io/compliance',
        'kind',
      ],
    });

    const link = await screen.findByRole('link', { name: 'Customer 360' });
    expect(link).toHaveAttribute(
      'href',
      '/catalog/default/dataproduct/customer-360',
    );
    expect(screen.getByText('1–3 of 21')).toBeInTheDocument();
    expect(screen.getByLabelText('Domain')).toHaveValue(
      'domain:default/customer',
    );
    expect(
      within(screen.getByLabelText('Domain')).getByRole('option', {
        name: 'customer (2)',
      }),
    ).toBeInTheDocument();

    // the search term is sent to the catalog, with the filter
    await userEvent.type(
      screen.getByPlaceholderText('Search data products'),
      'churn',
    );
    await waitFor(() =>
      expect(catalogApi.queryEntities).toHaveBeenLastCalledWith(
        expect.objectContaining({
          filter: {
            kind: 'DataProduct',
            'relations.partOf': 'domain:default/customer',
          },
          fullTextFilter: {
            term: 'churn',
            fields: [
              'metadata.name',
              'metadata.title',
              'metadata.description',
              'metadata.tags',
            ],
          },
        }),
      ),
    );

    // the next page is requested with the cursor
    const next = await screen.findByRole('button', { name: 'Next page' });
    await waitFor(() => expect(next).toBeEnabled());
    await userEvent.click(next);
    await waitFor(() =>
      expect(catalogApi.queryEntities).toHaveBeenLastCalledWith({
        cursor: 'next-1',
        limit: 20,
        fields: expect.arrayContaining(['metadata.name']),
      }),
    );
    expect(
      await screen.findByRole('link', { name: 'orders-history' }),
    ).toBeInTheDocument();
    expect(screen.getByText('21–21 of 21')).toBeInTheDocument();
  });

  it("shows each product's health from its catalog label, unknown without one, and filters by health on the server", async () => {
    const catalogApi = createCatalogApi();
    await renderForEntity(
      <>
        <DataProductsPageContent />
        <LocationProbe />
      </>,
      { catalogApi, routeEntries: ['/data-products'] },
    );
    const row = (name: string) =>
      screen.getByRole('link', { name }).closest('tr') as HTMLElement;
    await screen.findByRole('link', { name: 'Customer 360' });
    expect(
      within(row('Customer 360')).getByLabelText('Health: Breaching'),
    ).toBeInTheDocument();
    expect(
      within(row('churn')).getByLabelText('Health: Unknown'),
    ).toBeInTheDocument();

    // counts from the label's facet; the 21 - 18 products without a healthy or breaching label
    // count as unknown
    const health = screen.getByLabelText('Health');
    expect(
      within(health)
        .getAllByRole('option')
        .map(o => o.textContent),
    ).toEqual([
      'All',
      'Healthy (17)',
      'Degraded',
      'Breaching (1)',
      'Unknown (3)',
    ]);

    await userEvent.selectOptions(health, 'breaching');
    await waitFor(() =>
      expect(catalogApi.queryEntities).toHaveBeenLastCalledWith(
        expect.objectContaining({
          filter: {
            kind: 'DataProduct',
            'metadata.labels.datamesh.io/health': 'breaching',
          },
        }),
      ),
    );
    expect(screen.getByTestId('location')).toHaveTextContent(
      '?health=breaching',
    );

    // unknown: labelled unknown, or without the label, which only a predicate query can say
    await userEvent.selectOptions(health, 'unknown');
    await waitFor(() =>
      expect(catalogApi.queryEntities).toHaveBeenLastCalledWith(
        expect.objectContaining({
          filter: { kind: 'DataProduct' },
          query: {
            $any: [
              { 'metadata.labels.datamesh.io/health': 'unknown' },
              {
                $not: {
                  'metadata.labels.datamesh.io/health': { $exists: true },
                },
              },
            ],
          },
        }),
      ),
    );
  });

  it("shows each product's compliance from its catalog label, linked to its Compliance card with the failing required policies, and filters by compliance on the server", async () => {
    const catalogApi = createCatalogApi();
    await renderForEntity(
      <>
        <DataProductsPageContent />
        <LocationProbe />
      </>,
      { catalogApi, routeEntries: ['/data-products'] },
    );
    const row = (name: string) =>
      screen.getByRole('link', { name }).closest('tr') as HTMLElement;
    await screen.findByRole('link', { name: 'Customer 360' });

    // the query asks for the annotation of the failing policies, not every annotation
    expect(catalogApi.queryEntities).toHaveBeenLastCalledWith(
      expect.objectContaining({
        fields: expect.arrayContaining([
          'metadata.labels',
          'metadata.annotations.datamesh.io/required-policy-failures',
        ]),
      }),
    );
    expect(catalogApi.queryEntities).not.toHaveBeenCalledWith(
      expect.objectContaining({
        fields: expect.arrayContaining(['metadata.annotations']),
      }),
    );

    // the column: a chip per product, linking to the product page's Compliance card
    const nonCompliant = within(row('Customer 360')).getByRole('link', {
      name: 'Compliance: Non-compliant',
    });
    expect(nonCompliant).toHaveAttribute(
      'href',
      '/catalog/default/dataproduct/customer-360#datamesh-compliance',
    );
    expect(
      within(row('Orders')).getByRole('link', {
        name: 'Compliance: Compliant',
      }),
    ).toHaveAttribute(
      'href',
      '/catalog/default/dataproduct/orders#datamesh-compliance',
    );
    expect(
      within(row('churn')).getByRole('link', {
        name: 'Compliance: Not evaluated',
      }),
    ).toBeInTheDocument();
    const headers = within(
      screen.getByRole('table', { name: 'Data product list' }),
    )
      .getAllByRole('columnheader')
      .map(h => h.textContent);
    expect(headers.indexOf('Compliance')).toBe(headers.indexOf('Health') + 1);

    // the failing required policies, from the annotation, in the chip's tooltip
    await userEvent.hover(within(nonCompliant).getByText('Non-compliant'));
    const tooltip = await screen.findByRole('tooltip');
    expect(
      within(tooltip)
        .getAllByRole('listitem')
        .map(item => item.textContent),
    ).toEqual([
      'Fails the required policy encryption-at-rest',
      'Fails the required policy audit-logging',
    ]);

    // counts from the label's facet; the 21 - 19 products without the label are not evaluated
    const compliance = screen.getByLabelText('Compliance');
    expect(
      within(compliance)
        .getAllByRole('option')
        .map(o => o.textContent),
    ).toEqual([
      'All',
      'Compliant (5)',
      'Non-compliant (14)',
      'Not evaluated (2)',
    ]);

    await userEvent.selectOptions(compliance, 'non-compliant');
    await waitFor(() =>
      expect(catalogApi.queryEntities).toHaveBeenLastCalledWith(
        expect.objectContaining({
          filter: {
            kind: 'DataProduct',
            'metadata.labels.datamesh.io/compliance': 'non-compliant',
          },
        }),
      ),
    );
    expect(screen.getByTestId('location')).toHaveTextContent(
      '?compliance=non-compliant',
    );

    await userEvent.selectOptions(compliance, 'compliant');
    await waitFor(() =>
      expect(catalogApi.queryEntities).toHaveBeenLastCalledWith(
        expect.objectContaining({
          filter: {
            kind: 'DataProduct',
            'metadata.labels.datamesh.io/compliance': 'compliant',
          },
        }),
      ),
    );

    // not evaluated: without the label, which only a predicate query can say
    await userEvent.selectOptions(compliance, 'not-evaluated');
    await waitFor(() =>
      expect(catalogApi.queryEntities).toHaveBeenLastCalledWith(
        expect.objectContaining({
          filter: { kind: 'DataProduct' },
          query: {
            $not: {
              'metadata.labels.datamesh.io/compliance': { $exists: true },
            },
          },
        }),
      ),
    );
    expect(screen.getByTestId('location')).toHaveTextContent(
      '?compliance=not-evaluated',
    );

    // with unknown health too: both predicates, which the catalog ANDs
    await userEvent.selectOptions(screen.getByLabelText('Health'), 'unknown');
    await waitFor(() =>
      expect(catalogApi.queryEntities).toHaveBeenLastCalledWith(
        expect.objectContaining({
          filter: { kind: 'DataProduct' },
          query: {
            $all: [
              {
                $any: [
                  { 'metadata.labels.datamesh.io/health': 'unknown' },
                  {
                    $not: {
                      'metadata.labels.datamesh.io/health': { $exists: true },
                    },
                  },
                ],
              },
              {
                $not: {
                  'metadata.labels.datamesh.io/compliance': { $exists: true },
                },
              },
            ],
          },
        }),
      ),
    );
    expect(screen.getByTestId('location')).toHaveTextContent(
      '?compliance=not-evaluated&health=unknown',
    );
  });

  it('applies the compliance filter from the URL to the first query, with the other filters', async () => {
    const catalogApi = createCatalogApi();
    await renderForEntity(<DataProductsPageContent />, {
      catalogApi,
      routeEntries: [
        '/data-products?compliance=non-compliant&domain=domain:default/sales&health=breaching',
      ],
    });
    await waitFor(() =>
      expect(catalogApi.queryEntities).toHaveBeenCalledWith(
        expect.objectContaining({
          filter: {
            kind: 'DataProduct',
            'relations.partOf': 'domain:default/sales',
            'metadata.labels.datamesh.io/health': 'breaching',
            'metadata.labels.datamesh.io/compliance': 'non-compliant',
          },
        }),
      ),
    );
    expect(catalogApi.queryEntities).toHaveBeenCalledTimes(1);
    expect(catalogApi.queryEntities.mock.calls[0][0]).not.toHaveProperty(
      'query',
    );
    expect(screen.getByLabelText('Compliance')).toHaveValue('non-compliant');
  });

  it('ignores a compliance in the URL that is not one', async () => {
    const catalogApi = createCatalogApi();
    await renderForEntity(<DataProductsPageContent />, {
      catalogApi,
      routeEntries: ['/data-products?compliance=bogus'],
    });
    await waitFor(() =>
      expect(catalogApi.queryEntities).toHaveBeenCalledWith(
        expect.objectContaining({ filter: { kind: 'DataProduct' } }),
      ),
    );
    expect(screen.getByLabelText('Compliance')).toHaveValue('');
  });

  it('filters by owner from the select and starts again at the first page', async () => {
    const catalogApi = createCatalogApi();
    await renderForEntity(
      <>
        <DataProductsPageContent />
        <LocationProbe />
      </>,
      {
        catalogApi,
        routeEntries: ['/data-products'],
      },
    );
    const owner = await screen.findByLabelText('Owner');
    await screen.findByRole('option', { name: 'sales-team (1)' });
    await userEvent.selectOptions(owner, 'group:default/sales-team');
    await waitFor(() =>
      expect(catalogApi.queryEntities).toHaveBeenLastCalledWith(
        expect.objectContaining({
          filter: {
            kind: 'DataProduct',
            'relations.ownedBy': 'group:default/sales-team',
          },
        }),
      ),
    );
    expect(screen.getByTestId('location')).toHaveTextContent(
      '?owner=group%3Adefault%2Fsales-team',
    );
    for (const label of [
      'Health',
      'Compliance',
      'Domain',
      'Owner',
      'Type',
      'Lifecycle',
      'Sensitivity',
      'Tag',
    ]) {
      expect(screen.getByLabelText(label)).toBeInTheDocument();
    }
  });

  it('has the "Data products" heading on the legacy frontend system', async () => {
    await renderForEntity(<DataProductsPage />, {
      catalogApi: createCatalogApi(),
    });
    expect(
      await screen.findByRole('heading', { name: 'Data products', level: 1 }),
    ).toBeInTheDocument();
  });
});
