import type { Entity } from '@backstage/catalog-model';
import { Link } from '@backstage/core-components';
import { useRouteRef } from '@backstage/core-plugin-api';
import {
  entityRouteParams,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { StatusChip } from '../StatusChip';
import {
  COMPLIANCE_ANCHOR,
  COMPLIANCE_LOOKS,
  ProductCompliance,
  complianceOfEntity,
  requiredPolicyFailures,
} from './compliance';

/** What the chip's tooltip says for each compliance, the failing policies aside. */
function reasonsOf(compliance: ProductCompliance, failures: string[]) {
  switch (compliance) {
    case 'non-compliant':
      return failures.length
        ? failures.map(id => `Fails the required policy ${id}`)
        : ['A required policy fails'];
    case 'compliant':
      return ['Passes every required policy that applies'];
    default:
      return ['Its policies have not been evaluated yet'];
  }
}

/**
 * The link to a data product's Compliance card: its entity page, scrolled to the card.
 */
export function useComplianceLink(entity: Entity): string {
  const entityRoute = useRouteRef(entityRouteRef);
  return `${entityRoute(entityRouteParams(entity))}#${COMPLIANCE_ANCHOR}`;
}

/** Props of {@link ComplianceChip}. */
export interface ComplianceChipProps {
  /** The data product, with its labels and annotations. */
  entity: Entity;
  /** `small` in tables, `medium` in a card. */
  size?: 'small' | 'medium';
}

/**
 * A data product's compliance from its catalog label as a chip (green compliant, red
 * non-compliant, grey not evaluated), the failing required policies in its tooltip, linking to
 * the product's Compliance card.
 */
export function ComplianceChip(props: ComplianceChipProps) {
  const { entity, size } = props;
  const compliance = complianceOfEntity(entity);
  const look = COMPLIANCE_LOOKS[compliance];
  const href = useComplianceLink(entity);
  return (
    <Link to={href} underline="none" data-compliance={compliance}>
      <StatusChip
        look={look}
        size={size}
        reasons={reasonsOf(compliance, requiredPolicyFailures(entity))}
        ariaLabel={`Compliance: ${look.label}`}
      />
    </Link>
  );
}
