import { NATIVE_QUALITY_RESULTS_FORMAT } from '@backstage-datamesh/plugin-datamesh-common';
import { parseQualityResults } from './parseQualityResults';
import { loadFixture } from './__testUtils__/fixtures';

/*
 * OpenLineage events are not parsed yet. These tests show that the model, through the suite's own
 * format, carries everything the OpenLineage data quality facets hold, with the mapping the
 * OpenLineage reader will use.
 */

const load = <T>(file: string): T => loadFixture<T>(`openlineage/${file}`);

type Assertion = {
  assertion: string;
  success: boolean;
  column?: string;
  severity?: string;
  name?: string;
  description?: string;
  expected?: string;
  actual?: string;
};

type Facets = {
  dataQualityAssertions?: { assertions: Assertion[] };
  dataQualityMetrics?: Metrics;
};

type Metrics = {
  rowCount?: number;
  bytes?: number;
  fileCount?: number;
  lastUpdated?: string;
  columnMetrics: Record<
    string,
    Record<string, number | Record<string, number>>
  >;
};

/** An assertion's status: a failed assertion of severity `warn` is a warning. */
function statusOf(assertion: Assertion): string {
  if (assertion.success) {
    return 'pass';
  }
  return assertion.severity === 'warn' ? 'warn' : 'fail';
}

/** The facets of one dataset as a document of the suite's format. */
function asNativeDocument(
  dataset: { namespace: string; name: string },
  eventTime: string,
  facets: Facets,
) {
  const metrics = facets.dataQualityMetrics;
  return {
    format: NATIVE_QUALITY_RESULTS_FORMAT,
    tool: { name: 'openlineage' },
    finishedAt: eventTime,
    dataset,
    checks: (facets.dataQualityAssertions?.assertions ?? []).map(a => ({
      id: [a.name ?? a.assertion, a.column].filter(Boolean).join(':'),
      name: a.name ?? [a.assertion, a.column].filter(Boolean).join(' on '),
      status: statusOf(a),
      type: a.assertion,
      ...(a.column && { column: a.column }),
      ...(a.expected && { threshold: a.expected }),
      ...(a.actual && { observedValue: a.actual }),
      ...(a.description && { message: a.description }),
    })),
    metrics: metrics
      ? [
          ...(['rowCount', 'bytes', 'fileCount'] as const)
            .filter(m => metrics[m] !== undefined)
            .map(m => ({ metric: m, value: metrics[m] })),
          ...Object.entries(metrics.columnMetrics).flatMap(([column, values]) =>
            Object.entries(values).flatMap(([metric, value]) =>
              typeof value === 'number'
                ? [{ metric, value, column }]
                : Object.entries(value).map(([q, v]) => ({
                    metric: `quantile:${q}`,
                    value: v,
                    column,
                  })),
            ),
          ),
        ]
      : [],
    updates: metrics?.lastUpdated ? [{ updatedAt: metrics.lastUpdated }] : [],
  };
}

describe('the OpenLineage data quality facets in the model', () => {
  const dataset = { namespace: 'bigquery', name: 'project.dataset.table' };

  it('carries dataQualityMetrics: row count, file count, column metrics, last update', () => {
    const facet = load<Facets>(
      'spec-tests_DataQualityMetricsInputDatasetFacet_1.json',
    );
    const run = parseQualityResults({
      document: asNativeDocument(dataset, '2023-05-30T11:00:00Z', facet),
    });
    expect(run.metrics).toEqual([
      { dataset, metric: 'rowCount', value: 10 },
      { dataset, metric: 'fileCount', value: 5 },
      { dataset, metric: 'count', value: 10, column: 'amount' },
      { dataset, metric: 'max', value: 1500, column: 'amount' },
      { dataset, metric: 'min', value: 100, column: 'amount' },
      { dataset, metric: 'sum', value: 6600, column: 'amount' },
      { dataset, metric: 'nullCount', value: 0, column: 'counterparty_id' },
      { dataset, metric: 'distinctCount', value: 3, column: 'user_id' },
      { dataset, metric: 'nullCount', value: 0, column: 'user_id' },
    ]);
    expect(run.updates).toEqual([
      { dataset, updatedAt: '2023-05-30T10:54:22.355Z' },
    ]);
  });

  it('carries dataQualityAssertions: assertion, success, column, and dbt severity, expected, actual', () => {
    const facet = load<Facets>(
      'spec-tests_DataQualityAssertionsDatasetFacet_1.json',
    );
    const run = parseQualityResults({
      document: asNativeDocument(dataset, '2023-05-30T11:00:00Z', facet),
    });
    expect(run.checks).toHaveLength(10);
    expect(run.checks[8]).toEqual({
      checkId: 'relationships:customer_id',
      name: 'relationships on customer_id',
      status: 'pass',
      dataset,
      column: 'customer_id',
      checkType: 'relationships',
      rawPointer: '/checks/8',
    });

    const events = load<
      Array<{
        eventTime: string;
        inputs?: Array<{
          namespace: string;
          name: string;
          inputFacets?: Facets;
        }>;
      }>
    >('dbt-test_result.json');
    const input = events
      .flatMap(e =>
        (e.inputs ?? []).map(i => ({ ...i, eventTime: e.eventTime })),
      )
      .find(i => i.inputFacets?.dataQualityAssertions);
    const fromDbt = parseQualityResults({
      document: asNativeDocument(
        { namespace: input!.namespace, name: input!.name },
        input!.eventTime,
        input!.inputFacets!,
      ),
    });
    expect(fromDbt.checks[0]).toEqual({
      checkId: 'not_null:id',
      name: 'not_null on id',
      status: 'pass',
      dataset: { namespace: input!.namespace, name: input!.name },
      column: 'id',
      checkType: 'not_null',
      observedValue: '0',
      threshold: '0',
      rawPointer: '/checks/0',
    });
  });
});
