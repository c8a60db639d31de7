import { InputError } from '@backstage/errors';
import {
  NATIVE_QUALITY_RESULTS_FORMAT,
  QUALITY_RESULT_FORMATS,
  qualityResultsSchema,
  QualityResultFormat,
  QualityRun,
} from '@backstage-datamesh/plugin-datamesh-common';
import { parseDbtRunResults, runResultsVersion } from './dbt';
import {
  isCheckpointResult,
  parseGreatExpectationsResult,
} from './greatExpectations';
import { parseNativeQualityResults } from './native';
import { parseSodaScanResults, SODA_SCAN_RESULT_KEYS } from './soda';

const DESCRIPTIONS: Record<QualityResultFormat, string> = {
  dbt: 'dbt run_results (metadata.dbt_schema_version naming a run-results schema)',
  'great-expectations':
    'Great Expectations validation results (results[].expectation_config) or checkpoint results (run_results)',
  soda: 'Soda scan results (checks, with scanEndTimestamp and the other keys of soda scan -srf)',
  native: `the suite's quality results (format: ${NATIVE_QUALITY_RESULTS_FORMAT})`,
};

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function looksLikeValidationResult(value: unknown): boolean {
  if (!isObject(value)) {
    return false;
  }
  if (Array.isArray(value.results)) {
    const first: unknown = value.results[0];
    if (isObject(first) && isObject(first.expectation_config)) {
      return true;
    }
  }
  // a validation result without results still has its success and statistics
  return typeof value.success === 'boolean' && isObject(value.statistics);
}

/**
 * Tells the format of quality results from the document's own markers: dbt's
 * `metadata.dbt_schema_version` naming a run-results schema; Great Expectations'
 * `results[].expectation_config`, a checkpoint's `run_results` of validation results, or a
 * validation result's `success` and `statistics`; Soda's scan results keys
 * (`scanEndTimestamp`, `hasFailures`… with `checks`); the suite's own `format` marker or
 * `$schema`. Undefined when none fits.
 *
 * @param document - the parsed document
 * @public
 */
export function detectQualityFormat(
  document: unknown,
): QualityResultFormat | undefined {
  if (!isObject(document)) {
    return undefined;
  }
  if (
    document.format === NATIVE_QUALITY_RESULTS_FORMAT ||
    document.$schema === qualityResultsSchema.$id
  ) {
    return 'native';
  }
  if (runResultsVersion(document) !== undefined) {
    return 'dbt';
  }
  if (
    Array.isArray(document.checks) &&
    SODA_SCAN_RESULT_KEYS.filter(key => key in document).length >= 2
  ) {
    return 'soda';
  }
  if (isCheckpointResult(document)) {
    const first = Object.values(document.run_results as object)[0];
    if (
      isObject(first) &&
      (looksLikeValidationResult(first.validation_result) ||
        looksLikeValidationResult(first))
    ) {
      return 'great-expectations';
    }
  }
  return looksLikeValidationResult(document) ? 'great-expectations' : undefined;
}

/**
 * Reads quality results as a tool wrote them into the suite's one model of a run.
 *
 * The format is the one given, or else the one the document's markers tell
 * ({@link detectQualityFormat}). A document of another format than the one given, of no known
 * format, or with a missing or wrong field is refused with an `InputError` (a 400 in a router),
 * whose message names the format and the field's JSON path, such as
 * `Invalid dbt run_results: results[3].status is required`.
 *
 * @param input - the document; its format, when the caller knows it (for example from a URL
 *   parameter); and for dbt, the run's `manifest.json`, which ties tests to the models they test
 * @public
 */
export function parseQualityResults(input: {
  document: unknown;
  format?: QualityResultFormat;
  manifest?: unknown;
}): QualityRun {
  const { document, format, manifest } = input;
  if (
    format !== undefined &&
    !(QUALITY_RESULT_FORMATS as readonly unknown[]).includes(format)
  ) {
    throw new InputError(
      `Unknown quality results format ${JSON.stringify(
        format,
      )}: the formats are ${QUALITY_RESULT_FORMATS.join(', ')}`,
    );
  }
  const detected = detectQualityFormat(document);
  if (format && detected && detected !== format) {
    throw new InputError(
      `The document is not ${DESCRIPTIONS[format]}: it is ${DESCRIPTIONS[detected]}`,
    );
  }
  const chosen = format ?? detected;
  if (!chosen) {
    throw new InputError(
      `The document is not quality results of a known format: expected ${QUALITY_RESULT_FORMATS.map(
        f => DESCRIPTIONS[f],
      ).join('; or ')}`,
    );
  }
  if (manifest !== undefined && manifest !== null && chosen !== 'dbt') {
    throw new InputError(
      `A manifest is read only with dbt run_results, not with ${DESCRIPTIONS[chosen]}`,
    );
  }
  switch (chosen) {
    case 'dbt':
      return parseDbtRunResults(document, manifest ?? undefined);
    case 'great-expectations':
      return parseGreatExpectationsResult(document);
    case 'soda':
      return parseSodaScanResults(document);
    default:
      return parseNativeQualityResults(document);
  }
}
