import { stringifyEntityRef } from '@backstage/catalog-model';
import type {
  DataProductEntityV1alpha1,
  QualityCheckResult,
  QualityCheckStatus,
  QualityDataset,
  QualityDatasetUpdate,
  QualityMetricPoint,
  QualityRun,
} from '@backstage-datamesh/plugin-datamesh-common';
import type { OpenLineageDataset, OpenLineageEvent } from './readEvent';
import type { ProductIndex } from './ProductIndex';

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

type Metrics = {
  rowCount?: number;
  bytes?: number;
  fileCount?: number;
  lastUpdated?: string;
  columnMetrics?: Record<
    string,
    Record<string, number | Record<string, number> | undefined>
  >;
};

/** The quality run of one product that one event gives. */
export interface ProductQualityRun {
  entity: DataProductEntityV1alpha1;
  run: QualityRun;
}

/** A failed assertion of severity `warn` is a warning; any other failed one a failure. */
function statusOf(assertion: Assertion): QualityCheckStatus {
  if (assertion.success) {
    return 'pass';
  }
  return assertion.severity === 'warn' ? 'warn' : 'fail';
}

/**
 * What the data quality facets of one dataset of an event say, in the check model, with the
 * mapping the quality parsers document (`openlineageFacets.test.ts` of `-node`):
 *
 * - `dataQualityAssertions` (a dataset's `facets` or an input's `inputFacets`): each assertion a
 *   check, `assertion` its type, `success` pass or fail (warn when its `severity` is `warn`),
 *   `column`, `expected` the threshold, `actual` the observed value, `description` the message.
 *   Its id is the dataset's name, the assertion's `name` (else the assertion) and its column, so
 *   that the same assertion on two ports of a product stays two checks;
 * - `dataQualityMetrics`: `rowCount`, `bytes`, `fileCount` dataset metrics, `columnMetrics`
 *   (`nullCount`, `distinctCount`, `count`, `sum`, `min`, `max`, each quantile as `quantile:<q>`)
 *   column metrics, `lastUpdated` an update of the dataset;
 * - an output of a COMPLETE RunEvent is a successful update of its dataset, at the event's time.
 */
function datasetQuality(
  dataset: OpenLineageDataset,
  pointer: string,
  isCompletedOutput: boolean,
  eventTime: string,
) {
  const named: QualityDataset = {
    namespace: dataset.namespace,
    name: dataset.name,
  };
  const checks: QualityCheckResult[] = [];
  const metrics: QualityMetricPoint[] = [];
  const updates: QualityDatasetUpdate[] = [];
  for (const container of ['facets', 'inputFacets'] as const) {
    const assertions = (
      dataset[container]?.dataQualityAssertions as
        | { assertions: Assertion[] }
        | undefined
    )?.assertions;
    assertions?.forEach((a, i) => {
      const name = a.name ?? a.assertion;
      checks.push({
        checkId: [dataset.name, name, a.column].filter(Boolean).join(':'),
        name: a.name ?? [a.assertion, a.column].filter(Boolean).join(' on '),
        status: statusOf(a),
        dataset: named,
        checkType: a.assertion,
        ...(a.column !== undefined ? { column: a.column } : {}),
        ...(a.expected !== undefined ? { threshold: a.expected } : {}),
        ...(a.actual !== undefined ? { observedValue: a.actual } : {}),
        ...(a.description !== undefined ? { message: a.description } : {}),
        executedAt: eventTime,
        rawPointer: `${pointer}/${container}/dataQualityAssertions/assertions/${i}`,
      });
    });
    const m = dataset[container]?.dataQualityMetrics as Metrics | undefined;
    if (m) {
      for (const metric of ['rowCount', 'bytes', 'fileCount'] as const) {
        const value = m[metric];
        if (value !== undefined) {
          metrics.push({
            dataset: named,
            metric,
            value,
            observedAt: eventTime,
          });
        }
      }
      for (const [column, values] of Object.entries(m.columnMetrics ?? {})) {
        for (const [metric, value] of Object.entries(values)) {
          if (typeof value === 'number') {
            metrics.push({
              dataset: named,
              metric,
              value,
              column,
              observedAt: eventTime,
            });
          } else if (value) {
            for (const [quantile, v] of Object.entries(value)) {
              metrics.push({
                dataset: named,
                metric: `quantile:${quantile}`,
                value: v,
                column,
                observedAt: eventTime,
              });
            }
          }
        }
      }
      if (m.lastUpdated) {
        updates.push({ dataset: named, updatedAt: m.lastUpdated });
      }
    }
  }
  if (isCompletedOutput) {
    updates.push({ dataset: named, updatedAt: eventTime });
  }
  return { checks, metrics, updates };
}

/**
 * The quality runs an event gives the products whose output ports its datasets are: one run per
 * product, with the checks, metrics and updates of its datasets. Datasets no product declares
 * give nothing (they stay external nodes of the graph).
 */
export async function qualityRunsOf(
  event: OpenLineageEvent,
  products: ProductIndex,
): Promise<ProductQualityRun[]> {
  const eventTime = new Date(Date.parse(event.eventTime)).toISOString();
  const completed = event.eventType === 'COMPLETE';
  const datasets: Array<[OpenLineageDataset, string, boolean]> = [
    ...(event.inputs ?? []).map(
      (d, i) =>
        [d, `/inputs/${i}`, false] as [OpenLineageDataset, string, boolean],
    ),
    ...(event.outputs ?? []).map(
      (d, i) =>
        [d, `/outputs/${i}`, completed && event.run !== undefined] as [
          OpenLineageDataset,
          string,
          boolean,
        ],
    ),
    ...(event.dataset
      ? [
          [event.dataset, '/dataset', false] as [
            OpenLineageDataset,
            string,
            boolean,
          ],
        ]
      : []),
  ];
  const runs = new Map<string, ProductQualityRun>();
  for (const [dataset, pointer, isCompletedOutput] of datasets) {
    const quality = datasetQuality(
      dataset,
      pointer,
      isCompletedOutput,
      eventTime,
    );
    if (
      !quality.checks.length &&
      !quality.metrics.length &&
      !quality.updates.length
    ) {
      continue;
    }
    const matched = new Map(
      (await products.match(dataset)).map(m => [
        stringifyEntityRef(m.entity),
        m.entity,
      ]),
    );
    for (const [ref, entity] of matched) {
      let entry = runs.get(ref);
      if (!entry) {
        const engine = event.run?.facets?.processing_engine as
          | { name?: string; version: string }
          | undefined;
        entry = {
          entity,
          run: {
            format: 'openlineage',
            tool: {
              name: engine?.name ?? 'openlineage',
              ...(engine?.version ? { version: engine.version } : {}),
            },
            ...(event.run ? { runId: event.run.runId } : {}),
            finishedAt: eventTime,
            checks: [],
            metrics: [],
            updates: [],
          },
        };
        runs.set(ref, entry);
      }
      entry.run.checks.push(...quality.checks);
      entry.run.metrics.push(...quality.metrics);
      entry.run.updates.push(...quality.updates);
    }
  }
  return [...runs.values()];
}
