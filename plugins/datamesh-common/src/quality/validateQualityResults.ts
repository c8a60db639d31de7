import { createSchemaValidator } from '../validation';
import type { ValidationProblem } from '../validation';
import qualityResultsSchemaJson from '../../schema/quality-results.v1.schema.json';

/**
 * The `format` marker of the suite's own quality results format, version 1.
 * @public
 */
export const NATIVE_QUALITY_RESULTS_FORMAT = 'datamesh-quality-results/v1';

/**
 * The JSON schema of the suite's own quality results format (`quality-results.v1.schema.json`),
 * self-contained, for editors and for pipelines that check their documents before posting them.
 * @public
 */
export const qualityResultsSchema: Record<string, unknown> =
  qualityResultsSchemaJson;

const validator = createSchemaValidator(qualityResultsSchemaJson, {
  standard: 'quality results v1',
  strict: true,
});

/**
 * Validates a document of the suite's own quality results format against its JSON schema.
 *
 * @param document - the parsed document
 * @returns every problem, each naming its field (`checks[1].status must be one of pass, warn,
 *   fail, error, skipped, not "ok"`); none when the document is valid
 * @public
 */
export function validateQualityResults(document: unknown): ValidationProblem[] {
  return validator.validate(document);
}
