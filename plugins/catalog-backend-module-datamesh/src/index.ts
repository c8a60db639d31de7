/**
 * Catalog backend module of the data mesh suite: the `DataProduct` kind and data-mesh Domains.
 *
 * @packageDocumentation
 */
export { catalogModuleDataMesh as default } from './module';
export { DataMeshEntitiesProcessor } from './processor/DataMeshEntitiesProcessor';
export {
  DESCRIPTOR_DEFAULTS_CONFIG_KEY,
  DataProductDescriptorProcessor,
  readDescriptorDefaults,
} from './processor/DataProductDescriptorProcessor';
export type { DataProductDescriptorProcessorOptions } from './processor/DataProductDescriptorProcessor';
export { DataProductHealthLabelProcessor } from './health/DataProductHealthLabelProcessor';
export { HealthLabelSnapshot } from './health/HealthLabelSnapshot';
export { LabelSnapshot } from './labels/LabelSnapshot';
export { LabelFeedUpdater } from './labels/LabelFeedUpdater';
export type { LabelFeed } from './labels/LabelFeedUpdater';
export { HealthLabelUpdater } from './health/HealthLabelUpdater';
export type { HealthLabelSource } from './health/HealthLabelUpdater';
export {
  ComplianceLabelSnapshot,
  ComplianceLabelUpdater,
  DataProductComplianceLabelProcessor,
} from './governance';
export type { ComplianceLabelSource, KnownCompliance } from './governance';
export { ObservedLineageRelationsProcessor } from './lineage/ObservedLineageRelationsProcessor';
export { ObservedLineageSnapshot } from './lineage/ObservedLineageSnapshot';
export { ObservedLineageUpdater } from './lineage/ObservedLineageUpdater';
export { DataMeshObservedLineageSource } from './lineage/ObservedLineageSource';
export type {
  ObservedLineageSource,
  ObservedProductEdgesResult,
} from './lineage/ObservedLineageSource';
export {
  createDataMeshCatalogConditionalDecision,
  dataMeshCatalogConditions,
  dataMeshCatalogPermissionRules,
  hasSensitivity,
  sensitivityLevelsFrom,
} from './permissions';
