import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { dataProduct, renderForEntity } from '../../__testUtils__/fixtures';
import {
  columnLineage,
  impact,
  largeLineageGraph,
  lineageGraph,
} from '../../__testUtils__/lineage';
import { DataProductLineageContent } from './DataProductLineageContent';

jest.setTimeout(60_000);

const CUSTOMER_360 = { namespace: 'default', name: 'customer-360' };

// jsdom lays nothing out: DependencyGraph measures each node's box (getBBox) before dagre lays
// them out, so the test gives SVG elements the box their fixed-size shapes have. The real
// measurement and layout are exercised in Chromium (packages/app/e2e-tests/lineage.test.ts).
beforeAll(() => {
  Object.defineProperty(window.SVGElement.prototype, 'getBBox', {
    configurable: true,
    value: () => ({ x: 0, y: 0, width: 220, height: 50 }),
  });
});

afterAll(() => {
  delete (window.SVGElement.prototype as { getBBox?: unknown }).getBBox;
});

/** The graph, once DependencyGraph has laid it out and shown it. */
async function findGraph() {
  const figure = await screen.findByRole('figure', { name: 'Lineage graph' });
  await waitFor(
    () =>
      expect(
        within(figure).getAllByRole('link', { name: /^Data product/ }).length,
      ).toBeGreaterThan(0),
    { timeout: 30_000 },
  );
  return figure;
}

describe('DataProductLineageContent', () => {
  it('draws products by health, ports, jobs with their last run and external datasets, both ways at depth 2', async () => {
    const getLineageGraph = jest.fn().mockResolvedValue(lineageGraph());
    await renderForEntity(<DataProductLineageContent />, {
      entity: dataProduct(),
      lineageApi: { getLineageGraph },
    });
    const graph = await findGraph();
    expect(getLineageGraph).toHaveBeenCalledWith(CUSTOMER_360, {
      direction: 'both',
      depth: 2,
      maxNodes: 100,
    });
    expect(
      screen.getByText('3 data products, 3 ports, 2 jobs, 1 external dataset'),
    ).toBeInTheDocument();

    // products: links to their pages, coloured by health
    const crm = within(graph).getByRole('link', {
      name: 'Data product CRM Accounts, healthy',
    });
    expect(crm).toHaveAttribute(
      'href',
      '/catalog/default/dataproduct/crm-accounts',
    );
    expect(crm.closest('[data-kind="product"]')).toHaveAttribute(
      'data-health',
      'healthy',
    );
    expect(
      within(graph).getByRole('link', {
        name: 'Data product Customer 360, breaching',
      }),
    ).toBeInTheDocument();
    expect(
      within(graph).getByRole('link', {
        name: 'Data product Churn Features, degraded',
      }),
    ).toBeInTheDocument();
    // the root product's port is drawn, the others are folded into their product
    expect(
      within(graph).getByRole('button', {
        name: 'Output port profiles of Customer 360, breaching: open its column lineage',
      }),
    ).toBeInTheDocument();
    expect(
      within(graph).queryByRole('button', { name: /Output port features/ }),
    ).toBeNull();

    // jobs with their last run's state and time
    expect(
      within(graph).getByRole('img', {
        name: 'Job analytics.customer_360, last run complete',
      }),
    ).toHaveTextContent(/Complete · 30m ago/);
    expect(
      within(graph).getByRole('img', {
        name: 'Job churn_features, last run failed',
      }),
    ).toHaveTextContent(/Failed · 12m ago/);
    // external datasets, told apart
    expect(
      within(graph).getByRole('img', {
        name: 'External dataset s3://events/clickstream',
      }),
    ).toBeInTheDocument();

    // external datasets can be left out, to see the products and jobs alone
    await userEvent.click(
      screen.getByRole('checkbox', { name: 'External datasets' }),
    );
    await waitFor(() =>
      expect(
        within(graph).queryByRole('img', {
          name: 'External dataset s3://events/clickstream',
        }),
      ).toBeNull(),
    );
    expect(
      within(graph).getByRole('img', { name: /^Job churn_features/ }),
    ).toBeInTheDocument();

    // the legend names each kind of node and each health colour
    const legend = screen.getByRole('list', { name: 'Legend' });
    expect(legend).toHaveTextContent(/Data product/);
    expect(legend).toHaveTextContent(/External dataset/);
    expect(legend).toHaveTextContent(/Breaching/);
  });

  it('asks again when the direction and the depth change', async () => {
    const getLineageGraph = jest
      .fn()
      .mockImplementation(async (_ref, options) =>
        lineageGraph({ direction: options.direction, depth: options.depth }),
      );
    await renderForEntity(<DataProductLineageContent />, {
      entity: dataProduct(),
      lineageApi: { getLineageGraph },
    });
    await findGraph();
    await userEvent.click(screen.getByRole('button', { name: 'Downstream' }));
    await waitFor(() =>
      expect(getLineageGraph).toHaveBeenLastCalledWith(CUSTOMER_360, {
        direction: 'downstream',
        depth: 2,
        maxNodes: 100,
      }),
    );
    await userEvent.selectOptions(screen.getByLabelText('Depth'), 'all');
    await waitFor(() =>
      expect(getLineageGraph).toHaveBeenLastCalledWith(CUSTOMER_360, {
        direction: 'downstream',
        depth: 'all',
        maxNodes: 100,
      }),
    );
    await userEvent.selectOptions(screen.getByLabelText('Depth'), '5');
    await waitFor(() =>
      expect(getLineageGraph).toHaveBeenLastCalledWith(CUSTOMER_360, {
        direction: 'downstream',
        depth: 5,
        maxNodes: 100,
      }),
    );
    await findGraph();
  });

  it("shows a product's ports on demand and opens the column lineage of a port", async () => {
    const getColumnLineage = jest.fn().mockResolvedValue({
      ...columnLineage(),
      entityRef: 'dataproduct:default/churn-features',
      port: 'features',
    });
    await renderForEntity(<DataProductLineageContent />, {
      entity: dataProduct(),
      lineageApi: {
        getLineageGraph: jest.fn().mockResolvedValue(lineageGraph()),
        getColumnLineage,
      },
    });
    const graph = await findGraph();
    const toggle = within(graph).getByRole('button', {
      name: 'Show the 1 port of Churn Features',
    });
    expect(toggle).toHaveAttribute('aria-expanded', 'false');
    fireEvent.click(toggle);
    const port = await within(graph).findByRole(
      'button',
      {
        name: 'Output port features of Churn Features, degraded: open its column lineage',
      },
      { timeout: 10_000 },
    );
    fireEvent.click(port);
    const dialog = await screen.findByRole('dialog');
    expect(dialog).toHaveTextContent('Column lineage of port features');
    expect(getColumnLineage).toHaveBeenCalledWith(
      { namespace: 'default', name: 'churn-features' },
      'features',
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Close' }),
    );
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
  });

  it('lists, per column of an output port, the upstream columns and the transformation', async () => {
    const getColumnLineage = jest.fn().mockResolvedValue(columnLineage());
    await renderForEntity(<DataProductLineageContent />, {
      entity: dataProduct(),
      lineageApi: {
        getLineageGraph: jest.fn().mockResolvedValue(lineageGraph()),
        getColumnLineage,
      },
    });
    await userEvent.click(
      await screen.findByRole('button', {
        name: 'Column lineage of port profiles',
      }),
    );
    const dialog = await screen.findByRole('dialog');
    const table = await within(dialog).findByRole('table', {
      name: 'Columns and their upstream columns',
    });
    expect(getColumnLineage).toHaveBeenCalledWith(CUSTOMER_360, 'profiles');
    expect(dialog).toHaveTextContent(
      'Dataset postgres://warehouse:5432/analytics.public.customer_360',
    );

    const id = within(table).getByRole('row', { name: 'customer_id' });
    expect(id).toHaveTextContent('string');
    expect(within(id).getByRole('link')).toHaveTextContent('crm-accounts');
    expect(id).toHaveTextContent('port accounts');
    expect(id).toHaveTextContent('account_id');
    expect(id).toHaveTextContent('DIRECT');
    expect(id).toHaveTextContent('IDENTITY');
    expect(id).toHaveTextContent('dbt/analytics.customer_360');

    const email = within(table).getByRole('row', { name: 'email_hash' });
    expect(email).toHaveTextContent('Masked');
    expect(email).toHaveTextContent('sha256 of the lower-cased email');

    // an external dataset is named by its namespace and name
    const value = within(table).getByRole('row', { name: 'lifetime_value' });
    expect(value).toHaveTextContent('s3://billing/invoices');
    expect(value).toHaveTextContent('AGGREGATION');

    expect(
      within(table).getByRole('row', { name: 'updated_at' }),
    ).toHaveTextContent('No upstream column recorded');

    const whole = within(dialog).getByRole('table', {
      name: 'Whole-dataset dependencies',
    });
    expect(whole).toHaveTextContent('is_deleted');
    expect(whole).toHaveTextContent('FILTER');
  });

  it('says when the port has no column lineage', async () => {
    await renderForEntity(<DataProductLineageContent />, {
      entity: dataProduct(),
      lineageApi: {
        getLineageGraph: jest.fn().mockResolvedValue(lineageGraph()),
        getColumnLineage: jest.fn().mockResolvedValue({
          ...columnLineage(),
          columns: [],
          datasetDependencies: [],
        }),
      },
    });
    await userEvent.click(
      await screen.findByRole('button', {
        name: 'Column lineage of port profiles',
      }),
    );
    expect(
      await screen.findByText(/No column lineage recorded for this port/),
    ).toBeInTheDocument();
  });

  it('draws a 300-node graph, cut at the node limit, and asks for more', async () => {
    const getLineageGraph = jest.fn().mockResolvedValue(largeLineageGraph(300));
    await renderForEntity(<DataProductLineageContent />, {
      entity: dataProduct(),
      lineageApi: { getLineageGraph },
    });
    const graph = await findGraph();
    // every product drawn (ports folded into them), every job, and the "+7" node
    await waitFor(
      () =>
        expect(
          within(graph).getAllByRole('link', { name: /^Data product/ }),
        ).toHaveLength(100),
      { timeout: 10_000 },
    );
    expect(graph.querySelectorAll('[data-kind="job"]')).toHaveLength(100);
    expect(graph.querySelectorAll('[data-kind]')).toHaveLength(202);
    expect(
      screen.getByText(/the first 300 nodes \(limit 100\)/),
    ).toBeInTheDocument();

    fireEvent.click(
      within(graph).getByRole('button', {
        name: '7 more neighbours left out: show more',
      }),
    );
    await waitFor(() =>
      expect(getLineageGraph).toHaveBeenLastCalledWith(CUSTOMER_360, {
        direction: 'both',
        depth: 2,
        maxNodes: 300,
      }),
    );
    await findGraph();
    await userEvent.click(
      screen.getByRole('button', { name: 'Show more (up to 1000 nodes)' }),
    );
    await waitFor(() =>
      expect(getLineageGraph).toHaveBeenLastCalledWith(CUSTOMER_360, {
        direction: 'both',
        depth: 2,
        maxNodes: 1000,
      }),
    );
    // at the largest limit, the "+N" node only says what is left out
    const largest = await findGraph();
    expect(
      await within(largest).findByRole(
        'img',
        { name: '7 more neighbours left out' },
        { timeout: 10_000 },
      ),
    ).toBeInTheDocument();
    expect(
      within(largest).queryByRole('button', { name: /show more/ }),
    ).toBeNull();
    expect(
      screen.getByText(/Lower the depth or pick one direction/),
    ).toBeInTheDocument();
  }, 240_000);

  it('shows the answer of a failed request', async () => {
    const error = Object.assign(new Error('Invalid depth: 9'), {
      name: 'InputError',
    });
    await renderForEntity(<DataProductLineageContent />, {
      entity: dataProduct(),
      lineageApi: { getLineageGraph: jest.fn().mockRejectedValue(error) },
    });
    expect(
      await screen.findByText('Error: Invalid depth: 9'),
    ).toBeInTheDocument();
  });

  it('opens the impact analysis from its link: the products hit downstream, nearest and worst first', async () => {
    const getImpact = jest.fn().mockResolvedValue(impact());
    await renderForEntity(<DataProductLineageContent />, {
      entity: dataProduct(),
      lineageApi: { getImpact },
      routeEntries: ['/?view=impact'],
    });
    const table = await screen.findByRole('table', {
      name: 'Downstream products',
    });
    expect(getImpact).toHaveBeenCalledWith(CUSTOMER_360, { depth: 'all' });
    expect(
      screen.getByText(
        '3 data products downstream, 2 already breaching or degraded',
      ),
    ).toBeInTheDocument();
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map(row => row.getAttribute('aria-label'))).toEqual([
      'Support Insights',
      'Churn Features',
      'Marketing Attribution',
    ]);
    expect(rows[0]).toHaveTextContent('1 hop');
    expect(
      within(rows[0]).getByLabelText('Health: Breaching'),
    ).toBeInTheDocument();
    expect(rows[0]).toHaveTextContent('support-team');
    expect(rows[0]).toHaveTextContent('support-oncall');
    expect(rows[1]).toHaveTextContent('port profiles · job churn_features');
    expect(rows[2]).toHaveTextContent('2 hops');
    // a product without an on-call rotation says so
    expect(rows[2]).toHaveTextContent('None declared');
    expect(
      screen.getByRole('list', { name: 'External datasets downstream' }),
    ).toHaveTextContent('s3://exports/crm_sync');
  });

  it('says when nothing downstream was observed', async () => {
    await renderForEntity(<DataProductLineageContent />, {
      entity: dataProduct(),
      lineageApi: {
        getImpact: jest.fn().mockResolvedValue({
          entityRef: 'dataproduct:default/customer-360',
          products: [],
          externalDatasets: [],
        }),
      },
      routeEntries: ['/?view=impact'],
    });
    expect(
      await screen.findByText(/No data product was observed reading/),
    ).toBeInTheDocument();
  });
});
