import { ResponseError } from '@backstage/errors';
import type {
  Incident,
  IncidentState,
  ProductHealth,
  ProductHealthState,
} from '../health';
import type {
  PostQualityResultsResponse,
  ProductHistory,
  RawQualityDocument,
  StoredCheckResult,
  StoredQualityRun,
} from './types';

/**
 * A product by the parts of its entity ref.
 * @public
 */
export interface DataProductRef {
  namespace: string;
  name: string;
}

/**
 * The typed client of the data mesh backend's quality and health API (`/api/datamesh/v1`),
 * usable in the browser (with Backstage's `fetchApi` and `discoveryApi`) and in Node.js.
 * @public
 */
export class DataMeshQualityClient {
  private readonly discovery: { getBaseUrl(pluginId: string): Promise<string> };
  private readonly fetch: typeof fetch;

  constructor(options: {
    discoveryApi: { getBaseUrl(pluginId: string): Promise<string> };
    fetchApi?: { fetch: typeof fetch };
  }) {
    this.discovery = options.discoveryApi;
    this.fetch = options.fetchApi?.fetch ?? ((...args) => fetch(...args));
  }

  private async request<T>(path: string, init?: RequestInit): Promise<T> {
    const baseUrl = await this.discovery.getBaseUrl('datamesh');
    const response = await this.fetch(`${baseUrl}/v1${path}`, init);
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

  /** Posts one quality document (the tool's own output) for a product, optionally for one port. */
  async postQualityResults(
    ref: DataProductRef,
    document: unknown,
    options?: { format?: string; port?: string },
  ): Promise<PostQualityResultsResponse> {
    const query = new URLSearchParams();
    if (options?.format) query.set('format', options.format);
    if (options?.port) query.set('port', options.port);
    const suffix = query.size ? `?${query}` : '';
    return this.request(
      `${DataMeshQualityClient.product(ref)}/quality${suffix}`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(document),
      },
    );
  }

  /** A product's health with its reasons. */
  getHealth(ref: DataProductRef): Promise<ProductHealth> {
    return this.request(`${DataMeshQualityClient.product(ref)}/health`);
  }

  /** The latest result of each check of a product. */
  async getLatestChecks(ref: DataProductRef): Promise<StoredCheckResult[]> {
    const body = await this.request<{ items: StoredCheckResult[] }>(
      `${DataMeshQualityClient.product(ref)}/checks`,
    );
    return body.items;
  }

  /** A product's trends over 7, 30 or 90 days. */
  getHistory(ref: DataProductRef, days: 7 | 30 | 90): Promise<ProductHistory> {
    return this.request(
      `${DataMeshQualityClient.product(ref)}/history?days=${days}`,
    );
  }

  /** A product's incidents, newest first, optionally of some states only. */
  async getIncidents(
    ref: DataProductRef,
    options?: { states?: IncidentState[] },
  ): Promise<Incident[]> {
    const query = options?.states?.length
      ? `?state=${options.states.join(',')}`
      : '';
    const body = await this.request<{ items: Incident[] }>(
      `${DataMeshQualityClient.product(ref)}/incidents${query}`,
    );
    return body.items;
  }

  /** A product's latest runs, newest first. */
  async getRuns(ref: DataProductRef): Promise<StoredQualityRun[]> {
    const body = await this.request<{ items: StoredQualityRun[] }>(
      `${DataMeshQualityClient.product(ref)}/runs`,
    );
    return body.items;
  }

  /** The URL of a run's raw document (for links; fetch it with credentials). */
  async getRawDocumentUrl(runId: number): Promise<string> {
    const baseUrl = await this.discovery.getBaseUrl('datamesh');
    return `${baseUrl}/v1/runs/${runId}/raw`;
  }

  /**
   * A run's raw document, as its tool wrote it, fetched with the caller's credentials (a plain
   * link would carry none). Rejects with a `ResponseError` (404) once raw retention removed it.
   */
  async getRawDocument(runId: number): Promise<RawQualityDocument> {
    const response = await this.fetch(await this.getRawDocumentUrl(runId));
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return {
      contentType:
        response.headers.get('content-type') ?? 'application/octet-stream',
      body: await response.text(),
    };
  }

  /** The health of every product the caller may see, optionally of some states only. */
  async listHealth(states?: ProductHealthState[]): Promise<ProductHealth[]> {
    const query = states?.length ? `?health=${states.join(',')}` : '';
    const body = await this.request<{ items: ProductHealth[] }>(
      `/health${query}`,
    );
    return body.items;
  }

  /** Acknowledges an incident. */
  acknowledgeIncident(id: string): Promise<Incident> {
    return this.request(`/incidents/${encodeURIComponent(id)}/acknowledge`, {
      method: 'POST',
    });
  }

  /** Resolves an incident. */
  resolveIncident(id: string): Promise<Incident> {
    return this.request(`/incidents/${encodeURIComponent(id)}/resolve`, {
      method: 'POST',
    });
  }
}
