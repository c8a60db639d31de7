import { createBackendModule } from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  PolicyDecision,
  isPermission,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import {
  catalogConditions,
  createCatalogConditionalDecision,
} from '@backstage/plugin-catalog-backend/alpha';
import {
  dataMeshIncidentUpdatePermission,
  dataMeshQualityWritePermission,
} from '@backstage-datamesh/plugin-datamesh-common';

/**
 * The portal's permission policy: everything is allowed, but writes to a data product's quality
 * results and incidents, which only the product's owners may make (the groups that own it and
 * their members, through the catalog's `isEntityOwner` condition). Pipelines are service
 * principals (`backend.auth.externalAccess` tokens): the permission framework allows them unless
 * their token's `accessRestrictions` leave the permission out, so a policy never sees them.
 */
export class DataMeshPortalPolicy implements PermissionPolicy {
  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    for (const permission of [
      dataMeshQualityWritePermission,
      dataMeshIncidentUpdatePermission,
    ]) {
      if (isPermission(request.permission, permission)) {
        return createCatalogConditionalDecision(
          permission,
          catalogConditions.isEntityOwner({
            claims: user?.info.ownershipEntityRefs ?? [],
          }),
        );
      }
    }
    return { result: AuthorizeResult.ALLOW };
  }
}

/** Installs {@link DataMeshPortalPolicy} as the permission backend's policy. */
export default createBackendModule({
  pluginId: 'permission',
  moduleId: 'datamesh-policy',
  register(reg) {
    reg.registerInit({
      deps: { policy: policyExtensionPoint },
      async init({ policy }) {
        policy.setPolicy(new DataMeshPortalPolicy());
      },
    });
  },
});
