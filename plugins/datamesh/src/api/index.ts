export { dataMeshApiRef } from './DataMeshApi';
export type { DataMeshApi, DataProductPortRef } from './DataMeshApi';
export { DataMeshClient } from './DataMeshClient';
