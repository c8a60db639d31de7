import type {
  AuthService,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  DataMeshQualityClient,
  type HealthChange,
  type ProductHealth,
} from '@backstage-datamesh/plugin-datamesh-common';

/**
 * Reads the data mesh backend's product health for other backend plugins and modules, with the
 * calling plugin's own service credentials: the current health of every product, and the feed
 * of health changes (`GET /api/datamesh/v1/health/changes`) to follow it.
 *
 * The catalog module uses it to keep its health labels current; any backend module that reacts
 * to health changes can follow the feed the same way.
 * @public
 */
export class DataMeshHealthClient {
  private readonly discovery: DiscoveryService;
  private readonly auth: AuthService;
  private readonly quality: DataMeshQualityClient;

  constructor(options: { discovery: DiscoveryService; auth: AuthService }) {
    this.discovery = options.discovery;
    this.auth = options.auth;
    this.quality = new DataMeshQualityClient({
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

  /** The current health of every product that has been evaluated. */
  listHealth(): Promise<ProductHealth[]> {
    return this.quality.listHealth();
  }

  /**
   * The health changes after a position of the feed, oldest first, one page (the backend
   * answers at most 500).
   */
  async getChanges(options: { after: number }): Promise<HealthChange[]> {
    const baseUrl = await this.discovery.getBaseUrl('datamesh');
    const response = await this.fetchAsService(
      `${baseUrl}/v1/health/changes?after=${options.after}`,
    );
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    const body = (await response.json()) as { items: HealthChange[] };
    return body.items;
  }

  /**
   * The position of the latest change in the feed (0 when there is none), to follow the feed
   * from now on without reading its history.
   *
   * The feed answers only "the changes after a position", so the latest one is searched for:
   * ahead in growing jumps until a position with nothing after it, then by halving the range
   * between the latest change seen and that position. A page shorter than a full one seen before
   * ends the search at once, since nothing follows it. A feed shorter than a page costs 2
   * requests; one of 200,000 changes, 17.
   */
  async findLatestChangeId(): Promise<number> {
    let latest = 0; // a position that holds a change, or 0
    let bound = Infinity; // a position with nothing after it
    let jump = 0; // how far past `latest` to look while no bound is known
    let fullPage = 0; // the longest page seen: the backend's page size, at most
    for (let probes = 1; latest < bound; probes++) {
      const after =
        bound === Infinity ? latest + jump : Math.floor((latest + bound) / 2);
      const page = await this.getChanges({ after });
      if (page.length === 0) {
        bound = after;
        continue;
      }
      latest = page[page.length - 1].id;
      if (page.length < fullPage) {
        break;
      }
      fullPage = page.length;
      // two full pages in a row: a long feed, so jump instead of paging through it
      if (bound === Infinity && probes >= 2) {
        jump = jump === 0 ? 2 * page.length : 2 * jump;
      }
    }
    return latest;
  }
}
