/**
 * Catalog backend module of the data mesh suite: the `DataProduct` kind and data-mesh Domains.
 *
 * @packageDocumentation
 */
export { catalogModuleDataMesh as default } from './module';
export { DataMeshEntitiesProcessor } from './processor/DataMeshEntitiesProcessor';
