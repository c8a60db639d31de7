import { screen, within } from '@testing-library/react';
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

  it('marks a product failing a required policy with the policy ids from its label and annotation, linking to its Compliance card', async () => {
    const entity = dataProduct();
    entity.metadata.labels = { 'datamesh.io/compliance': 'non-compliant' };
    entity.metadata.annotations = {
      'datamesh.io/required-policy-failures': 'encryption-at-rest,pii-masking',
    };
    await renderForEntity(<DataProductAboutCard />, { entity });

    const marker = await screen.findByRole('status', {
      name: 'Non-compliant: encryption-at-rest, pii-masking',
    });
    expect(marker).toHaveTextContent(
      'Non-compliant: encryption-at-rest, pii-masking',
    );
    expect(
      within(marker).getByRole('link', { name: 'See the Compliance card' }),
    ).toHaveAttribute(
      'href',
      '/catalog/default/dataproduct/customer-360#datamesh-compliance',
    );
    // and its compliance among the product's facts
    expect(
      screen.getByRole('link', { name: 'Compliance: Non-compliant' }),
    ).toHaveAttribute(
      'href',
      '/catalog/default/dataproduct/customer-360#datamesh-compliance',
    );
  });

  it('shows a compliant product, or one not evaluated yet, without the marker', async () => {
    const entity = dataProduct();
    entity.metadata.labels = { 'datamesh.io/compliance': 'compliant' };
    const { unmount } = await renderForEntity(<DataProductAboutCard />, {
      entity,
    });
    expect(
      await screen.findByRole('link', { name: 'Compliance: Compliant' }),
    ).toBeInTheDocument();
    expect(screen.queryByRole('status')).not.toBeInTheDocument();
    // its label is not the Compliance card's title, which pages and tests find the card by
    expect(screen.getByText('Policy compliance')).toBeInTheDocument();
    expect(
      screen.queryByText('Compliance', { exact: true }),
    ).not.toBeInTheDocument();
    unmount();

    await renderForEntity(<DataProductAboutCard />, {
      entity: dataProduct(),
    });
    expect(
      await screen.findByRole('link', { name: 'Compliance: Not evaluated' }),
    ).toBeInTheDocument();
    expect(screen.queryByRole('status')).not.toBeInTheDocument();
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
