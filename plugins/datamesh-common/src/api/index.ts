export * from './types';
export * from './DataMeshQualityClient';
export * from './lineage';
export * from './DataMeshLineageClient';
export * from './lineageEventsForNow';
