import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { dataProduct, renderForEntity } from '../../__testUtils__/fixtures';
import { storedCheck } from '../../__testUtils__/quality';
import { DataProductChecksCard } from './DataProductChecksCard';

const failing = storedCheck({
  checkId: 'test.shop.not_null_customer_360_email.1a2b',
  name: 'not_null_customer_360_email',
  status: 'fail',
  column: 'email',
  checkType: 'not_null',
  dimension: 'completeness',
  observedValue: 1234,
  unexpectedCount: 1234,
  unexpectedPercent: 0.49,
  rowsEvaluated: 250000,
  message: 'Got 1234 results, configured to fail if != 0',
  rawPointer: '/results/0',
});

/** The run's raw document as dbt wrote it: the failing test at /results/0. */
const rawDocument = {
  metadata: {
    dbt_schema_version: 'https://schemas.getdbt.com/dbt/run-results/v6.json',
  },
  results: [
    {
      unique_id: 'test.shop.not_null_customer_360_email.1a2b',
      status: 'fail',
      failures: 1234,
    },
    {
      unique_id: 'test.shop.unique_customer_360_customer_id.9f8e',
      status: 'pass',
      failures: 0,
    },
  ],
};

jest.setTimeout(30_000);

// jsdom has no object URLs; the dialog's Download link makes one of the document
beforeAll(() => {
  URL.createObjectURL = jest.fn(() => 'blob:http://localhost/raw');
  URL.revokeObjectURL = jest.fn();
});

describe('DataProductChecksCard', () => {
  it('lists the latest checks, failing ones first, with every field of the check model', async () => {
    const getLatestChecks = jest
      .fn()
      .mockResolvedValue([storedCheck(), failing]);
    await renderForEntity(<DataProductChecksCard />, {
      entity: dataProduct(),
      qualityApi: { getLatestChecks },
    });
    const table = await screen.findByRole('table', { name: 'Latest checks' });
    expect(getLatestChecks).toHaveBeenCalledWith({
      namespace: 'default',
      name: 'customer-360',
    });
    expect(screen.getByText('1 of 2 checks do not pass')).toBeInTheDocument();
    const [, first, second] = within(table).getAllByRole('row');
    const cells = (row: HTMLElement) =>
      within(row)
        .getAllByRole('cell')
        .map(cell => cell.textContent);
    expect(cells(first)).toEqual([
      'Fail',
      'not_null_customer_360_emailcustomer-profile · analytics.customer.customer_360Got 1234 results, configured to fail if != 0',
      'email',
      '1,234',
      'fail if != 0',
      '1,234 (0.49%)',
      'dbt 1.8.5',
      '12m ago',
      'Raw',
    ]);
    expect(cells(second)[0]).toBe('Pass');
    expect(cells(second)[1]).toContain('unique_customer_360_customer_id');
  });

  it('fetches the raw result with credentials and shows the check within it, or the whole document', async () => {
    const getRawDocument = jest.fn().mockResolvedValue({
      contentType: 'application/json; charset=utf-8',
      body: JSON.stringify(rawDocument),
    });
    await renderForEntity(<DataProductChecksCard />, {
      entity: dataProduct(),
      qualityApi: {
        getLatestChecks: jest.fn().mockResolvedValue([failing]),
        getRawDocument,
      },
    });
    await userEvent.click(
      await screen.findByRole('button', {
        name: 'Raw result of not_null_customer_360_email',
      }),
    );
    const dialog = await screen.findByRole('dialog');
    const code = await within(dialog).findByLabelText('Raw result');
    expect(getRawDocument).toHaveBeenCalledWith(17);
    expect(JSON.parse(code.textContent ?? '')).toEqual(rawDocument.results[0]);
    expect(dialog).toHaveTextContent(
      'The result at /results/0 of run 17, as dbt wrote it.',
    );

    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Show the whole document' }),
    );
    expect(
      JSON.parse(within(dialog).getByLabelText('Raw result').textContent ?? ''),
    ).toEqual(rawDocument);
    expect(
      within(dialog).getByRole('link', { name: 'Download' }),
    ).toHaveAttribute('download', 'quality-run-17.json');
  });

  it('says when the raw result is no longer kept', async () => {
    const error = Object.assign(
      new Error('No raw document of quality run 17'),
      {
        name: 'NotFoundError',
      },
    );
    await renderForEntity(<DataProductChecksCard />, {
      entity: dataProduct(),
      qualityApi: {
        getLatestChecks: jest.fn().mockResolvedValue([failing]),
        getRawDocument: jest.fn().mockRejectedValue(error),
      },
    });
    await userEvent.click(
      await screen.findByRole('button', {
        name: 'Raw result of not_null_customer_360_email',
      }),
    );
    const dialog = await screen.findByRole('dialog');
    expect(
      await within(dialog).findByText(
        'Error: No raw document of quality run 17',
      ),
    ).toBeInTheDocument();
    expect(
      within(dialog).queryByLabelText('Raw result'),
    ).not.toBeInTheDocument();
  });
});
