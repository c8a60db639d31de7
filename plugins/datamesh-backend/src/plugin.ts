import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { CatalogUnprocessedEntitiesClient } from '@backstage/plugin-catalog-unprocessed-entities-common';
import { DataContractReader } from '@backstage-datamesh/plugin-datamesh-node';
import { createRouter } from './service/router';
import { createQualityRouter } from './service/qualityRouter';
import { connectDatabase } from './database/migrations';
import { DatabaseQualityStore } from './database/DatabaseQualityStore';
import { DatabaseHealthStore } from './database/DatabaseHealthStore';
import { QualityService } from './quality/QualityService';
import { QualityTasks } from './quality/QualityTasks';
import { HealthNotifier } from './quality/HealthNotifier';
import { notificationService } from '@backstage/plugin-notifications-node';
import { readSchedulerServiceTaskScheduleDefinitionFromConfig } from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import { actionsRegistryServiceRef } from '@backstage/backend-plugin-api/alpha';
import { registerDataMeshActions } from './actions';
import { setupLineage } from './lineage/setupLineage';
import { setupGovernance } from './governance/setupGovernance';
import { ProductVisibility } from './service/visibility';
import { createRestrictedReadAuditRouter } from './service/audit';
import { ProductChangeFanout } from './governance/ProductChangeListener';

/** The largest quality document accepted by default: 10 MiB (a large dbt manifest is a few MiB). */
const DEFAULT_MAX_BODY_SIZE = 10 * 1024 * 1024;

function schedule(config: Config, key: string, fallback: { minutes: number }) {
  return config.has(key)
    ? readSchedulerServiceTaskScheduleDefinitionFromConfig(
        config.getConfig(key),
      )
    : {
        frequency: fallback,
        timeout: { minutes: Math.max(1, fallback.minutes) * 5 },
        initialDelay: { seconds: 15 },
      };
}

/**
 * The data mesh backend plugin (`datamesh`): serves data product pages what the catalog alone
 * cannot, starting with the validated data contracts of output ports.
 * @public
 */
export const datameshPlugin = createBackendPlugin({
  pluginId: 'datamesh',
  register(env) {
    env.registerInit({
      deps: {
        httpRouter: coreServices.httpRouter,
        auth: coreServices.auth,
        discovery: coreServices.discovery,
        httpAuth: coreServices.httpAuth,
        logger: coreServices.logger,
        config: coreServices.rootConfig,
        urlReader: coreServices.urlReader,
        catalog: catalogServiceRef,
        database: coreServices.database,
        permissions: coreServices.permissions,
        scheduler: coreServices.scheduler,
        notifications: notificationService,
        actionsRegistry: actionsRegistryServiceRef,
        auditor: coreServices.auditor,
        userInfo: coreServices.userInfo,
      },
      async init({
        httpRouter,
        auth,
        discovery,
        httpAuth,
        logger,
        config,
        urlReader,
        catalog,
        database,
        permissions,
        scheduler,
        notifications,
        actionsRegistry,
        auditor,
        userInfo,
      }) {
        // which products each caller may see, for every list route and action
        const visibility = new ProductVisibility({ catalog });
        const contracts = DataContractReader.fromConfig(config, {
          reader: urlReader,
        });
        httpRouter.use(
          await createRouter({
            auth,
            unprocessed: new CatalogUnprocessedEntitiesClient(discovery),
            httpAuth,
            logger,
            catalog,
            contracts,
            auditor,
            permissions,
            userInfo,
          }),
        );
        const db = await connectDatabase(database);
        const quality = new DatabaseQualityStore(db);
        const health = new DatabaseHealthStore(db);
        const notifier = new HealthNotifier(notifications, logger);
        // the products whose facts change, for the governance to evaluate them again
        const changes = new ProductChangeFanout();
        const service = new QualityService({
          quality,
          health,
          catalog,
          logger,
          onEvaluation: (entity, result) => notifier.notify(entity, result),
          changes,
        });
        registerDataMeshActions({
          actionsRegistry,
          catalog,
          visibility,
          quality,
          health,
          service,
          auditor,
        });
        const tasks = new QualityTasks({
          auth,
          catalog,
          quality,
          service,
          reader: urlReader,
          logger,
          retention: {
            rawDocumentsDays:
              config.getOptionalNumber(
                'datamesh.quality.retention.rawDocumentsDays',
              ) ?? 30,
            resultsDays:
              config.getOptionalNumber(
                'datamesh.quality.retention.resultsDays',
              ) ?? 30,
            datasetUpdatesDays: config.getOptionalNumber(
              'datamesh.quality.retention.datasetUpdatesDays',
            ),
          },
        });
        // scope global: with several replicas, each run happens on one of them
        await scheduler.scheduleTask({
          id: 'datamesh-health-evaluate',
          scope: 'global',
          ...schedule(config, 'datamesh.quality.schedules.evaluate', {
            minutes: 1,
          }),
          fn: async () => {
            await tasks.evaluateAll();
          },
        });
        await scheduler.scheduleTask({
          id: 'datamesh-quality-pull',
          scope: 'global',
          ...schedule(config, 'datamesh.quality.schedules.pull', {
            minutes: 5,
          }),
          fn: async () => {
            await tasks.pullAll();
          },
        });
        await scheduler.scheduleTask({
          id: 'datamesh-quality-retention',
          scope: 'global',
          ...schedule(config, 'datamesh.quality.schedules.retention', {
            minutes: 60 * 24,
          }),
          fn: async () => {
            await tasks.prune();
          },
        });
        httpRouter.use(
          createQualityRouter({
            httpAuth,
            permissions,
            catalog,
            quality,
            health,
            service,
            visibility,
            auditor,
            maxBodySize:
              config.getOptionalNumber('datamesh.quality.maxBodySize') ??
              DEFAULT_MAX_BODY_SIZE,
          }),
        );
        httpRouter.use(
          await setupLineage({
            db,
            config,
            auth,
            httpAuth,
            permissions,
            scheduler,
            catalog,
            logger,
            quality: service,
            contracts,
            actionsRegistry,
            changes,
            visibility,
            auditor,
          }),
        );
        const governance = await setupGovernance({
          db,
          config,
          auth,
          httpAuth,
          catalog,
          logger,
          scheduler,
          contracts,
          quality,
          health,
          changes,
        });
        // the reads of restricted products through the governance routes, recorded before them
        httpRouter.use(
          createRestrictedReadAuditRouter({
            auditor,
            httpAuth,
            catalog,
            routes: {
              '/v1/products/:namespace/:name/compliance': 'compliance',
            },
          }),
        );
        httpRouter.use(governance.router);
      },
    });
  },
});
