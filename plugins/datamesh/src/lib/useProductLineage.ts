import { DependencyList } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { useApi } from '@backstage/core-plugin-api';
import type { DataProductRef } from '@backstage-datamesh/plugin-datamesh-common';
import { DataMeshLineageApi, dataMeshLineageApiRef } from '../api';
import { productRefOf } from './health';
import { useDataProductEntity } from './useDataProductEntity';

/**
 * Loads something about the entity page's data product from the lineage API: the DataProduct
 * entity (undefined on the page of another kind, where nothing is loaded) and the loaded value,
 * loaded again when the product, the API or `deps` change, or on `retry`.
 */
export function useProductLineage<T>(
  load: (api: DataMeshLineageApi, ref: DataProductRef) => Promise<T>,
  deps: DependencyList = [],
) {
  const entity = useDataProductEntity();
  const lineageApi = useApi(dataMeshLineageApiRef);
  const ref = entity ? productRefOf(entity) : undefined;
  const state = useAsyncRetry(
    async () => (ref ? load(lineageApi, ref) : undefined),
    // the namespace and name stand for the product
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [lineageApi, ref?.namespace, ref?.name, ...deps],
  );
  return { entity, ...state };
}
