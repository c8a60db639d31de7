import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { dataProduct, renderForEntity } from '../../__testUtils__/fixtures';
import { breachingHealth, history } from '../../__testUtils__/quality';
import { DataProductTrendsCard } from './DataProductTrendsCard';

jest.setTimeout(30_000);

describe('DataProductTrendsCard', () => {
  it('draws the pass rate, the freshness lag against its objective and the metrics, over 30 days by default', async () => {
    const getHistory = jest
      .fn()
      .mockImplementation(async (_ref, days) => history(days));
    const { container } = await renderForEntity(<DataProductTrendsCard />, {
      entity: dataProduct(),
      qualityApi: {
        getHistory,
        getHealth: jest.fn().mockResolvedValue(breachingHealth()),
      },
    });
    const passRate = await screen.findByRole('figure', {
      name: 'Check pass rate',
    });
    expect(getHistory).toHaveBeenCalledWith(
      { namespace: 'default', name: 'customer-360' },
      30,
    );
    expect(screen.getByText('The last 30 days')).toBeInTheDocument();
    expect(passRate).toHaveTextContent(
      /75% of 4 checks passed on \d{4}-\d{2}-\d{2}/,
    );

    const freshness = screen.getByRole('figure', { name: 'Freshness lag' });
    expect(freshness).toHaveTextContent(
      'Now 5m old (port customer-profile) against 15m.',
    );
    // drawn by recharts, with the objective as a reference line at 15 minutes
    await waitFor(() =>
      expect(
        container.querySelectorAll('svg.recharts-surface').length,
      ).toBeGreaterThanOrEqual(3),
    );
    expect(freshness.querySelector('.recharts-reference-line')).not.toBeNull();
    expect(freshness.querySelector('svg')).toHaveTextContent('objective 15m');

    // the metrics, one series at a time
    const metrics = screen.getByRole('figure', { name: 'Metrics' });
    expect(metrics).toHaveTextContent(
      'Latest rowCount · customer-profile: 250,000 (daily mean, with its range).',
    );
    await userEvent.selectOptions(
      within(metrics).getByLabelText('Metric'),
      'nullCount of email · customer-profile',
    );
    expect(metrics).toHaveTextContent(
      'Latest nullCount of email · customer-profile: 12.',
    );
  });

  it('asks for 7 or 90 days from the toggle', async () => {
    const getHistory = jest
      .fn()
      .mockImplementation(async (_ref, days) => history(days));
    await renderForEntity(<DataProductTrendsCard />, {
      entity: dataProduct(),
      qualityApi: {
        getHistory,
        getHealth: jest.fn().mockResolvedValue(breachingHealth()),
      },
    });
    await screen.findByRole('figure', { name: 'Check pass rate' });
    await userEvent.click(screen.getByRole('button', { name: '7 days' }));
    await waitFor(() =>
      expect(getHistory).toHaveBeenLastCalledWith(
        { namespace: 'default', name: 'customer-360' },
        7,
      ),
    );
    expect(await screen.findByText('The last 7 days')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: '90 days' }));
    await waitFor(() =>
      expect(getHistory).toHaveBeenLastCalledWith(
        { namespace: 'default', name: 'customer-360' },
        90,
      ),
    );
  });

  it('says when there is nothing to draw yet', async () => {
    await renderForEntity(<DataProductTrendsCard />, {
      entity: dataProduct(),
      qualityApi: {
        getHistory: jest.fn().mockResolvedValue({
          ...history(30),
          checks: [],
          freshness: [],
          metrics: [],
        }),
        getHealth: jest.fn().mockResolvedValue(breachingHealth()),
      },
    });
    expect(
      await screen.findByText('No check ran in this window.'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('No update of an output port recorded in this window.'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('No metric reported in this window.'),
    ).toBeInTheDocument();
  });
});
