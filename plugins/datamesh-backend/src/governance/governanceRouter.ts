import { HttpAuthService } from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  EffectivePoliciesResponse,
  GovernanceChangesResponse,
  GovernanceSummary,
  ProductComplianceResponse,
  isDataProductEntity,
} from '@backstage-datamesh/plugin-datamesh-common';
import type {
  ComplianceTrendPoint,
  GovernanceStore,
  StoredCompliance,
} from '@backstage-datamesh/plugin-datamesh-node';
import express from 'express';
import Router from 'express-promise-router';
import { GovernanceService, dayOf } from './GovernanceService';

/**
 * What the governance routes need.
 * @internal
 */
export interface GovernanceRouterOptions {
  httpAuth: HttpAuthService;
  catalog: CatalogService;
  store: GovernanceStore;
  service: GovernanceService;
  /** The current time; `Date.now` by default. */
  now?: () => number;
}

/** How many changes of a product's compliance the compliance route lists. */
const HISTORY_LIMIT = 20;

/** The most items of a page of the change feed. */
const CHANGES_LIMIT = 500;

function positionOf(value: unknown, name: string, fallback: number): number {
  if (value === undefined) {
    return fallback;
  }
  const n = Number(value);
  if (
    typeof value !== 'string' ||
    !/^\d+$/.test(value) ||
    !Number.isSafeInteger(n)
  ) {
    throw new InputError(
      `${name} must be a whole number, 0 or more, not ${JSON.stringify(value)}`,
    );
  }
  return n;
}

function daysOf(value: unknown): number {
  if (value === undefined) {
    return 30;
  }
  const n = Number(value);
  if (typeof value !== 'string' || !Number.isInteger(n) || n < 1 || n > 365) {
    throw new InputError(
      `days must be a whole number from 1 to 365, not ${JSON.stringify(value)}`,
    );
  }
  return n;
}

function domainOf(value: unknown): string | undefined {
  if (value === undefined) {
    return undefined;
  }
  try {
    if (typeof value !== 'string' || !value) {
      throw new TypeError('empty');
    }
    const ref = parseEntityRef(value, { defaultKind: 'domain' });
    if (ref.kind.toLocaleLowerCase('en-US') !== 'domain') {
      throw new TypeError('not a domain');
    }
    return stringifyEntityRef(ref).toLocaleLowerCase('en-US');
  } catch {
    throw new InputError(
      `domain must be a Domain entity reference such as marketing or domain:default/marketing, not ${JSON.stringify(
        value,
      )}`,
    );
  }
}

function series(points: ComplianceTrendPoint[]) {
  return points.map(p => ({
    day: p.day,
    products: p.products,
    compliant: p.compliant,
    ratio: p.products ? p.compliant / p.products : null,
  }));
}

/**
 * The governance routes: a product's compliance, the compliance summary by domain and by policy
 * with its trend, and the policies that apply to a domain's products. Every route reads with the
 * caller's credentials: a product the caller cannot see is neither answered nor counted.
 * @internal
 */
export function createGovernanceRouter(
  options: GovernanceRouterOptions,
): express.Router {
  const { httpAuth, catalog, store, service } = options;
  const now = options.now ?? Date.now;
  const router = Router();

  router.get('/v1/products/:namespace/:name/compliance', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const { namespace, name } = req.params;
    const entity = await catalog.getEntityByRef(
      { kind: 'DataProduct', namespace, name },
      { credentials },
    );
    if (!entity || !isDataProductEntity(entity)) {
      throw new NotFoundError(
        `No DataProduct dataproduct:${namespace}/${name} in the catalog`,
      );
    }
    const entityRef = stringifyEntityRef(entity).toLocaleLowerCase('en-US');
    let stored: StoredCompliance | undefined = await store.getCompliance(
      entityRef,
    );
    if (!stored) {
      // never evaluated yet (a new product): evaluated now, and kept
      const result = await service.evaluate(entity, credentials);
      const at = now();
      await store.recordCompliance([result], at);
      stored = await store.getCompliance(entityRef);
    }
    const history = await store.getHistory(entityRef, {
      limit: HISTORY_LIMIT,
    });
    const body: ProductComplianceResponse = {
      ...stored!,
      history: history.map(h => ({
        evaluatedAt: h.evaluatedAt,
        checkedAt: h.checkedAt,
        compliant: h.compliant,
        requiredFailures: h.requiredFailures,
        counts: h.counts,
      })),
    };
    res.json(body);
  });

  router.get('/v1/governance/summary', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const days = daysOf(req.query.days);
    const domain = domainOf(req.query.domain);

    // the products the caller can see
    const visible = new Set<string>();
    let cursor: string | undefined;
    do {
      const page = await catalog.queryEntities(
        cursor
          ? { cursor, limit: 500 }
          : {
              filter: { kind: 'DataProduct' },
              fields: ['kind', 'metadata.name', 'metadata.namespace'],
              limit: 500,
            },
        { credentials },
      );
      for (const entity of page.items) {
        visible.add(stringifyEntityRef(entity).toLocaleLowerCase('en-US'));
      }
      cursor = page.pageInfo.nextCursor;
    } while (cursor);

    let domains: string[] | undefined;
    if (domain) {
      domains = await service.domainTree(domain, credentials);
      if (domains.length === 0) {
        throw new NotFoundError(`No Domain ${domain} in the catalog`);
      }
    }
    const stored = await store.listCompliance(domains ? { domains } : {});
    const products = stored.filter(c => visible.has(c.entityRef));
    // the products the caller cannot see count in no trend answered to the caller
    const hidden = (await store.listEntityHashes())
      .map(c => c.entityRef)
      .filter(ref => !visible.has(ref));

    const byDomain = new Map<
      string,
      {
        domain: string;
        products: number;
        compliant: number;
        requiredFailures: number;
      }
    >();
    const byPolicy = new Map<
      string,
      {
        policyId: string;
        title: string;
        enforcement: string;
        applicable: number;
        passing: number;
        failing: number;
        failingProducts: Array<{ entityRef: string; reason: string }>;
      }
    >();
    for (const product of products) {
      const key = product.domain ?? '';
      const d = byDomain.get(key) ?? {
        domain: key,
        products: 0,
        compliant: 0,
        requiredFailures: 0,
      };
      d.products += 1;
      d.compliant += product.compliant ? 1 : 0;
      d.requiredFailures += product.requiredFailures;
      byDomain.set(key, d);
      for (const evaluation of product.evaluations) {
        const p = byPolicy.get(evaluation.policyId) ?? {
          policyId: evaluation.policyId,
          title: evaluation.title,
          enforcement: evaluation.enforcement,
          applicable: 0,
          passing: 0,
          failing: 0,
          failingProducts: [],
        };
        if (evaluation.status !== 'not-applicable') {
          p.applicable += 1;
          if (evaluation.status === 'pass') {
            p.passing += 1;
          } else {
            p.failing += 1;
            p.failingProducts.push({
              entityRef: product.entityRef,
              reason: evaluation.reason,
            });
          }
        }
        byPolicy.set(evaluation.policyId, p);
      }
    }

    const since = dayOf(now() - (days - 1) * 86_400_000);
    const trend = await store.getTrend({ since, exclude: hidden });
    const trendOf = (kind: ComplianceTrendPoint['kind'], key: string) =>
      series(trend.filter(t => t.kind === kind && t.key === key));

    const summary: GovernanceSummary = {
      domain,
      days,
      products: products.length,
      compliant: products.filter(p => p.compliant).length,
      trend: domain ? trendOf('domain', domain) : trendOf('all', ''),
      byDomain: [...byDomain.values()]
        .sort((a, b) => a.domain.localeCompare(b.domain))
        .map(d => ({
          ...d,
          trend: d.domain ? trendOf('domain', d.domain) : [],
        })),
      byPolicy: [...byPolicy.values()]
        .sort((a, b) => a.policyId.localeCompare(b.policyId))
        .map(p => ({ ...p, trend: trendOf('policy', p.policyId) })),
    };
    res.json(summary);
  });

  router.get('/v1/governance/changes', async (req, res) => {
    // the feed of the catalog module's compliance labels: other plugins only
    await httpAuth.credentials(req, { allow: ['service'] });
    const since = positionOf(req.query.since, 'since', 0);
    const limit = positionOf(req.query.limit, 'limit', CHANGES_LIMIT);
    if (limit < 1 || limit > CHANGES_LIMIT) {
      throw new InputError(
        `limit must be a whole number from 1 to ${CHANGES_LIMIT}, not ${JSON.stringify(
          req.query.limit,
        )}`,
      );
    }
    const body: GovernanceChangesResponse = {
      items: await store.listChanges({ after: since, limit }),
    };
    res.json(body);
  });

  router.get('/v1/governance/policies', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const domain = domainOf(req.query.domain);
    if (
      domain &&
      (await service.domainTree(domain, credentials)).length === 0
    ) {
      throw new NotFoundError(`No Domain ${domain} in the catalog`);
    }
    const { policies, problems, domains } = await service.policiesFor(
      domain,
      credentials,
    );
    const body: EffectivePoliciesResponse = {
      domain,
      domains,
      policies,
      problems,
    };
    res.json(body);
  });

  return router;
}
