import { screen } from '@testing-library/react';
import type { Entity } from '@backstage/catalog-model';
import { renderForEntity } from '../../__testUtils__/fixtures';
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
    await renderForEntity(<DomainDataMeshCard />, { entity: domain });

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
  });

  it('says a top-level domain has no parent', async () => {
    await renderForEntity(<DomainDataMeshCard />, {
      entity: {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Domain',
        metadata: { name: 'sales' },
        spec: { owner: 'sales-team' },
      },
    });
    expect(
      await screen.findByText('None (top-level domain)'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('No service level objectives declared.'),
    ).toBeInTheDocument();
  });
});
