import type {
  QualityCheckResult,
  QualityCheckStatus,
  QualityDataset,
  QualityMetricPoint,
  QualityRun,
} from '@backstage-datamesh/plugin-datamesh-common';
import { dimensionOf } from './dimensions';
import {
  compact,
  observedValueOf,
  stableHash,
  withUniqueCheckIds,
} from './checks';
import { childPointer, DocumentReader, JsonObject, toIsoTime } from './json';

const reader = new DocumentReader('Great Expectations result');

/** kwargs that say how GX ran an expectation, not what it checks; left out of check ids. */
const RUNTIME_KWARGS = new Set([
  'batch_id',
  'result_format',
  'include_config',
  'catch_exceptions',
]);

/** Whether a document is a checkpoint result (0.x `CheckpointResult`/validation operator result, or 1.x). */
export function isCheckpointResult(doc: JsonObject): boolean {
  return (
    typeof doc.run_results === 'object' &&
    doc.run_results !== null &&
    !Array.isArray(doc.run_results)
  );
}

type Validation = { value: JsonObject; pointer: string };

/**
 * The validation results of a checkpoint result: each `run_results` entry is either
 * `{ validation_result, actions_results }` (0.x, and correlator-ge's serialisation) or the
 * validation result itself (1.x `CheckpointResult`).
 */
function validationsOf(doc: JsonObject): Validation[] {
  if (!isCheckpointResult(doc)) {
    return [{ value: doc, pointer: '' }];
  }
  const runResults = reader.requiredObject(doc, '', 'run_results');
  const entries = Object.entries(runResults);
  if (entries.length === 0) {
    reader.fail('/run_results', 'must have at least one validation result');
  }
  return entries.map(([key, entry]) => {
    const pointer = childPointer('/run_results', key);
    const value = reader.object(entry, pointer);
    if (value.validation_result !== undefined) {
      return {
        value: reader.requiredObject(value, pointer, 'validation_result'),
        pointer: childPointer(pointer, 'validation_result'),
      };
    }
    return { value, pointer };
  });
}

/** A path or URL of a file asset as OpenLineage names it: `s3://bucket` + key, or `file` + path. */
function fileDataset(path: string): QualityDataset {
  const url = /^([a-z][a-z0-9+.-]*):\/\/([^/]*)\/?(.*)$/i.exec(path);
  if (url) {
    return url[1].toLowerCase() === 'file'
      ? { namespace: 'file', name: `/${url[3]}` }
      : { namespace: `${url[1]}://${url[2]}`, name: url[3] };
  }
  return { namespace: 'file', name: path };
}

/**
 * The dataset a validation validated, from its `meta`: the table of its batch (1.x and 0.13+
 * `batch_spec`, 0.x `batch_kwargs`: `schema_name.table_name`), else its file (`path`), else its
 * data asset's name (`active_batch_definition.data_asset_name`, 0.9's `data_asset_name`).
 */
function datasetOf(meta: JsonObject | undefined): QualityDataset | undefined {
  const text = (o: unknown, key: string) => {
    const value = (o as Record<string, unknown> | undefined)?.[key];
    return typeof value === 'string' && value !== '' ? value : undefined;
  };
  for (const spec of [meta?.batch_spec, meta?.batch_kwargs]) {
    const table = text(spec, 'table_name') ?? text(spec, 'table');
    if (table) {
      const schema = text(spec, 'schema_name') ?? text(spec, 'schema');
      return { name: schema ? `${schema}.${table}` : table };
    }
    const path = text(spec, 'path') ?? text(spec, 's3');
    if (path) {
      return fileDataset(path);
    }
  }
  const asset =
    text(meta?.active_batch_definition, 'data_asset_name') ??
    text(meta, 'data_asset_name') ??
    text(meta?.batch_kwargs, 'data_asset_name');
  return asset ? { name: asset } : undefined;
}

type RunIdentity = { runName?: string; runTime?: string };

/** A GX `run_id`: `{ run_name, run_time }` (0.11+) or a string (0.10 and older, often a time). */
function runIdOf(value: unknown, pointer: string): RunIdentity {
  if (typeof value === 'string') {
    const time = toIsoTime(value);
    return time ? { runTime: time } : { runName: value };
  }
  if (value === undefined || value === null) {
    return {};
  }
  const runId = reader.object(value, pointer);
  return compact({
    runName: reader.optionalString(runId, pointer, 'run_name'),
    runTime: reader.optionalTime(runId, pointer, 'run_time'),
  });
}

/** The time of a validation: `meta.validation_time`, else its run's time, else its batch's load time. */
function validationTimeOf(
  meta: JsonObject | undefined,
  pointer: string,
): string | undefined {
  const metaPointer = childPointer(pointer, 'meta');
  if (!meta) {
    return undefined;
  }
  const validationTime = reader.optionalTime(
    meta,
    metaPointer,
    'validation_time',
  );
  if (validationTime) {
    return validationTime;
  }
  const runId = meta.run_id;
  // 1.x writes the run id in meta as a JSON string of { run_name, run_time }
  const parsed =
    typeof runId === 'string' && runId.trim().startsWith('{')
      ? (() => {
          try {
            return JSON.parse(runId) as unknown;
          } catch {
            return runId;
          }
        })()
      : runId;
  const { runTime } =
    typeof parsed === 'string' || (parsed && typeof parsed === 'object')
      ? runIdOf(parsed, childPointer(metaPointer, 'run_id'))
      : { runTime: undefined };
  if (runTime) {
    return runTime;
  }
  const markers = reader.optionalObject(meta, metaPointer, 'batch_markers');
  const loaded = markers
    ? reader.optionalString(
        markers,
        childPointer(metaPointer, 'batch_markers'),
        'ge_load_time',
      )
    : undefined;
  return loaded ? toIsoTime(loaded) : undefined;
}

/**
 * The threshold an expectation's kwargs state: its bounds (`between 0 and 10`, `>= 0`, `> 0`),
 * expected value (`= 3`), set (`in [1,2]`), pattern, type and `mostly`.
 */
function thresholdOf(kwargs: JsonObject): string | undefined {
  const parts: string[] = [];
  const show = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));
  const min = kwargs.min_value;
  const max = kwargs.max_value;
  const has = (v: unknown) => v !== undefined && v !== null;
  if (has(min) && has(max)) {
    parts.push(
      kwargs.strict_min || kwargs.strict_max
        ? `${kwargs.strict_min ? '>' : '>='} ${show(min)} and ${
            kwargs.strict_max ? '<' : '<='
          } ${show(max)}`
        : `between ${show(min)} and ${show(max)}`,
    );
  } else if (has(min)) {
    parts.push(`${kwargs.strict_min ? '>' : '>='} ${show(min)}`);
  } else if (has(max)) {
    parts.push(`${kwargs.strict_max ? '<' : '<='} ${show(max)}`);
  }
  if (has(kwargs.value)) {
    parts.push(`= ${show(kwargs.value)}`);
  }
  if (has(kwargs.value_set)) {
    parts.push(`in ${show(kwargs.value_set)}`);
  }
  if (has(kwargs.regex)) {
    parts.push(`matches ${show(kwargs.regex)}`);
  }
  if (has(kwargs.type_)) {
    parts.push(`type ${show(kwargs.type_)}`);
  }
  if (has(kwargs.type_list)) {
    parts.push(`type in ${show(kwargs.type_list)}`);
  }
  if (has(kwargs.mostly)) {
    parts.push(`mostly ${show(kwargs.mostly)}`);
  }
  return parts.length ? parts.join(', ') : undefined;
}

/**
 * Whether an expectation raised an exception, and its message: `exception_info` is
 * `{ raised_exception, exception_message }`, or (0.13+ validator) a map of metric ids to such
 * objects.
 */
function exceptionOf(info: unknown): { raised: boolean; message?: string } {
  if (!info || typeof info !== 'object' || Array.isArray(info)) {
    return { raised: false };
  }
  const entries = [info, ...Object.values(info)].filter(
    (e): e is { raised_exception?: unknown; exception_message?: unknown } =>
      !!e && typeof e === 'object' && !Array.isArray(e),
  );
  const raised = entries.find(e => e.raised_exception === true);
  if (!raised) {
    return { raised: false };
  }
  return {
    raised: true,
    message:
      typeof raised.exception_message === 'string'
        ? raised.exception_message
        : undefined,
  };
}

function readExpectation(
  value: unknown,
  pointer: string,
  context: {
    suite?: string;
    dataset?: QualityDataset;
    executedAt?: string;
  },
): QualityCheckResult {
  const result = reader.object(value, pointer);
  const configPointer = childPointer(pointer, 'expectation_config');
  const config = reader.requiredObject(result, pointer, 'expectation_config');
  // 1.x: expectation_config.type; 0.x: expectation_config.expectation_type
  const type =
    reader.optionalString(config, configPointer, 'type') ??
    reader.optionalString(config, configPointer, 'expectation_type');
  if (!type) {
    return reader.fail(
      childPointer(configPointer, 'type'),
      'is required (expectation_config.type in GX 1.x, expectation_config.expectation_type in 0.x)',
    );
  }
  const kwargs = reader.optionalObject(config, configPointer, 'kwargs') ?? {};
  const column = typeof kwargs.column === 'string' ? kwargs.column : undefined;
  const success = reader.optionalBoolean(result, pointer, 'success');
  const exception = exceptionOf(result.exception_info);
  const severity = reader.optionalString(config, configPointer, 'severity');
  let status: QualityCheckStatus;
  if (exception.raised) {
    status = 'error';
  } else if (success === undefined) {
    return reader.fail(childPointer(pointer, 'success'), 'is required');
  } else if (success) {
    status = 'pass';
  } else {
    status =
      severity && ['warning', 'info'].includes(severity.toLowerCase())
        ? 'warn'
        : 'fail';
  }
  const outcome = reader.optionalObject(result, pointer, 'result') ?? {};
  const outcomePointer = childPointer(pointer, 'result');
  const id = reader.optionalString(config, configPointer, 'id');
  const identityKwargs = Object.fromEntries(
    Object.entries(kwargs).filter(([key]) => !RUNTIME_KWARGS.has(key)),
  );
  const percent = reader.optionalNumber(
    outcome,
    outcomePointer,
    'unexpected_percent',
  );
  return compact({
    checkId: [
      context.suite,
      context.dataset?.name,
      id ?? `${type}:${stableHash(identityKwargs)}`,
    ]
      .filter(part => part)
      .join(':'),
    name: column ? `${type}(${column})` : type,
    status,
    dataset: context.dataset,
    column,
    checkType: type,
    dimension: dimensionOf(type),
    observedValue: observedValueOf(outcome.observed_value),
    threshold: thresholdOf(kwargs),
    unexpectedCount: reader.optionalNumber(
      outcome,
      outcomePointer,
      'unexpected_count',
    ),
    unexpectedPercent:
      percent !== undefined && percent >= 0 && percent <= 100
        ? percent
        : undefined,
    rowsEvaluated: reader.optionalNumber(
      outcome,
      outcomePointer,
      'element_count',
    ),
    message: exception.message,
    executedAt: context.executedAt,
    rawPointer: pointer,
  });
}

/** Metrics a validation's results state: the table's row count, and each column's missing (null) count. */
function metricsOf(
  checks: QualityCheckResult[],
  results: unknown[],
  observedAt: string | undefined,
): QualityMetricPoint[] {
  const points = new Map<string, QualityMetricPoint>();
  checks.forEach((check, i) => {
    const outcome = (results[i] as { result?: Record<string, unknown> })
      ?.result;
    const add = (metric: string, value: unknown, column?: string) => {
      if (typeof value === 'number' && Number.isFinite(value)) {
        points.set(
          `${metric}\u0000${column ?? ''}`,
          compact({
            dataset: check.dataset,
            metric,
            value,
            column,
            observedAt,
          }),
        );
      }
    };
    if (
      check.status !== 'error' &&
      /^expect_table_row_count_to_/.test(check.checkType ?? '')
    ) {
      add('rowCount', outcome?.observed_value);
    }
    if (check.status !== 'error' && check.column) {
      add('nullCount', outcome?.missing_count, check.column);
    }
  });
  return [...points.values()];
}

/**
 * Reads a Great Expectations validation result (`ExpectationSuiteValidationResult`) or checkpoint
 * result (0.x `CheckpointResult` and validation operator result, 1.x `CheckpointResult`) in
 * either key style (1.x `expectation_config.type`, 0.x `expectation_config.expectation_type`).
 *
 * Each expectation result is a check: `pass` when it succeeded, `error` when it raised an
 * exception (`exception_info.raised_exception`), `fail` otherwise (`warn` when its 1.x
 * `severity` is `warning` or `info`). The dataset is the validation's batch (table, file or data
 * asset); the run's time is the latest `meta.validation_time` (else the run id's time, else the
 * batch's load time). `statistics` are not read: they are derived from `results`, and some
 * serialisers leave them at zero.
 */
export function parseGreatExpectationsResult(document: unknown): QualityRun {
  const doc = reader.object(document, '');
  const validations = validationsOf(doc);
  const checkpointRun = runIdOf(doc.run_id, '/run_id');
  const checks: QualityCheckResult[] = [];
  const metrics: QualityMetricPoint[] = [];
  let finishedAt: string | undefined;
  let version: string | undefined;
  let suiteRun: RunIdentity = {};
  for (const { value, pointer } of validations) {
    const metaPointer = childPointer(pointer, 'meta');
    const meta = reader.optionalObject(value, pointer, 'meta');
    const results = reader.requiredArray(value, pointer, 'results');
    const suite =
      reader.optionalString(value, pointer, 'suite_name') ??
      (meta
        ? reader.optionalString(meta, metaPointer, 'expectation_suite_name')
        : undefined);
    const time = validationTimeOf(meta, pointer);
    if (time && (!finishedAt || time > finishedAt)) {
      finishedAt = time;
    }
    const context = {
      suite,
      dataset: datasetOf(meta),
      executedAt: validations.length > 1 ? time : undefined,
    };
    const read = results.map((r, i) =>
      readExpectation(
        r,
        childPointer(childPointer(pointer, 'results'), i),
        context,
      ),
    );
    checks.push(...read);
    metrics.push(
      ...metricsOf(read, results, validations.length > 1 ? time : undefined),
    );
    const versionValue =
      meta?.great_expectations_version ??
      meta?.['great_expectations.__version__'];
    version ??= typeof versionValue === 'string' ? versionValue : undefined;
    if (
      !suiteRun.runName &&
      meta &&
      meta.run_id &&
      typeof meta.run_id === 'object'
    ) {
      suiteRun = runIdOf(meta.run_id, childPointer(metaPointer, 'run_id'));
    }
  }
  const metadata = doc._metadata as { ge_version?: unknown } | undefined;
  version ??=
    typeof metadata?.ge_version === 'string' ? metadata.ge_version : undefined;
  const run =
    checkpointRun.runTime || checkpointRun.runName ? checkpointRun : suiteRun;
  finishedAt ??= run.runTime;
  if (!finishedAt) {
    return reader.fail(
      validations[0].pointer === ''
        ? '/meta'
        : `${validations[0].pointer}/meta`,
      'has no time of the run: validation_time, run_id.run_time and batch_markers.ge_load_time are all missing or not times',
    );
  }
  return compact({
    format: 'great-expectations' as const,
    tool: compact({
      name: 'great-expectations',
      version,
    }),
    runId:
      run.runName && run.runTime
        ? `${run.runName}@${run.runTime}`
        : run.runName ?? run.runTime,
    startedAt:
      run.runTime && run.runTime <= finishedAt ? run.runTime : undefined,
    finishedAt,
    checks: withUniqueCheckIds(checks),
    metrics,
    updates: [],
  });
}
