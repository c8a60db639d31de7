import {
  AuditorService,
  AuthService,
  HttpAuthService,
  LoggerService,
  PermissionsService,
  SchedulerService,
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
} from '@backstage/backend-plugin-api';
import type { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import type { Config } from '@backstage/config';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { Knex } from 'knex';
import type { DataContractReader } from '@backstage-datamesh/plugin-datamesh-node';
import express from 'express';
import Router from 'express-promise-router';
import { registerLineageActions } from '../actions';
import { DatabaseHealthStore } from '../database/DatabaseHealthStore';
import { DatabaseLineageStore } from '../database/DatabaseLineageStore';
import { QualityService } from '../quality/QualityService';
import type { ProductChangeListener } from '../governance/ProductChangeListener';
import { LineageService } from './LineageService';
import { ProductIndex } from './ProductIndex';
import { LINEAGE_REPLAY_TASK, createLineageRouter } from './lineageRouter';
import { LineageGraphService } from './LineageGraphService';
import { createLineageGraphRouter } from './lineageGraphRouter';
import type { ProductVisibility } from '../service/visibility';

/** The largest OpenLineage body accepted by default: 10 MiB (a batch, or a large Spark plan). */
const DEFAULT_MAX_BODY_SIZE = 10 * 1024 * 1024;

/** Days raw events are kept by default: what a replay can rebuild. */
const DEFAULT_RAW_EVENTS_DAYS = 90;

/**
 * Sets up OpenLineage ingestion in the plugin: the lineage store on the plugin's database, its
 * service, the retention task (daily, one replica) and the replay task (run when
 * `POST /v1/lineage/replay` asks), the lineage read side (graph, column lineage, impact, drift,
 * product edges) with its actions, and returns the lineage routes.
 * @internal
 */
export async function setupLineage(options: {
  db: Knex;
  config: Config;
  auth: AuthService;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  scheduler: SchedulerService;
  catalog: CatalogService;
  logger: LoggerService;
  quality: QualityService;
  /** Reads the ports' contracts: the column types of column lineage the events did not carry. */
  contracts?: DataContractReader;
  /** Where the upstream, downstream and impact actions are registered, for MCP clients. */
  actionsRegistry: ActionsRegistryService;
  /** Which products each caller may see: the others are hidden in the read routes and actions. */
  visibility: ProductVisibility;
  /** Records the writes, and the reads of restricted products. */
  auditor: AuditorService;
  /** Told the products an event observed lineage of (the governance re-evaluates them). */
  changes?: ProductChangeListener;
}): Promise<express.Router> {
  const { config, scheduler, logger } = options;
  const store = new DatabaseLineageStore(options.db);
  const products = new ProductIndex({
    catalog: options.catalog,
    auth: options.auth,
  });
  const service = new LineageService({
    store,
    quality: options.quality,
    products,
    auth: options.auth,
    logger,
    changes: options.changes,
  });
  const graph = new LineageGraphService({
    store,
    products,
    health: new DatabaseHealthStore(options.db),
    catalog: options.catalog,
    quality: options.quality,
    contracts: options.contracts,
    windowDays: config.getOptionalNumber('datamesh.lineage.drift.windowDays'),
  });
  const rawEventsDays =
    config.getOptionalNumber('datamesh.lineage.retention.rawEventsDays') ??
    DEFAULT_RAW_EVENTS_DAYS;
  const retentionKey = 'datamesh.lineage.schedules.retention';
  await scheduler.scheduleTask({
    id: 'datamesh-lineage-retention',
    scope: 'global',
    ...(config.has(retentionKey)
      ? readSchedulerServiceTaskScheduleDefinitionFromConfig(
          config.getConfig(retentionKey),
        )
      : {
          frequency: { hours: 24 },
          timeout: { hours: 1 },
          initialDelay: { minutes: 5 },
        }),
    fn: async () => {
      const { rawEvents } = await store.prune({
        rawEventsBefore: Date.now() - rawEventsDays * 86_400_000,
      });
      logger.info(`Lineage retention removed ${rawEvents} raw events`);
    },
  });
  await scheduler.scheduleTask({
    id: LINEAGE_REPLAY_TASK,
    scope: 'global',
    frequency: { trigger: 'manual' },
    timeout: { hours: 2 },
    fn: async () => {
      await service.rebuild();
    },
  });
  registerLineageActions({
    actionsRegistry: options.actionsRegistry,
    quality: options.quality,
    lineage: graph,
    visibility: options.visibility,
    auditor: options.auditor,
  });
  const router = Router();
  router.use(
    createLineageGraphRouter({
      httpAuth: options.httpAuth,
      service: graph,
      visibility: options.visibility,
      auditor: options.auditor,
    }),
  );
  router.use(
    createLineageRouter({
      httpAuth: options.httpAuth,
      permissions: options.permissions,
      logger,
      service,
      auditor: options.auditor,
      startReplay: () => scheduler.triggerTask(LINEAGE_REPLAY_TASK),
      maxBodySize:
        config.getOptionalNumber('datamesh.lineage.maxBodySize') ??
        DEFAULT_MAX_BODY_SIZE,
      maxConcurrentWrites: config.getOptionalNumber(
        'datamesh.lineage.maxConcurrentWrites',
      ),
    }),
  );
  return router;
}
