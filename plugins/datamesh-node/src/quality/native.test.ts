import { InputError } from '@backstage/errors';
import { parseQualityResults } from './parseQualityResults';
import { loadFixture } from './__testUtils__/fixtures';

const load = (file: string): unknown => loadFixture(`__fixtures__/${file}`);

describe('the suite quality results format', () => {
  it('reads every field, the document dataset standing in for those left out', () => {
    const dataset = {
      namespace: 'postgres://warehouse:5432',
      name: 'analytics.public.orders',
    };
    expect(parseQualityResults({ document: load('native_full.json') })).toEqual(
      {
        format: 'native',
        tool: { name: 'orders-pipeline-checks', version: '2.4.1' },
        runId: 'orders-2024-05-06T04:00',
        startedAt: '2024-05-06T04:00:00.000Z',
        finishedAt: '2024-05-06T04:00:30.000Z',
        checks: [
          {
            checkId: 'orders.amount.not_null',
            name: 'amount is never null',
            status: 'pass',
            dataset,
            column: 'amount',
            checkType: 'not_null',
            dimension: 'completeness',
            observedValue: 0,
            threshold: '= 0',
            unexpectedCount: 0,
            unexpectedPercent: 0,
            rowsEvaluated: 18250,
            executedAt: '2024-05-06T04:00:12.000Z',
            rawPointer: '/checks/0',
          },
          {
            checkId: 'late orders under 5%',
            name: 'late orders under 5%',
            status: 'warn',
            dataset,
            checkType: 'custom_sql',
            dimension: 'accuracy',
            observedValue: '6.2%',
            threshold: '< 5%',
            unexpectedCount: 1131,
            unexpectedPercent: 6.2,
            rowsEvaluated: 18250,
            message: '1131 orders delivered after their promised date',
            rawPointer: '/checks/1',
          },
          {
            checkId: 'customers referenced exist',
            name: 'customers referenced exist',
            status: 'error',
            dataset: { name: 'analytics.public.customers' },
            message: 'relation "analytics.public.customers" does not exist',
            rawPointer: '/checks/2',
          },
        ],
        metrics: [
          { dataset, metric: 'rowCount', value: 18250 },
          { dataset, metric: 'nullCount', value: 0, column: 'amount' },
          {
            dataset: { name: 'analytics.public.customers' },
            metric: 'rowCount',
            value: 5120,
            observedAt: '2024-05-06T04:00:20.000Z',
          },
        ],
        updates: [{ dataset, updatedAt: '2024-05-06T03:58:41.000Z' }],
      },
    );
  });

  it('reads a minimal document', () => {
    expect(
      parseQualityResults({ document: load('native_minimal.json') }),
    ).toEqual({
      format: 'native',
      tool: { name: 'unknown' },
      finishedAt: '2024-05-06T10:15:00.000Z',
      checks: [
        {
          checkId: 'export file arrived',
          name: 'export file arrived',
          status: 'pass',
          rawPointer: '/checks/0',
        },
      ],
      metrics: [],
      updates: [],
    });
  });

  it('refuses a malformed document, naming every field', () => {
    expect(() =>
      parseQualityResults({
        document: load('native_malformed.json'),
        format: 'native',
      }),
    ).toThrow(
      new InputError(
        [
          'Invalid data mesh quality results: finishedAt must be a time with a time zone, such as 2024-05-06T10:15:00Z, not "2024-05-06"',
          'dataset.name is required by the quality results v1 schema',
          'checks[0].status must be one of pass, warn, fail, error, skipped, not "ok"',
          'checks[0].unexpectedCount must be >= 0',
          'checks[1].name is required by the quality results v1 schema',
          'checks[1].colour is not a field of the quality results v1 schema',
          'metrics[0].value must be of type number, not "18250"',
        ].join('; '),
      ),
    );
  });

  it('refuses two checks with one id', () => {
    expect(() =>
      parseQualityResults({ document: load('native_duplicate_ids.json') }),
    ).toThrow(
      new InputError(
        'Invalid data mesh quality results: checks[1].name is "amount is never null", the id of checks[0]: give each check a unique id',
      ),
    );
  });

  it('refuses an update of no dataset', () => {
    expect(() =>
      parseQualityResults({
        document: load('native_update_without_dataset.json'),
      }),
    ).toThrow(
      new InputError(
        'Invalid data mesh quality results: updates[0].dataset is required when the document has no dataset',
      ),
    );
  });
});
