export * from './types';
export * from './DataMeshQualityClient';
