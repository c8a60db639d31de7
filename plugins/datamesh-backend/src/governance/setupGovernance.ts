import {
  AuthService,
  HttpAuthService,
  LoggerService,
  SchedulerService,
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
} from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import { CatalogService } from '@backstage/plugin-catalog-node';
import type {
  DataContractReader,
  HealthStore,
  QualityStore,
} from '@backstage-datamesh/plugin-datamesh-node';
import type { Knex } from 'knex';
import { DatabaseLineageStore } from '../database/DatabaseLineageStore';
import { DatabaseGovernanceStore } from './DatabaseGovernanceStore';
import { GovernanceService, dayOf } from './GovernanceService';
import { createGovernanceRouter } from './governanceRouter';
import type { ProductChangeFanout } from './ProductChangeListener';

/** The longest trend the API answers (`days` up to 365), and one day more: never pruned. */
const TREND_DAYS_MIN = 366;
const TREND_DAYS_DEFAULT = 400;
const HISTORY_DAYS_DEFAULT = 365;

/**
 * Sets up governance in the plugin: the store on the plugin's database, the portal's policies
 * (checked at once: a policy that cannot be used is reported with its id and the others run),
 * the scheduled evaluation of every product (one replica at a time), the evaluation of the
 * products that change (told by the quality and lineage services through `changes`, or found
 * in the catalog by a frequent task reading etags) and the routes.
 * @internal
 */
export async function setupGovernance(options: {
  db: Knex;
  config: Config;
  auth: AuthService;
  httpAuth: HttpAuthService;
  catalog: CatalogService;
  logger: LoggerService;
  scheduler: SchedulerService;
  contracts: DataContractReader;
  quality: QualityStore;
  health: HealthStore;
  /** Where the quality and lineage services tell the products that changed. */
  changes?: ProductChangeFanout;
}) {
  const { config, logger } = options;
  const store = new DatabaseGovernanceStore(options.db);
  const service = new GovernanceService({
    auth: options.auth,
    catalog: options.catalog,
    logger,
    contracts: options.contracts,
    store,
    quality: options.quality,
    health: options.health,
    lineage: new DatabaseLineageStore(options.db),
    overrides: config.getOptional('datamesh.governance.policies'),
    environment: {
      name:
        config.getOptionalString('datamesh.governance.environment.name') ??
        'production',
      production:
        config.getOptionalBoolean(
          'datamesh.governance.environment.production',
        ) ?? true,
    },
    changeDelayMs: config.getOptionalNumber(
      'datamesh.governance.changes.delayMs',
    ),
  });
  service.reportProblems();
  options.changes?.add(service);

  const scheduleKey = 'datamesh.governance.schedule';
  await options.scheduler.scheduleTask({
    id: 'datamesh-governance-evaluate',
    // with several replicas, each run happens on one of them
    scope: 'global',
    ...(config.has(scheduleKey)
      ? readSchedulerServiceTaskScheduleDefinitionFromConfig(
          config.getConfig(scheduleKey),
        )
      : {
          frequency: { minutes: 10 },
          timeout: { minutes: 30 },
          initialDelay: { seconds: 30 },
        }),
    fn: async () => {
      const result = await service.evaluateAll();
      logger.info(
        `Governance evaluated ${result.evaluated} data products${
          result.failed ? `, ${result.failed} could not be` : ''
        }`,
      );
    },
  });

  const trendDays = Math.max(
    TREND_DAYS_MIN,
    config.getOptionalNumber('datamesh.governance.retention.trendDays') ??
      TREND_DAYS_DEFAULT,
  );
  const historyDays =
    config.getOptionalNumber('datamesh.governance.retention.historyDays') ??
    HISTORY_DAYS_DEFAULT;
  await options.scheduler.scheduleTask({
    id: 'datamesh-governance-retention',
    scope: 'global',
    frequency: { hours: 24 },
    timeout: { minutes: 30 },
    initialDelay: { minutes: 10 },
    fn: async () => {
      const now = Date.now();
      const pruned = await store.prune({
        daysBefore: dayOf(now - (trendDays - 1) * 86_400_000),
        historyBefore: now - historyDays * 86_400_000,
      });
      logger.info(
        `Governance retention removed ${pruned.days} daily outcomes, ${pruned.trendPoints} trend points and ${pruned.history} history entries`,
      );
    },
  });

  const catalogScheduleKey = 'datamesh.governance.changes.catalogSchedule';
  await options.scheduler.scheduleTask({
    id: 'datamesh-governance-catalog-changes',
    scope: 'global',
    ...(config.has(catalogScheduleKey)
      ? readSchedulerServiceTaskScheduleDefinitionFromConfig(
          config.getConfig(catalogScheduleKey),
        )
      : {
          frequency: { seconds: 30 },
          timeout: { minutes: 5 },
          initialDelay: { seconds: 20 },
        }),
    fn: async () => {
      const found = await service.findCatalogChanges();
      if (found > 0) {
        logger.debug(
          `Governance evaluates ${found} data products changed in the catalog`,
        );
      }
    },
  });

  return {
    service,
    store,
    router: createGovernanceRouter({
      httpAuth: options.httpAuth,
      catalog: options.catalog,
      store,
      service,
    }),
  };
}
