import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useLocation } from 'react-router-dom';
import type { Entity } from '@backstage/catalog-model';
import type {
  HealthPageQuery,
  Incident,
  IncidentQuery,
  ProductHealth,
} from '@backstage-datamesh/plugin-datamesh-common';
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

const WORST: Record<string, number> = { breaching: 0, degraded: 1 };

/** The backend's contract: filtered, worst first, paged, with counts and facets. */
function healthPageOf(all: ProductHealth[]) {
  return jest.fn().mockImplementation(async (query: HealthPageQuery) => {
    const refOf = (ref: string, type: string) =>
      ENTITIES[ref].relations!.find(r => r.type === type)!.targetRef;
    const matching = all
      .filter(
        h =>
          (!query.domainRefs ||
            query.domainRefs.includes(refOf(h.entityRef, 'partOf'))) &&
          (!query.ownerRefs ||
            query.ownerRefs.includes(refOf(h.entityRef, 'ownedBy'))),
      )
      .sort(
        (a, b) =>
          WORST[a.health] - WORST[b.health] ||
          Date.parse(a.since) - Date.parse(b.since),
      );
    const offset = query.offset ?? 0;
    const facet = (type: string) =>
      [...new Set(all.map(h => refOf(h.entityRef, type)))].map(value => ({
        value,
        count: all.filter(h => refOf(h.entityRef, type) === value).length,
      }));
    return {
      items: matching.slice(offset, offset + (query.limit ?? 1000)),
      totalItems: matching.length,
      offset,
      limit: query.limit,
      counts: {
        breaching: matching.filter(h => h.health === 'breaching').length,
        degraded: matching.filter(h => h.health === 'degraded').length,
      },
      facets: { domain: facet('partOf'), owner: facet('ownedBy') },
    };
  });
}

function setup(healths = [campaigns, customer360, tickets]) {
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
  let incidents = [
    ticketsIncident,
    openIncident({
      state: 'acknowledged',
      acknowledgedBy: 'user:default/guest',
    }),
  ];
  const listIncidents = jest
    .fn()
    .mockImplementation(async (query: IncidentQuery) => {
      const items = incidents.filter(i =>
        query.entityRefs!.includes(i.entityRef),
      );
      return { items, totalItems: items.length, offset: 0, limit: 500 };
    });
  const setIncidents = (next: Incident[]) => {
    incidents = next;
  };
  const getHealthPage = healthPageOf(healths);
  return {
    catalogApi,
    listIncidents,
    getHealthPage,
    ticketsIncident,
    setIncidents,
  };
}

function rowTitles(table: HTMLElement): string[] {
  return within(table)
    .getAllByRole('row')
    .slice(1)
    .map(row => within(row).getAllByRole('cell')[1].textContent ?? '');
}

describe('MeshHealthPage', () => {
  it('lists the breaching and degraded products worst first, with owner, on-call, domain, since and what fails', async () => {
    const { catalogApi, listIncidents, getHealthPage } = setup();
    await renderForEntity(<MeshHealthPageContent />, {
      catalogApi,
      qualityApi: { getHealthPage, listIncidents },
    });
    const table = await screen.findByRole('table', {
      name: 'Breaching and degraded data products',
    });
    // one page of the breaching and degraded products, as the backend orders them
    expect(getHealthPage).toHaveBeenCalledWith({
      health: ['breaching', 'degraded'],
      limit: 25,
      offset: 0,
    });
    expect(catalogApi.getEntitiesByRefs).toHaveBeenCalledWith({
      entityRefs: [
        'dataproduct:default/support-tickets',
        'dataproduct:default/customer-360',
        'dataproduct:default/campaign-attribution',
      ],
      fields: expect.arrayContaining([
        'metadata.title',
        'spec.ownership.onCallRotation',
        'relations',
      ]),
    });
    // one request for the open incidents of the breaching products only
    expect(listIncidents).toHaveBeenCalledTimes(1);
    expect(listIncidents).toHaveBeenCalledWith({
      states: ['new', 'acknowledged'],
      entityRefs: [
        'dataproduct:default/support-tickets',
        'dataproduct:default/customer-360',
      ],
      limit: 500,
    });

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
    const { catalogApi, listIncidents, getHealthPage } = setup();
    await renderForEntity(
      <>
        <MeshHealthPageContent />
        <LocationProbe />
      </>,
      { catalogApi, qualityApi: { getHealthPage, listIncidents } },
    );
    const table = await screen.findByRole('table', {
      name: 'Breaching and degraded data products',
    });
    // the options: every domain of the breaching and degraded products, with its count
    expect(
      within(screen.getByLabelText('Domain'))
        .getAllByRole('option')
        .map(o => o.textContent),
    ).toEqual([
      'All',
      'customer (1)',
      'marketing-attribution (1)',
      'support-operations (1)',
    ]);
    await userEvent.selectOptions(
      screen.getByLabelText('Domain'),
      'domain:default/customer',
    );
    await waitFor(() =>
      expect(rowTitles(table)).toEqual(['Customer 360 View']),
    );
    // filtered by the backend
    expect(getHealthPage).toHaveBeenLastCalledWith({
      health: ['breaching', 'degraded'],
      domainRefs: ['domain:default/customer'],
      limit: 25,
      offset: 0,
    });
    expect(screen.getByTestId('location')).toHaveTextContent(
      '?domain=domain%3Adefault%2Fcustomer',
    );
    await userEvent.selectOptions(screen.getByLabelText('Domain'), '');
    await userEvent.selectOptions(
      screen.getByLabelText('Owner'),
      'group:default/marketing-team',
    );
    await waitFor(() =>
      expect(rowTitles(table)).toEqual(['Campaign Attribution']),
    );
    expect(screen.getByText('0 breaching, 1 degraded')).toBeInTheDocument();
  });

  it('pages through many products, worst first, a page from the backend at a time', async () => {
    const name = (i: number) => `product-${String(i).padStart(2, '0')}`;
    const many = Array.from({ length: 30 }, (_, i) => {
      ENTITIES[`dataproduct:default/${name(i)}`] = product(
        name(i),
        `Product ${i}`,
        'customer',
        'customer-domain-team',
      );
      return breachingHealth({
        entityRef: `dataproduct:default/${name(i)}`,
        // the first the longest breaching
        since: minutesAgo(100 - i),
      });
    });
    const { catalogApi, listIncidents, getHealthPage } = setup(many);
    await renderForEntity(<MeshHealthPageContent />, {
      catalogApi,
      qualityApi: { getHealthPage, listIncidents },
    });
    const table = await screen.findByRole('table', {
      name: 'Breaching and degraded data products',
    });
    expect(within(table).getAllByRole('row')).toHaveLength(26);
    expect(rowTitles(table).slice(0, 2)).toEqual(['Product 0', 'Product 1']);
    expect(screen.getByText('1-25 of 30')).toBeInTheDocument();
    expect(screen.getByText('30 breaching, 0 degraded')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Next page' }));
    await waitFor(() =>
      expect(within(table).getAllByRole('row')).toHaveLength(6),
    );
    expect(getHealthPage).toHaveBeenLastCalledWith({
      health: ['breaching', 'degraded'],
      limit: 25,
      offset: 25,
    });
    expect(screen.getByText('26-30 of 30')).toBeInTheDocument();
    expect(rowTitles(table)[0]).toBe('Product 25');
    // one incidents request per page
    expect(listIncidents).toHaveBeenCalledTimes(2);
  });

  it('acknowledges the open incident from the list and reloads it', async () => {
    const {
      catalogApi,
      listIncidents,
      getHealthPage,
      ticketsIncident,
      setIncidents,
    } = setup();
    const acknowledgeIncident = jest.fn().mockImplementation(async () => {
      setIncidents([
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
      qualityApi: { getHealthPage, listIncidents, acknowledgeIncident },
    });
    const row = (await screen.findAllByRole('row'))[1];
    await userEvent.click(
      within(row).getByRole('button', { name: 'Acknowledge' }),
    );
    expect(acknowledgeIncident).toHaveBeenCalledWith(ticketsIncident.id);
    await waitFor(() => expect(getHealthPage).toHaveBeenCalledTimes(2));
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
      qualityApi: { getHealthPage: healthPageOf([]) },
    });
    expect(
      await screen.findByText('No data product is breaching or degraded'),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('heading', { name: 'Mesh health', level: 1 }),
    ).toBeInTheDocument();
  });
});
