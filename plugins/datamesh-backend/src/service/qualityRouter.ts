import {
  AuditorService,
  BackstageCredentials,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  INCIDENT_STATES,
  IncidentState,
  PRODUCT_HEALTH_STATES,
  ProductHealthState,
  QUALITY_RESULT_FORMATS,
  QualityResultFormat,
  dataMeshIncidentUpdatePermission,
  dataMeshQualityWritePermission,
} from '@backstage-datamesh/plugin-datamesh-common';
import {
  HealthStore,
  QualityStore,
  parseQualityResults,
} from '@backstage-datamesh/plugin-datamesh-node';
import express from 'express';
import Router from 'express-promise-router';
import { QualityService } from '../quality/QualityService';
import { databaseUnavailableHandler, readJsonDocuments } from './readBody';
import { auditRead, auditWrite } from './audit';
import { ProductVisibility } from './visibility';

/** The trend windows the history route serves, in days. */
export const HISTORY_WINDOWS = [7, 30, 90] as const;

/** Up to this many days, history is served from raw points; longer windows from daily rollups. */
const RAW_HISTORY_DAYS = 7;

/**
 * What the quality routes need.
 * @internal
 */
export interface QualityRouterOptions {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  catalog: CatalogService;
  quality: QualityStore;
  health: HealthStore;
  service: QualityService;
  /** Which products the caller may see, for the list routes. */
  visibility: ProductVisibility;
  /** Records the writes, and the reads of restricted products. */
  auditor: AuditorService;
  /** Largest accepted body, in bytes. */
  maxBodySize: number;
  /** What `Retry-After` says when the database is unavailable; 5 seconds by default. */
  retryAfterSeconds?: number;
}

function oneOf<T extends string>(
  value: unknown,
  allowed: readonly T[],
  name: string,
): T | undefined {
  if (value === undefined) {
    return undefined;
  }
  if (typeof value !== 'string' || !allowed.includes(value as T)) {
    throw new InputError(
      `${name} must be one of ${allowed.join(', ')}, not ${JSON.stringify(
        value,
      )}`,
    );
  }
  return value as T;
}

function listOf<T extends string>(
  value: unknown,
  allowed: readonly T[],
  name: string,
): T[] | undefined {
  if (value === undefined) {
    return undefined;
  }
  if (typeof value !== 'string') {
    throw new InputError(`${name} must be a comma-separated list`);
  }
  return value
    .split(',')
    .filter(Boolean)
    .map(v => oneOf(v, allowed, name) as T);
}

/** The most items one page of a list route answers. */
export const MAX_PAGE_SIZE = 500;

/** Reads `limit` (1 to {@link MAX_PAGE_SIZE}) and `offset` (0 or more) of a list route. */
function pageOf(
  query: express.Request['query'],
  defaultLimit: number | undefined,
): { limit?: number; offset: number } {
  const read = (name: string, min: number, max: number) => {
    const value = query[name];
    if (value === undefined) {
      return undefined;
    }
    const n = Number(value);
    if (
      typeof value !== 'string' ||
      !Number.isInteger(n) ||
      n < min ||
      n > max
    ) {
      throw new InputError(
        `${name} must be a whole number from ${min} to ${max}, not ${JSON.stringify(
          value,
        )}`,
      );
    }
    return n;
  };
  return {
    limit: read('limit', 1, MAX_PAGE_SIZE) ?? defaultLimit,
    offset: read('offset', 0, Number.MAX_SAFE_INTEGER) ?? 0,
  };
}

/** Reads a comma-separated list of entity refs of one kind, normalised as the catalog does. */
function refsOf(
  value: unknown,
  name: string,
  kind: string,
): string[] | undefined {
  if (value === undefined) {
    return undefined;
  }
  if (typeof value !== 'string') {
    throw new InputError(
      `${name} must be a comma-separated list of entity refs`,
    );
  }
  return value
    .split(',')
    .filter(Boolean)
    .map(ref => {
      try {
        return stringifyEntityRef(
          parseEntityRef(ref, {
            defaultKind: kind,
            defaultNamespace: 'default',
          }),
        );
      } catch {
        throw new InputError(
          `${name} must be a comma-separated list of entity refs, and ${JSON.stringify(
            ref,
          )} is none`,
        );
      }
    });
}

async function authorize(
  permissions: PermissionsService,
  permission:
    | typeof dataMeshQualityWritePermission
    | typeof dataMeshIncidentUpdatePermission,
  resourceRef: string,
  credentials: BackstageCredentials,
  what: string,
) {
  const [decision] = await permissions.authorize(
    [{ permission, resourceRef }],
    { credentials },
  );
  if (decision.result !== AuthorizeResult.ALLOW) {
    throw new NotAllowedError(
      `You may not ${what} of ${resourceRef}: only its owners and the pipelines given a token may`,
    );
  }
}

/**
 * Creates the versioned quality and health routes (`/v1/...`), described in
 * `src/schema/openapi.yaml`.
 * @internal
 */
export function createQualityRouter(
  options: QualityRouterOptions,
): express.Router {
  const {
    httpAuth,
    permissions,
    catalog,
    quality,
    health,
    service,
    visibility,
    auditor,
  } = options;
  const router = Router();

  const credentialsOf = (req: express.Request) =>
    httpAuth.credentials(req, { allow: ['user', 'service'] });

  router.post('/v1/products/:namespace/:name/quality', async (req, res) => {
    const { namespace, name } = req.params;
    const body = await auditWrite(
      auditor,
      {
        eventId: 'quality-run-post',
        request: req,
        meta: {
          entityRef: stringifyEntityRef({
            kind: 'DataProduct',
            namespace,
            name,
          }),
        },
        metaOf: r => ({
          runId: r.runId,
          created: r.created,
          format: r.format,
          checks: r.checks,
          health: r.health ?? null,
        }),
      },
      () => postQuality(req),
    );
    res.status(body.created ? 201 : 200).json(body);
  });

  /** Reads, checks and stores a posted quality run. */
  async function postQuality(
    req: express.Request<{ namespace: string; name: string }>,
  ) {
    const credentials = await credentialsOf(req);
    const format = oneOf<QualityResultFormat>(
      req.query.format,
      QUALITY_RESULT_FORMATS,
      'format',
    );
    const port = req.query.port;
    if (port !== undefined && typeof port !== 'string') {
      throw new InputError('port must be the name of one output port');
    }
    const entity = await service.getProduct(req.params, credentials, {
      cached: true,
    });
    if (port) {
      service.requirePort(entity, port);
    }
    const entityRef = stringifyEntityRef(entity);
    await authorize(
      permissions,
      dataMeshQualityWritePermission,
      entityRef,
      credentials,
      'post quality results',
    );
    const documents = await readJsonDocuments(req, {
      limit: options.maxBodySize,
      allowedParts: { results: ['run_results'], manifest: [] },
    });
    const run = parseQualityResults({
      document: documents.results.value,
      format,
      manifest: documents.manifest?.value,
    });
    const result = await service.ingest({
      entity,
      port,
      run,
      raw: { body: documents.results.text, contentType: 'application/json' },
      source: 'push',
      credentials,
    });
    return {
      runId: result.runId,
      created: result.created,
      format: run.format,
      checks: result.checks,
      health: result.health,
    };
  }

  router.get('/v1/products/:namespace/:name/health', async (req, res) => {
    const credentials = await credentialsOf(req);
    const entity = await service.getProduct(req.params, credentials);
    res.json(
      await auditRead(
        auditor,
        { request: req, entity, queryType: 'health' },
        () => service.getHealth(stringifyEntityRef(entity)),
      ),
    );
  });

  router.get('/v1/products/:namespace/:name/checks', async (req, res) => {
    const credentials = await credentialsOf(req);
    const entity = await service.getProduct(req.params, credentials);
    const items = await auditRead(
      auditor,
      {
        request: req,
        entity,
        queryType: 'checks',
        metaOf: r => ({ count: r.length }),
      },
      () => quality.getLatestChecks(stringifyEntityRef(entity)),
    );
    res.json({ items });
  });

  router.get('/v1/products/:namespace/:name/history', async (req, res) => {
    const credentials = await credentialsOf(req);
    const days = Number(req.query.days ?? 30);
    if (!HISTORY_WINDOWS.includes(days as (typeof HISTORY_WINDOWS)[number])) {
      throw new InputError(
        `days must be one of ${HISTORY_WINDOWS.join(
          ', ',
        )}, not ${JSON.stringify(req.query.days)}`,
      );
    }
    const entity = await service.getProduct(req.params, credentials);
    const entityRef = stringifyEntityRef(entity);
    res.json(
      await auditRead(
        auditor,
        { request: req, entity, queryType: 'history', meta: { days } },
        () => readHistory(entityRef, days),
      ),
    );
  });

  /** A product's trend over a window of days. */
  async function readHistory(entityRef: string, days: number) {
    const to = Date.now();
    const from = to - days * 86_400_000;
    const [checks, metrics, updates] = await Promise.all([
      quality.getCheckTrend(entityRef, { from, to }),
      quality.getMetricSeries(entityRef, {
        from,
        to,
        resolution: days <= RAW_HISTORY_DAYS ? 'raw' : 'day',
      }),
      quality.getUpdates(entityRef, { from, to }),
    ]);
    // freshness lag: the age of each port's data just before each update, and now
    const lastByPort = new Map<string, number>();
    const freshness = updates.map(update => {
      const previous = lastByPort.get(update.port);
      lastByPort.set(update.port, update.updatedAt);
      return {
        port: update.port,
        at: new Date(update.updatedAt).toISOString(),
        lagSeconds:
          previous === undefined ? 0 : (update.updatedAt - previous) / 1000,
      };
    });
    for (const [port, last] of lastByPort) {
      freshness.push({
        port,
        at: new Date(to).toISOString(),
        lagSeconds: (to - last) / 1000,
      });
    }
    return {
      entityRef,
      days,
      from: new Date(from).toISOString(),
      to: new Date(to).toISOString(),
      checks,
      freshness,
      metrics,
    };
  }

  router.get('/v1/products/:namespace/:name/incidents', async (req, res) => {
    const credentials = await credentialsOf(req);
    const entity = await service.getProduct(req.params, credentials);
    const states = listOf<IncidentState>(
      req.query.state,
      INCIDENT_STATES,
      'state',
    );
    const items = await auditRead(
      auditor,
      {
        request: req,
        entity,
        queryType: 'incidents',
        metaOf: r => ({ count: r.length }),
      },
      () =>
        health.listIncidents({
          entityRefs: [stringifyEntityRef(entity)],
          states,
        }),
    );
    res.json({ items });
  });

  router.get('/v1/products/:namespace/:name/runs', async (req, res) => {
    const credentials = await credentialsOf(req);
    const entity = await service.getProduct(req.params, credentials);
    const items = await auditRead(
      auditor,
      {
        request: req,
        entity,
        queryType: 'runs',
        metaOf: r => ({ count: r.length }),
      },
      () => quality.listRuns(stringifyEntityRef(entity)),
    );
    res.json({ items });
  });

  router.get('/v1/runs/:id/raw', async (req, res) => {
    const credentials = await credentialsOf(req);
    const id = Number(req.params.id);
    const run = Number.isInteger(id) ? await quality.getRun(id) : undefined;
    // the product must be visible to the caller
    const entity = run
      ? await catalog.getEntityByRef(run.entityRef, { credentials })
      : undefined;
    const raw =
      run && entity
        ? await auditRead(
            auditor,
            {
              request: req,
              entity,
              queryType: 'raw-run-document',
              meta: { runId: id },
            },
            () => quality.getRawDocument(id),
          )
        : undefined;
    if (!raw) {
      throw new NotFoundError(
        `No raw document of quality run ${req.params.id} (unknown, or past its retention)`,
      );
    }
    res.type(raw.contentType).send(raw.body);
  });

  router.get('/v1/health', async (req, res) => {
    const credentials = await credentialsOf(req);
    const filter = {
      health: listOf<ProductHealthState>(
        req.query.health,
        PRODUCT_HEALTH_STATES,
        'health',
      ),
      domainRefs: refsOf(req.query.domain, 'domain', 'domain'),
      ownerRefs: refsOf(req.query.owner, 'owner', 'group'),
      entityRefs: refsOf(req.query.entityRef, 'entityRef', 'dataproduct'),
      // only the products the caller may see, counted and paged in the store
      visibleRefs: await visibility.storeFilter(credentials),
    };
    // without a limit, every product (the catalog module reads them all)
    const page = pageOf(req.query, undefined);
    const [rows, summary] = await Promise.all([
      health.listHealth({ ...filter, ...page }),
      health.summarizeHealth(filter),
    ]);
    res.json({
      items: rows,
      totalItems: summary.total,
      offset: page.offset,
      ...(page.limit !== undefined ? { limit: page.limit } : {}),
      counts: summary.counts,
      facets: summary.facets,
    });
  });

  router.get('/v1/incidents', async (req, res) => {
    const credentials = await credentialsOf(req);
    const filter = {
      states: listOf<IncidentState>(req.query.state, INCIDENT_STATES, 'state'),
      entityRefs: refsOf(req.query.entityRef, 'entityRef', 'dataproduct'),
      domainRefs: refsOf(req.query.domain, 'domain', 'domain'),
      // the incidents of the products the caller may see, as on the product's own route
      visibleRefs: await visibility.storeFilter(credentials),
    };
    const page = pageOf(req.query, 100);
    const [rows, total] = await Promise.all([
      health.listIncidents({ ...filter, ...page }),
      health.countIncidents(filter),
    ]);
    res.json({
      items: rows,
      totalItems: total,
      offset: page.offset,
      limit: page.limit,
    });
  });

  router.get('/v1/health/changes', async (req, res) => {
    // the catalog module reads the feed as a service, which sees every product
    const credentials = await credentialsOf(req);
    const after = Number(req.query.after ?? 0);
    if (!Number.isInteger(after) || after < 0) {
      throw new InputError(
        'after must be a position of the change feed (0 or more)',
      );
    }
    res.json({
      items: await health.getChanges({
        after,
        limit: 500,
        visibleRefs: await visibility.storeFilter(credentials),
      }),
    });
  });

  const incidentRoute = (action: 'acknowledge' | 'resolve') =>
    router.post(`/v1/incidents/:id/${action}`, async (req, res) => {
      res.json(
        await auditWrite(
          auditor,
          {
            eventId: `incident-${action}`,
            request: req,
            meta: { incidentId: req.params.id },
            metaOf: r => ({ entityRef: r.entityRef, state: r.state }),
          },
          () => updateIncident(req, action),
        ),
      );
    });

  /** Acknowledges or resolves an incident of a product the caller may see and update. */
  async function updateIncident(
    req: express.Request,
    action: 'acknowledge' | 'resolve',
  ) {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const incident = await health.getIncident(req.params.id);
    const entity = incident
      ? await catalog.getEntityByRef(incident.entityRef, { credentials })
      : undefined;
    if (!incident || !entity) {
      throw new NotFoundError(`No incident ${req.params.id}`);
    }
    await authorize(
      permissions,
      dataMeshIncidentUpdatePermission,
      incident.entityRef,
      credentials,
      `${action} incidents`,
    );
    const actor = credentials.principal.userEntityRef;
    return action === 'acknowledge'
      ? health.acknowledgeIncident(incident.id, actor, Date.now())
      : health.resolveIncident(incident.id, actor, Date.now());
  }
  incidentRoute('acknowledge');
  incidentRoute('resolve');

  router.use(databaseUnavailableHandler(options.retryAfterSeconds ?? 5));

  return router;
}
