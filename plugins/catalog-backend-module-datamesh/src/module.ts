import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { readDurationFromConfig } from '@backstage/config';
import { durationToMilliseconds } from '@backstage/types';
import {
  catalogProcessingExtensionPoint,
  catalogServiceRef,
} from '@backstage/plugin-catalog-node';
import { DataMeshHealthClient } from '@backstage-datamesh/plugin-datamesh-node';
import { DataMeshEntitiesProcessor } from './processor/DataMeshEntitiesProcessor';
import { DataProductDescriptorProcessor } from './processor/DataProductDescriptorProcessor';
import { DataProductHealthLabelProcessor } from './health/DataProductHealthLabelProcessor';
import { HealthLabelSnapshot } from './health/HealthLabelSnapshot';
import { HealthLabelUpdater } from './health/HealthLabelUpdater';

/** The app-config key of the health labels' settings. */
const HEALTH_LABELS_CONFIG_KEY = 'datamesh.health.labels';

/**
 * Catalog backend module that adds the data mesh model to the catalog: the `DataProduct` kind
 * and the data-mesh additions to `Domain`, with their validation and relations, and locations of
 * type `odps` and `dpds` that register data products described with those open standards, with
 * the defaults of `datamesh.descriptors.defaults` in app-config for what descriptors do not say.
 * Each DataProduct gets a `datamesh.io/health` label with its current health, kept current from
 * the data mesh backend's change feed (`datamesh.health.labels` in app-config).
 * @public
 */
export const catalogModuleDataMesh = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'datamesh',
  register(reg) {
    reg.registerInit({
      deps: {
        catalog: catalogProcessingExtensionPoint,
        config: coreServices.rootConfig,
        reader: coreServices.urlReader,
        logger: coreServices.logger,
        auth: coreServices.auth,
        discovery: coreServices.discovery,
        scheduler: coreServices.scheduler,
        lifecycle: coreServices.lifecycle,
        catalogService: catalogServiceRef,
      },
      async init({
        catalog,
        config,
        reader,
        logger,
        auth,
        discovery,
        scheduler,
        lifecycle,
        catalogService,
      }) {
        catalog.addProcessor(new DataMeshEntitiesProcessor());
        // reads datamesh.descriptors.defaults, refusing to start on an invalid value
        catalog.addProcessor(
          DataProductDescriptorProcessor.fromConfig(config, { reader, logger }),
        );

        const labels = config.getOptionalConfig(HEALTH_LABELS_CONFIG_KEY);
        if (labels?.getOptionalBoolean('enabled') === false) {
          return;
        }
        const duration = (key: string, fallback: number) =>
          labels?.has(key)
            ? durationToMilliseconds(readDurationFromConfig(labels, { key }))
            : fallback;
        const snapshot = new HealthLabelSnapshot();
        catalog.addProcessor(new DataProductHealthLabelProcessor(snapshot));
        const updater = new HealthLabelUpdater({
          source: new DataMeshHealthClient({ discovery, auth }),
          snapshot,
          refresh: async entityRef =>
            catalogService.refreshEntity(entityRef, {
              credentials: await auth.getOwnServiceCredentials(),
            }),
          logger: logger.child({ task: 'datamesh-health-labels' }),
          resyncEveryMs: duration('resyncFrequency', 10 * 60_000),
        });
        // once the backend has started, so that the datamesh backend answers the first run;
        // local: every replica keeps its own snapshot for its own processing
        lifecycle.addStartupHook(async () => {
          await scheduler.scheduleTask({
            id: 'datamesh-health-labels',
            scope: 'local',
            frequency: { milliseconds: duration('frequency', 10_000) },
            timeout: { minutes: 5 },
            fn: () => updater.run(),
          });
        });
      },
    });
  },
});
