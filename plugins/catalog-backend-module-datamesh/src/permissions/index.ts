export {
  dataMeshCatalogPermissionRules,
  hasSensitivity,
  sensitivityLevelsFrom,
} from './rules';
export {
  createDataMeshCatalogConditionalDecision,
  dataMeshCatalogConditions,
} from './conditions';
