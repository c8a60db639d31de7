import { screen, within } from '@testing-library/react';
import {
  answer,
  customer360Drift,
  renderWithLineage,
  useLineageServer,
} from '../../__testUtils__/drift';
import { DataMeshProblemsPanel } from './DataMeshProblemsPanel';

jest.setTimeout(30_000);

describe('DataMeshProblemsPanel, lineage drift', () => {
  const server = useLineageServer();

  it('lists the products with lineage drift, each finding naming the product and port, linked', async () => {
    const queries = answer(server, '/v1/lineage/drift', {
      items: [
        customer360Drift(),
        customer360Drift({
          entityRef: 'dataproduct:default/crm-accounts',
          undeclaredInputs: [],
          unobservedInputs: [],
        }),
      ],
      totalCount: 2,
    });
    await renderWithLineage(<DataMeshProblemsPanel />);

    const panel = await screen.findByRole('alert', {
      name: 'Data products with lineage drift',
    });
    expect(
      within(panel).getByText(
        '2 data products have lineage drift: declared input ports and observed lineage disagree',
      ),
    ).toBeInTheDocument();
    expect(
      within(panel).getByRole('link', { name: 'customer-360' }),
    ).toHaveAttribute('href', '/catalog/default/dataproduct/customer-360');
    // the drifting product, and the upstream product of customer-360's unobserved input
    const crmAccounts = within(panel).getAllByRole('link', {
      name: 'crm-accounts',
    });
    expect(crmAccounts).toHaveLength(2);
    for (const link of crmAccounts) {
      expect(link).toHaveAttribute(
        'href',
        '/catalog/default/dataproduct/crm-accounts',
      );
    }
    expect(panel).toHaveTextContent(
      'Declared input not observed: input port crm-accounts (port accounts of crm-accounts) was not read by any job of this product in the last 30 days (never read)',
    );
    expect(panel).toHaveTextContent(
      'Undeclared consumer: churn-features reads port customer-profile without declaring it as an input port (job spark/churn.features',
    );
    expect(panel).toHaveTextContent(
      'Undeclared input: reads port sessions of web-sessions without an input port for it (job airflow/customer_360.build',
    );
    expect(queries[0].get('limit')).toBe('50');
  });

  it('counts the products beyond the first page', async () => {
    answer(server, '/v1/lineage/drift', {
      items: [customer360Drift()],
      totalCount: 51,
    });
    await renderWithLineage(<DataMeshProblemsPanel />);
    const panel = await screen.findByRole('alert', {
      name: 'Data products with lineage drift',
    });
    expect(panel).toHaveTextContent('51 data products have lineage drift');
    expect(panel).toHaveTextContent('and 50 more');
  });

  it('shows nothing when nothing drifts', async () => {
    const queries = answer(server, '/v1/lineage/drift', {
      items: [],
      totalCount: 0,
    });
    const { container } = await renderWithLineage(<DataMeshProblemsPanel />);
    await new Promise(resolve => setTimeout(resolve, 100));
    expect(queries).toHaveLength(1);
    expect(container).toBeEmptyDOMElement();
  });

  it('says so when the drift check itself fails', async () => {
    answer(
      server,
      '/v1/lineage/drift',
      { error: { name: 'Error', message: 'lineage store unavailable' } },
      503,
    );
    await renderWithLineage(<DataMeshProblemsPanel />);
    expect(
      await screen.findByText(
        /Could not check the lineage for drift: .*lineage store unavailable/,
      ),
    ).toBeInTheDocument();
  });

  it('leaves drift out of a domain panel', async () => {
    const queries = answer(server, '/v1/lineage/drift', {
      items: [customer360Drift()],
      totalCount: 1,
    });
    const { container } = await renderWithLineage(
      <DataMeshProblemsPanel domains={['customer']} />,
    );
    await new Promise(resolve => setTimeout(resolve, 100));
    expect(queries).toHaveLength(0);
    expect(container).toBeEmptyDOMElement();
  });
});
