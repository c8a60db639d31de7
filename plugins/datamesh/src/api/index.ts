export { dataMeshApiRef } from './DataMeshApi';
export type { DataMeshApi, DataProductPortRef } from './DataMeshApi';
export { DataMeshClient } from './DataMeshClient';
export { dataMeshQualityApiRef } from './DataMeshQualityApi';
export type { DataMeshQualityApi } from './DataMeshQualityApi';
export { dataMeshLineageApiRef } from './DataMeshLineageApi';
export type { DataMeshLineageApi } from './DataMeshLineageApi';
export { dataMeshGovernanceApiRef } from './DataMeshGovernanceApi';
export type { DataMeshGovernanceApi } from './DataMeshGovernanceApi';
