/**
 * The one model of quality results the suite stores, whatever tool produced them: dbt tests,
 * Great Expectations validations, Soda scans, or the suite's own format.
 */

/**
 * The statuses of a check, from every source. `warn` is a failed check configured not to block
 * (dbt `severity: warn`, a Soda warn threshold); `error` is a check that could not be evaluated
 * (a dbt runtime error, a Great Expectations expectation that raised an exception).
 * @public
 */
export const QUALITY_CHECK_STATUSES = [
  'pass',
  'warn',
  'fail',
  'error',
  'skipped',
] as const;

/** @public */
export type QualityCheckStatus = (typeof QUALITY_CHECK_STATUSES)[number];

/**
 * The formats of quality results the suite reads. OpenLineage data quality facets come later.
 * @public
 */
export const QUALITY_RESULT_FORMATS = [
  'dbt',
  'great-expectations',
  'soda',
  'native',
] as const;

/** @public */
export type QualityResultFormat = (typeof QUALITY_RESULT_FORMATS)[number];

/**
 * The quality dimensions a check can speak to, the ones service level objectives are written in:
 *
 * - `completeness`: values are present (not null, no missing values);
 * - `uniqueness`: values or rows are not duplicated;
 * - `validity`: values conform to a set, range, pattern or format;
 * - `accuracy`: values or aggregates match the reality they describe (statistics within bounds);
 * - `consistency`: values agree across datasets (referential integrity, row counts compared);
 * - `freshness`: the newest data is recent enough;
 * - `volume`: the amount of data (row count) is as expected;
 * - `schema`: the columns and their types are as expected (a column of values of the expected type).
 * @public
 */
export const QUALITY_DIMENSIONS = [
  'completeness',
  'uniqueness',
  'validity',
  'accuracy',
  'consistency',
  'freshness',
  'volume',
  'schema',
] as const;

/** @public */
export type QualityDimension = (typeof QUALITY_DIMENSIONS)[number];

/**
 * Well-known metric names, after OpenLineage's `DataQualityMetricsInputDatasetFacet`: the parsers
 * use these names for a tool's metric of the same meaning (Soda's `row_count` is `rowCount`), and
 * keep the tool's own name for any other metric.
 *
 * - `rowCount`, `bytes`, `fileCount`: of the dataset;
 * - `nullCount`, `distinctCount`, `count`, `sum`, `min`, `max`: of a column.
 * @public
 */
export const QUALITY_METRIC_NAMES = [
  'rowCount',
  'bytes',
  'fileCount',
  'nullCount',
  'distinctCount',
  'count',
  'sum',
  'min',
  'max',
] as const;

/** @public */
export type QualityMetricName = (typeof QUALITY_METRIC_NAMES)[number];

/**
 * A dataset as a tool identified it.
 * @public
 */
export type QualityDataset = {
  /** The OpenLineage namespace, such as `postgres://host:5432`, when the tool knows it. */
  namespace?: string;
  /** The dataset's name, such as `analytics.public.orders` (dbt: `database.schema.alias`). */
  name: string;
};

/**
 * The result of one check in one run.
 * @public
 */
export type QualityCheckResult = {
  /**
   * Stable id of the check within its source, the same in every run: the dbt `unique_id`, the
   * Great Expectations expectation id (or suite, expectation type and a hash of its kwargs), the
   * Soda check identity, the native check's `id` or name. Used for trends and idempotence.
   */
  checkId: string;
  /** Human-readable name. */
  name: string;
  /** How the check came out. */
  status: QualityCheckStatus;
  /** The dataset the check tested. */
  dataset?: QualityDataset;
  /** The column the check tested. */
  column?: string;
  /**
   * The kind of check as its tool names it: `not_null`, `unique`,
   * `expect_column_values_to_not_be_null`, `missing_count`, `freshness`…
   */
  checkType?: string;
  /** The quality dimension the check speaks to, when it can be told. */
  dimension?: QualityDimension;
  /** The value the check measured. */
  observedValue?: number | string;
  /** The threshold as the tool states it, for example `= 0`, `< 5%`, `mostly 0.95`. */
  threshold?: string;
  /** How many rows or values did not meet the check. */
  unexpectedCount?: number;
  /** The share of rows or values that did not meet the check, from 0 to 100. */
  unexpectedPercent?: number;
  /** How many rows or values the check evaluated. */
  rowsEvaluated?: number;
  /** The tool's diagnostic or exception text. */
  message?: string;
  /** When the check ran (ISO 8601 with a time zone), when the tool gives a time per check. */
  executedAt?: string;
  /**
   * JSON pointer to this check's result in the raw document, for example `/results/3`: the link
   * back to the raw result, which is kept.
   */
  rawPointer: string;
};

/**
 * One measurement a tool made of a dataset or a column.
 * @public
 */
export type QualityMetricPoint = {
  /** The dataset measured. */
  dataset?: QualityDataset;
  /** The metric's name: one of {@link QUALITY_METRIC_NAMES}, or the tool's own. */
  metric: string;
  /** The measured value. */
  value: number;
  /** The column measured, for a column metric. */
  column?: string;
  /** When it was measured (ISO 8601 with a time zone). */
  observedAt?: string;
};

/**
 * A successful write of a dataset (a dbt model built, a native `updates` entry): feeds the
 * freshness objective.
 * @public
 */
export type QualityDatasetUpdate = {
  /** The dataset written. */
  dataset: QualityDataset;
  /** When it was written (ISO 8601 with a time zone). */
  updatedAt: string;
};

/**
 * One run of a quality tool, in the suite's model.
 * @public
 */
export type QualityRun = {
  /**
   * The format the results were read from: one of the documents a pipeline posts, or
   * `openlineage` for the data quality facets of OpenLineage events.
   */
  format: QualityResultFormat | 'openlineage';
  /** The tool that produced them, such as `{ name: 'dbt', version: '1.8.5' }`. */
  tool: { name: string; version?: string };
  /** The tool's own id of the run (dbt invocation_id, GX run name and time, …) when it has one. */
  runId?: string;
  /** When the run started (ISO 8601 with a time zone). */
  startedAt?: string;
  /** When the run finished (ISO 8601 with a time zone): the time of the run. */
  finishedAt: string;
  /** The checks' results. */
  checks: QualityCheckResult[];
  /** The measurements made. */
  metrics: QualityMetricPoint[];
  /** The datasets written. */
  updates: QualityDatasetUpdate[];
};
