import {
  CompoundEntityRef,
  Entity,
  RELATION_PART_OF,
  getCompoundEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import {
  CatalogApi,
  catalogApiRef,
  getEntityRelations,
} from '@backstage/plugin-catalog-react';
import useAsync from 'react-use/esm/useAsync';
import { getDomainRef, normalizeEntityRef } from './refs';

/** A domain of a domain subtree. */
export interface SubtreeDomain {
  /** The domain's normalised entity reference, such as `domain:default/customer-analytics`. */
  ref: string;
  /** The domain as a compound reference, for links. */
  entityRef: CompoundEntityRef;
  /** Its title, or else its name. */
  title: string;
  /** The normalised reference of the domain it is a subdomain of; undefined for the root. */
  parentRef?: string;
}

/** A domain with its subdomains, recursively. */
export interface DomainSubtree {
  /** The domain the subtree starts at. */
  root: SubtreeDomain;
  /** Every domain of the subtree: the root first, then its subdomains level by level. */
  domains: SubtreeDomain[];
  /** The domains by normalised entity reference. */
  byRef: ReadonlyMap<string, SubtreeDomain>;
}

/** The fields a subtree query asks for: what the cards show of a subdomain, and its parent. */
const SUBDOMAIN_FIELDS = [
  'kind',
  'metadata.name',
  'metadata.namespace',
  'metadata.title',
  'spec.subdomainOf',
];

function toSubtreeDomain(entity: Entity, parentRef?: string): SubtreeDomain {
  return {
    ref: stringifyEntityRef(entity),
    entityRef: getCompoundEntityRef(entity),
    title: entity.metadata.title ?? entity.metadata.name,
    parentRef,
  };
}

/**
 * Finds the subdomains of a domain, recursively, one catalog query per level: the catalog's
 * built-in processor relates a Domain to the domain in its `spec.subdomainOf` with `partOf`, so
 * each query asks for the domains that are `partOf` one of the previous level's. A domain met
 * twice (a cycle of `subdomainOf`) is kept once, so the walk always ends.
 */
export async function loadDomainSubtree(
  catalogApi: CatalogApi,
  domain: Entity,
): Promise<DomainSubtree> {
  const root = toSubtreeDomain(domain);
  const byRef = new Map<string, SubtreeDomain>([[root.ref, root]]);
  let level = [root.ref];
  while (level.length > 0) {
    const { items } = await catalogApi.getEntities({
      filter: { kind: 'Domain', 'relations.partOf': level },
      fields: SUBDOMAIN_FIELDS,
      order: { field: 'metadata.name', order: 'asc' },
    });
    const next: string[] = [];
    for (const item of items) {
      const subdomainOf = item.spec?.subdomainOf;
      const parentRef = normalizeEntityRef(
        typeof subdomainOf === 'string' ? subdomainOf : undefined,
        { defaultKind: 'domain', defaultNamespace: item.metadata.namespace },
      );
      const subdomain = toSubtreeDomain(item, parentRef);
      if (!byRef.has(subdomain.ref)) {
        byRef.set(subdomain.ref, subdomain);
        next.push(subdomain.ref);
      }
    }
    level = next;
  }
  return { root, domains: [...byRef.values()], byRef };
}

/**
 * The subtree of a Domain entity, loaded from the catalog. Loads again when the domain or the
 * catalog API changes.
 */
export function useDomainSubtree(domain: Entity) {
  const catalogApi = useApi(catalogApiRef);
  const ref = stringifyEntityRef(domain);
  return useAsync(
    () => loadDomainSubtree(catalogApi, domain),
    // the reference stands for the domain
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [catalogApi, ref],
  );
}

/**
 * The catalog filter for the data products of every domain of a subtree (the catalog ORs the
 * values of one key).
 */
export function subtreeProductsFilter(
  subtree: DomainSubtree,
): Record<string, string[]> {
  return {
    'relations.partOf': subtree.domains.map(d => d.ref),
  };
}

/**
 * The domain of the subtree a data product is placed in: the one of its `partOf` domains that is
 * in the subtree, or else its `spec.domain`; undefined when neither is.
 */
export function findProductDomain(
  subtree: DomainSubtree,
  product: Entity,
): SubtreeDomain | undefined {
  const related = getEntityRelations(product, RELATION_PART_OF, {
    kind: 'domain',
  });
  const fallback = getDomainRef(product);
  for (const ref of fallback ? [...related, fallback] : related) {
    const domain = subtree.byRef.get(stringifyEntityRef(ref));
    if (domain) {
      return domain;
    }
  }
  return undefined;
}
