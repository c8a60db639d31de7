/**
 * Catalog backend module of the data mesh suite: the `DataProduct` kind and data-mesh Domains.
 *
 * @packageDocumentation
 */
export { catalogModuleDataMesh as default } from './module';
export { DataMeshEntitiesProcessor } from './processor/DataMeshEntitiesProcessor';
export { DataProductDescriptorProcessor } from './processor/DataProductDescriptorProcessor';
export type { DataProductDescriptorProcessorOptions } from './processor/DataProductDescriptorProcessor';
