import {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import { ResponseError } from '@backstage/errors';
import type { DataMeshProblem } from '@backstage-datamesh/plugin-datamesh-common';

const MESH_KINDS = new Set(['dataproduct', 'domain']);

/** A row of the catalog's unprocessed-entities API (refresh state). */
type UnprocessedRow = {
  entity_ref?: string;
  unprocessed_entity?: {
    kind?: string;
    metadata?: {
      name?: string;
      namespace?: string;
      title?: string;
      annotations?: Record<string, string>;
    };
    spec?: { domain?: unknown };
  };
  errors?: Array<{ message?: string; cause?: { message?: string } }>;
};

/**
 * Lists the DataProducts and Domains that the catalog could not process, with their errors, as
 * the caller may see them: read from the catalog's unprocessed-entities API (module
 * `@backstage/plugin-catalog-backend-module-unprocessed`) on behalf of the caller.
 */
export async function listDataMeshProblems(options: {
  auth: AuthService;
  discovery: DiscoveryService;
  credentials: BackstageCredentials;
}): Promise<DataMeshProblem[]> {
  const { auth, discovery, credentials } = options;
  const baseUrl = await discovery.getBaseUrl('catalog');
  const { token } = await auth.getPluginRequestToken({
    onBehalfOf: credentials,
    targetPluginId: 'catalog',
  });
  const rows: UnprocessedRow[] = [];
  for (const reason of ['pending', 'failed']) {
    const response = await fetch(`${baseUrl}/entities/unprocessed/${reason}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    const body = (await response.json()) as { entities?: UnprocessedRow[] };
    rows.push(...(body.entities ?? []));
  }
  const problems = new Map<string, DataMeshProblem>();
  for (const row of rows) {
    const entity = row.unprocessed_entity;
    const kind = entity?.kind ?? '';
    if (
      !MESH_KINDS.has(kind.toLocaleLowerCase('en-US')) ||
      !row.errors?.length
    ) {
      continue;
    }
    const entityRef =
      row.entity_ref ??
      `${kind.toLocaleLowerCase('en-US')}:${
        entity?.metadata?.namespace ?? 'default'
      }/${entity?.metadata?.name}`;
    problems.set(entityRef, {
      entityRef,
      kind,
      title: entity?.metadata?.title ?? entity?.metadata?.name ?? entityRef,
      domain:
        typeof entity?.spec?.domain === 'string'
          ? entity.spec.domain
          : undefined,
      location:
        entity?.metadata?.annotations?.['backstage.io/managed-by-location'],
      errors: row.errors.map(e =>
        e.cause?.message && e.message
          ? `${e.message}: ${e.cause.message}`
          : e.message ?? 'Unknown error',
      ),
    });
  }
  return [...problems.values()].sort((a, b) =>
    a.entityRef.localeCompare(b.entityRef),
  );
}
