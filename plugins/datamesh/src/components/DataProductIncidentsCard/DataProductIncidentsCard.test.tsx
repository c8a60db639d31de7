import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ResponseError } from '@backstage/errors';
import { dataProduct, renderForEntity } from '../../__testUtils__/fixtures';
import { minutesAgo, openIncident } from '../../__testUtils__/quality';
import { DataProductIncidentsCard } from './DataProductIncidentsCard';

jest.setTimeout(30_000);

const resolved = openIncident({
  id: '1d0b7a52-3f7e-4c1a-8e55-0f6a1d2c3b4a',
  state: 'resolved',
  severity: 'medium',
  title: 'Customer 360 View breaches freshness',
  reasons: ['freshness 3h 12m against 15m (port customer-profile)'],
  openedAt: minutesAgo(3 * 1440),
  acknowledgedAt: minutesAgo(3 * 1440 - 10),
  acknowledgedBy: 'user:default/maria-garcia',
  resolvedAt: minutesAgo(3 * 1440 - 60),
  events: [
    { at: minutesAgo(3 * 1440), type: 'opened', reasons: ['freshness 3h 12m'] },
    {
      at: minutesAgo(3 * 1440 - 10),
      type: 'acknowledged',
      actor: 'user:default/maria-garcia',
    },
    { at: minutesAgo(3 * 1440 - 60), type: 'recovered', reasons: [] },
  ],
});

/** A 403 as the backend's error middleware answers it. */
async function forbidden(): Promise<ResponseError> {
  return ResponseError.fromResponse(
    new Response(
      JSON.stringify({
        error: {
          name: 'NotAllowedError',
          message:
            'You may not acknowledge incidents of dataproduct:default/customer-360: only its owners and the pipelines given a token may',
        },
        response: { statusCode: 403 },
      }),
      {
        status: 403,
        statusText: 'Forbidden',
        headers: { 'content-type': 'application/json' },
      },
    ) as unknown as Parameters<typeof ResponseError.fromResponse>[0],
  );
}

describe('DataProductIncidentsCard', () => {
  it('lists open incidents first with state, severity, reasons and timeline, and resolved ones after', async () => {
    const getIncidents = jest
      .fn()
      .mockResolvedValue([resolved, openIncident()]);
    await renderForEntity(<DataProductIncidentsCard />, {
      entity: dataProduct(),
      qualityApi: { getIncidents },
    });
    const list = await screen.findByRole('list', { name: 'Incidents' });
    expect(getIncidents).toHaveBeenCalledWith({
      namespace: 'default',
      name: 'customer-360',
    });
    expect(screen.getByText('1 open incident')).toBeInTheDocument();
    const [first, second] = within(list).getAllByRole('listitem', {
      name: /Customer 360 View/,
    });
    expect(first).toHaveAccessibleName(
      'Customer 360 View breaches completeness',
    );
    expect(within(first).getByLabelText('State: New')).toBeInTheDocument();
    expect(within(first).getByLabelText('Severity: High')).toBeInTheDocument();
    expect(within(first).getByText('Opened 3h 12m ago')).toBeInTheDocument();
    expect(
      within(first).getByRole('button', { name: 'Acknowledge' }),
    ).toBeEnabled();
    // an open incident shows its timeline; a resolved one on demand
    expect(
      within(first).getByRole('list', { name: 'Timeline' }),
    ).toHaveTextContent('Opened');

    expect(
      within(second).getByLabelText('State: Resolved'),
    ).toBeInTheDocument();
    expect(second).toHaveTextContent('on recovery');
    expect(
      within(second).queryByRole('button', { name: /Acknowledge|Resolve/ }),
    ).not.toBeInTheDocument();
    expect(
      within(second).queryByRole('list', { name: 'Timeline' }),
    ).not.toBeInTheDocument();
    await userEvent.click(
      within(second).getByRole('button', { name: 'Show timeline (3)' }),
    );
    const timeline = within(second).getByRole('list', { name: 'Timeline' });
    expect(
      within(timeline)
        .getAllByRole('listitem')
        .map(li => li.textContent?.split(' ')[0]),
    ).toEqual(['Opened', 'Acknowledged', 'Recovered']);
  });

  it('links to the impact analysis: who is hit downstream', async () => {
    await renderForEntity(<DataProductIncidentsCard />, {
      entity: dataProduct(),
      qualityApi: {
        getIncidents: jest.fn().mockResolvedValue([openIncident()]),
      },
    });
    expect(
      await screen.findByRole('link', {
        name: /Impact analysis: who is hit downstream/,
      }),
    ).toHaveAttribute(
      'href',
      '/catalog/default/dataproduct/customer-360/lineage?view=impact',
    );
  });

  it('acknowledges an incident through the API and shows it as it is now', async () => {
    const acknowledged = openIncident({
      state: 'acknowledged',
      acknowledgedAt: minutesAgo(0),
      acknowledgedBy: 'user:default/guest',
    });
    const getIncidents = jest
      .fn()
      .mockResolvedValueOnce([openIncident()])
      .mockResolvedValue([acknowledged]);
    const acknowledgeIncident = jest.fn().mockResolvedValue(acknowledged);
    const post = jest.fn();
    await renderForEntity(<DataProductIncidentsCard />, {
      entity: dataProduct(),
      qualityApi: { getIncidents, acknowledgeIncident },
      alertApi: { post },
    });
    await userEvent.click(
      await screen.findByRole('button', { name: 'Acknowledge' }),
    );
    expect(acknowledgeIncident).toHaveBeenCalledWith(openIncident().id);
    expect(
      await screen.findByLabelText('State: Acknowledged'),
    ).toBeInTheDocument();
    expect(getIncidents).toHaveBeenCalledTimes(2);
    expect(
      screen.queryByRole('button', { name: 'Acknowledge' }),
    ).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Resolve' })).toBeEnabled();
    expect(post).toHaveBeenCalledWith(
      expect.objectContaining({ severity: 'success' }),
    );
  });

  it("tells the user through the alert API why the backend refused, in the backend's words", async () => {
    const post = jest.fn();
    const acknowledgeIncident = jest.fn().mockRejectedValue(await forbidden());
    await renderForEntity(<DataProductIncidentsCard />, {
      entity: dataProduct(),
      qualityApi: {
        getIncidents: jest.fn().mockResolvedValue([openIncident()]),
        acknowledgeIncident,
      },
      alertApi: { post },
    });
    await userEvent.click(
      await screen.findByRole('button', { name: 'Acknowledge' }),
    );
    await waitFor(() =>
      expect(post).toHaveBeenCalledWith({
        message:
          'Could not acknowledge the incident "Customer 360 View breaches completeness": You may not acknowledge incidents of dataproduct:default/customer-360: only its owners and the pipelines given a token may',
        severity: 'error',
      }),
    );
    // still new, and the button works again
    expect(screen.getByLabelText('State: New')).toBeInTheDocument();
    await waitFor(() =>
      expect(screen.getByRole('button', { name: 'Acknowledge' })).toBeEnabled(),
    );
  });

  it('resolves an incident by hand', async () => {
    const resolveIncident = jest
      .fn()
      .mockResolvedValue(openIncident({ state: 'resolved' }));
    await renderForEntity(<DataProductIncidentsCard />, {
      entity: dataProduct(),
      qualityApi: {
        getIncidents: jest
          .fn()
          .mockResolvedValueOnce([openIncident()])
          .mockResolvedValue([
            openIncident({
              state: 'resolved',
              resolvedAt: minutesAgo(0),
              resolvedBy: 'user:default/guest',
            }),
          ]),
        resolveIncident,
      },
    });
    await userEvent.click(
      await screen.findByRole('button', { name: 'Resolve' }),
    );
    expect(resolveIncident).toHaveBeenCalledWith(openIncident().id);
    expect(await screen.findByLabelText('State: Resolved')).toBeInTheDocument();
    expect(screen.getByText('No open incident')).toBeInTheDocument();
  });
});
