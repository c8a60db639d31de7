import type { Entity } from '@backstage/catalog-model';
import {
  COMPLIANCE_LABEL_VALUES,
  ComplianceLabelValue,
  DATA_PRODUCT_COMPLIANCE_LABEL,
  DATA_PRODUCT_POLICY_FAILURES_ANNOTATION,
} from '@backstage-datamesh/plugin-datamesh-common';
import type { EntityPredicate } from '../../lib/health';
import type { StatusTone } from '../StatusChip';

/**
 * A data product's compliance as the catalog knows it: the value of its compliance label, or
 * `not-evaluated` while it has none (the portal has not evaluated its policies yet).
 */
export type ProductCompliance = ComplianceLabelValue | 'not-evaluated';

/** Every compliance, in the order the filter lists them. */
export const PRODUCT_COMPLIANCE_STATES: readonly ProductCompliance[] = [
  ...COMPLIANCE_LABEL_VALUES,
  'not-evaluated',
];

/** The catalog field of the compliance label, for filters and facets. */
export const COMPLIANCE_LABEL_FIELD = `metadata.labels.${DATA_PRODUCT_COMPLIANCE_LABEL}`;

/**
 * The catalog field of the annotation listing the failing required policies, for the `fields`
 * of a catalog query (the catalog reads a dotted annotation name as one key).
 */
export const POLICY_FAILURES_FIELD = `metadata.annotations.${DATA_PRODUCT_POLICY_FAILURES_ANNOTATION}`;

/**
 * The id of the Compliance card's header on a DataProduct page: links to
 * `<entity page>#datamesh-compliance` open the page scrolled to the card.
 */
export const COMPLIANCE_ANCHOR = 'datamesh-compliance';

/** How each compliance looks. */
export const COMPLIANCE_LOOKS: Record<
  ProductCompliance,
  { label: string; tone: StatusTone }
> = {
  compliant: { label: 'Compliant', tone: 'ok' },
  'non-compliant': { label: 'Non-compliant', tone: 'error' },
  'not-evaluated': { label: 'Not evaluated', tone: 'aborted' },
};

/** Tells whether a string is one of the compliance states. */
export function isProductCompliance(
  value: unknown,
): value is ProductCompliance {
  return (
    typeof value === 'string' &&
    (PRODUCT_COMPLIANCE_STATES as readonly string[]).includes(value)
  );
}

/**
 * A data product's compliance from its catalog label: `not-evaluated` without the label (or
 * with a value that is not a compliance).
 */
export function complianceOfEntity(entity: Entity): ProductCompliance {
  const value = entity.metadata.labels?.[DATA_PRODUCT_COMPLIANCE_LABEL];
  return value === 'compliant' || value === 'non-compliant'
    ? value
    : 'not-evaluated';
}

/**
 * The ids of the required policies a data product fails, from its annotation (comma-separated);
 * empty without it.
 */
export function requiredPolicyFailures(entity: Entity): string[] {
  const value =
    entity.metadata.annotations?.[DATA_PRODUCT_POLICY_FAILURES_ANNOTATION];
  if (typeof value !== 'string') {
    return [];
  }
  return value
    .split(',')
    .map(id => id.trim())
    .filter(Boolean);
}

/**
 * The catalog query for the data products of one compliance, run by the catalog on the server.
 * A product without the label is `not-evaluated`, which the key-value filter cannot say: that one
 * is a predicate query.
 */
export function complianceCatalogQuery(compliance: ProductCompliance): {
  filter?: Record<string, string>;
  query?: EntityPredicate;
} {
  if (compliance !== 'not-evaluated') {
    return { filter: { [COMPLIANCE_LABEL_FIELD]: compliance } };
  }
  return {
    query: { $not: { [COMPLIANCE_LABEL_FIELD]: { $exists: true } } },
  };
}

/**
 * How many products have each compliance, from the facets of the compliance label and of the
 * kind: the products without a compliance label count as not evaluated.
 */
export function complianceCounts(
  facets: Record<string, Array<{ value: string; count: number }>> | undefined,
): Partial<Record<ProductCompliance, number>> {
  if (!facets) {
    return {};
  }
  const counts: Partial<Record<ProductCompliance, number>> = {};
  const total = (facets.kind ?? []).reduce((sum, f) => sum + f.count, 0);
  let labelled = 0;
  for (const facet of facets[COMPLIANCE_LABEL_FIELD] ?? []) {
    if (facet.value === 'compliant' || facet.value === 'non-compliant') {
      counts[facet.value] = (counts[facet.value] ?? 0) + facet.count;
      labelled += facet.count;
    }
  }
  counts['not-evaluated'] = Math.max(0, total - labelled);
  return counts;
}
