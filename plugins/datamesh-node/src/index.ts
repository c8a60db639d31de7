/**
 * Node.js utilities of the data mesh suite for Backstage, shared by its backend plugin and modules:
 * reading and validating the Open Data Contract Standard documents of data products.
 *
 * @packageDocumentation
 */
export { DataContractReader } from './DataContractReader';
export type { DataContractLocation } from './DataContractReader';
export { DataMeshHealthClient } from './DataMeshHealthClient';
export { DataMeshGovernanceFeedClient } from './DataMeshGovernanceFeedClient';
export {
  parseDataContract,
  SUPPORTED_ODCS_VERSIONS,
} from './odcs/parseDataContract';
export * from './stores';
export { detectQualityFormat, parseQualityResults } from './quality';
export {
  parseInfrastructureDescriptor,
  readInfrastructureDescriptor,
} from './infrastructure/readInfrastructure';
