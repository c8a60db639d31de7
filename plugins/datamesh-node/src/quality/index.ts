/*
 * Parsers of quality results as the tools write them (dbt, Great Expectations, Soda, and the
 * suite's own format) into the one model of `-common`.
 */
export {
  detectQualityFormat,
  parseQualityResults,
} from './parseQualityResults';
