/**
 * The data mesh frontend plugin: the Data products and Mesh health pages, the DataProduct and
 * Domain entity page cards and the DataProduct Quality tab, for apps on the legacy frontend
 * system. Apps on the new frontend system use the `./alpha` entry point.
 *
 * @packageDocumentation
 */
export {
  datameshPlugin,
  DataProductsPage,
  MeshHealthPage,
  GovernancePage,
  EntityDataProductHealthCard,
  EntityDataProductQualityContent,
  EntityDataProductLineageContent,
  EntityDataProductImpactCard,
  EntityDataProductChecksCard,
  EntityDataProductTrendsCard,
  EntityDataProductIncidentsCard,
  EntityDataProductAboutCard,
  EntityDataProductOwnershipCard,
  EntityDataProductSloCard,
  EntityDataProductOutputPortsCard,
  EntityDataProductInputPortsCard,
  EntityDataProductInfrastructureCard,
  EntityDataProductComplianceCard,
  EntityDataProductConsumersCard,
  EntityDataProductLineageDriftCard,
  EntityDomainDataProductsCard,
  EntityDomainDataMeshCard,
} from './plugin';
export {
  LINEAGE_IMPACT_QUERY,
  LINEAGE_TAB_PATH,
  governanceRouteRef,
  meshHealthRouteRef,
  QUALITY_TAB_PATH,
  rootRouteRef,
} from './routes';
export { DataMeshProblemsPanel } from './components/DataMeshProblemsPanel';
export type { DataMeshProblemsPanelProps } from './components/DataMeshProblemsPanel';
export {
  dataMeshApiRef,
  DataMeshClient,
  dataMeshGovernanceApiRef,
  dataMeshLineageApiRef,
  dataMeshQualityApiRef,
} from './api';
export type {
  DataMeshApi,
  DataMeshGovernanceApi,
  DataMeshLineageApi,
  DataMeshQualityApi,
  DataProductPortRef,
} from './api';
export type { DomainDataProductsCardProps } from './components/DomainDataProductsCard';
export {
  isDataProductEntity,
  isDomainEntity,
  RELATION_OBSERVED_DEPENDENCY_OF,
  RELATION_OBSERVED_DEPENDS_ON,
} from '@backstage-datamesh/plugin-datamesh-common';
export type { DataProductEntityV1alpha1 } from '@backstage-datamesh/plugin-datamesh-common';
export { DataProductPortPickerFieldExtension } from './scaffolder';
export type {
  DataProductPortPickerUiOptions,
  DataProductPortPickerValue,
} from './components/DataProductPortPicker';
