import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { DataMeshEntitiesProcessor } from './processor/DataMeshEntitiesProcessor';
import { DataProductDescriptorProcessor } from './processor/DataProductDescriptorProcessor';

/**
 * Catalog backend module that adds the data mesh model to the catalog: the `DataProduct` kind
 * and the data-mesh additions to `Domain`, with their validation and relations, and locations of
 * type `odps` and `dpds` that register data products described with those open standards, with
 * the defaults of `datamesh.descriptors.defaults` in app-config for what descriptors do not say.
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
      },
      async init({ catalog, config, reader, logger }) {
        catalog.addProcessor(new DataMeshEntitiesProcessor());
        // reads datamesh.descriptors.defaults, refusing to start on an invalid value
        catalog.addProcessor(
          DataProductDescriptorProcessor.fromConfig(config, { reader, logger }),
        );
      },
    });
  },
});
