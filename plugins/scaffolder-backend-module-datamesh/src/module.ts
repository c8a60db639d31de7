import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { DataContractReader } from '@backstage-datamesh/plugin-datamesh-node';
import { createPublishLocalAction } from './actions/publishLocal';
import { createUpstreamContractsAction } from './actions/upstreamContracts';
import { createValidateDataProductAction } from './actions/validate';
import {
  dataMeshScaffolderChecksExtensionPoint,
  GeneratedProductCheck,
} from './checks';
import { createGovernanceCheck } from './governance';

/**
 * The scaffolder's data mesh module: the golden paths' actions `datamesh:dataproduct:validate`,
 * `datamesh:dataproduct:upstream-contracts` and `publish:datamesh:local`. Other modules add checks
 * to the validate action through {@link dataMeshScaffolderChecksExtensionPoint}; the suite's
 * governance policies are its first check.
 * @public
 */
export const scaffolderModuleDataMesh = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'datamesh',
  register(env) {
    const checks: GeneratedProductCheck[] = [];
    env.registerExtensionPoint(dataMeshScaffolderChecksExtensionPoint, {
      addChecks(...added) {
        checks.push(...added.flat());
      },
    });
    env.registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        catalog: catalogServiceRef,
        config: coreServices.rootConfig,
        urlReader: coreServices.urlReader,
      },
      async init({ scaffolder, catalog, config, urlReader }) {
        // the suite's governance policies first, then the checks other modules add (the same
        // array, read at each run)
        checks.unshift(createGovernanceCheck({ config, catalog }));
        scaffolder.addActions(
          createValidateDataProductAction({ catalog, checks }),
          createUpstreamContractsAction({
            catalog,
            contracts: DataContractReader.fromConfig(config, {
              reader: urlReader,
            }),
          }),
          createPublishLocalAction({ config }),
        );
      },
    });
  },
});
