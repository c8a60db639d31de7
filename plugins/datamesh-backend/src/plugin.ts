import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { CatalogUnprocessedEntitiesClient } from '@backstage/plugin-catalog-unprocessed-entities-common';
import { DataContractReader } from '@backstage-datamesh/plugin-datamesh-node';
import { createRouter } from './service/router';

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
      }) {
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
          }),
        );
      },
    });
  },
});
