import { createApiRef } from '@backstage/frontend-plugin-api';
import type {
  DataProductRef,
  LineageDirection,
  LineageDrift,
  LineageDriftList,
  LineageGraph,
  LineageGraphDepth,
  LineageImpact,
  PortColumnLineage,
} from '@backstage-datamesh/plugin-datamesh-common';

/**
 * The lineage read API of the data mesh backend (`/api/datamesh/v1`), as the frontend uses it.
 * `DataMeshLineageClient` of `@backstage-datamesh/plugin-datamesh-common` implements it.
 * @public
 */
export interface DataMeshLineageApi {
  /**
   * A product's lineage graph: its ports and jobs, and the products, jobs and external datasets
   * upstream and/or downstream up to `depth` job hops, cut at `maxNodes` nodes.
   */
  getLineageGraph(
    ref: DataProductRef,
    options?: {
      direction?: LineageDirection;
      depth?: LineageGraphDepth;
      maxNodes?: number;
    },
  ): Promise<LineageGraph>;
  /** The column lineage of one of a product's output ports. */
  getColumnLineage(
    ref: DataProductRef,
    port: string,
  ): Promise<PortColumnLineage>;
  /** The products downstream of a product, nearest first, with owners, on-call and health. */
  getImpact(
    ref: DataProductRef,
    options?: { depth?: LineageGraphDepth },
  ): Promise<LineageImpact>;
  /** A product's declared input ports against its observed lineage in the last `days`. */
  getDrift(
    ref: DataProductRef,
    options?: { days?: number },
  ): Promise<LineageDrift>;
  /** The products with some lineage drift, paged. */
  listDrift(options?: {
    days?: number;
    limit?: number;
    offset?: number;
  }): Promise<LineageDriftList>;
}

/**
 * The API reference of the {@link DataMeshLineageApi}.
 * @public
 */
export const dataMeshLineageApiRef = createApiRef<DataMeshLineageApi>().with({
  id: 'plugin.datamesh.lineage',
  pluginId: 'datamesh',
});
