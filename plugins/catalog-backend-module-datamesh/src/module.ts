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
 * type `odps` and `dpds` that register data products described with those open standards.
 * @public
 */
export const catalogModuleDataMesh = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'datamesh',
  register(reg) {
    reg.registerInit({
      deps: {
        catalog: catalogProcessingExtensionPoint,
        reader: coreServices.urlReader,
        logger: coreServices.logger,
      },
      async init({ catalog, reader, logger }) {
        catalog.addProcessor(new DataMeshEntitiesProcessor());
        catalog.addProcessor(
          new DataProductDescriptorProcessor({ reader, logger }),
        );
      },
    });
  },
});
