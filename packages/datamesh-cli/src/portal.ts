import type { EffectivePoliciesResponse } from '@backstage-datamesh/plugin-datamesh-common';
import { InputProblem } from './readProduct';

/** What the portal answers for a domain's policies. */
export type PortalPolicies = EffectivePoliciesResponse;

/** Where the portal is and how the command reaches it. */
export type PortalOptions = {
  /** The portal's base URL, such as `https://backstage.example.com`. */
  portalUrl: string;
  /** A static token of `backend.auth.externalAccess`, or a user's Backstage token. */
  token?: string;
  fetch?: typeof fetch;
};

/**
 * The portal's HTTP API as the command reads it: requests with the token as
 * `Authorization: Bearer`, and the failures no answer can mend (unreachable, the token refused)
 * turned into an {@link InputProblem} that names the portal. Its `discoveryApi` and `fetchApi`
 * let the suite's and the catalog's typed clients call the portal.
 */
export class PortalClient {
  /** The base URL without its trailing slashes, as the command's messages name it. */
  readonly base: string;
  /** Where each backend plugin of the portal answers (`<base>/api/<pluginId>`). */
  readonly discoveryApi: { getBaseUrl(pluginId: string): Promise<string> };
  /** `fetch` with the token, throwing {@link InputProblem} when the portal cannot be asked. */
  readonly fetchApi: { fetch: typeof fetch };

  constructor(options: PortalOptions) {
    const base = options.portalUrl.replace(/\/+$/, '');
    const token = options.token;
    const doFetch = options.fetch ?? fetch;
    this.base = base;
    this.discoveryApi = { getBaseUrl: async id => `${base}/api/${id}` };
    this.fetchApi = {
      fetch: async (input, init) => {
        const headers = new Headers(init?.headers);
        if (token) {
          headers.set('authorization', `Bearer ${token}`);
        }
        let response: Response;
        try {
          response = await doFetch(input, { ...init, headers });
        } catch (error) {
          const cause = (error as { cause?: { message?: string } }).cause
            ?.message;
          throw new InputProblem([
            `cannot reach the portal at ${base}: ${cause ?? String(error)}`,
          ]);
        }
        if (response.status === 401 || response.status === 403) {
          throw new InputProblem([
            `the portal at ${base} refused the request (${response.status}): ${
              token
                ? 'the token given (--token or DATAMESH_TOKEN) is not accepted'
                : 'give a token with --token or DATAMESH_TOKEN'
            }`,
          ]);
        }
        return response;
      },
    };
  }

  /**
   * `GET`s a path of the portal (`/api/...`) and answers its JSON body, or `undefined` when the
   * portal answers 404.
   *
   * @param what - what the answer is, for the message when it is not JSON
   * @throws InputProblem when the portal answers another error or something that is not JSON
   */
  async get<T>(path: string, what: string): Promise<T | undefined> {
    const url = `${this.base}${path}`;
    const response = await this.fetchApi.fetch(url, {
      headers: { accept: 'application/json' },
    });
    if (response.status === 404) {
      return undefined;
    }
    if (!response.ok) {
      throw new InputProblem([
        `the portal at ${this.base} answered ${response.status} to ${url}`,
      ]);
    }
    const json = await response.json().catch(() => undefined);
    if (json === undefined || json === null || typeof json !== 'object') {
      throw new InputProblem([
        `the portal at ${this.base} did not answer ${what} at ${url}`,
      ]);
    }
    return json as T;
  }
}

/**
 * Reads the policies that apply to a domain's products from the portal
 * (`GET /api/datamesh/v1/governance/policies?domain=...`).
 *
 * @throws InputProblem naming the portal and what went wrong: unreachable, the token refused,
 * the domain unknown, an answer that is not the policies.
 */
export async function readPortalPolicies(
  options: PortalOptions & { domain: string },
): Promise<PortalPolicies> {
  const portal = new PortalClient(options);
  const path = `/api/datamesh/v1/governance/policies?domain=${encodeURIComponent(
    options.domain,
  )}`;
  const body = await portal.get<Partial<PortalPolicies>>(
    path,
    'the governance policies',
  );
  if (!body) {
    throw new InputProblem([
      `the portal at ${portal.base} has no Domain ${options.domain} (spec.domain of the product)`,
    ]);
  }
  if (!Array.isArray(body.policies)) {
    throw new InputProblem([
      `the portal at ${portal.base} did not answer the governance policies at ${portal.base}${path}`,
    ]);
  }
  return {
    domain: body.domain,
    domains: Array.isArray(body.domains) ? body.domains : [],
    policies: body.policies,
    problems: Array.isArray(body.problems) ? body.problems : [],
  };
}
