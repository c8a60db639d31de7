import { AuditorService, HttpAuthService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import {
  LINEAGE_DIRECTIONS,
  LINEAGE_GRAPH_DEPTHS,
  LineageDirection,
  LineageGraphDepth,
} from '@backstage-datamesh/plugin-datamesh-common';
import express from 'express';
import Router from 'express-promise-router';
import { databaseUnavailableHandler } from '../service/readBody';
import { auditRead } from '../service/audit';
import { ProductVisibility } from '../service/visibility';
import {
  hasDrift,
  redactColumnLineage,
  redactDrift,
  redactGraph,
  redactImpact,
  redactProductEdges,
} from './redact';
import {
  DEFAULT_MAX_NODES,
  LineageGraphService,
  MAX_MAX_NODES,
} from './LineageGraphService';

/** Products per page of the drift list by default, and at most. */
const DEFAULT_DRIFT_PAGE = 50;
const MAX_DRIFT_PAGE = 500;

/** The longest drift window asked for, in days. */
const MAX_DRIFT_DAYS = 365;

/** A query parameter as one string, or undefined; InputError when it is given twice. */
function param(req: express.Request, name: string): string | undefined {
  const value = req.query[name];
  if (value === undefined) {
    return undefined;
  }
  if (typeof value !== 'string') {
    throw new InputError(`The query parameter ${name} must be given once`);
  }
  return value;
}

/** An integer query parameter within bounds, or its default. */
function integer(
  req: express.Request,
  name: string,
  bounds: { min: number; max: number; fallback: number },
): number {
  const text = param(req, name);
  if (text === undefined) {
    return bounds.fallback;
  }
  const value = Number(text);
  if (
    !/^\d+$/.test(text) ||
    !Number.isSafeInteger(value) ||
    value < bounds.min ||
    value > bounds.max
  ) {
    throw new InputError(
      `The query parameter ${name} must be an integer from ${bounds.min} to ${bounds.max}, not '${text}'`,
    );
  }
  return value;
}

/** The depth query parameter: 1 to 5 or `all`. */
export function readDepth(
  text: string | undefined,
  fallback: LineageGraphDepth,
): LineageGraphDepth {
  if (text === undefined) {
    return fallback;
  }
  const depth = LINEAGE_GRAPH_DEPTHS.find(d => String(d) === text);
  if (depth === undefined) {
    throw new InputError(
      `The query parameter depth must be one of ${LINEAGE_GRAPH_DEPTHS.join(
        ', ',
      )}, not '${text}'`,
    );
  }
  return depth;
}

function direction(req: express.Request): LineageDirection {
  const text = param(req, 'direction');
  if (text === undefined) {
    return 'both';
  }
  const found = LINEAGE_DIRECTIONS.find(d => d === text);
  if (!found) {
    throw new InputError(
      `The query parameter direction must be one of ${LINEAGE_DIRECTIONS.join(
        ', ',
      )}, not '${text}'`,
    );
  }
  return found;
}

/**
 * What the lineage read routes need.
 * @internal
 */
export interface LineageGraphRouterOptions {
  httpAuth: HttpAuthService;
  service: LineageGraphService;
  /** Which products the caller may see: the others are left out or hidden in each answer. */
  visibility: ProductVisibility;
  /** Records the reads of restricted products. */
  auditor: AuditorService;
  /** What `Retry-After` says when the store is unavailable; 5 seconds by default. */
  retryAfterSeconds?: number;
}

/**
 * Creates the lineage read routes, described in `src/schema/openapi.yaml`: a product's graph,
 * the column lineage of its ports, its impact and drift, the drift of every product, and the
 * observed product edges (with an ETag). Every route reads, for users and services.
 * @internal
 */
export function createLineageGraphRouter(
  options: LineageGraphRouterOptions,
): express.Router {
  const { httpAuth, service, visibility, auditor } = options;
  const router = Router();
  const credentialsOf = (req: express.Request) =>
    httpAuth.credentials(req, { allow: ['user', 'service'] });
  const product = '/v1/products/:namespace/:name';

  router.get(`${product}/lineage`, async (req, res) => {
    const credentials = await credentialsOf(req);
    const query = {
      direction: direction(req),
      depth: readDepth(param(req, 'depth'), 2),
      maxNodes: integer(req, 'maxNodes', {
        min: 1,
        max: MAX_MAX_NODES,
        fallback: DEFAULT_MAX_NODES,
      }),
    };
    const entity = await service.getProduct(req.params, credentials);
    const graph = await auditRead(
      auditor,
      {
        request: req,
        entity,
        queryType: 'lineage-graph',
        metaOf: g => ({ nodes: g.nodes.length, edges: g.edges.length }),
      },
      () => service.graph(entity, query),
    );
    res.json(redactGraph(graph, await visibility.canSee(credentials)));
  });

  router.get(`${product}/ports/:port/column-lineage`, async (req, res) => {
    const credentials = await credentialsOf(req);
    const entity = await service.getProduct(req.params, credentials);
    const lineage = await auditRead(
      auditor,
      {
        request: req,
        entity,
        queryType: 'column-lineage',
        meta: { port: req.params.port },
        metaOf: l => ({ columns: l.columns.length }),
      },
      () => service.columnLineage(entity, req.params.port),
    );
    res.json(
      redactColumnLineage(lineage, await visibility.canSee(credentials)),
    );
  });

  router.get(`${product}/impact`, async (req, res) => {
    const credentials = await credentialsOf(req);
    const depth = readDepth(param(req, 'depth'), 'all');
    const entity = await service.getProduct(req.params, credentials);
    const impact = await auditRead(
      auditor,
      {
        request: req,
        entity,
        queryType: 'impact',
        metaOf: i => ({ products: i.products.length }),
      },
      () => service.impact(entity, { depth }),
    );
    res.json(redactImpact(impact, await visibility.canSee(credentials)));
  });

  router.get(`${product}/lineage/drift`, async (req, res) => {
    const credentials = await credentialsOf(req);
    const days = integer(req, 'days', {
      min: 1,
      max: MAX_DRIFT_DAYS,
      fallback: service.windowDays,
    });
    const entity = await service.getProduct(req.params, credentials);
    const drift = await auditRead(
      auditor,
      { request: req, entity, queryType: 'lineage-drift', meta: { days } },
      () => service.drift(entity, { days }),
    );
    res.json(redactDrift(drift, await visibility.canSee(credentials)));
  });

  router.get('/v1/lineage/drift', async (req, res) => {
    const credentials = await credentialsOf(req);
    const query = {
      days: integer(req, 'days', {
        min: 1,
        max: MAX_DRIFT_DAYS,
        fallback: service.windowDays,
      }),
      limit: integer(req, 'limit', {
        min: 1,
        max: MAX_DRIFT_PAGE,
        fallback: DEFAULT_DRIFT_PAGE,
      }),
      offset: integer(req, 'offset', {
        min: 0,
        max: Number.MAX_SAFE_INTEGER,
        fallback: 0,
      }),
    };
    const canSee = await visibility.canSee(credentials);
    if (!(await visibility.visibleRefs(credentials))) {
      // a service sees every product: the service pages
      res.json(await service.listDrift(credentials, query));
      return;
    }
    // the products the caller sees, without the findings that name the others, paged here
    const { items } = await service.listDrift(credentials, {
      days: query.days,
      offset: 0,
      limit: Number.MAX_SAFE_INTEGER,
    });
    const drifts = items.map(d => redactDrift(d, canSee)).filter(hasDrift);
    res.json({
      items: drifts.slice(query.offset, query.offset + query.limit),
      totalCount: drifts.length,
    });
  });

  router.get('/v1/lineage/product-edges', async (req, res) => {
    const credentials = await credentialsOf(req);
    const body = redactProductEdges(
      await service.productEdges(),
      await visibility.canSee(credentials),
    );
    res.setHeader('ETag', body.etag);
    res.setHeader('Cache-Control', 'no-cache');
    const tags = (req.header('if-none-match') ?? '')
      .split(',')
      .map(t => t.trim().replace(/^W\//, ''));
    if (tags.includes(body.etag) || tags.includes('*')) {
      res.status(304).end();
      return;
    }
    res.json(body);
  });

  router.use(databaseUnavailableHandler(options.retryAfterSeconds ?? 5));
  return router;
}
