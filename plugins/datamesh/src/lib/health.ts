import {
  DEFAULT_NAMESPACE,
  Entity,
  parseEntityRef,
} from '@backstage/catalog-model';
import type { CatalogApi } from '@backstage/plugin-catalog-react';
import {
  DATA_PRODUCT_HEALTH_LABEL,
  DataProductRef,
  PRODUCT_HEALTH_STATES,
  ProductHealthState,
  formatLag,
} from '@backstage-datamesh/plugin-datamesh-common';

/** The catalog label that carries a data product's current health (one constant, in `-common`). */
export const HEALTH_LABEL = DATA_PRODUCT_HEALTH_LABEL;

/** The catalog field of the health label, for filters and facets. */
export const HEALTH_LABEL_FIELD = `metadata.labels.${HEALTH_LABEL}`;

/** How each health reads. */
export const HEALTH_LABELS: Record<ProductHealthState, string> = {
  healthy: 'Healthy',
  degraded: 'Degraded',
  breaching: 'Breaching',
  unknown: 'Unknown',
};

/** The catalog's predicate query, as `queryEntities` takes it. */
export type EntityPredicate = NonNullable<
  Extract<
    Parameters<CatalogApi['queryEntities']>[0],
    { filter?: unknown }
  >['query']
>;

/**
 * The catalog query for the data products of one health, run by the catalog on the server. A
 * product without the health label is `unknown`, which the key-value filter cannot say: that one
 * is a predicate query.
 */
export function healthCatalogQuery(health: ProductHealthState): {
  filter?: Record<string, string>;
  query?: EntityPredicate;
} {
  if (health !== 'unknown') {
    return { filter: { [HEALTH_LABEL_FIELD]: health } };
  }
  return {
    query: {
      $any: [
        { [HEALTH_LABEL_FIELD]: 'unknown' },
        { $not: { [HEALTH_LABEL_FIELD]: { $exists: true } } },
      ],
    },
  };
}

/** Tells whether a string is one of the health states. */
export function isHealthState(value: unknown): value is ProductHealthState {
  return (
    typeof value === 'string' &&
    (PRODUCT_HEALTH_STATES as readonly string[]).includes(value)
  );
}

/**
 * The health of a data product as the catalog knows it, from its health label; `unknown` for a
 * product without the label (or with a value that is not a health).
 */
export function healthOfEntity(entity: Entity): ProductHealthState {
  const value = entity.metadata.labels?.[HEALTH_LABEL];
  return isHealthState(value) ? value : 'unknown';
}

/** The backend's reference of the product an entity (or an entity ref) is. */
export function productRefOf(entity: Entity | string): DataProductRef {
  if (typeof entity === 'string') {
    const parsed = parseEntityRef(entity, {
      defaultKind: 'dataproduct',
      defaultNamespace: DEFAULT_NAMESPACE,
    });
    return { namespace: parsed.namespace, name: parsed.name };
  }
  return {
    namespace: entity.metadata.namespace ?? DEFAULT_NAMESPACE,
    name: entity.metadata.name,
  };
}

/** How long ago a time was, the way on-call reads it (`3h 12m`); undefined without a time. */
export function durationSince(
  iso: string | undefined,
  now = Date.now(),
): string | undefined {
  if (!iso) {
    return undefined;
  }
  const at = Date.parse(iso);
  return Number.isNaN(at) ? undefined : formatLag(now - at);
}

const timestampFormat = new Intl.DateTimeFormat(undefined, {
  dateStyle: 'medium',
  timeStyle: 'short',
});

/** A time as people read it, in their own time zone and locale. */
export function formatTimestamp(iso: string): string {
  const at = Date.parse(iso);
  return Number.isNaN(at) ? iso : timestampFormat.format(at);
}
