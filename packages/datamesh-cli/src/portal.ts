import type { EffectivePoliciesResponse } from '@backstage-datamesh/plugin-datamesh-common';
import { InputProblem } from './readProduct';

/** What the portal answers for a domain's policies. */
export type PortalPolicies = EffectivePoliciesResponse;

/**
 * Reads the policies that apply to a domain's products from the portal
 * (`GET /api/datamesh/v1/governance/policies?domain=...`), with a token of the portal
 * (a static token of `backend.auth.externalAccess`, or a user's token).
 *
 * @throws InputProblem naming the portal and what went wrong: unreachable, the token refused,
 * the domain unknown, an answer that is not the policies.
 */
export async function readPortalPolicies(options: {
  portalUrl: string;
  token?: string;
  domain: string;
  fetch?: typeof fetch;
}): Promise<PortalPolicies> {
  const base = options.portalUrl.replace(/\/+$/, '');
  const url = `${base}/api/datamesh/v1/governance/policies?domain=${encodeURIComponent(
    options.domain,
  )}`;
  const doFetch = options.fetch ?? fetch;
  let response: Response;
  try {
    response = await doFetch(url, {
      headers: {
        accept: 'application/json',
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      },
    });
  } catch (error) {
    const cause = (error as { cause?: { message?: string } }).cause?.message;
    throw new InputProblem([
      `cannot reach the portal at ${base}: ${cause ?? String(error)}`,
    ]);
  }
  if (response.status === 401 || response.status === 403) {
    throw new InputProblem([
      `the portal at ${base} refused the request (${response.status}): ${
        options.token
          ? 'the token given (--token or DATAMESH_TOKEN) is not accepted'
          : 'give a token with --token or DATAMESH_TOKEN'
      }`,
    ]);
  }
  if (response.status === 404) {
    throw new InputProblem([
      `the portal at ${base} has no Domain ${options.domain} (spec.domain of the product)`,
    ]);
  }
  if (!response.ok) {
    throw new InputProblem([
      `the portal at ${base} answered ${response.status} to ${url}`,
    ]);
  }
  const body = (await response.json().catch(() => undefined)) as
    | Partial<PortalPolicies>
    | undefined;
  if (!body || !Array.isArray(body.policies)) {
    throw new InputProblem([
      `the portal at ${base} did not answer the governance policies at ${url}`,
    ]);
  }
  return {
    domain: body.domain,
    domains: Array.isArray(body.domains) ? body.domains : [],
    policies: body.policies,
    problems: Array.isArray(body.problems) ? body.problems : [],
  };
}
