import { screen, within } from '@testing-library/react';
import { dataProduct, renderForEntity } from '../../__testUtils__/fixtures';
import { DataProductOwnershipCard } from './DataProductOwnershipCard';

describe('DataProductOwnershipCard', () => {
  it('links every role and keeps the escalation path in order', async () => {
    await renderForEntity(<DataProductOwnershipCard />, {
      entity: dataProduct(),
    });

    expect(await screen.findByText('Ownership')).toBeInTheDocument();
    expect(screen.getByText('Technical owner')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: /platform-team/ })).toHaveAttribute(
      'href',
      '/catalog/default/group/platform-team',
    );
    expect(screen.getByRole('link', { name: /ana-lima/ })).toHaveAttribute(
      'href',
      '/catalog/default/user/ana-lima',
    );
    // a bare reference defaults to a group
    expect(
      screen.getByRole('link', { name: /customer-oncall/ }),
    ).toHaveAttribute('href', '/catalog/default/group/customer-oncall');

    const escalation = screen.getByRole('list', { name: 'Escalation path' });
    const steps = within(escalation)
      .getAllByRole('link')
      .map(link => link.getAttribute('href'));
    expect(steps).toEqual([
      '/catalog/default/user/jane-doe',
      '/catalog/default/group/customer-domain-team',
      '/catalog/default/user/cto',
    ]);
    expect(screen.getByText('#customer-data')).toBeInTheDocument();
  });
});
