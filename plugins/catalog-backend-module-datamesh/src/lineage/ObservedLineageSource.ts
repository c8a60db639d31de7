import type {
  AuthService,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import {
  DataMeshLineageClient,
  type ObservedProductEdge,
} from '@backstage-datamesh/plugin-datamesh-common';

/**
 * What the observed lineage source answers: the edges with their version, or that they have
 * not changed since the version the caller holds.
 * @public
 */
export type ObservedProductEdgesResult =
  | { notModified: true }
  | { notModified: false; items: ObservedProductEdge[]; etag?: string };

/**
 * Where the relations updater reads the observed product-to-product lineage from.
 * @public
 */
export interface ObservedLineageSource {
  /**
   * Every observed product-to-product edge; `notModified` when `etag` is given and the edges
   * are still that version.
   */
  getProductEdges(options: {
    etag?: string;
  }): Promise<ObservedProductEdgesResult>;
}

/**
 * Reads `GET /api/datamesh/v1/lineage/product-edges` of the data mesh backend through
 * `DataMeshLineageClient` of `@backstage-datamesh/plugin-datamesh-common`, with the catalog's own
 * service credentials, sending the version it holds as `If-None-Match` so an unchanged lineage
 * costs a 304 and no body.
 * @public
 */
export class DataMeshObservedLineageSource implements ObservedLineageSource {
  private readonly auth: AuthService;
  private readonly client: DataMeshLineageClient;

  constructor(options: { discovery: DiscoveryService; auth: AuthService }) {
    this.auth = options.auth;
    this.client = new DataMeshLineageClient({
      discoveryApi: options.discovery,
      fetchApi: { fetch: (input, init) => this.fetchAsService(input, init) },
    });
  }

  /** `fetch` with a token of the calling plugin for the datamesh backend. */
  private async fetchAsService(
    input: Parameters<typeof fetch>[0],
    init?: RequestInit,
  ): Promise<Response> {
    const { token } = await this.auth.getPluginRequestToken({
      onBehalfOf: await this.auth.getOwnServiceCredentials(),
      targetPluginId: 'datamesh',
    });
    const headers = new Headers(init?.headers);
    headers.set('authorization', `Bearer ${token}`);
    return fetch(input, { ...init, headers });
  }

  async getProductEdges(options: {
    etag?: string;
  }): Promise<ObservedProductEdgesResult> {
    const edges = await this.client.getProductEdges({ etag: options.etag });
    if (!edges) {
      return { notModified: true };
    }
    return { notModified: false, items: edges.items, etag: edges.etag };
  }
}
