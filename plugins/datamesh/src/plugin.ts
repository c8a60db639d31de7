import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { DataMeshClient, dataMeshApiRef } from './api';
import { rootRouteRef } from './routes';

/**
 * The data mesh frontend plugin for apps on the legacy frontend system.
 * @public
 */
export const datameshPlugin = createPlugin({
  id: 'datamesh',
  apis: [
    createApiFactory({
      api: dataMeshApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new DataMeshClient({ discoveryApi, fetchApi }),
    }),
  ],
  routes: {
    root: rootRouteRef,
  },
});

/**
 * The Data products page: every DataProduct in the catalog, filtered and paged on the server.
 * @public
 */
export const DataProductsPage = datameshPlugin.provide(
  createRoutableExtension({
    name: 'DataProductsPage',
    component: () =>
      import('./components/DataProductsPage').then(m => m.DataProductsPage),
    mountPoint: rootRouteRef,
  }),
);

/**
 * The "Data product" card of a DataProduct entity page.
 * @public
 */
export const EntityDataProductAboutCard = datameshPlugin.provide(
  createComponentExtension({
    name: 'EntityDataProductAboutCard',
    component: {
      lazy: () =>
        import('./components/DataProductAboutCard').then(
          m => m.DataProductAboutCard,
        ),
    },
  }),
);

/**
 * The "Ownership" card of a DataProduct entity page.
 * @public
 */
export const EntityDataProductOwnershipCard = datameshPlugin.provide(
  createComponentExtension({
    name: 'EntityDataProductOwnershipCard',
    component: {
      lazy: () =>
        import('./components/DataProductOwnershipCard').then(
          m => m.DataProductOwnershipCard,
        ),
    },
  }),
);

/**
 * The "Service level objectives" card of a DataProduct entity page.
 * @public
 */
export const EntityDataProductSloCard = datameshPlugin.provide(
  createComponentExtension({
    name: 'EntityDataProductSloCard',
    component: {
      lazy: () =>
        import('./components/DataProductSloCard').then(
          m => m.DataProductSloCard,
        ),
    },
  }),
);

/**
 * The "Output ports" card of a DataProduct entity page, with each port's data contract.
 * @public
 */
export const EntityDataProductOutputPortsCard = datameshPlugin.provide(
  createComponentExtension({
    name: 'EntityDataProductOutputPortsCard',
    component: {
      lazy: () =>
        import('./components/DataProductOutputPortsCard').then(
          m => m.DataProductOutputPortsCard,
        ),
    },
  }),
);

/**
 * The "Input ports" card of a DataProduct entity page.
 * @public
 */
export const EntityDataProductInputPortsCard = datameshPlugin.provide(
  createComponentExtension({
    name: 'EntityDataProductInputPortsCard',
    component: {
      lazy: () =>
        import('./components/DataProductInputPortsCard').then(
          m => m.DataProductInputPortsCard,
        ),
    },
  }),
);

/**
 * The "Consumers" card of a DataProduct entity page.
 * @public
 */
export const EntityDataProductConsumersCard = datameshPlugin.provide(
  createComponentExtension({
    name: 'EntityDataProductConsumersCard',
    component: {
      lazy: () =>
        import('./components/DataProductConsumersCard').then(
          m => m.DataProductConsumersCard,
        ),
    },
  }),
);

/**
 * The "Data products" card of a Domain entity page.
 * @public
 */
export const EntityDomainDataProductsCard = datameshPlugin.provide(
  createComponentExtension({
    name: 'EntityDomainDataProductsCard',
    component: {
      lazy: () =>
        import('./components/DomainDataProductsCard').then(
          m => m.DomainDataProductsCard,
        ),
    },
  }),
);

/**
 * The "Data mesh" card of a Domain entity page.
 * @public
 */
export const EntityDomainDataMeshCard = datameshPlugin.provide(
  createComponentExtension({
    name: 'EntityDomainDataMeshCard',
    component: {
      lazy: () =>
        import('./components/DomainDataMeshCard').then(
          m => m.DomainDataMeshCard,
        ),
    },
  }),
);
