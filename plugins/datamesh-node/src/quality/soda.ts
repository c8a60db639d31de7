import { parse as parseYaml } from 'yaml';
import type {
  QualityCheckResult,
  QualityCheckStatus,
  QualityDatasetUpdate,
  QualityMetricPoint,
  QualityRun,
} from '@backstage-datamesh/plugin-datamesh-common';
import { dimensionOf } from './dimensions';
import { compact, observedValueOf, withUniqueCheckIds } from './checks';
import { childPointer, DocumentReader, toIsoTime } from './json';

const reader = new DocumentReader('Soda scan results');

/** The top-level keys of a Soda Core v3 scan results document (`soda scan -srf`, `scan.get_scan_results()`). */
export const SODA_SCAN_RESULT_KEYS = [
  'definitionName',
  'defaultDataSource',
  'dataTimestamp',
  'scanStartTimestamp',
  'scanEndTimestamp',
  'hasErrors',
  'hasWarnings',
  'hasFailures',
] as const;

const OUTCOMES: Record<string, QualityCheckStatus> = {
  pass: 'pass',
  warn: 'warn',
  fail: 'fail',
};

/** Soda's metric names that are OpenLineage's data quality metrics under another name. */
const METRIC_NAMES: Record<string, string> = {
  row_count: 'rowCount',
  distinct: 'distinctCount',
};

/** Check types whose value is a count, or a percentage, of rows or values that fail the check. */
const COUNT_TYPES = new Set([
  'missing_count',
  'duplicate_count',
  'invalid_count',
  'failed_rows',
]);
const PERCENT_TYPES = new Set([
  'missing_percent',
  'duplicate_percent',
  'invalid_percent',
]);

type CheckLine = { line: string; configuration?: Record<string, unknown> };

/**
 * The check's line as written in its SodaCL file, and its configuration, from the `definition`
 * Soda Core writes (`checks for CUSTOMERS:\n  row_count > 0`, or YAML with the configuration).
 */
function checkLineOf(definition: string | undefined): CheckLine | undefined {
  if (!definition) {
    return undefined;
  }
  let parsed: unknown;
  try {
    parsed = parseYaml(definition);
  } catch {
    return undefined;
  }
  const sections =
    parsed && typeof parsed === 'object' ? Object.values(parsed) : [];
  const section: unknown = sections[0];
  const entry: unknown = Array.isArray(section) ? section[0] : section;
  if (typeof entry === 'string') {
    return { line: entry.trim() };
  }
  if (entry && typeof entry === 'object' && !Array.isArray(entry)) {
    const [line, configuration] = Object.entries(entry)[0] ?? [];
    if (typeof line === 'string') {
      return {
        line: line.trim(),
        configuration:
          configuration && typeof configuration === 'object'
            ? (configuration as Record<string, unknown>)
            : undefined,
      };
    }
  }
  return undefined;
}

/** The kind of a SodaCL check from its line: its metric (`missing_count`, `row_count`, `freshness`, `schema`…), `reference`, `failed_rows`… */
function checkTypeOf(line: string): string | undefined {
  if (/^failed rows\b/i.test(line)) {
    return 'failed_rows';
  }
  if (/^values in\b/i.test(line)) {
    return 'reference';
  }
  if (/^row_count same as\b/i.test(line)) {
    return 'row_count_comparison';
  }
  const anomaly = /^anomaly (score|detection) for\b/i.exec(line);
  if (anomaly) {
    return `anomaly_${anomaly[1].toLowerCase()}`;
  }
  if (/^change\b.*\bfor\b/i.test(line)) {
    return 'change';
  }
  return /^([a-z_]+)/i.exec(line)?.[1].toLowerCase();
}

/** The threshold as the SodaCL line states it (`= 0`, `< 5%`, `between 10 and 20`), and its `warn`/`fail` configuration. */
function thresholdOf(check: CheckLine): string | undefined {
  const parts: string[] = [];
  const rest = /^[a-z_]+(?:\([^)]*\))?\s*(.*)$/i.exec(check.line)?.[1] ?? '';
  if (/^(<=|>=|!=|<>|<|>|=|between\b|not between\b)/i.test(rest)) {
    parts.push(rest);
  }
  for (const key of ['warn', 'fail']) {
    const value = check.configuration?.[key];
    if (typeof value === 'string') {
      parts.push(`${key} ${value}`);
    }
  }
  return parts.length ? parts.join('; ') : undefined;
}

/**
 * Reads a Soda Core v3 scan results document, as `soda scan -srf results.json` writes it (the
 * Soda Cloud form of each check, `SodaCloud.build_scan_results`) or as `scan.get_scan_results()`
 * returns it (`Scan.build_scan_results`), into the suite's model.
 *
 * Each entry of `checks` is a check: its `identity` is the check id, its `outcome` the status
 * (`pass`, `warn`, `fail`; a check without an outcome that Soda still reports, with its
 * `outcomeReasons`, is an `error`), `diagnostics.value` the observed value (and the unexpected
 * count or percent for `missing_count`, `duplicate_count`, `invalid_count` and failed rows checks),
 * `table` the dataset's name. The type and threshold come from the check's SodaCL line in
 * `definition`. `metrics` with a numeric value are metrics of their check's table and column; a
 * freshness check's `diagnostics.maxColumnTimestampUtc` is an update of its table. Soda writes no
 * version but in its first log line (`Soda Core 3.5.6`), and no scan id. Automated monitoring
 * checks (Soda Cloud) are not read.
 */
export function parseSodaScanResults(document: unknown): QualityRun {
  const doc = reader.object(document, '');
  const finishedAt = reader.requiredTime(doc, '', 'scanEndTimestamp');
  const startedAt = reader.optionalTime(doc, '', 'scanStartTimestamp');
  const rawChecks = reader.requiredArray(doc, '', 'checks');

  const checks: QualityCheckResult[] = [];
  const updates: QualityDatasetUpdate[] = [];
  const metricOwners = new Map<string, QualityCheckResult>();
  rawChecks.forEach((value, i) => {
    const pointer = childPointer('/checks', i);
    const check = reader.object(value, pointer);
    const identity = reader.requiredString(check, pointer, 'identity');
    const name = reader.requiredString(check, pointer, 'name');
    const outcome = reader.optionalString(check, pointer, 'outcome');
    const status = outcome === undefined ? 'error' : OUTCOMES[outcome];
    if (!status) {
      reader.fail(
        childPointer(pointer, 'outcome'),
        `must be pass, warn, fail or null, not ${JSON.stringify(outcome)}`,
      );
    }
    const table = reader.optionalString(check, pointer, 'table');
    const column = reader.optionalString(check, pointer, 'column');
    const line = checkLineOf(
      reader.optionalString(check, pointer, 'definition'),
    );
    const checkType = line ? checkTypeOf(line.line) : undefined;
    const diagnosticsPointer = childPointer(pointer, 'diagnostics');
    const diagnostics =
      reader.optionalObject(check, pointer, 'diagnostics') ?? {};
    const observed = observedValueOf(diagnostics.value);
    const reasons = reader
      .optionalArray(check, pointer, 'outcomeReasons')
      .map((reason, r) => {
        const reasonPointer = childPointer(
          childPointer(pointer, 'outcomeReasons'),
          r,
        );
        return reader.optionalString(
          reader.object(reason, reasonPointer),
          reasonPointer,
          'message',
        );
      })
      .filter((m): m is string => !!m);
    const dataset = table ? { name: table } : undefined;
    const result: QualityCheckResult = compact({
      checkId: identity,
      name,
      status,
      dataset,
      column,
      checkType,
      dimension: dimensionOf(checkType),
      observedValue: observed,
      threshold: line ? thresholdOf(line) : undefined,
      unexpectedCount:
        typeof observed === 'number' && COUNT_TYPES.has(checkType ?? '')
          ? observed
          : undefined,
      unexpectedPercent:
        typeof observed === 'number' &&
        PERCENT_TYPES.has(checkType ?? '') &&
        observed >= 0 &&
        observed <= 100
          ? observed
          : undefined,
      message: reasons.length ? reasons.join('; ') : undefined,
      rawPointer: pointer,
    });
    checks.push(result);
    reader.optionalArray(check, pointer, 'metrics').forEach(metric => {
      if (typeof metric === 'string' && !metricOwners.has(metric)) {
        metricOwners.set(metric, result);
      }
    });
    const newest = reader.optionalString(
      diagnostics,
      diagnosticsPointer,
      'maxColumnTimestampUtc',
    );
    if (checkType === 'freshness' && newest && dataset) {
      const updatedAt =
        toIsoTime(newest) ??
        reader.fail(
          childPointer(diagnosticsPointer, 'maxColumnTimestampUtc'),
          `must be a time with a time zone, not ${JSON.stringify(newest)}`,
        );
      updates.push({ dataset, updatedAt });
    }
  });

  const metrics: QualityMetricPoint[] = [];
  reader.optionalArray(doc, '', 'metrics').forEach((value, i) => {
    const pointer = childPointer('/metrics', i);
    const metric = reader.object(value, pointer);
    const identity = reader.requiredString(metric, pointer, 'identity');
    const metricName = reader.requiredString(metric, pointer, 'metricName');
    const owner = metricOwners.get(identity);
    if (typeof metric.value === 'number' && Number.isFinite(metric.value)) {
      metrics.push(
        compact({
          dataset: owner?.dataset,
          metric: METRIC_NAMES[metricName] ?? metricName,
          value: metric.value,
          column: metricName === 'row_count' ? undefined : owner?.column,
        }),
      );
    }
  });

  const version = reader
    .optionalArray(doc, '', 'logs')
    .map(log =>
      log && typeof log === 'object'
        ? (log as { message?: unknown }).message
        : undefined,
    )
    .map(message =>
      typeof message === 'string'
        ? /^Soda (?:Core|Library) (\S+)$/.exec(message)?.[1]
        : undefined,
    )
    .find(v => v !== undefined);

  return compact({
    format: 'soda' as const,
    tool: compact({ name: 'soda-core', version }),
    startedAt,
    finishedAt,
    checks: withUniqueCheckIds(checks),
    metrics,
    updates,
  });
}
