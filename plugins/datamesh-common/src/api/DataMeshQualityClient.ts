import { ResponseError } from '@backstage/errors';
import type {
  Incident,
  IncidentState,
  ProductHealth,
  ProductHealthState,
} from '../health';
import type {
  HealthPageQuery,
  IncidentPage,
  IncidentQuery,
  PostQualityResultsResponse,
  ProductHealthPage,
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

  /**
   * A page of products' health, worst first, filtered by health, domain, owner or product, with
   * the counts by health and the filters' options (the Mesh health page).
   */
  getHealthPage(query: HealthPageQuery): Promise<ProductHealthPage> {
    return this.request(
      `/health${DataMeshQualityClient.query({
        health: query.health,
        domain: query.domainRefs,
        owner: query.ownerRefs,
        entityRef: query.entityRefs,
        limit: query.limit,
        offset: query.offset,
      })}`,
    );
  }

  /**
   * The incidents of many products in one request, newest first, filtered by state, product or
   * domain (for example the open incidents of a page of breaching products).
   */
  listIncidents(query: IncidentQuery): Promise<IncidentPage> {
    return this.request(
      `/incidents${DataMeshQualityClient.query({
        state: query.states,
        entityRef: query.entityRefs,
        domain: query.domainRefs,
        limit: query.limit,
        offset: query.offset,
      })}`,
    );
  }

  private static query(
    params: Record<string, string[] | number | undefined>,
  ): string {
    const parts = Object.entries(params).flatMap(([key, value]) => {
      if (value === undefined || (Array.isArray(value) && !value.length)) {
        return [];
      }
      // the commas of lists stay as they are, each ref is encoded
      const text = Array.isArray(value)
        ? value.map(encodeURIComponent).join(',')
        : String(value);
      return [`${key}=${text}`];
    });
    return parts.length ? `?${parts.join('&')}` : '';
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
