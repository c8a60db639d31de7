import { InputError } from '@backstage/errors';
import { parseQualityResults } from './parseQualityResults';
import {
  countByStatus,
  fixtureFiles,
  loadFixture,
} from './__testUtils__/fixtures';

const load = (file: string): Record<string, unknown> =>
  loadFixture(`great-expectations/${file}`);
const parse = (file: string) =>
  parseQualityResults({ document: load(file), format: 'great-expectations' });

describe('Great Expectations results', () => {
  it('covers every fixture', () => {
    expect(fixtureFiles('great-expectations')).toEqual([
      'correlator-ge_checkpoint_result_failure.json',
      'correlator-ge_checkpoint_result_multiple.json',
      'gx0.18_BasicDatasetProfiler_evrs.json',
      'gx0.18_ValidationOperatorResult_with_multiple_validation_results.json',
      'gx0.18_titanic_expected_data_asset_validate_results.json',
      'gx0.18_upgrade_helper_c3b4c5df224fef4b1a056a0f3b93aba5.json',
      'gx1_BasicDatasetProfiler_evrs.json',
      'gx1_BasicDatasetProfiler_evrs_with_exception.json',
      'gx1_datetime_column_evrs.json',
      'gx1_titanic_expected_data_asset_validate_results_with_exceptions.json',
    ]);
  });

  it('reads the 0.x titanic validation result: the failing expectation with every field', () => {
    const run = parse(
      'gx0.18_titanic_expected_data_asset_validate_results.json',
    );
    expect(countByStatus(run)).toEqual({ pass: 9, fail: 1 });
    expect(run.finishedAt).toBe('1955-11-05T00:00:00.000Z');
    expect(run.runId).toBe('1955-11-05T00:00:00.000Z');
    expect(run.tool).toEqual({ name: 'great-expectations' });
    const failing = run.checks.find(c => c.status === 'fail');
    expect(failing).toEqual({
      checkId: expect.stringMatching(
        /^titanic:expect_column_values_to_be_in_set:[0-9a-f]{12}$/,
      ),
      name: 'expect_column_values_to_be_in_set(PClass)',
      status: 'fail',
      column: 'PClass',
      checkType: 'expect_column_values_to_be_in_set',
      dimension: 'validity',
      threshold: 'in ["1st","2nd","3rd"]',
      unexpectedCount: 1,
      unexpectedPercent: 0.07616146230007616,
      rowsEvaluated: 1313,
      rawPointer: '/results/3',
    });
    expect(run.checks[1]).toMatchObject({
      status: 'pass',
      threshold: 'matches [A-Z][a-z]+(?: \\([A-Z][a-z]+\\))?, , mostly 0.95',
      unexpectedCount: 3,
    });
    expect(run.metrics).toContainEqual({
      metric: 'nullCount',
      value: 0,
      column: 'Name',
    });
  });

  it('reads the 1.x titanic result: an expectation that raised an exception is an error, not a failure', () => {
    const run = parse(
      'gx1_titanic_expected_data_asset_validate_results_with_exceptions.json',
    );
    expect(countByStatus(run)).toEqual({ pass: 6, error: 4 });
    expect(run.checks[5]).toEqual({
      checkId: expect.stringMatching(
        /^titanic:expect_column_mean_to_be_between:[0-9a-f]{12}$/,
      ),
      name: 'expect_column_mean_to_be_between(Age)',
      status: 'error',
      column: 'Age',
      checkType: 'expect_column_mean_to_be_between',
      dimension: 'accuracy',
      threshold: 'between 20 and 40',
      message: expect.stringMatching(
        /^InvalidCacheValueError: Invalid result values were found/,
      ),
      rawPointer: '/results/5',
    });
    // an error is not measured: no metric from it
    expect(run.metrics).toEqual([]);
  });

  it('gives the same check ids to the same expectations in both key styles', () => {
    const old = parse('gx0.18_BasicDatasetProfiler_evrs.json');
    const current = parse('gx1_BasicDatasetProfiler_evrs.json');
    expect(countByStatus(old)).toEqual({ pass: 43, fail: 8 });
    expect(current.checks).toEqual(old.checks);
    expect(current.finishedAt).toBe('2020-03-22T17:02:47.671Z');
    expect(current.tool).toEqual({
      name: 'great-expectations',
      version: '0.9.7+17.g02805059.dirty',
    });
    expect(current.checks[0]).toEqual({
      checkId: expect.stringMatching(
        /^default:expect_table_row_count_to_be_between:[0-9a-f]{12}$/,
      ),
      name: 'expect_table_row_count_to_be_between',
      status: 'pass',
      checkType: 'expect_table_row_count_to_be_between',
      dimension: 'volume',
      observedValue: 1313,
      threshold: '>= 0',
      rawPointer: '/results/0',
    });
    expect(current.checks[1].observedValue).toBe(
      '["Unnamed: 0","Name","PClass","Age","Sex","Survived","SexCode"]',
    );
    expect(current.metrics[0]).toEqual({ metric: 'rowCount', value: 1313 });
  });

  it('refuses a result with no time of the run, naming where it looked', () => {
    const message =
      'Invalid Great Expectations result: meta has no time of the run: validation_time, run_id.run_time and batch_markers.ge_load_time are all missing or not times';
    // run_id "__run_id_fixture__" is not a time, and there is no validation_time
    expect(() =>
      parse('gx1_BasicDatasetProfiler_evrs_with_exception.json'),
    ).toThrow(new InputError(message));
    // meta.run_time is not a field of GX's validation result meta
    expect(() => parse('gx1_datetime_column_evrs.json')).toThrow(
      new InputError(message),
    );
  });

  it('reads the exception of BasicDatasetProfiler_evrs_with_exception once it has a time', () => {
    const document = load('gx1_BasicDatasetProfiler_evrs_with_exception.json');
    const run = parseQualityResults({
      document: {
        ...document,
        meta: {
          ...(document.meta as object),
          validation_time: '20200322T170247.671855Z',
        },
      },
    });
    expect(countByStatus(run)).toEqual({ pass: 42, fail: 8, error: 1 });
    expect(run.checks[31]).toMatchObject({
      status: 'error',
      checkType: 'expect_column_kl_divergence_to_be_less_than',
      message: 'Invalid partition object.',
    });
    // its batch_kwargs path as the dataset, a file as OpenLineage names files
    expect(run.checks[31].dataset).toEqual({
      namespace: 'file',
      name: 'project_dir/project_path/data/titanic/Titanic.csv',
    });
  });

  it('reads datetime_column_evrs once it has a time: types as schema checks', () => {
    const document = load('gx1_datetime_column_evrs.json');
    const run = parseQualityResults({
      document: {
        ...document,
        meta: {
          ...(document.meta as object),
          run_id: '20200322T170247.671855Z',
        },
      },
    });
    expect(
      run.checks.map(c => [
        c.status,
        c.column,
        c.dimension,
        c.threshold,
        c.observedValue,
      ]),
    ).toEqual([
      ['pass', 'ts', 'schema', 'type DATETIME', 'DATETIME'],
      [
        'pass',
        'received_ts',
        'schema',
        'type in ["DATETIME","TIMESTAMP"]',
        'DATETIME',
      ],
    ]);
  });

  it('reads the stored 0.10 validation result whose results are empty as a run of no checks', () => {
    // its statistics claim 12 evaluated expectations: statistics are not read, results are
    const run = parse(
      'gx0.18_upgrade_helper_c3b4c5df224fef4b1a056a0f3b93aba5.json',
    );
    expect(run).toEqual({
      format: 'great-expectations',
      tool: { name: 'great-expectations', version: '0.10.5' },
      finishedAt: '2020-04-30T19:12:46.763Z',
      checks: [],
      metrics: [],
      updates: [],
    });
  });

  it('reads the 0.x validation operator result: two validations of the same suite', () => {
    const run = parse(
      'gx0.18_ValidationOperatorResult_with_multiple_validation_results.json',
    );
    expect(countByStatus(run)).toEqual({ pass: 18, fail: 4 });
    expect(run.runId).toBe('getest run@2020-07-27T17:19:32.959Z');
    expect(run.startedAt).toBe('2020-07-27T17:19:32.959Z');
    expect(run.finishedAt).toBe('2020-07-27T17:19:32.962Z');
    expect(run.checks[0]).toEqual({
      checkId: expect.stringMatching(
        /^basic\.warning:expect_table_row_count_to_be_between:[0-9a-f]{12}$/,
      ),
      name: 'expect_table_row_count_to_be_between',
      status: 'fail',
      checkType: 'expect_table_row_count_to_be_between',
      dimension: 'volume',
      observedValue: 30,
      threshold: 'between 27000 and 33000',
      executedAt: '2020-07-27T17:19:32.962Z',
      rawPointer:
        '/run_results/ValidationResultIdentifier::basic~1warning~1getest run~120200727T171932.959193Z~14e0d84813237541d5dbb9f8af649a7ef/validation_result/results/0',
    });
    // the second validation's same expectations get distinct ids
    expect(run.checks[11].checkId).toBe(`${run.checks[0].checkId}#2`);
    expect(new Set(run.checks.map(c => c.checkId)).size).toBe(22);
  });

  it('reads the correlator-ge 1.10 checkpoint results: data assets as datasets, null counts', () => {
    const failure = parse('correlator-ge_checkpoint_result_failure.json');
    expect(countByStatus(failure)).toEqual({ fail: 6 });
    expect(failure.runId).toBe('test-failure-run@2026-01-20T12:57:48.977Z');
    expect(failure.tool).toEqual({
      name: 'great-expectations',
      version: '1.10.0',
    });
    expect(failure.checks[0]).toEqual({
      checkId: expect.stringMatching(
        /^taxi_dirty:expect_column_values_to_not_be_null:[0-9a-f]{12}$/,
      ),
      name: 'expect_column_values_to_not_be_null(vendor_id)',
      status: 'fail',
      dataset: { name: 'taxi_dirty' },
      column: 'vendor_id',
      checkType: 'expect_column_values_to_not_be_null',
      dimension: 'completeness',
      rawPointer:
        '/run_results/taxi_expectations::test-failure-run::taxi_datasource-taxi_dirty/validation_result/results/0',
    });

    const multiple = parse('correlator-ge_checkpoint_result_multiple.json');
    expect(countByStatus(multiple)).toEqual({ pass: 6, fail: 6 });
    expect(multiple.finishedAt).toBe('2026-01-20T12:57:48.999Z');
    expect(
      Object.fromEntries(
        ['taxi_clean', 'taxi_dirty'].map(asset => [
          asset,
          countByStatus({
            ...multiple,
            checks: multiple.checks.filter(c => c.dataset?.name === asset),
          }),
        ]),
      ),
    ).toEqual({ taxi_clean: { pass: 6 }, taxi_dirty: { fail: 6 } });
  });

  it('reads the 1.x shapes: run_results of validation results, expectation ids, severity, metric-keyed exceptions', () => {
    const result = (success: boolean, extra: object = {}) => ({
      success,
      expectation_config: {
        type: 'expect_column_values_to_not_be_null',
        kwargs: { batch_id: 'pg-orders', column: 'amount', mostly: 0.99 },
        id: '5c1e7e04-5f4c-4b2c-a5b4-0b1a3b1c2d3e',
        ...extra,
      },
      result: {
        element_count: 200,
        unexpected_count: 4,
        unexpected_percent: 2,
      },
      meta: {},
    });
    const run = parseQualityResults({
      document: {
        success: false,
        run_id: { run_name: 'nightly', run_time: '2024-05-06T01:00:00+00:00' },
        checkpoint_config: { name: 'orders' },
        run_results: {
          'orders_suite::nightly::pg-orders': {
            success: false,
            suite_name: 'orders_suite',
            results: [
              result(false),
              result(false, { severity: 'warning', id: 'b' }),
              {
                ...result(false, { id: 'c' }),
                exception_info: {
                  "('column_values.nonnull.unexpected_count', 'abc', ())": {
                    raised_exception: true,
                    exception_message: 'relation "orders" does not exist',
                    exception_traceback: '...',
                  },
                },
              },
            ],
            statistics: {},
            meta: {
              great_expectations_version: '1.3.0',
              batch_spec: { table_name: 'orders', schema_name: 'public' },
              active_batch_definition: { data_asset_name: 'orders_asset' },
              validation_time: '20240506T010002.500000Z',
            },
          },
        },
      },
    });
    expect(run.finishedAt).toBe('2024-05-06T01:00:02.500Z');
    expect(run.startedAt).toBe('2024-05-06T01:00:00.000Z');
    expect(run.runId).toBe('nightly@2024-05-06T01:00:00.000Z');
    expect(run.checks[0]).toEqual({
      checkId:
        'orders_suite:public.orders:5c1e7e04-5f4c-4b2c-a5b4-0b1a3b1c2d3e',
      name: 'expect_column_values_to_not_be_null(amount)',
      status: 'fail',
      dataset: { name: 'public.orders' },
      column: 'amount',
      checkType: 'expect_column_values_to_not_be_null',
      dimension: 'completeness',
      threshold: 'mostly 0.99',
      unexpectedCount: 4,
      unexpectedPercent: 2,
      rowsEvaluated: 200,
      rawPointer: '/run_results/orders_suite::nightly::pg-orders/results/0',
    });
    expect(run.checks.map(c => c.status)).toEqual(['fail', 'warn', 'error']);
    expect(run.checks[2].message).toBe('relation "orders" does not exist');
  });

  it('names the field of a wrong result', () => {
    const titanic = load(
      'gx0.18_titanic_expected_data_asset_validate_results.json',
    );
    const results = titanic.results as Array<Record<string, unknown>>;
    const cases: Array<[unknown, string]> = [
      [
        {
          ...titanic,
          results: [{ ...results[0], expectation_config: undefined }],
        },
        'results[0].expectation_config is required',
      ],
      [
        {
          ...titanic,
          results: [{ ...results[0], expectation_config: { kwargs: {} } }],
        },
        'results[0].expectation_config.type is required (expectation_config.type in GX 1.x, expectation_config.expectation_type in 0.x)',
      ],
      [
        { ...titanic, results: [{ ...results[0], success: 'yes' }] },
        'results[0].success must be true or false, not "yes"',
      ],
      [
        { ...titanic, results: [{ ...results[3], success: undefined }] },
        'results[0].success is required',
      ],
      [
        {
          ...titanic,
          results: [{ ...results[3], result: { unexpected_count: '1' } }],
        },
        'results[0].result.unexpected_count must be a number, not "1"',
      ],
      [{ ...titanic, results: 'none' }, 'results must be an array, not "none"'],
      [
        { ...titanic, meta: { validation_time: 'yesterday' } },
        'meta.validation_time must be a time with a time zone, such as 2024-05-06T10:15:00Z, not "yesterday"',
      ],
      [
        { success: true, run_id: {}, run_results: {} },
        'run_results must have at least one validation result',
      ],
      [
        { success: true, run_results: { a: [] } },
        'run_results.a must be an object, not an array',
      ],
    ];
    for (const [document, message] of cases) {
      expect(() =>
        parseQualityResults({ document, format: 'great-expectations' }),
      ).toThrow(
        new InputError(`Invalid Great Expectations result: ${message}`),
      );
    }
  });
});
