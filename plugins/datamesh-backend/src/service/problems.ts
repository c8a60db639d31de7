import {
  AuthService,
  BackstageCredentials,
  PermissionsService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import {
  ANNOTATION_LOCATION,
  type Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  AuthorizeResult,
  createPermission,
} from '@backstage/plugin-permission-common';
import {
  NotAllowedError,
  NotImplementedError,
  ResponseError,
} from '@backstage/errors';
import type {
  CatalogUnprocessedEntitiesApi,
  UnprocessedEntity,
} from '@backstage/plugin-catalog-unprocessed-entities-common';
import type { DataMeshProblem } from '@backstage-datamesh/plugin-datamesh-common';
import { isRestricted } from './audit';

/** The kinds whose rejected entities the data mesh shows, in lower case. */
const MESH_KINDS = new Set(['dataproduct', 'domain']);

/**
 * The problem an unprocessed entity of the catalog stands for, when it is a DataProduct or a
 * Domain that failed processing; `undefined` for any other kind, and for an entity that is only
 * waiting for its first processing (no errors).
 */
export function toDataMeshProblem(
  row: UnprocessedEntity,
): DataMeshProblem | undefined {
  const entity = row.unprocessed_entity;
  if (
    !MESH_KINDS.has(entity.kind.toLocaleLowerCase('en-US')) ||
    !row.errors?.length
  ) {
    return undefined;
  }
  const domain = entity.spec?.domain;
  return {
    // from the entity: the module answers `entity_ref` null for pending rows (its query selects
    // the columns of both tables it joins, and the missing stitched row's overwrites it)
    entityRef: stringifyEntityRef(entity),
    kind: entity.kind,
    title: entity.metadata.title ?? entity.metadata.name,
    domain: typeof domain === 'string' ? domain : undefined,
    location: entity.metadata.annotations?.[ANNOTATION_LOCATION],
    // the catalog stores serialised errors; `cause` is absent when the error had none
    errors: row.errors.map(e =>
      e.cause?.message ? `${e.message}: ${e.cause.message}` : e.message,
    ),
  };
}

/**
 * Lists the DataProducts and Domains that the catalog could not process, with their errors, as
 * the caller may see them.
 *
 * They are read from the catalog's unprocessed-entities API (the catalog module
 * `@backstage/plugin-catalog-backend-module-unprocessed`), on behalf of the caller, who needs
 * its `catalog.entities.unprocessed.read` permission. Only its `pending` list is asked for: an
 * entity whose processing fails before its first success never gets a stitched entity, and that
 * list holds exactly the entities without one. (Its `failed` list holds entities with an empty
 * stitched row, which the catalog of this release line never writes.) The API has neither a kind
 * filter nor paging: the answer holds every entity of every kind that is not in the catalog, and
 * this function keeps the mesh's kinds.
 *
 * @throws NotAllowedError when the caller may not read unprocessed entities, and
 * NotImplementedError when the catalog has no unprocessed-entities module.
 */
export async function listDataMeshProblems(options: {
  auth: AuthService;
  unprocessed: CatalogUnprocessedEntitiesApi;
  credentials: BackstageCredentials;
  /** Which of the rejected entities the caller may see; all of them when not given. */
  visible?: (entity: Entity) => boolean;
}): Promise<DataMeshProblem[]> {
  const { auth, unprocessed, credentials } = options;
  const visible = options.visible ?? (() => true);
  const { token } = await auth.getPluginRequestToken({
    onBehalfOf: credentials,
    targetPluginId: 'catalog',
  });
  let rows: UnprocessedEntity[];
  try {
    ({ entities: rows } = await unprocessed.pending({ token }));
  } catch (error) {
    if (ResponseError.is(error) && error.statusCode === 403) {
      throw new NotAllowedError(
        'The catalog does not let the caller read unprocessed entities (permission catalog.entities.unprocessed.read)',
        error,
      );
    }
    if (ResponseError.is(error) && error.statusCode === 404) {
      throw new NotImplementedError(
        'The catalog serves no unprocessed entities: add @backstage/plugin-catalog-backend-module-unprocessed to the backend',
        error,
      );
    }
    throw error;
  }
  return rows
    .filter(row => visible(row.unprocessed_entity))
    .flatMap(row => toDataMeshProblem(row) ?? [])
    .sort((a, b) => a.entityRef.localeCompare(b.entityRef));
}

/**
 * The catalog's read permission (`catalog.entity.read` of `@backstage/plugin-catalog-common`),
 * asked about by name: a rejected entity is not in the catalog, so the catalog cannot apply its
 * conditions to it, and the suite applies the one it knows, sensitivity and ownership.
 */
const catalogEntityRead = createPermission({
  name: 'catalog.entity.read',
  attributes: { action: 'read' },
  resourceType: 'catalog-entity',
});

/** An owner ref as the catalog compares it: kind `group` and namespace `default` by default. */
function ownerKey(ref: string): string | undefined {
  try {
    return stringifyEntityRef(
      parseEntityRef(ref, {
        defaultKind: 'group',
        defaultNamespace: 'default',
      }),
    );
  } catch {
    return undefined;
  }
}

/**
 * Which rejected entities a caller may see in `GET /problems`. Rejected entities never reach the
 * catalog, so the catalog's read policy cannot be applied to them; the suite asks it what the
 * caller may read: everything (ALLOW: the platform team, with the example policy) shows every
 * problem, nothing (DENY) none, and a conditional answer (everyone else) every problem except
 * those of `restricted` DataProducts whose owner (`spec.owner`) is not among the caller's
 * ownership refs. A service sees every problem.
 * @internal
 */
export async function problemsVisibility(options: {
  permissions: PermissionsService;
  userInfo: UserInfoService;
  credentials: BackstageCredentials;
}): Promise<(entity: Entity) => boolean> {
  const { permissions, userInfo, credentials } = options;
  if ((credentials.principal as { type?: string }).type !== 'user') {
    return () => true;
  }
  const [decision] = await permissions.authorizeConditional(
    [{ permission: catalogEntityRead }],
    { credentials },
  );
  if (decision.result === AuthorizeResult.ALLOW) {
    return () => true;
  }
  if (decision.result === AuthorizeResult.DENY) {
    return () => false;
  }
  const { ownershipEntityRefs } = await userInfo.getUserInfo(
    credentials as BackstageCredentials<never>,
  );
  const owned = new Set(ownershipEntityRefs.map(ownerKey));
  return entity => {
    if (!isRestricted(entity)) {
      return true;
    }
    const owner = (entity.spec as { owner?: unknown } | undefined)?.owner;
    return typeof owner === 'string' && owned.has(ownerKey(owner));
  };
}
