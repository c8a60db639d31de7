import { ResponseError } from '@backstage/errors';
import type {
  EffectivePoliciesResponse,
  GovernanceChangesResponse,
  GovernanceSummary,
  ProductComplianceResponse,
} from './types';

/**
 * The typed client of the data mesh backend's governance routes (`/api/datamesh/v1`), usable in
 * the browser (with Backstage's `fetchApi` and `discoveryApi`) and in Node.js.
 * @public
 */
export class DataMeshGovernanceClient {
  private readonly discovery: { getBaseUrl(pluginId: string): Promise<string> };
  private readonly fetch: typeof fetch;

  constructor(options: {
    discoveryApi: { getBaseUrl(pluginId: string): Promise<string> };
    fetchApi?: { fetch: typeof fetch };
  }) {
    this.discovery = options.discoveryApi;
    this.fetch = options.fetchApi?.fetch ?? ((...args) => fetch(...args));
  }

  private async request<T>(path: string): Promise<T> {
    const baseUrl = await this.discovery.getBaseUrl('datamesh');
    const response = await this.fetch(`${baseUrl}/v1${path}`);
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as T;
  }

  /** A product's compliance with each policy, and its latest changes. */
  async getProductCompliance(ref: {
    namespace: string;
    name: string;
  }): Promise<ProductComplianceResponse> {
    return this.request(
      `/products/${encodeURIComponent(ref.namespace)}/${encodeURIComponent(
        ref.name,
      )}/compliance`,
    );
  }

  /** Compliance by domain and by policy, with the trend over `days` (30 by default). */
  async getSummary(
    options: { domain?: string; days?: number } = {},
  ): Promise<GovernanceSummary> {
    const query = new URLSearchParams();
    if (options.domain) query.set('domain', options.domain);
    if (options.days !== undefined) query.set('days', String(options.days));
    return this.request(`/governance/summary${query.size ? `?${query}` : ''}`);
  }

  /** The policies that apply to a domain's products (the portal's alone without a domain). */
  async getPolicies(
    options: { domain?: string } = {},
  ): Promise<EffectivePoliciesResponse> {
    const query = options.domain
      ? `?${new URLSearchParams({ domain: options.domain })}`
      : '';
    return this.request(`/governance/policies${query}`);
  }

  /**
   * One page of the compliance change feed (service principals only): the products whose latest
   * compliance is after the position `since` (0: every evaluated product), oldest first.
   */
  async getChanges(
    options: { since: number; limit?: number } = { since: 0 },
  ): Promise<GovernanceChangesResponse> {
    const query = new URLSearchParams({ since: String(options.since) });
    if (options.limit !== undefined) query.set('limit', String(options.limit));
    return this.request(`/governance/changes?${query}`);
  }
}
