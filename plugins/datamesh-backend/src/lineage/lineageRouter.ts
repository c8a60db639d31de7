import {
  AuditorService,
  HttpAuthService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  InputError,
  NotAllowedError,
  ServiceUnavailableError,
  isError,
} from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  LineageBatchFailedEvent,
  LineageBatchResponse,
  LineageReplayResponse,
  dataMeshLineageWritePermission,
} from '@backstage-datamesh/plugin-datamesh-common';
import express from 'express';
import Router from 'express-promise-router';
import {
  databaseUnavailableHandler,
  isDatabaseUnavailable,
} from '../service/readBody';
import { LineageService } from './LineageService';
import { readLineageBody } from './readEventBody';
import { auditWrite } from '../service/audit';

/** The id of the scheduled task that rebuilds the lineage graph from the kept events. */
export const LINEAGE_REPLAY_TASK = 'datamesh-lineage-replay';

/** Writes handled at once by one backend, by default; more are answered 503 at once. */
const DEFAULT_MAX_CONCURRENT_WRITES = 32;

/**
 * What the lineage routes need.
 * @internal
 */
export interface LineageRouterOptions {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  logger: LoggerService;
  service: LineageService;
  /** Records every write: event posts (single, batch) and replays. */
  auditor: AuditorService;
  /** Starts the rebuild task on one replica (the scheduler's `triggerTask`). */
  startReplay: () => Promise<void>;
  /** Largest accepted body, in bytes, as sent and decompressed. */
  maxBodySize: number;
  /**
   * Writes handled at once; past it, requests are answered 503 with `Retry-After` at once
   * rather than queued behind the database's pool past the clients' timeouts (5 s by default in
   * both official clients).
   */
  maxConcurrentWrites?: number;
  /** What `Retry-After` says when the store is unavailable; 5 seconds by default. */
  retryAfterSeconds?: number;
}

/**
 * Creates the OpenLineage routes (`/v1/lineage...`), described in `src/schema/openapi.yaml`:
 *
 * - `POST /v1/lineage`: one RunEvent, JobEvent or DatasetEvent as the OpenLineage HTTP transport
 *   posts it; 201 stored, 200 stored before;
 * - `POST /v1/lineage/batch`: an array of events, each stored on its own, answered with the
 *   spec's partial-success body;
 * - `POST /v1/lineage/replay`: starts the rebuild of the graph from the kept events (202).
 * @internal
 */
export function createLineageRouter(
  options: LineageRouterOptions,
): express.Router {
  const { httpAuth, permissions, service, logger, auditor } = options;
  const retryAfter = options.retryAfterSeconds ?? 5;
  const maxWrites =
    options.maxConcurrentWrites ?? DEFAULT_MAX_CONCURRENT_WRITES;
  let writes = 0;
  const router = Router();

  async function authorize(req: express.Request) {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const [decision] = await permissions.authorize(
      [{ permission: dataMeshLineageWritePermission }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `You may not write lineage: ${dataMeshLineageWritePermission.name} is not granted to you`,
      );
    }
  }

  /** Runs a write within the concurrency limit. */
  async function write<T>(res: express.Response, fn: () => Promise<T>) {
    if (writes >= maxWrites) {
      res.setHeader('Retry-After', '1');
      throw new ServiceUnavailableError(
        `The lineage store is handling ${maxWrites} writes already; retry later`,
      );
    }
    writes += 1;
    try {
      return await fn();
    } finally {
      writes -= 1;
    }
  }

  router.post('/v1/lineage', async (req, res) => {
    const result = await auditWrite(
      auditor,
      {
        eventId: 'lineage-event-post',
        request: req,
        metaOf: r => ({ status: r.status }),
      },
      async () => {
        await authorize(req);
        return write(res, async () => {
          const { text, value } = await readLineageBody(
            req,
            options.maxBodySize,
          );
          return service.ingest(value, text);
        });
      },
    );
    res.status(result.status === 'stored' ? 201 : 200).json(result);
  });

  router.post('/v1/lineage/batch', async (req, res) => {
    const body = await auditWrite(
      auditor,
      {
        eventId: 'lineage-batch-post',
        request: req,
        metaOf: r => ({ status: r.status, ...r.summary }),
      },
      async () => {
        await authorize(req);
        return writeBatch(req, res);
      },
    );
    res.status(200).json(body);
  });

  /** Stores each event of a batch on its own, within the concurrency limit. */
  function writeBatch(req: express.Request, res: express.Response) {
    return write(res, async () => {
      const { value } = await readLineageBody(req, options.maxBodySize);
      if (!Array.isArray(value) || value.length === 0) {
        throw new InputError(
          'A batch is a JSON array of OpenLineage events, with at least one event',
        );
      }
      const failed: LineageBatchFailedEvent[] = [];
      let unavailable: unknown;
      for (const [index, event] of value.entries()) {
        if (unavailable) {
          failed.push({
            index,
            reason: 'Server error: not attempted, the store became unavailable',
            retriable: true,
          });
          continue;
        }
        try {
          await service.ingest(event, JSON.stringify(event));
        } catch (error) {
          if (isError(error) && error.name === 'InputError') {
            failed.push({ index, reason: error.message, retriable: false });
          } else if (isDatabaseUnavailable(error)) {
            unavailable = error;
            failed.push({
              index,
              reason: 'Server error: the store is unavailable',
              retriable: true,
            });
          } else {
            logger.error(`Lineage event ${index} of a batch failed`, {
              error: String(error),
            });
            failed.push({ index, reason: 'Server error', retriable: true });
          }
        }
      }
      // nothing stored because the store is down: the whole batch is retried
      if (unavailable && failed.length === value.length) {
        throw unavailable;
      }
      const retriable = failed.filter(f => f.retriable).length;
      const response: LineageBatchResponse = {
        status: failed.length ? 'partial_success' : 'success',
        summary: {
          received: value.length,
          successful: value.length - failed.length,
          failed: failed.length,
          retriable,
          non_retriable: failed.length - retriable,
        },
        failed_events: failed,
      };
      return response;
    });
  }

  router.post('/v1/lineage/replay', async (req, res) => {
    await auditWrite(
      auditor,
      { eventId: 'lineage-replay', request: req },
      async () => {
        await authorize(req);
        await options.startReplay();
      },
    );
    const response: LineageReplayResponse = {
      status: 'started',
      task: LINEAGE_REPLAY_TASK,
    };
    res.status(202).json(response);
  });

  router.use(databaseUnavailableHandler(retryAfter));
  return router;
}
