import { createPermission } from '@backstage/plugin-permission-common';
import { RESOURCE_TYPE_CATALOG_ENTITY } from '@backstage/plugin-catalog-common/alpha';

/**
 * Writing quality results of a data product (posting a run), checked against the product's
 * catalog entity: permission policies can allow it to the product's owners with the catalog's
 * `isEntityOwner` condition. Pipelines authenticated with `backend.auth.externalAccess` tokens
 * are service principals: they may write unless the token's `accessRestrictions` leave this
 * permission out.
 * @public
 */
export const dataMeshQualityWritePermission = createPermission({
  name: 'datamesh.quality.write',
  attributes: { action: 'create' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/**
 * Acknowledging and resolving the incidents of a data product, checked against the product's
 * catalog entity.
 * @public
 */
export const dataMeshIncidentUpdatePermission = createPermission({
  name: 'datamesh.incident.update',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/**
 * Writing OpenLineage events (RunEvents, DatasetEvents, JobEvents) into the lineage store, and
 * rebuilding it from the kept events. Not a resource permission: one event can read and write
 * the datasets of many products, and of none. Pipelines authenticated with
 * `backend.auth.externalAccess` tokens are service principals.
 * @public
 */
export const dataMeshLineageWritePermission = createPermission({
  name: 'datamesh.lineage.write',
  attributes: { action: 'create' },
});

/**
 * Every permission of the data mesh suite.
 * @public
 */
export const dataMeshPermissions = [
  dataMeshQualityWritePermission,
  dataMeshIncidentUpdatePermission,
  dataMeshLineageWritePermission,
];
