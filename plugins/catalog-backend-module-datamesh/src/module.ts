import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { Config, readDurationFromConfig } from '@backstage/config';
import { durationToMilliseconds } from '@backstage/types';
import {
  catalogProcessingExtensionPoint,
  catalogServiceRef,
} from '@backstage/plugin-catalog-node';
import {
  DataMeshGovernanceFeedClient,
  DataMeshHealthClient,
} from '@backstage-datamesh/plugin-datamesh-node';
import { DataMeshEntitiesProcessor } from './processor/DataMeshEntitiesProcessor';
import { DataProductDescriptorProcessor } from './processor/DataProductDescriptorProcessor';
import { DataProductHealthLabelProcessor } from './health/DataProductHealthLabelProcessor';
import { HealthLabelSnapshot } from './health/HealthLabelSnapshot';
import { HealthLabelUpdater } from './health/HealthLabelUpdater';
import {
  ComplianceLabelSnapshot,
  ComplianceLabelUpdater,
  DataProductComplianceLabelProcessor,
} from './governance';
import { ObservedLineageRelationsProcessor } from './lineage/ObservedLineageRelationsProcessor';
import { ObservedLineageSnapshot } from './lineage/ObservedLineageSnapshot';
import { DataMeshObservedLineageSource } from './lineage/ObservedLineageSource';
import { ObservedLineageUpdater } from './lineage/ObservedLineageUpdater';
import { dataMeshCatalogPermissionRules } from './permissions';

/** The app-config key of the health labels' settings. */
const HEALTH_LABELS_CONFIG_KEY = 'datamesh.health.labels';

/** The app-config key of the compliance labels' settings. */
const COMPLIANCE_LABELS_CONFIG_KEY = 'datamesh.governance.labels';

/** The app-config key of the observed lineage relations' settings. */
const LINEAGE_RELATIONS_CONFIG_KEY = 'datamesh.lineage.relations';

/**
 * Catalog backend module that adds the data mesh model to the catalog: the `DataProduct` kind
 * and the data-mesh additions to `Domain`, with their validation and relations, and locations of
 * type `odps` and `dpds` that register data products described with those open standards, with
 * the defaults of `datamesh.descriptors.defaults` in app-config for what descriptors do not say.
 * Each DataProduct gets a `datamesh.io/health` label with its current health, kept current from
 * the data mesh backend's change feed (`datamesh.health.labels` in app-config), a
 * `datamesh.io/compliance` label and `datamesh.io/required-policy-failures` annotation with its
 * latest compliance, kept current from the governance feed (`datamesh.governance.labels`), and the
 * lineage
 * the backend observed between products becomes `observedDependsOn`/`observedDependencyOf`
 * relations (`datamesh.lineage.relations` in app-config). The suite's catalog permission rules
 * (`dataMeshCatalogConditions`, such as `hasSensitivity`) are registered on the catalog so that
 * permission policies can use them.
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
        permissionsRegistry: coreServices.permissionsRegistry,
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
        permissionsRegistry,
      }) {
        // the catalog's own rules are added by the catalog plugin with its resource type
        permissionsRegistry.addPermissionRules(
          Object.values(dataMeshCatalogPermissionRules),
        );
        catalog.addProcessor(new DataMeshEntitiesProcessor());
        // reads datamesh.descriptors.defaults, refusing to start on an invalid value
        catalog.addProcessor(
          DataProductDescriptorProcessor.fromConfig(config, { reader, logger }),
        );

        const refresh = async (entityRef: string) =>
          catalogService.refreshEntity(entityRef, {
            credentials: await auth.getOwnServiceCredentials(),
          });
        const duration = (
          settings: Config | undefined,
          key: string,
          fallback: number,
        ) =>
          settings?.has(key)
            ? durationToMilliseconds(readDurationFromConfig(settings, { key }))
            : fallback;

        const labels = config.getOptionalConfig(HEALTH_LABELS_CONFIG_KEY);
        if (labels?.getOptionalBoolean('enabled') !== false) {
          const snapshot = new HealthLabelSnapshot();
          catalog.addProcessor(new DataProductHealthLabelProcessor(snapshot));
          const updater = new HealthLabelUpdater({
            source: new DataMeshHealthClient({ discovery, auth }),
            snapshot,
            refresh,
            logger: logger.child({ task: 'datamesh-health-labels' }),
            resyncEveryMs: duration(labels, 'resyncFrequency', 10 * 60_000),
          });
          // once the backend has started, so that the datamesh backend answers the first run;
          // local: every replica keeps its own snapshot for its own processing
          lifecycle.addStartupHook(async () => {
            await scheduler.scheduleTask({
              id: 'datamesh-health-labels',
              scope: 'local',
              frequency: {
                milliseconds: duration(labels, 'frequency', 10_000),
              },
              timeout: { minutes: 5 },
              fn: () => updater.run(),
            });
          });
        }

        const compliance = config.getOptionalConfig(
          COMPLIANCE_LABELS_CONFIG_KEY,
        );
        if (compliance?.getOptionalBoolean('enabled') !== false) {
          const snapshot = new ComplianceLabelSnapshot();
          catalog.addProcessor(
            new DataProductComplianceLabelProcessor(snapshot),
          );
          const updater = new ComplianceLabelUpdater({
            source: new DataMeshGovernanceFeedClient({ discovery, auth }),
            snapshot,
            refresh,
            logger: logger.child({ task: 'datamesh-compliance-labels' }),
            resyncEveryMs: duration(compliance, 'resyncFrequency', 10 * 60_000),
          });
          // as the health labels: after start, and on every replica for its own processing
          lifecycle.addStartupHook(async () => {
            await scheduler.scheduleTask({
              id: 'datamesh-compliance-labels',
              scope: 'local',
              frequency: {
                milliseconds: duration(compliance, 'frequency', 10_000),
              },
              timeout: { minutes: 5 },
              fn: () => updater.run(),
            });
          });
        }

        const relations = config.getOptionalConfig(
          LINEAGE_RELATIONS_CONFIG_KEY,
        );
        if (relations?.getOptionalBoolean('enabled') !== false) {
          const snapshot = new ObservedLineageSnapshot();
          catalog.addProcessor(new ObservedLineageRelationsProcessor(snapshot));
          const updater = new ObservedLineageUpdater({
            source: new DataMeshObservedLineageSource({ discovery, auth }),
            snapshot,
            refresh,
            logger: logger.child({ task: 'datamesh-lineage-relations' }),
          });
          // as the health labels: after start, and on every replica for its own processing
          lifecycle.addStartupHook(async () => {
            await scheduler.scheduleTask({
              id: 'datamesh-lineage-relations',
              scope: 'local',
              frequency: {
                milliseconds: duration(relations, 'frequency', 30_000),
              },
              timeout: { minutes: 5 },
              fn: () => updater.run(),
            });
          });
        }
      },
    });
  },
});
