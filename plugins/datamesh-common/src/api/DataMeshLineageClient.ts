import { ResponseError } from '@backstage/errors';
import type { DataProductRef } from './DataMeshQualityClient';
import type {
  LineageDirection,
  LineageDrift,
  LineageDriftList,
  LineageGraph,
  LineageGraphDepth,
  LineageImpact,
  ObservedProductEdges,
  PortColumnLineage,
} from './lineage';

/**
 * The typed client of the data mesh backend's lineage read API (`/api/datamesh/v1`): a product's
 * lineage graph, column lineage, impact and drift, and the observed product edges. Usable in the
 * browser (with Backstage's `fetchApi` and `discoveryApi`) and in Node.js.
 * @public
 */
export class DataMeshLineageClient {
  private readonly discovery: { getBaseUrl(pluginId: string): Promise<string> };
  private readonly fetch: typeof fetch;

  constructor(options: {
    discoveryApi: { getBaseUrl(pluginId: string): Promise<string> };
    fetchApi?: { fetch: typeof fetch };
  }) {
    this.discovery = options.discoveryApi;
    this.fetch = options.fetchApi?.fetch ?? ((...args) => fetch(...args));
  }

  private async url(path: string, query?: Record<string, unknown>) {
    const baseUrl = await this.discovery.getBaseUrl('datamesh');
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query ?? {})) {
      if (value !== undefined) params.set(key, String(value));
    }
    const suffix = params.size ? `?${params}` : '';
    return `${baseUrl}/v1${path}${suffix}`;
  }

  private async request<T>(
    path: string,
    query?: Record<string, unknown>,
  ): Promise<T> {
    const response = await this.fetch(await this.url(path, query));
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as T;
  }

  private static product(ref: DataProductRef): string {
    return `/products/${encodeURIComponent(ref.namespace)}/${encodeURIComponent(
      ref.name,
    )}`;
  }

  /**
   * A product's lineage graph: its ports and jobs, and the products, jobs and external datasets
   * upstream and/or downstream up to `depth` job hops (default both ways, depth 2, 300 nodes).
   */
  getLineageGraph(
    ref: DataProductRef,
    options?: {
      direction?: LineageDirection;
      depth?: LineageGraphDepth;
      maxNodes?: number;
    },
  ): Promise<LineageGraph> {
    return this.request(`${DataMeshLineageClient.product(ref)}/lineage`, {
      direction: options?.direction,
      depth: options?.depth,
      maxNodes: options?.maxNodes,
    });
  }

  /** The column lineage of one of a product's output ports. */
  getColumnLineage(
    ref: DataProductRef,
    port: string,
  ): Promise<PortColumnLineage> {
    return this.request(
      `${DataMeshLineageClient.product(ref)}/ports/${encodeURIComponent(
        port,
      )}/column-lineage`,
    );
  }

  /** The products downstream of a product, nearest first, with owners and health. */
  getImpact(
    ref: DataProductRef,
    options?: { depth?: LineageGraphDepth },
  ): Promise<LineageImpact> {
    return this.request(`${DataMeshLineageClient.product(ref)}/impact`, {
      depth: options?.depth,
    });
  }

  /** A product's declared input ports against its observed lineage in the last `days`. */
  getDrift(
    ref: DataProductRef,
    options?: { days?: number },
  ): Promise<LineageDrift> {
    return this.request(`${DataMeshLineageClient.product(ref)}/lineage/drift`, {
      days: options?.days,
    });
  }

  /** The products with some drift, paged. */
  listDrift(options?: {
    days?: number;
    limit?: number;
    offset?: number;
  }): Promise<LineageDriftList> {
    return this.request('/lineage/drift', {
      days: options?.days,
      limit: options?.limit,
      offset: options?.offset,
    });
  }

  /**
   * The observed product-to-product edges. With the `etag` of an earlier answer, resolves to
   * `undefined` when nothing changed since (the server answered 304).
   */
  async getProductEdges(options?: {
    etag?: string;
  }): Promise<ObservedProductEdges | undefined> {
    const response = await this.fetch(
      await this.url('/lineage/product-edges'),
      {
        headers: options?.etag ? { 'if-none-match': options.etag } : {},
      },
    );
    if (response.status === 304) {
      return undefined;
    }
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as ObservedProductEdges;
  }
}
