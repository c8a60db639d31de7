import { InputError } from '@backstage/errors';
import {
  createSchemaValidator,
  QualityRun,
} from '@backstage-datamesh/plugin-datamesh-common';
import { parseQualityResults } from './parseQualityResults';
import {
  countByStatus,
  fixtureFiles,
  loadFixture,
} from './__testUtils__/fixtures';

const load = (file: string): unknown => loadFixture(`dbt/${file}`);

function parsePair(name: string, withManifest = true): QualityRun {
  return parseQualityResults({
    document: load(`${name}_run_results.json`),
    manifest: withManifest ? load(`${name}_manifest.json`) : undefined,
  });
}

const check = (run: QualityRun, checkId: string) =>
  run.checks.find(c => c.checkId === checkId);

describe('dbt run_results', () => {
  it('covers every run_results and manifest fixture', () => {
    // the tests below read each of these files; schema files are the official schemas
    expect(fixtureFiles('dbt')).toEqual([
      'dbt-core_v4_run_results.json',
      'dbt-core_v6_run_results.json',
      'dbt-schema_manifest_v12.json',
      'dbt-schema_run-results_v6.json',
      'ol-build_manifest.json',
      'ol-build_run_results.json',
      'ol-duckdb_manifest.json',
      'ol-duckdb_run_results.json',
      'ol-fail_manifest.json',
      'ol-fail_run_results.json',
      'ol-no_test_metadata_manifest.json',
      'ol-no_test_metadata_run_results.json',
      'ol-singular_test_manifest.json',
      'ol-singular_test_run_results.json',
      'ol-test_manifest.json',
      'ol-test_run_results.json',
    ]);
  });

  it('reads dbt-core v4 (two models, no manifest): checks and no updates without a relation', () => {
    const run = parseQualityResults({
      document: load('dbt-core_v4_run_results.json'),
    });
    expect(run).toEqual({
      format: 'dbt',
      tool: { name: 'dbt', version: '1.6.7' },
      runId: '42f85a60-4f7b-4cc1-a197-62687104fecc',
      startedAt: '2023-11-06T20:40:37.485Z',
      finishedAt: '2023-11-06T20:40:37.557Z',
      checks: [
        {
          checkId: 'model.test.my_model',
          name: 'my_model',
          status: 'pass',
          checkType: 'model',
          message: 'CREATE VIEW',
          executedAt: '2023-11-06T20:40:37.539Z',
          rawPointer: '/results/0',
        },
        {
          checkId: 'model.test.metricflow_time_spine',
          name: 'metricflow_time_spine',
          status: 'pass',
          checkType: 'model',
          message: 'CREATE VIEW',
          executedAt: '2023-11-06T20:40:37.542Z',
          rawPointer: '/results/1',
        },
      ],
      metrics: [],
      // v4 results carry no relation_name, and there is no manifest
      updates: [],
    });
  });

  it('reads dbt-core v6: models built are updates of their relation_name', () => {
    const run = parseQualityResults({
      document: load('dbt-core_v6_run_results.json'),
    });
    expect(run.tool).toEqual({ name: 'dbt', version: '1.9.0a1' });
    expect(countByStatus(run)).toEqual({ pass: 2 });
    expect(run.finishedAt).toBe('2024-09-24T15:24:36.246Z');
    expect(run.updates).toEqual([
      {
        dataset: {
          name: 'dbt.test17271914717676665882_test_previous_version_state.my_model',
        },
        updatedAt: '2024-09-24T15:24:36.231Z',
      },
      {
        dataset: {
          name: 'dbt.test17271914717676665882_test_previous_version_state.metricflow_time_spine',
        },
        updatedAt: '2024-09-24T15:24:36.232Z',
      },
    ]);
  });

  it('reads ol-test (v2, dbt 0.21): tests tied to their models and sources through the manifest', () => {
    const run = parsePair('ol-test');
    expect(countByStatus(run)).toEqual({ fail: 4, pass: 10 });
    expect(run.finishedAt).toBe('2021-08-23T15:06:44.629Z');
    expect(run.startedAt).toBe('2021-08-23T15:06:20.156Z');
    expect(run.updates).toEqual([]);
    expect(
      check(
        run,
        'test.dbt_bigquery_test.unique_test_first_dbt_model_id.1f3ee5c4a1',
      ),
    ).toEqual({
      checkId:
        'test.dbt_bigquery_test.unique_test_first_dbt_model_id.1f3ee5c4a1',
      name: 'unique_test_first_dbt_model_id',
      status: 'fail',
      dataset: { name: 'random-gcp-project.dbt_test1.test_first_dbt_model' },
      column: 'id',
      checkType: 'unique',
      dimension: 'uniqueness',
      observedValue: 1,
      threshold: 'fail if != 0',
      unexpectedCount: 1,
      message: 'Got 1 result, configured to fail if != 0',
      executedAt: '2021-08-23T15:06:37.522Z',
      rawPointer: '/results/8',
    });
    // a dbt_expectations test keeps its expectation's name as its type
    expect(
      check(
        run,
        'test.dbt_bigquery_test.dbt_expectations_expect_column_median_to_be_between_test_first_dbt_model_id__21__7.98cdd3d9df',
      ),
    ).toMatchObject({
      status: 'fail',
      checkType: 'expect_column_median_to_be_between',
      dimension: 'accuracy',
      unexpectedCount: 6,
    });
    // a test on a source has the source's relation
    expect(
      check(
        run,
        'test.dbt_bigquery_test.source_not_null_dbt_test2_source_table_id.a44e73432a',
      ),
    ).toMatchObject({
      status: 'pass',
      dataset: { name: 'random-gcp-project.dbt_test2.source_table' },
      column: 'id',
      checkType: 'not_null',
      dimension: 'completeness',
      unexpectedCount: 0,
    });
    expect([...new Set(run.checks.map(c => c.dataset?.name))].sort()).toEqual([
      'random-gcp-project.dbt_test1.test_first_dbt_model',
      'random-gcp-project.dbt_test1.test_second_dbt_model',
      'random-gcp-project.dbt_test1.test_second_parallel_dbt_model',
      'random-gcp-project.dbt_test1.test_third_dbt_model',
      'random-gcp-project.dbt_test2.source_table',
    ]);
  });

  it('reads ol-test without its manifest: the same statuses, no datasets', () => {
    const run = parsePair('ol-test', false);
    expect(countByStatus(run)).toEqual({ fail: 4, pass: 10 });
    expect(run.checks.every(c => c.dataset === undefined)).toBe(true);
    expect(run.checks[8]).toEqual({
      checkId:
        'test.dbt_bigquery_test.unique_test_first_dbt_model_id.1f3ee5c4a1',
      name: 'unique_test_first_dbt_model_id',
      status: 'fail',
      observedValue: 1,
      unexpectedCount: 1,
      message: 'Got 1 result, configured to fail if != 0',
      executedAt: '2021-08-23T15:06:37.522Z',
      rawPointer: '/results/8',
    });
  });

  it('reads ol-fail (v2): a model error, a skipped model, and the models built as updates', () => {
    const run = parsePair('ol-fail');
    expect(countByStatus(run)).toEqual({ error: 1, pass: 2, skipped: 1 });
    expect(run.checks[0]).toEqual({
      checkId: 'model.dbt_bigquery_test.test_second_parallel_dbt_model',
      name: 'test_second_parallel_dbt_model',
      status: 'error',
      dataset: {
        name: 'random-gcp-project.dbt_test1.test_second_parallel_dbt_model',
      },
      checkType: 'model',
      message:
        'Database Error in model test_second_parallel_dbt_model (models/example/test_second_parallel_dbt_model.sql)\n  Syntax error: Expected end of input but got identifier "bork" at [9:1]\n  compiled SQL at target/run/dbt_bigquery_test/models/example/test_second_parallel_dbt_model.sql',
      rawPointer: '/results/0',
    });
    expect(run.checks[3]).toMatchObject({
      checkId: 'model.dbt_bigquery_test.test_third_dbt_model',
      status: 'skipped',
      dataset: { name: 'random-gcp-project.dbt_test1.test_third_dbt_model' },
    });
    // only the models that were built successfully are updates
    expect(run.updates).toEqual([
      {
        dataset: { name: 'random-gcp-project.dbt_test1.test_first_dbt_model' },
        updatedAt: '2021-07-28T12:09:47.994Z',
      },
      {
        dataset: { name: 'random-gcp-project.dbt_test1.test_second_dbt_model' },
        updatedAt: '2021-07-28T12:09:48.778Z',
      },
    ]);
  });

  it('reads ol-build (v3): a model, tests and a snapshot in one run', () => {
    const run = parsePair('ol-build');
    expect(countByStatus(run)).toEqual({ pass: 5 });
    expect(run.checks.map(c => c.checkType)).toEqual([
      'model',
      'expect_column_median_to_be_between',
      'expect_column_quantile_values_to_be_between',
      'unique',
      'snapshot',
    ]);
    expect(run.checks[1]).toMatchObject({
      dataset: { name: 'random-gcp-project.dbt_test1.test_first_dbt_model' },
      column: 'id',
      unexpectedCount: 0,
    });
    expect(run.updates).toEqual([
      {
        dataset: { name: 'random-gcp-project.dbt_test1.test_first_dbt_model' },
        updatedAt: '2021-11-09T14:20:04.470Z',
      },
      {
        dataset: { name: 'random-gcp-project.dbt_test1.orders_snapshot' },
        updatedAt: '2023-04-16T21:45:03.836Z',
      },
    ]);
  });

  it('reads ol-singular_test (v5): singular tests, and a status that disagrees with the severity', () => {
    const run = parsePair('ol-singular_test');
    expect(countByStatus(run)).toEqual({ pass: 1, fail: 1 });
    expect(run.finishedAt).toBe('2024-01-15T10:00:00.000Z');
    // the fixture's timings start after its generated_at: no startedAt rather than a wrong one
    expect(run.startedAt).toBeUndefined();
    // the manifest configures severity warn and the message says "configured to warn", but dbt
    // wrote status fail: the status is what dbt decided (and exited with), so it is kept
    expect(run.checks[1]).toEqual({
      checkId: 'test.my_project.assert_row_count_within_range',
      name: 'assert_row_count_within_range',
      status: 'fail',
      observedValue: 5,
      threshold: 'warn if != 0',
      unexpectedCount: 5,
      message: 'Got 5 results, configured to warn if > 0',
      executedAt: '2024-01-15T10:00:03.000Z',
      rawPointer: '/results/1',
    });
  });

  it('reads ol-no_test_metadata (v5): failures as a string, and a result without a unique_id', () => {
    const run = parsePair('ol-no_test_metadata');
    expect(countByStatus(run)).toEqual({ fail: 2, pass: 19 });
    expect(run.checks[0]).toMatchObject({
      checkId: 'test.jaffle_shop.unique_customers_customer_id.d48e126d80',
      status: 'fail',
      dataset: { name: 'DEMO_DB.public.customers' },
      unexpectedCount: 1,
      message: 'Test failure',
    });
    // failures: "Test failure" and message: null: no count, the string as the message
    expect(run.checks[1]).toEqual({
      checkId: 'test.jaffle_shop.not_null_customers_customer_id.923d2d910a',
      name: 'not_null_customers_customer_id',
      status: 'fail',
      dataset: { name: 'DEMO_DB.public.customers' },
      column: 'customer_id',
      checkType: 'not_null',
      dimension: 'completeness',
      threshold: 'fail if != 0',
      message: 'Test failure',
      executedAt: '2021-07-05T11:43:17.218Z',
      rawPointer: '/results/1',
    });
    // failures: null on a pass: no count either
    expect(run.checks[2].unexpectedCount).toBeUndefined();
    // a relationships test depends on two models: it tests the one it is named after
    expect(
      check(
        run,
        'test.jaffle_shop.relationships_orders_customer_id__customer_id__ref_customers_.e153c026e4',
      ),
    ).toMatchObject({
      dataset: { name: 'DEMO_DB.public.orders' },
      column: 'customer_id',
      checkType: 'relationships',
      dimension: 'consistency',
    });
    // unique_id "": the result is kept, with its JSON pointer as its id
    expect(run.checks[20]).toEqual({
      checkId: '/results/20',
      name: 'dbt result 20 without a unique_id',
      status: 'pass',
      message: 'SUCCESS 1',
      executedAt: '2021-07-05T11:43:24.406Z',
      rawPointer: '/results/20',
    });
  });

  it('reads ol-duckdb (v6): a model tied to its relation through the manifest', () => {
    const run = parsePair('ol-duckdb');
    expect(run).toEqual({
      format: 'dbt',
      tool: { name: 'dbt', version: '1.8.9' },
      runId: 'd205f9ce-0e55-4a5f-9f69-bfa170867a41',
      startedAt: '2024-11-27T23:49:47.204Z',
      finishedAt: '2024-11-27T23:49:47.252Z',
      checks: [
        {
          checkId: 'model.jaffle_shop.customers',
          name: 'customers',
          status: 'pass',
          dataset: { name: 'jaffle_shop.main.customers' },
          checkType: 'model',
          message: 'OK',
          executedAt: '2024-11-27T23:49:47.240Z',
          rawPointer: '/results/0',
        },
      ],
      metrics: [],
      updates: [
        {
          dataset: { name: 'jaffle_shop.main.customers' },
          updatedAt: '2024-11-27T23:49:47.240Z',
        },
      ],
    });
  });

  it('maps every dbt status, partial success as warn with its message', () => {
    const base = load('dbt-core_v6_run_results.json') as {
      results: Array<Record<string, unknown>>;
    };
    const statuses = [
      'pass',
      'warn',
      'fail',
      'error',
      'runtime error',
      'skipped',
      'success',
      'partial success',
      'no-op',
    ];
    const document = {
      ...base,
      results: statuses.map((status, i) => ({
        ...base.results[0],
        unique_id: `test.p.t${i}`,
        status,
        message: status === 'partial success' ? '2 of 3 batches built' : null,
      })),
    };
    const run = parseQualityResults({ document });
    expect(run.checks.map(c => c.status)).toEqual([
      'pass',
      'warn',
      'fail',
      'error',
      'error',
      'skipped',
      'pass',
      'warn',
      'skipped',
    ]);
    expect(run.checks[7].message).toBe('2 of 3 batches built');
  });

  it('refuses run_results older than v2, naming the version', () => {
    const document = load('dbt-core_v4_run_results.json') as {
      metadata: Record<string, unknown>;
    };
    expect(() =>
      parseQualityResults({
        document: {
          ...document,
          metadata: {
            ...document.metadata,
            dbt_schema_version:
              'https://schemas.getdbt.com/dbt/run-results/v1.json',
          },
        },
      }),
    ).toThrow(
      new InputError(
        'Invalid dbt run_results: metadata.dbt_schema_version is run-results v1 (dbt 0.19 or older), which is not supported: dbt run_results v2 (dbt 0.20) and later are read',
      ),
    );
  });

  it('reads a later schema version as long as its fields are the same', () => {
    const document = load('dbt-core_v6_run_results.json') as {
      metadata: Record<string, unknown>;
    };
    const run = parseQualityResults({
      document: {
        ...document,
        metadata: {
          ...document.metadata,
          dbt_schema_version:
            'https://schemas.getdbt.com/dbt/run-results/v7.json',
        },
      },
    });
    expect(run.checks).toHaveLength(2);
  });

  it('names the field of a wrong run_results or manifest', () => {
    const document = load('dbt-core_v6_run_results.json') as {
      metadata: Record<string, unknown>;
      results: Array<Record<string, unknown>>;
    };
    const cases: Array<[unknown, unknown, string]> = [
      [
        {
          ...document,
          results: [{ ...document.results[0], status: undefined }],
        },
        undefined,
        'Invalid dbt run_results: results[0].status is required',
      ],
      [
        {
          ...document,
          results: [{ ...document.results[0], status: 'exploded' }],
        },
        undefined,
        'Invalid dbt run_results: results[0].status must be one of pass, success, warn, partial success, fail, error, runtime error, skipped, no-op, not "exploded"',
      ],
      [
        { ...document, results: [{ ...document.results[0], failures: [] }] },
        undefined,
        'Invalid dbt run_results: results[0].failures must be a number of failing rows, a string or null',
      ],
      [
        {
          ...document,
          results: [
            {
              ...document.results[0],
              timing: [{ name: 'execute', completed_at: '2024-09-24 15:24' }],
            },
          ],
        },
        undefined,
        'Invalid dbt run_results: results[0].timing[0].completed_at must be a time with a time zone, such as 2024-05-06T10:15:00Z, not "2024-09-24 15:24"',
      ],
      [
        { ...document, results: {} },
        undefined,
        'Invalid dbt run_results: results must be an array, not an object',
      ],
      [
        {
          ...document,
          metadata: { ...document.metadata, generated_at: undefined },
        },
        undefined,
        'Invalid dbt run_results: metadata.generated_at is required',
      ],
      [
        document,
        load('ol-duckdb_run_results.json'),
        'Invalid dbt manifest: manifest.metadata.dbt_schema_version must name a dbt manifest schema (such as https://schemas.getdbt.com/dbt/manifest/v12.json), not "https://schemas.getdbt.com/dbt/run-results/v6.json"',
      ],
      [
        document,
        {
          metadata: {
            dbt_schema_version:
              'https://schemas.getdbt.com/dbt/manifest/v12.json',
          },
        },
        'Invalid dbt manifest: manifest.nodes is required',
      ],
      [
        document,
        [],
        'Invalid dbt manifest: manifest must be an object, not an array',
      ],
    ];
    for (const [doc, manifest, message] of cases) {
      expect(() =>
        parseQualityResults({ document: doc, format: 'dbt', manifest }),
      ).toThrow(new InputError(message));
    }
  });

  it('does not apply the official v6 schema, which refuses real v4 and v5 documents', () => {
    const v6 = createSchemaValidator(
      load('dbt-schema_run-results_v6.json') as object,
      {
        standard: 'dbt run-results v6',
      },
    );
    expect(v6.validate(load('dbt-core_v6_run_results.json'))).toEqual([]);
    expect(
      v6.validate(load('dbt-core_v4_run_results.json')).map(p => p.message),
    ).toEqual(
      expect.arrayContaining([
        'results[0].compiled is required by the dbt run-results v6 schema',
        'results[0].relation_name is required by the dbt run-results v6 schema',
      ]),
    );
    expect(
      v6
        .validate(load('ol-no_test_metadata_run_results.json'))
        .map(p => p.path),
    ).toContain('results[1].failures');
    // all three are read
    for (const file of [
      'dbt-core_v4_run_results.json',
      'dbt-core_v6_run_results.json',
      'ol-no_test_metadata_run_results.json',
    ]) {
      expect(
        parseQualityResults({ document: load(file) }).checks.length,
      ).toBeGreaterThan(0);
    }
  });
});
