import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  Entity,
  RELATION_OWNED_BY,
  RELATION_PART_OF,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError, NotFoundError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type {
  ProductHealth,
  ProductHealthState,
} from '@backstage-datamesh/plugin-datamesh-common';
import type { DataMeshActionsOptions } from './productActions';
import { failingCheck, healthState } from './schemas';
import type { ProductVisibility } from '../service/visibility';

/** Worst first: breaching, degraded, unknown, healthy. */
const WORST_FIRST: Record<ProductHealthState, number> = {
  breaching: 0,
  degraded: 1,
  unknown: 2,
  healthy: 3,
};

/** Entity refs compare case-insensitively in the catalog. */
const normalize = (ref: string) => ref.toLocaleLowerCase('en-US');

function parseRef(value: string, defaultKind: string, field: string) {
  try {
    return stringifyEntityRef(
      parseEntityRef(value, { defaultKind, defaultNamespace: 'default' }),
    );
  } catch {
    throw new InputError(
      `${field} must be an entity reference such as ${defaultKind.toLocaleLowerCase(
        'en-US',
      )}:default/name, or a name, not ${JSON.stringify(value)}`,
    );
  }
}

/**
 * The normalised refs of a domain and all its subdomains, as the caller may see them: the
 * catalog relates a Domain to the domain of its `spec.subdomainOf` with `partOf`, so each level
 * is one query for the domains `partOf` the previous level's. A cycle ends the walk.
 */
async function domainSubtree(
  catalog: CatalogService,
  domainRef: string,
  credentials: BackstageCredentials,
): Promise<Set<string>> {
  const root = await catalog.getEntityByRef(domainRef, { credentials });
  if (!root || root.kind.toLocaleLowerCase('en-US') !== 'domain') {
    throw new NotFoundError(`No domain ${domainRef} in the catalog`);
  }
  const refs = new Set([normalize(stringifyEntityRef(root))]);
  let level = [...refs];
  while (level.length > 0) {
    const { items } = await catalog.getEntities(
      {
        filter: { kind: 'Domain', [`relations.${RELATION_PART_OF}`]: level },
        fields: ['kind', 'metadata.name', 'metadata.namespace'],
      },
      { credentials },
    );
    level = items
      .map(item => normalize(stringifyEntityRef(item)))
      .filter(ref => !refs.has(ref));
    level.forEach(ref => refs.add(ref));
  }
  return refs;
}

function relationOf(entity: Entity, type: string, kind?: string) {
  return entity.relations?.find(
    r =>
      r.type === type &&
      (!kind ||
        parseEntityRef(r.targetRef).kind.toLocaleLowerCase('en-US') === kind),
  )?.targetRef;
}

/** Registers `list-unhealthy-data-products`. */
export function registerListUnhealthyAction(
  options: DataMeshActionsOptions & {
    catalog: CatalogService;
    /** Which products the caller may see: the store lists only those. */
    visibility: ProductVisibility;
  },
) {
  const { actionsRegistry, health, catalog, visibility } = options;

  actionsRegistry.register({
    name: 'list-unhealthy-data-products',
    title: 'List unhealthy data products',
    description: `The data products that are breaching or degraded, worst first (breaching before degraded, then the longest in that state first), as the Mesh health page lists them.
Each product comes with its health, the reasons (which objectives and checks fail, and by how much), since when, its owner, its domain, and its failing checks.
Filter by domain (a domain includes its subdomains), by owner (a group or user), or by health; health defaults to breaching and degraded. To ask "what is breaching in the customer domain and why": domain "customer", health ["breaching"].`,
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: {
      input: z =>
        z.object({
          domain: z
            .string()
            .min(1)
            .optional()
            .describe(
              'Only products of this domain or one of its subdomains: domain:default/customer, or a name',
            ),
          owner: z
            .string()
            .min(1)
            .optional()
            .describe(
              'Only products owned by this group or user: group:default/sales-team, or a group name',
            ),
          health: z
            .array(healthState(z))
            .min(1)
            .optional()
            .describe(
              'Only products of these health states (default breaching and degraded)',
            ),
          limit: z
            .number()
            .int()
            .min(1)
            .max(500)
            .optional()
            .describe('At most this many products (default 50)'),
        }),
      output: z =>
        z.object({
          total: z
            .number()
            .describe('How many products match, before the limit'),
          items: z.array(
            z.object({
              entityRef: z.string(),
              title: z.string(),
              health: healthState(z),
              reasons: z.array(z.string()),
              since: z.string().describe('Since when (ISO 8601)'),
              owner: z.string().optional(),
              domain: z.string().optional(),
              failingChecks: z.array(failingCheck(z)),
            }),
          ),
        }),
    },
    action: async ({ input, credentials }) => {
      const states = input.health ?? ['breaching', 'degraded'];
      const owner =
        input.owner && normalize(parseRef(input.owner, 'Group', 'owner'));
      const domains =
        input.domain &&
        (await domainSubtree(
          catalog,
          parseRef(input.domain, 'Domain', 'domain'),
          credentials,
        ));
      const rows = await health.listHealth({
        health: states,
        visibleRefs: await visibility.storeFilter(credentials),
      });
      // the catalog answers only the products the caller may see, and null for the others
      const { items: entities } = rows.length
        ? await catalog.getEntitiesByRefs(
            {
              entityRefs: rows.map(r => r.entityRef),
              fields: [
                'kind',
                'metadata.name',
                'metadata.namespace',
                'metadata.title',
                'relations',
              ],
            },
            { credentials },
          )
        : { items: [] };
      const matches: Array<{
        row: ProductHealth;
        entity: Entity;
        owner?: string;
        domain?: string;
      }> = [];
      rows.forEach((row, i) => {
        const entity = entities[i];
        if (!entity) {
          return;
        }
        const ownerRef = relationOf(entity, RELATION_OWNED_BY);
        const domainRef = relationOf(entity, RELATION_PART_OF, 'domain');
        if (owner && (!ownerRef || normalize(ownerRef) !== owner)) {
          return;
        }
        if (domains && (!domainRef || !domains.has(normalize(domainRef)))) {
          return;
        }
        matches.push({ row, entity, owner: ownerRef, domain: domainRef });
      });
      matches.sort(
        (a, b) =>
          WORST_FIRST[a.row.health] - WORST_FIRST[b.row.health] ||
          Date.parse(a.row.since) - Date.parse(b.row.since),
      );
      return {
        output: {
          total: matches.length,
          items: matches.slice(0, input.limit ?? 50).map(m => ({
            entityRef: m.row.entityRef,
            title: m.entity.metadata.title ?? m.entity.metadata.name,
            health: m.row.health,
            reasons: m.row.reasons,
            since: m.row.since,
            owner: m.owner,
            domain: m.domain,
            failingChecks: m.row.failingChecks,
          })),
        },
      };
    },
  });
}
