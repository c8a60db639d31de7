/*
 * The one model of quality results, whatever tool produced them, with the suite's own format's
 * JSON schema and the rule that ties a tested dataset to an output port.
 */
export * from './types';
export { matchesDatasetLocation, splitDatasetName } from './matchDataset';
export {
  NATIVE_QUALITY_RESULTS_FORMAT,
  qualityResultsSchema,
  validateQualityResults,
} from './validateQualityResults';
