import { catalogEntityPermissionResourceRef } from '@backstage/plugin-catalog-node/alpha';
import { createConditionExports } from '@backstage/plugin-permission-node';
import { dataMeshCatalogPermissionRules } from './rules';

const { conditions, createConditionalDecision } = createConditionExports({
  resourceRef: catalogEntityPermissionResourceRef,
  rules: dataMeshCatalogPermissionRules,
});

/**
 * Conditions on catalog entities for permission policies, from the data mesh suite's catalog
 * permission rules (registered by the `catalogModuleDataMesh` backend module):
 * `dataMeshCatalogConditions.hasSensitivity({ levels: ['restricted'] })` matches restricted
 * DataProducts. Combine them with the catalog's own `catalogConditions` (for example
 * `isEntityOwner`) in `anyOf` / `allOf` / `not` criteria.
 * @public
 */
export const dataMeshCatalogConditions = conditions;

/**
 * Builds the conditional decision a permission policy returns for a catalog entity permission
 * (`catalog.entity.read` and the other `catalog-entity` permissions) from criteria over
 * {@link dataMeshCatalogConditions} and the catalog's conditions; the same as the catalog's
 * `createCatalogConditionalDecision`.
 * @public
 */
export const createDataMeshCatalogConditionalDecision =
  createConditionalDecision;
