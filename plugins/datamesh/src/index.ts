/**
 * The data mesh frontend plugin: the Data products page and the DataProduct and Domain entity
 * page cards, for apps on the legacy frontend system. Apps on the new frontend system use the
 * `./alpha` entry point.
 *
 * @packageDocumentation
 */
export {
  datameshPlugin,
  DataProductsPage,
  EntityDataProductAboutCard,
  EntityDataProductOwnershipCard,
  EntityDataProductSloCard,
  EntityDataProductOutputPortsCard,
  EntityDataProductInputPortsCard,
  EntityDataProductConsumersCard,
  EntityDomainDataProductsCard,
  EntityDomainDataMeshCard,
} from './plugin';
export { rootRouteRef } from './routes';
export { DataMeshProblemsPanel } from './components/DataMeshProblemsPanel';
export type { DataMeshProblemsPanelProps } from './components/DataMeshProblemsPanel';
export { dataMeshApiRef, DataMeshClient } from './api';
export type { DataMeshApi, DataProductPortRef } from './api';
export type { DomainDataProductsCardProps } from './components/DomainDataProductsCard';
export {
  isDataProductEntity,
  isDomainEntity,
} from '@backstage-datamesh/plugin-datamesh-common';
export type { DataProductEntityV1alpha1 } from '@backstage-datamesh/plugin-datamesh-common';
