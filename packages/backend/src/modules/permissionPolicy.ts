import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
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
import { catalogEntityReadPermission } from '@backstage/plugin-catalog-common/alpha';
import { dataMeshCatalogConditions } from '@backstage-datamesh/plugin-catalog-backend-module-datamesh';
import {
  dataMeshIncidentUpdatePermission,
  dataMeshQualityWritePermission,
} from '@backstage-datamesh/plugin-datamesh-common';

/** The app-config key of the groups that read every data product. */
export const PLATFORM_TEAMS_CONFIG_KEY = 'datamesh.access.platformTeams';

/** Options of {@link DataMeshPortalPolicy}. */
export type DataMeshPortalPolicyOptions = {
  /**
   * Entity refs of the groups (or users) that read every data product, restricted ones
   * included: the platform team. Compared with the caller's ownership refs.
   */
  platformTeams?: string[];
};

/** An entity ref in the canonical form the auth backend issues ownership refs in, lower-cased. */
function ownershipKey(ref: string): string {
  return stringifyEntityRef(
    parseEntityRef(ref, { defaultKind: 'group', defaultNamespace: 'default' }),
  ).toLocaleLowerCase('en-US');
}

/**
 * Reads {@link PLATFORM_TEAMS_CONFIG_KEY}: entity refs, a kind defaulting to `group` and a
 * namespace to `default`. Throws an `InputError` naming the key and the value it cannot read.
 */
export function readPlatformTeams(config: Config): string[] {
  const refs = config.getOptionalStringArray(PLATFORM_TEAMS_CONFIG_KEY) ?? [];
  return refs.map((ref, index) => {
    try {
      return ownershipKey(ref);
    } catch (error) {
      throw new InputError(
        `Invalid entity ref '${ref}' at ${PLATFORM_TEAMS_CONFIG_KEY}[${index}]: ${error}`,
      );
    }
  });
}

/**
 * The portal's permission policy: everything is allowed, but
 * - reading a `restricted` DataProduct (`catalog.entity.read` on a product whose
 *   `spec.sensitivity` is `restricted`), which only the product's owners (the groups that own it
 *   and their members, through the catalog's `isEntityOwner` condition) and the platform teams
 *   (`datamesh.access.platformTeams`) may do: to anyone else the product does not exist, in the
 *   catalog's answers, in search results and in the data mesh suite's routes;
 * - writes to a data product's quality results and incidents, which only the product's owners
 *   may make.
 *
 * Read and write conditions are catalog conditions, so the catalog applies them in SQL to its
 * list endpoints. Pipelines are service principals (`backend.auth.externalAccess` tokens): the
 * permission framework allows them unless their token's `accessRestrictions` leave the
 * permission out, so a policy never sees them.
 */
export class DataMeshPortalPolicy implements PermissionPolicy {
  private readonly platformTeams: Set<string>;

  constructor(options: DataMeshPortalPolicyOptions = {}) {
    this.platformTeams = new Set(
      (options.platformTeams ?? []).map(ownershipKey),
    );
  }

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    const claims = user?.info.ownershipEntityRefs ?? [];
    if (isPermission(request.permission, catalogEntityReadPermission)) {
      if (claims.some(ref => this.platformTeams.has(ownershipKey(ref)))) {
        return { result: AuthorizeResult.ALLOW };
      }
      return createCatalogConditionalDecision(request.permission, {
        anyOf: [
          {
            not: dataMeshCatalogConditions.hasSensitivity({
              levels: ['restricted'],
            }),
          },
          catalogConditions.isEntityOwner({ claims }),
        ],
      });
    }
    for (const permission of [
      dataMeshQualityWritePermission,
      dataMeshIncidentUpdatePermission,
    ]) {
      if (isPermission(request.permission, permission)) {
        return createCatalogConditionalDecision(
          permission,
          catalogConditions.isEntityOwner({ claims }),
        );
      }
    }
    return { result: AuthorizeResult.ALLOW };
  }
}

/**
 * Installs {@link DataMeshPortalPolicy} as the permission backend's policy, with the platform
 * teams of `datamesh.access.platformTeams`.
 */
export default createBackendModule({
  pluginId: 'permission',
  moduleId: 'datamesh-policy',
  register(reg) {
    reg.registerInit({
      deps: { policy: policyExtensionPoint, config: coreServices.rootConfig },
      async init({ policy, config }) {
        policy.setPolicy(
          new DataMeshPortalPolicy({
            platformTeams: readPlatformTeams(config),
          }),
        );
      },
    });
  },
});
