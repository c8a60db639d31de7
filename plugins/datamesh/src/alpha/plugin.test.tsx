import { screen } from '@testing-library/react';
import { renderTestApp } from '@backstage/frontend-test-utils';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { mockCatalogApi } from '../__testUtils__/fixtures';
import datameshPlugin from '../alpha';

jest.setTimeout(30_000);

describe('datamesh plugin for the new frontend system', () => {
  it('provides the page, the API and the entity cards', () => {
    expect(datameshPlugin.pluginId).toBe('datamesh');
    for (const id of [
      'api:datamesh',
      'api:datamesh/quality',
      'page:datamesh',
      'page:datamesh/mesh-health',
      'entity-card:datamesh/data-product-health',
      'entity-content:datamesh/quality',
      'api:datamesh/lineage',
      'entity-content:datamesh/lineage',
      'entity-card:datamesh/data-product-about',
      'entity-card:datamesh/data-product-ownership',
      'entity-card:datamesh/data-product-slo',
      'entity-card:datamesh/data-product-output-ports',
      'entity-card:datamesh/data-product-input-ports',
      'entity-card:datamesh/data-product-consumers',
      'entity-card:datamesh/data-product-lineage-drift',
      'entity-card:datamesh/domain-data-products',
      'entity-card:datamesh/domain-data-mesh',
      'api:datamesh/governance',
      'entity-card:datamesh/data-product-compliance',
      'page:datamesh/governance',
    ] as const) {
      expect(datameshPlugin.getExtension(id)).toBeDefined();
    }
  });

  it('renders the page with its filters', async () => {
    const catalogApi = mockCatalogApi({
      getEntityFacets: jest.fn().mockResolvedValue({ facets: {} }),
      queryEntities: jest.fn().mockResolvedValue({
        items: [],
        totalItems: 0,
        pageInfo: {},
      }),
    });
    renderTestApp({
      features: [datameshPlugin],
      initialRouteEntries: ['/data-products?lifecycle=production'],
      apis: [[catalogApiRef, catalogApi]],
    });
    expect(
      await screen.findByPlaceholderText(
        'Search data products',
        {},
        { timeout: 10_000 },
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('heading', { name: 'Data products', level: 1 }),
    ).toBeInTheDocument();
    expect(screen.getByLabelText('Sensitivity')).toBeInTheDocument();
    expect(catalogApi.queryEntities).toHaveBeenCalledWith(
      expect.objectContaining({
        filter: { kind: 'DataProduct', 'spec.lifecycle': 'production' },
      }),
    );
  });
});
