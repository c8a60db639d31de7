import { screen, within } from '@testing-library/react';
import { dataProduct } from '../../__testUtils__/fixtures';
import { DataProductLineageDriftCard } from './DataProductLineageDriftCard';
import {
  answer,
  customer360Drift,
  hoursAgo,
  renderWithLineage,
  useLineageServer,
} from '../../__testUtils__/drift';

jest.setTimeout(30_000);

const DRIFT_PATH = '/v1/products/default/customer-360/lineage/drift';

describe('DataProductLineageDriftCard', () => {
  const server = useLineageServer();

  it('says what disagrees, naming and linking each other product and its port', async () => {
    answer(server, DRIFT_PATH, customer360Drift());
    await renderWithLineage(<DataProductLineageDriftCard />, {
      entity: dataProduct(),
    });

    expect(
      await screen.findByText(
        '3 disagreements between declared and observed lineage',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        'Declared input ports against the lineage observed in the last 30 days',
      ),
    ).toBeInTheDocument();
    const items = screen.getAllByRole('listitem');
    expect(items.map(item => item.textContent)).toEqual([
      'Undeclared input: reads port sessions of web-sessions without an input port for it (job airflow/customer_360.build, last seen 3h ago)',
      'Declared input not observed: input port crm-accounts (port accounts of crm-accounts) was not read by any job of this product in the last 30 days (never read)',
      'Undeclared consumer: churn-features reads port customer-profile without declaring it as an input port (job spark/churn.features, last seen 1h ago)',
    ]);
    expect(
      within(items[0]).getByRole('link', { name: 'web-sessions' }),
    ).toHaveAttribute('href', '/catalog/default/dataproduct/web-sessions');
    expect(
      within(items[2]).getByRole('link', { name: 'churn-features' }),
    ).toHaveAttribute('href', '/catalog/default/dataproduct/churn-features');
    // the graph the findings come from
    expect(screen.getByRole('link', { name: /Lineage graph/ })).toHaveAttribute(
      'href',
      '/catalog/default/dataproduct/customer-360/lineage',
    );
  });

  it('tells when a declared input was last read, when it was', async () => {
    answer(
      server,
      DRIFT_PATH,
      customer360Drift({
        windowDays: 7,
        undeclaredInputs: [],
        undeclaredConsumers: [],
        unobservedInputs: [
          {
            inputPort: 'crm-accounts',
            entityRef: 'dataproduct:default/crm-accounts',
            port: 'accounts',
            lastSeenAt: hoursAgo(24 * 9),
          },
        ],
      }),
    );
    await renderWithLineage(<DataProductLineageDriftCard />, {
      entity: dataProduct(),
    });
    expect(
      await screen.findByText(
        '1 disagreement between declared and observed lineage',
      ),
    ).toBeInTheDocument();
    expect(screen.getByRole('listitem')).toHaveTextContent(
      'was not read by any job of this product in the last 7 days (last read 9d ago)',
    );
  });

  it('says that declared and observed lineage agree', async () => {
    answer(
      server,
      DRIFT_PATH,
      customer360Drift({
        undeclaredInputs: [],
        unobservedInputs: [],
        undeclaredConsumers: [],
      }),
    );
    await renderWithLineage(<DataProductLineageDriftCard />, {
      entity: dataProduct(),
    });
    expect(
      await screen.findByText(/^Declared and observed lineage agree/),
    ).toBeInTheDocument();
    expect(screen.queryByRole('listitem')).not.toBeInTheDocument();
  });

  it('shows the backend error', async () => {
    answer(
      server,
      DRIFT_PATH,
      {
        error: {
          name: 'NotFoundError',
          message: 'No data product dataproduct:default/customer-360',
        },
      },
      404,
    );
    await renderWithLineage(<DataProductLineageDriftCard />, {
      entity: dataProduct(),
    });
    // the error panel's message and its details both carry the backend's message
    expect(
      await screen.findAllByText(
        /No data product dataproduct:default\/customer-360/,
      ),
    ).not.toHaveLength(0);
  });

  it('says it is not on a data product page', async () => {
    await renderWithLineage(<DataProductLineageDriftCard />, {
      entity: {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: { name: 'x' },
      },
    });
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Not a data product',
    );
  });
});
