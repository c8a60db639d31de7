import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { TestApiProvider } from '@backstage/test-utils';
import type {
  ComplianceTrendDay,
  GovernanceSummary,
} from '@backstage-datamesh/plugin-datamesh-common';
import { renderForEntity } from '../../__testUtils__/fixtures';
import { DataMeshGovernanceApi, dataMeshGovernanceApiRef } from '../../api';
import { GovernancePage } from './GovernancePage';

function trend(ratios: Array<[number, number]>): ComplianceTrendDay[] {
  return ratios.map(([compliant, products], i) => ({
    day: `2026-11-${String(20 + i).padStart(2, '0')}`,
    products,
    compliant,
    ratio: products ? compliant / products : null,
  }));
}

const summary: GovernanceSummary = {
  days: 30,
  products: 5,
  compliant: 3,
  trend: trend([
    [2, 5],
    [3, 5],
  ]),
  byDomain: [
    {
      domain: 'domain:default/customer',
      products: 2,
      compliant: 2,
      requiredFailures: 0,
      trend: trend([
        [2, 2],
        [2, 2],
      ]),
    },
    {
      domain: 'domain:default/marketing',
      products: 3,
      compliant: 1,
      requiredFailures: 2,
      trend: trend([
        [0, 3],
        [1, 3],
      ]),
    },
  ],
  byPolicy: [
    {
      policyId: 'audit-logging',
      title: 'Audit logging',
      enforcement: 'recommended',
      applicable: 5,
      passing: 4,
      failing: 1,
      failingProducts: [
        { entityRef: 'dataproduct:default/customer-360', reason: 'Off.' },
      ],
      trend: [],
    },
    {
      policyId: 'marketing-attribution',
      title: 'Marketing attribution',
      enforcement: 'required',
      applicable: 3,
      passing: 1,
      failing: 2,
      failingProducts: [
        {
          entityRef: 'dataproduct:default/campaign-roi',
          reason: 'No attribution model declared.',
        },
        {
          entityRef: 'dataproduct:default/campaign-touchpoints',
          reason: 'No attribution window declared.',
        },
      ],
      trend: [],
    },
  ],
};

function renderPage(api: Partial<DataMeshGovernanceApi>) {
  return renderForEntity(
    <TestApiProvider apis={[[dataMeshGovernanceApiRef, api]]}>
      <GovernancePage />
    </TestApiProvider>,
    {},
  );
}

jest.setTimeout(30_000);

describe('GovernancePage', () => {
  it('shows compliance by domain and by policy with pass rates', async () => {
    const getSummary = jest.fn().mockResolvedValue(summary);
    await renderPage({ getSummary });
    const domains = await screen.findByRole('table', {
      name: 'Compliance by domain',
    });
    expect(getSummary).toHaveBeenCalledWith({ days: 30 });
    const marketing = within(domains)
      .getAllByRole('row')
      .find(
        row => row.getAttribute('data-domain') === 'domain:default/marketing',
      )!;
    expect(
      within(marketing)
        .getAllByRole('cell')
        .map(cell => cell.textContent),
    ).toEqual(['marketing', '3', '1', '33.3%', '2']);

    const policies = screen.getByRole('table', {
      name: 'Compliance by policy',
    });
    const attribution = within(policies)
      .getAllByRole('row')
      .find(
        row => row.getAttribute('data-policy') === 'marketing-attribution',
      )!;
    expect(
      within(attribution)
        .getAllByRole('cell')
        .map(cell => cell.textContent),
    ).toEqual([
      'Marketing attributionmarketing-attribution',
      'Required',
      '3',
      '1',
      '2',
      '33.3%',
    ]);
    expect(screen.getByText('3 of 5 products compliant (60%)')).toBeVisible();
  });

  it('lists the products failing each required policy, linked to their pages', async () => {
    await renderPage({ getSummary: jest.fn().mockResolvedValue(summary) });
    const failing = await screen.findByRole('table', {
      name: 'Products failing Marketing attribution',
    });
    const link = within(failing).getByRole('link', { name: /campaign-roi/ });
    expect(link).toHaveAttribute(
      'href',
      '/catalog/default/dataproduct/campaign-roi',
    );
    expect(
      within(failing).getByText('No attribution window declared.'),
    ).toBeInTheDocument();
    // a recommended policy's failures are in its row, not among the required ones
    expect(
      screen.queryByRole('table', { name: 'Products failing Audit logging' }),
    ).not.toBeInTheDocument();
  });

  it('draws the trend of the mesh and of each domain, over the window chosen', async () => {
    const getSummary = jest.fn().mockResolvedValue(summary);
    await renderPage({ getSummary });
    const figure = await screen.findByRole('figure', {
      name: 'Compliance trend',
    });
    expect(
      within(figure).getByText(
        '3 of 5 products compliant on 2026-11-21 (UTC), over the last 30 days.',
      ),
    ).toBeInTheDocument();
    await waitFor(() =>
      expect(figure.querySelectorAll('.recharts-line').length).toBe(1),
    );
    expect(within(figure).getByText('All products')).toBeInTheDocument();

    // a domain's line beside the mesh's
    await userEvent.click(
      within(figure).getByRole('button', { name: /Compare with domain/ }),
    );
    await userEvent.click(
      await screen.findByRole('option', { name: 'marketing' }),
    );
    await waitFor(() =>
      expect(figure.querySelectorAll('.recharts-line').length).toBe(2),
    );
    expect(
      [...figure.querySelectorAll('.recharts-legend-item-text')].map(
        item => item.textContent,
      ),
    ).toEqual(['All products', 'marketing']);

    await userEvent.click(screen.getByRole('button', { name: /30 days/ }));
    await userEvent.click(
      await screen.findByRole('option', { name: '7 days' }),
    );
    await waitFor(() => expect(getSummary).toHaveBeenCalledWith({ days: 7 }));
  });

  it('says so when no product was evaluated yet', async () => {
    await renderPage({
      getSummary: jest.fn().mockResolvedValue({
        ...summary,
        products: 0,
        compliant: 0,
        trend: [],
        byDomain: [],
        byPolicy: [],
      }),
    });
    expect(
      await screen.findByText('No data product evaluated yet'),
    ).toBeInTheDocument();
  });
});
