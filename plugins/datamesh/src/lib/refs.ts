import {
  CompoundEntityRef,
  DEFAULT_NAMESPACE,
  Entity,
  RELATION_OWNED_BY,
  RELATION_PART_OF,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { getEntityRelations } from '@backstage/plugin-catalog-react';

/**
 * Parses an entity reference, returning undefined instead of throwing for a malformed one.
 */
export function tryParseEntityRef(
  ref: string | undefined,
  context: { defaultKind: string; defaultNamespace?: string },
): CompoundEntityRef | undefined {
  if (!ref) {
    return undefined;
  }
  try {
    return parseEntityRef(ref, {
      defaultKind: context.defaultKind,
      defaultNamespace: context.defaultNamespace ?? DEFAULT_NAMESPACE,
    });
  } catch {
    return undefined;
  }
}

/**
 * Resolves an entity reference as the catalog does (default kind and namespace) and returns it in
 * the catalog's normalised form (`domain:default/customer`), or undefined for a malformed one.
 * Two references name the same entity exactly when their normalised forms are equal.
 */
export function normalizeEntityRef(
  ref: string | undefined,
  context: { defaultKind: string; defaultNamespace?: string },
): string | undefined {
  const parsed = tryParseEntityRef(ref, context);
  return parsed && stringifyEntityRef(parsed);
}

/**
 * Formats a full entity reference the way people read it: without the default kind and the
 * default namespace (`domain:default/customer` becomes `customer`).
 */
export function formatEntityRef(ref: string, defaultKind: string): string {
  const parsed = tryParseEntityRef(ref, { defaultKind });
  if (!parsed) {
    return ref;
  }
  const kind =
    parsed.kind.toLocaleLowerCase('en-US') ===
    defaultKind.toLocaleLowerCase('en-US')
      ? ''
      : `${parsed.kind.toLocaleLowerCase('en-US')}:`;
  const namespace =
    parsed.namespace === DEFAULT_NAMESPACE ? '' : `${parsed.namespace}/`;
  return `${kind}${namespace}${parsed.name}`;
}

function specString(entity: Entity, key: string): string | undefined {
  const value = entity.spec?.[key];
  return typeof value === 'string' ? value : undefined;
}

/**
 * The domain of a data product: its `partOf` relation to a Domain, or else its `spec.domain`.
 */
export function getDomainRef(entity: Entity): CompoundEntityRef | undefined {
  const [related] = getEntityRelations(entity, RELATION_PART_OF, {
    kind: 'domain',
  });
  return (
    related ??
    tryParseEntityRef(specString(entity, 'domain'), {
      defaultKind: 'domain',
      defaultNamespace: entity.metadata.namespace,
    })
  );
}

/**
 * The owner of an entity: its `ownedBy` relation, or else its `spec.owner`.
 */
export function getOwnerRef(entity: Entity): CompoundEntityRef | undefined {
  const [related] = getEntityRelations(entity, RELATION_OWNED_BY);
  return (
    related ??
    tryParseEntityRef(specString(entity, 'owner'), {
      defaultKind: 'group',
      defaultNamespace: entity.metadata.namespace,
    })
  );
}

/**
 * Tells whether a string is an http(s) URL that can be linked to.
 */
export function isHttpUrl(value: string): boolean {
  return /^https?:\/\//i.test(value);
}
