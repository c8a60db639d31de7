import { useEntity } from '@backstage/plugin-catalog-react';
import {
  DataProductEntityV1alpha1,
  isDataProductEntity,
} from '@backstage-datamesh/plugin-datamesh-common';

/**
 * The DataProduct entity of the entity page, or undefined when the page shows another kind.
 */
export function useDataProductEntity(): DataProductEntityV1alpha1 | undefined {
  const { entity } = useEntity();
  return isDataProductEntity(entity) ? entity : undefined;
}

/** The message cards show when placed on the page of an entity that is not a DataProduct. */
export const NOT_A_DATA_PRODUCT =
  'This card shows DataProduct entities (apiVersion datamesh.io/v1alpha1, kind DataProduct) only.';
