import { useRouteRef } from '@backstage/core-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import {
  entityRouteParams,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { LINEAGE_IMPACT_QUERY, LINEAGE_TAB_PATH } from '../../routes';

/**
 * The path of a data product's impact analysis: its Lineage tab with `view=impact`.
 */
export function useImpactAnalysisPath(): (entity: Entity | string) => string {
  const entityRoute = useRouteRef(entityRouteRef);
  return entity =>
    `${entityRoute(
      entityRouteParams(entity),
    )}/${LINEAGE_TAB_PATH}?${LINEAGE_IMPACT_QUERY}`;
}
