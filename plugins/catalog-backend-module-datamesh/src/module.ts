import { createBackendModule } from '@backstage/backend-plugin-api';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { DataMeshEntitiesProcessor } from './processor/DataMeshEntitiesProcessor';

/**
 * Catalog backend module that adds the data mesh model to the catalog: the `DataProduct` kind
 * and the data-mesh additions to `Domain`, with their validation and relations.
 * @public
 */
export const catalogModuleDataMesh = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'datamesh',
  register(reg) {
    reg.registerInit({
      deps: { catalog: catalogProcessingExtensionPoint },
      async init({ catalog }) {
        catalog.addProcessor(new DataMeshEntitiesProcessor());
      },
    });
  },
});
