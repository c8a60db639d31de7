import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useLocation } from 'react-router-dom';
import type { Entity } from '@backstage/catalog-model';
import type { ProductHealth } from '@backstage-datamesh/plugin-datamesh-common';
import { mockCatalogApi, renderForEntity } from '../../__testUtils__/fixtures';
import {
  breachingHealth,
  minutesAgo,
  openIncident,
} from '../../__testUtils__/quality';
import { MeshHealthPage, MeshHealthPageContent } from './MeshHealthPage';

jest.setTimeout(30_000);

function product(
  name: string,
  title: string,
  domain: string,
  owner: string,
  onCallRotation?: string,
): Entity {
  return {
    apiVersion: 'datamesh.io/v1alpha1',
    kind: 'DataProduct',
    metadata: { name, namespace: 'default', title },
    spec: { owner, domain, ownership: { onCallRotation } },
    relations: [
      { type: 'ownedBy', targetRef: `group:default/${owner}` },
      { type: 'partOf', targetRef: `domain:default/${domain}` },
    ],
  };
}

const tickets = breachingHealth({
  entityRef: 'dataproduct:default/support-tickets',
  reasons: ['freshness 3h 10m against 15m (port tickets)'],
  slos: [
    {
      slo: 'freshness',
      objective: '15m',
      objectiveSource: 'product',
      measured: 11_400_000,
      status: 'breached',
      reason: 'freshness 3h 10m against 15m (port tickets)',
    },
  ],
  failingChecks: [],
  since: minutesAgo(190),
});
const customer360 = breachingHealth({ since: minutesAgo(12) });
const campaigns: ProductHealth = {
  entityRef: 'dataproduct:default/campaign-attribution',
  health: 'degraded',
  reasons: ['checks: 1 of 3 do not pass: row_count_within_range (warn)'],
  slos: [
    {
      slo: 'checks',
      measured: 2 / 3,
      status: 'at-risk',
      reason: 'checks: 1 of 3 do not pass: row_count_within_range (warn)',
    },
  ],
  failingChecks: [
    { checkId: 'row_count', name: 'row_count_within_range', status: 'warn' },
  ],
  // degraded for longer than any breaching product: still after them
  since: minutesAgo(5000),
  evaluatedAt: minutesAgo(1),
};

const ENTITIES: Record<string, Entity> = {
  'dataproduct:default/support-tickets': product(
    'support-tickets',
    'Support Tickets',
    'support-operations',
    'support-team',
    'group:support-team',
  ),
  'dataproduct:default/customer-360': product(
    'customer-360',
    'Customer 360 View',
    'customer',
    'customer-domain-team',
    'group:customer-data-oncall',
  ),
  'dataproduct:default/campaign-attribution': product(
    'campaign-attribution',
    'Campaign Attribution',
    'marketing-attribution',
    'marketing-team',
  ),
};

function LocationProbe() {
  return <div data-testid="location">{useLocation().search}</div>;
}

function setup(listHealth = jest.fn()) {
  const catalogApi = mockCatalogApi({
    getEntitiesByRefs: jest.fn().mockImplementation(async request => ({
      items: request.entityRefs.map((ref: string) => ENTITIES[ref]),
    })),
  });
  const ticketsIncident = openIncident({
    id: 'a4a0b3f2-0c1d-4e5f-8a9b-0c1d2e3f4a5b',
    entityRef: 'dataproduct:default/support-tickets',
    title: 'Support Tickets breaches freshness',
    severity: 'critical',
  });
  const getIncidents = jest.fn().mockImplementation(async ref =>
    ref.name === 'support-tickets'
      ? [ticketsIncident]
      : [
          openIncident({
            state: 'acknowledged',
            acknowledgedBy: 'user:default/guest',
          }),
        ],
  );
  listHealth.mockResolvedValue([campaigns, customer360, tickets]);
  return { catalogApi, getIncidents, listHealth, ticketsIncident };
}

function rowTitles(table: HTMLElement): string[] {
  return within(table)
    .getAllByRole('row')
    .slice(1)
    .map(row => within(row).getAllByRole('cell')[1].textContent ?? '');
}

describe('MeshHealthPage', () => {
  it('lists the breaching and degraded products worst first, with owner, on-call, domain, since and what fails', async () => {
    const { catalogApi, getIncidents, listHealth } = setup();
    await renderForEntity(<MeshHealthPageContent />, {
      catalogApi,
      qualityApi: { listHealth, getIncidents },
    });
    const table = await screen.findByRole('table', {
      name: 'Breaching and degraded data products',
    });
    expect(listHealth).toHaveBeenCalledWith(['breaching', 'degraded']);
    expect(catalogApi.getEntitiesByRefs).toHaveBeenCalledWith({
      entityRefs: [
        'dataproduct:default/campaign-attribution',
        'dataproduct:default/customer-360',
        'dataproduct:default/support-tickets',
      ],
      fields: expect.arrayContaining([
        'metadata.title',
        'spec.ownership.onCallRotation',
        'relations',
      ]),
    });
    // the open incidents of the breaching products only
    expect(getIncidents).toHaveBeenCalledTimes(2);
    expect(getIncidents).toHaveBeenCalledWith(
      { namespace: 'default', name: 'support-tickets' },
      { states: ['new', 'acknowledged'] },
    );

    // breaching before degraded, the longest breaching first
    expect(rowTitles(table)).toEqual([
      'Support Tickets',
      'Customer 360 View',
      'Campaign Attribution',
    ]);
    expect(screen.getByText('2 breaching, 1 degraded')).toBeInTheDocument();

    const [ticketsRow, , campaignsRow] = within(table)
      .getAllByRole('row')
      .slice(1);
    const cells = within(ticketsRow).getAllByRole('cell');
    expect(
      within(cells[0]).getByLabelText('Health: Breaching'),
    ).toBeInTheDocument();
    expect(cells[4]).toHaveTextContent('support-team');
    expect(within(cells[4]).getByRole('link')).toHaveAttribute(
      'href',
      '/catalog/default/group/support-team',
    );
    expect(cells[5]).toHaveTextContent('3h 10m');
    expect(cells[6]).toHaveTextContent(
      'freshness 3h 10m against 15m (port tickets)',
    );
    expect(
      within(cells[7]).getByLabelText('Incident: New'),
    ).toBeInTheDocument();
    expect(
      within(cells[7]).getByRole('button', { name: 'Acknowledge' }),
    ).toBeInTheDocument();

    // a degraded product: its failing checks, no incident
    const campaignCells = within(campaignsRow).getAllByRole('cell');
    expect(campaignCells[6]).toHaveTextContent(
      'Failing checks: row_count_within_range (warn)',
    );
    expect(campaignCells[7]).toBeEmptyDOMElement();
  });

  it('filters by domain and owner, kept in the URL', async () => {
    const { catalogApi, getIncidents, listHealth } = setup();
    await renderForEntity(
      <>
        <MeshHealthPageContent />
        <LocationProbe />
      </>,
      { catalogApi, qualityApi: { listHealth, getIncidents } },
    );
    const table = await screen.findByRole('table', {
      name: 'Breaching and degraded data products',
    });
    await userEvent.selectOptions(
      screen.getByLabelText('Domain'),
      'domain:default/customer',
    );
    expect(rowTitles(table)).toEqual(['Customer 360 View']);
    expect(screen.getByTestId('location')).toHaveTextContent(
      '?domain=domain%3Adefault%2Fcustomer',
    );
    await userEvent.selectOptions(screen.getByLabelText('Domain'), '');
    await userEvent.selectOptions(
      screen.getByLabelText('Owner'),
      'group:default/marketing-team',
    );
    expect(rowTitles(table)).toEqual(['Campaign Attribution']);
    expect(screen.getByText('0 breaching, 1 degraded')).toBeInTheDocument();
  });

  it('acknowledges the open incident from the list and reloads it', async () => {
    const { catalogApi, getIncidents, listHealth, ticketsIncident } = setup();
    const acknowledgeIncident = jest.fn().mockImplementation(async () => {
      getIncidents.mockImplementation(async () => [
        {
          ...ticketsIncident,
          state: 'acknowledged',
          acknowledgedBy: 'user:default/guest',
        },
      ]);
      return { ...ticketsIncident, state: 'acknowledged' };
    });
    await renderForEntity(<MeshHealthPageContent />, {
      catalogApi,
      qualityApi: { listHealth, getIncidents, acknowledgeIncident },
    });
    const row = (await screen.findAllByRole('row'))[1];
    await userEvent.click(
      within(row).getByRole('button', { name: 'Acknowledge' }),
    );
    expect(acknowledgeIncident).toHaveBeenCalledWith(ticketsIncident.id);
    await waitFor(() => expect(listHealth).toHaveBeenCalledTimes(2));
    const reloaded = (await screen.findAllByRole('row'))[1];
    expect(
      await within(reloaded).findByLabelText('Incident: Acknowledged'),
    ).toBeInTheDocument();
    expect(
      within(reloaded).queryByRole('button', { name: 'Acknowledge' }),
    ).not.toBeInTheDocument();
  });

  it('says when nothing breaches, and has its heading on the legacy frontend system', async () => {
    await renderForEntity(<MeshHealthPage />, {
      qualityApi: { listHealth: jest.fn().mockResolvedValue([]) },
    });
    expect(
      await screen.findByText('No data product is breaching or degraded'),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('heading', { name: 'Mesh health', level: 1 }),
    ).toBeInTheDocument();
  });
});
