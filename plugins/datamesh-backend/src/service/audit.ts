import type {
  AuditorService,
  BackstageCredentials,
  HttpAuthService,
} from '@backstage/backend-plugin-api';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import Router from 'express-promise-router';
import { stringifyEntityRef, type Entity } from '@backstage/catalog-model';
import { isError } from '@backstage/errors';
import type express from 'express';

/** An audit event's metadata (`@backstage/types`' JsonObject, as the auditor takes it). */
type JsonObject = NonNullable<
  Parameters<AuditorService['createEvent']>[0]['meta']
>;

/** The audit event of a read of a `restricted` product's data through the suite's routes. */
export const RESTRICTED_READ_EVENT = 'restricted-product-read';

/**
 * Runs a write to one of the suite's stores as an audit event: created before the write (with
 * the request, so the auditor records who asked), then marked a success with what the result says
 * (counts and ids, never the body) or a failure with its error, which is thrown on.
 * Writes are `medium` events, as the auditor's levels have it ("accessing write endpoints").
 * @internal
 */
export async function auditWrite<T>(
  auditor: AuditorService,
  options: {
    eventId: string;
    request: express.Request;
    meta?: JsonObject;
    /** What the result adds to the event's metadata. */
    metaOf?: (result: T) => JsonObject;
  },
  write: () => Promise<T>,
): Promise<T> {
  return auditEvent(
    auditor,
    { ...options, severityLevel: 'medium', meta: options.meta ?? {} },
    write,
  );
}

/** Whether a product is `restricted` (`spec.sensitivity`). */
export function isRestricted(entity: Entity): boolean {
  return (
    (entity.spec as { sensitivity?: unknown } | undefined)?.sensitivity ===
    'restricted'
  );
}

/**
 * Who made a request that came without an HTTP request (an action of the actions registry): the
 * principal of its credentials, as the audit event's `meta.actor`.
 */
function actorOf(credentials: BackstageCredentials): JsonObject {
  const principal = credentials.principal as {
    type?: string;
    userEntityRef?: string;
    subject?: string;
  };
  return {
    actor: {
      type: principal.type ?? 'none',
      ...(principal.userEntityRef
        ? { userEntityRef: principal.userEntityRef }
        : {}),
      ...(principal.subject ? { subject: principal.subject } : {}),
    },
  };
}

/**
 * Runs a read of a product's data, recording it as a `restricted-product-read` audit event when
 * the product is `restricted`: `meta.entityRef` names it, `meta.queryType` says what was read
 * (`health`, `contract`, `lineage-graph`, `action:get-data-product-health`, ...), and what
 * `metaOf` takes from the answer (counts) is added on success. Reads of other products are not
 * recorded. A read through a route gives its `request` (the auditor records who sent it); a read
 * through an action gives its `credentials`, whose principal becomes `meta.actor`.
 * @internal
 */
export async function auditRead<T>(
  auditor: AuditorService,
  options: (
    | { request: express.Request; credentials?: undefined }
    | { request?: undefined; credentials: BackstageCredentials }
  ) & {
    entity: Entity;
    queryType: string;
    meta?: JsonObject;
    metaOf?: (result: T) => JsonObject;
  },
  read: () => Promise<T>,
): Promise<T> {
  if (!isRestricted(options.entity)) {
    return read();
  }
  return auditEvent(
    auditor,
    {
      eventId: RESTRICTED_READ_EVENT,
      severityLevel: 'low',
      request: options.request,
      meta: {
        entityRef: stringifyEntityRef(options.entity),
        queryType: options.queryType,
        ...(options.credentials ? actorOf(options.credentials) : {}),
        ...options.meta,
      },
      metaOf: options.metaOf,
    },
    read,
  );
}

async function auditEvent<T>(
  auditor: AuditorService,
  options: {
    eventId: string;
    severityLevel: 'low' | 'medium';
    request?: express.Request;
    meta: JsonObject;
    metaOf?: (result: T) => JsonObject;
  },
  run: () => Promise<T>,
): Promise<T> {
  const event = await auditor.createEvent({
    eventId: options.eventId,
    severityLevel: options.severityLevel,
    request: options.request,
    meta: options.meta,
  });
  let result: T;
  try {
    result = await run();
  } catch (error) {
    await event.fail({
      error: isError(error) ? error : new Error(String(error)),
    });
    throw error;
  }
  await event.success(
    options.metaOf ? { meta: options.metaOf(result) } : undefined,
  );
  return result;
}

/**
 * A router recording the reads of restricted products through routes served by another router of
 * the plugin (the governance routes: `GET /v1/products/:namespace/:name/compliance`), mounted
 * before it and changing nothing of the answer: it reads the product named by the path with the
 * caller's credentials (a product the caller may not see is not recorded: the route answers 404),
 * and for a restricted one creates a `restricted-product-read` event, marked when the answer is
 * sent: a success below 400, a failure otherwise.
 * @internal
 */
export function createRestrictedReadAuditRouter(options: {
  auditor: AuditorService;
  httpAuth: HttpAuthService;
  catalog: CatalogService;
  /** The GET routes to record, each with its `queryType`; they have `:namespace` and `:name`. */
  routes: Record<string, string>;
}): express.Router {
  const router = Router();
  for (const [path, queryType] of Object.entries(options.routes)) {
    router.get(path, async (req, res, next) => {
      const credentials = await options.httpAuth.credentials(req, {
        allow: ['user', 'service'],
      });
      const { namespace, name } = req.params as Record<string, string>;
      const entity = await options.catalog.getEntityByRef(
        { kind: 'DataProduct', namespace, name },
        { credentials },
      );
      if (entity && isRestricted(entity)) {
        const event = await options.auditor.createEvent({
          eventId: RESTRICTED_READ_EVENT,
          severityLevel: 'low',
          request: req,
          meta: { entityRef: stringifyEntityRef(entity), queryType },
        });
        res.on('finish', () => {
          const done =
            res.statusCode < 400
              ? event.success()
              : event.fail({ error: new Error(`Answered ${res.statusCode}`) });
          // the auditor logs its own failures; the answer is sent already
          Promise.resolve(done).catch(() => undefined);
        });
      }
      next();
    });
  }
  return router;
}
