/**
 * Scaffolder backend module of the data mesh suite for Backstage: the golden paths' actions that
 * validate a generated data product, read its upstream contracts and publish it offline to a
 * local git repository, and the URL reader through which the catalog reads those repositories.
 *
 * @packageDocumentation
 */
export { scaffolderModuleDataMesh as default } from './module';
export { createValidateDataProductAction } from './actions/validate';
export { createUpstreamContractsAction } from './actions/upstreamContracts';
export { createPublishLocalAction } from './actions/publishLocal';
export { createGovernanceCheck } from './governance';
export {
  dataMeshScaffolderChecksExtensionPoint,
  type DataMeshScaffolderChecksExtensionPoint,
  type GeneratedEntity,
  type GeneratedProductCheck,
  type GeneratedProductProblem,
} from './checks';
export {
  LocalRepositoryUrlReader,
  localRepositoryUrlReaderFactory,
} from './localRepositories/LocalRepositoryUrlReader';
export { readLocalRepositoriesDirectory } from './localRepositories/config';
