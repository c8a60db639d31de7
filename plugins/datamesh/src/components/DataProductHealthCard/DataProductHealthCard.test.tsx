import { screen, within } from '@testing-library/react';
import { dataProduct, renderForEntity } from '../../__testUtils__/fixtures';
import { breachingHealth, openIncident } from '../../__testUtils__/quality';
import { DataProductHealthCard } from './DataProductHealthCard';

jest.setTimeout(30_000);

describe('DataProductHealthCard', () => {
  it('shows the breaching badge with since when and why, each objective measured, and the open incident', async () => {
    const getHealth = jest.fn().mockResolvedValue(breachingHealth());
    const getIncidents = jest.fn().mockResolvedValue([openIncident()]);
    await renderForEntity(<DataProductHealthCard />, {
      entity: dataProduct(),
      qualityApi: { getHealth, getIncidents },
    });

    const badge = await screen.findByLabelText('Health: Breaching');
    expect(badge).toHaveAttribute('data-tone', 'error');
    expect(screen.getByText('for 3h 12m')).toBeInTheDocument();
    expect(getHealth).toHaveBeenCalledWith({
      namespace: 'default',
      name: 'customer-360',
    });
    expect(getIncidents).toHaveBeenCalledWith(
      { namespace: 'default', name: 'customer-360' },
      { states: ['new', 'acknowledged'] },
    );

    const reasons = screen.getByRole('list', { name: 'Health reasons' });
    expect(
      within(reasons)
        .getAllByRole('listitem')
        .map(li => li.textContent),
    ).toEqual(breachingHealth().reasons);

    // each objective: its target (and whose), the measured value in its unit, its status
    const table = screen.getByRole('table', { name: 'Objectives measured' });
    const rows = within(table)
      .getAllByRole('row')
      .slice(1)
      .map(row =>
        within(row)
          .getAllByRole('cell')
          .map(cell => cell.textContent),
      );
    expect(rows).toEqual([
      ['Freshness', '15m', '5m', 'Met'],
      ['Availability', '99.95%', '99.99%', 'Met'],
      ['Completeness', '0.98', '97.5%', 'Breached'],
      ['Accuracy', '99% (domain)', '', 'Unknown'],
      ['Checks', '', '75%', 'At risk'],
    ]);
    // the open incident, linked to the Quality tab where it is acknowledged
    expect(
      screen.getByText('Customer 360 View breaches completeness'),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: 'Acknowledge or resolve' }),
    ).toHaveAttribute(
      'href',
      '/catalog/default/dataproduct/customer-360/quality',
    );
  });

  it('shows a product without results as unknown, without objectives it does not have', async () => {
    await renderForEntity(<DataProductHealthCard />, {
      entity: dataProduct(),
      qualityApi: {
        getHealth: jest.fn().mockResolvedValue({
          entityRef: 'dataproduct:default/customer-360',
          health: 'unknown',
          reasons: ['no quality result or update reported yet'],
          slos: [],
          failingChecks: [],
        }),
        getIncidents: jest.fn().mockResolvedValue([]),
      },
    });
    expect(await screen.findByLabelText('Health: Unknown')).toBeInTheDocument();
    expect(
      screen.getByText('no quality result or update reported yet'),
    ).toBeInTheDocument();
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
    expect(screen.queryByText(/Open incident/)).not.toBeInTheDocument();
  });
});
