import type {
  AuthService,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import {
  DataMeshGovernanceClient,
  type GovernanceChange,
} from '@backstage-datamesh/plugin-datamesh-common';

/**
 * Reads the data mesh backend's compliance change feed (`GET /api/datamesh/v1/governance/changes`)
 * for other backend plugins and modules, with the calling plugin's own service credentials: the
 * current compliance of every evaluated product, and the products whose compliance changed after
 * a position of the feed.
 *
 * The catalog module uses it to keep its compliance labels current.
 * @public
 */
export class DataMeshGovernanceFeedClient {
  private readonly auth: AuthService;
  private readonly governance: DataMeshGovernanceClient;

  constructor(options: { discovery: DiscoveryService; auth: AuthService }) {
    this.auth = options.auth;
    this.governance = new DataMeshGovernanceClient({
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

  /**
   * One page of the feed: the products whose latest compliance is after a position, oldest
   * first, each once with its current compliance (the backend answers at most 500).
   */
  async getChanges(options: { since: number }): Promise<GovernanceChange[]> {
    return (await this.governance.getChanges({ since: options.since })).items;
  }

  /**
   * The current compliance of every evaluated product (the feed from position 0, page after
   * page), oldest change first: the position of the feed is the last item's `id`.
   */
  async listCompliance(): Promise<GovernanceChange[]> {
    const all: GovernanceChange[] = [];
    let since = 0;
    for (;;) {
      const page = await this.getChanges({ since });
      if (page.length === 0) {
        return all;
      }
      all.push(...page);
      since = page[page.length - 1].id;
    }
  }
}
