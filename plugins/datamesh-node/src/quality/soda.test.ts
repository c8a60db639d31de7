import { InputError } from '@backstage/errors';
import { parseQualityResults } from './parseQualityResults';
import { fixtureFiles, loadFixture } from './__testUtils__/fixtures';

const load = (file: string): Record<string, unknown> =>
  loadFixture(`soda/${file}`);

describe('Soda scan results', () => {
  it('covers every scan results capture (the other soda fixtures are check definitions)', () => {
    expect(fixtureFiles('soda').filter(f => f.startsWith('soda-v3_'))).toEqual([
      'soda-v3_get_scan_results.json',
      'soda-v3_scan_results_srf.json',
    ]);
  });

  it('reads soda scan -srf: pass, warn and fail checks, metrics and the freshness update', () => {
    const run = parseQualityResults({
      document: load('soda-v3_scan_results_srf.json'),
    });
    expect({ ...run, checks: undefined }).toEqual({
      format: 'soda',
      tool: { name: 'soda-core', version: '3.5.6' },
      startedAt: '2024-05-06T02:00:04.000Z',
      finishedAt: '2024-05-06T02:00:09.000Z',
      checks: undefined,
      metrics: [
        {
          dataset: { name: 'customers' },
          metric: 'missing_percent',
          value: 2.4,
          column: 'phone',
        },
        { dataset: { name: 'customers' }, metric: 'rowCount', value: 1250 },
        {
          dataset: { name: 'customers' },
          metric: 'missing_count',
          value: 3,
          column: 'email',
        },
        {
          dataset: { name: 'customers' },
          metric: 'duplicate_count',
          value: 0,
          column: 'customer_id',
        },
        // missing_count(phone) is a dependency of missing_percent(phone), owned by no check
        { metric: 'missing_count', value: 30 },
      ],
      updates: [
        {
          dataset: { name: 'customers' },
          updatedAt: '2024-05-05T22:30:00.000Z',
        },
      ],
    });
    expect(
      run.checks.map(c => [
        c.name,
        c.status,
        c.checkType,
        c.dimension,
        c.threshold,
      ]),
    ).toEqual([
      ['row_count > 0', 'pass', 'row_count', 'volume', '> 0'],
      [
        'missing_count(email) = 0',
        'fail',
        'missing_count',
        'completeness',
        '= 0',
      ],
      [
        'duplicate_count(customer_id) = 0',
        'pass',
        'duplicate_count',
        'uniqueness',
        '= 0',
      ],
      ['freshness(updated_at) < 1d', 'pass', 'freshness', 'freshness', '< 1d'],
      [
        'missing_percent(phone) warn when > 1% fail when > 10%',
        'warn',
        'missing_percent',
        'completeness',
        'warn when > 1%; fail when > 10%',
      ],
    ]);
    expect(run.checks[1]).toEqual({
      checkId: '1596a6ca',
      name: 'missing_count(email) = 0',
      status: 'fail',
      dataset: { name: 'customers' },
      column: 'email',
      checkType: 'missing_count',
      dimension: 'completeness',
      observedValue: 3,
      threshold: '= 0',
      unexpectedCount: 3,
      rawPointer: '/checks/1',
    });
    expect(run.checks[4]).toMatchObject({
      observedValue: 2.4,
      unexpectedPercent: 2.4,
    });
    // freshness is measured in milliseconds
    expect(run.checks[3].observedValue).toBe(12604123);
  });

  it('reads scan.get_scan_results(): the reference check as consistency, a warn on row count', () => {
    const run = parseQualityResults({
      document: load('soda-v3_get_scan_results.json'),
      format: 'soda',
    });
    expect(run.finishedAt).toBe('2024-05-06T03:15:02.000Z');
    expect(
      run.checks.map(c => [c.status, c.checkType, c.dimension, c.threshold]),
    ).toEqual([
      ['warn', 'row_count', 'volume', 'warn when < 1000; fail when < 10'],
      ['pass', 'invalid_count', 'validity', '= 0'],
      ['pass', 'duplicate_count', 'uniqueness', '= 0'],
      ['fail', 'reference', 'consistency', undefined],
    ]);
    expect(run.checks[3]).toEqual({
      checkId: run.checks[3].checkId,
      name: 'values in (customer_id) must exist in customers (customer_id)',
      status: 'fail',
      dataset: { name: 'orders' },
      checkType: 'reference',
      dimension: 'consistency',
      observedValue: 2,
      rawPointer: '/checks/3',
    });
    expect(run.checks[3].checkId).toMatch(/^[0-9a-f]{8}$/);
    expect(run.metrics).toContainEqual({
      dataset: { name: 'orders' },
      metric: 'rowCount',
      value: 640,
    });
    expect(run.updates).toEqual([]);
  });

  it('reads a check Soda reports without an outcome as an error, with its reasons', () => {
    const document = load('soda-v3_scan_results_srf.json');
    const checks = document.checks as Array<Record<string, unknown>>;
    const run = parseQualityResults({
      document: {
        ...document,
        checks: [
          {
            ...checks[0],
            outcome: null,
            outcomeReasons: [
              {
                code: 'notEnoughHistory',
                message:
                  'Skipping schema checks since there is no historic schema metrics!',
                severity: 'warn',
              },
            ],
          },
        ],
      },
    });
    expect(run.checks[0]).toMatchObject({
      status: 'error',
      message:
        'Skipping schema checks since there is no historic schema metrics!',
    });
  });

  it('names the field of wrong scan results', () => {
    const document = load('soda-v3_scan_results_srf.json');
    const checks = document.checks as Array<Record<string, unknown>>;
    const cases: Array<[unknown, string]> = [
      [{ ...document, scanEndTimestamp: null }, 'scanEndTimestamp is required'],
      [
        { ...document, scanEndTimestamp: '2024-05-06T02:00:09' },
        'scanEndTimestamp must be a time with a time zone, such as 2024-05-06T10:15:00Z, not "2024-05-06T02:00:09"',
      ],
      [
        { ...document, checks: [{ ...checks[0], outcome: 'passed' }] },
        'checks[0].outcome must be pass, warn, fail or null, not "passed"',
      ],
      [
        { ...document, checks: [{ ...checks[0], identity: 7 }] },
        'checks[0].identity must be a string, not 7',
      ],
      [
        { ...document, checks: [{ ...checks[0], diagnostics: [] }] },
        'checks[0].diagnostics must be an object, not an array',
      ],
      [
        {
          ...document,
          checks: [checks[3]].map(c => ({
            ...c,
            diagnostics: {
              ...(c.diagnostics as object),
              maxColumnTimestampUtc: 'yesterday',
            },
          })),
        },
        'checks[0].diagnostics.maxColumnTimestampUtc must be a time with a time zone, not "yesterday"',
      ],
      [
        { ...document, metrics: [{ identity: 'x' }] },
        'metrics[0].metricName is required',
      ],
    ];
    for (const [doc, message] of cases) {
      expect(() =>
        parseQualityResults({ document: doc, format: 'soda' }),
      ).toThrow(new InputError(`Invalid Soda scan results: ${message}`));
    }
  });
});
