import { screen } from '@testing-library/react';
import type { Entity } from '@backstage/catalog-model';
import { dataProduct, renderForEntity } from '../../__testUtils__/fixtures';
import { DataProductAboutCard } from './DataProductAboutCard';

describe('DataProductAboutCard', () => {
  it('shows what the product is, with linked domain and owner', async () => {
    await renderForEntity(<DataProductAboutCard />, { entity: dataProduct() });

    expect(await screen.findByText('Data product')).toBeInTheDocument();
    expect(
      screen.getByText('The unified customer profile.'),
    ).toBeInTheDocument();
    expect(screen.getByRole('link', { name: /customer$/ })).toHaveAttribute(
      'href',
      '/catalog/default/domain/customer',
    );
    expect(
      screen.getByRole('link', { name: /customer-domain-team/ }),
    ).toHaveAttribute('href', '/catalog/default/group/customer-domain-team');
    expect(screen.getByText('aggregate')).toBeInTheDocument();
    expect(screen.getByText('production')).toBeInTheDocument();
    expect(screen.getByText('2.1.0')).toBeInTheDocument();
    expect(screen.getByText('1.4.2')).toBeInTheDocument();
    expect(screen.getByText('confidential')).toBeInTheDocument();
    expect(screen.getByText('365 days')).toBeInTheDocument();
    expect(screen.getByText('pii')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: /^Dashboard/ })).toHaveAttribute(
      'href',
      'https://dashboards.example.com/c360',
    );
    expect(
      screen.getByRole('link', {
        name: /^https:\/\/docs\.example\.com\/customer-360/,
      }),
    ).toBeInTheDocument();
  });

  it('warns when placed on the page of another kind', async () => {
    const component: Entity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name: 'svc' },
      spec: {},
    };
    await renderForEntity(<DataProductAboutCard />, { entity: component });
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Not a data product',
    );
  });
});
