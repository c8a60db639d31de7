import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import {
  DataMeshGovernanceClient,
  DataMeshLineageClient,
  DataMeshQualityClient,
} from '@backstage-datamesh/plugin-datamesh-common';
import {
  DataMeshClient,
  dataMeshApiRef,
  dataMeshGovernanceApiRef,
  dataMeshLineageApiRef,
  dataMeshQualityApiRef,
} from './api';
import { governanceRouteRef, meshHealthRouteRef, rootRouteRef } from './routes';

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
    createApiFactory({
      api: dataMeshQualityApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new DataMeshQualityClient({ discoveryApi, fetchApi }),
    }),
    createApiFactory({
      api: dataMeshLineageApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new DataMeshLineageClient({ discoveryApi, fetchApi }),
    }),
    createApiFactory({
      api: dataMeshGovernanceApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new DataMeshGovernanceClient({ discoveryApi, fetchApi }),
    }),
  ],
  routes: {
    root: rootRouteRef,
    meshHealth: meshHealthRouteRef,
    governance: governanceRouteRef,
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
 * The Mesh health page: every data product that is breaching or degraded, worst first, with
 * acknowledge from the list.
 * @public
 */
export const MeshHealthPage = datameshPlugin.provide(
  createRoutableExtension({
    name: 'MeshHealthPage',
    component: () =>
      import('./components/MeshHealthPage').then(m => m.MeshHealthPage),
    mountPoint: meshHealthRouteRef,
  }),
);

/**
 * The Governance page: the data products' compliance with the mesh's policies by domain and by
 * policy, its trend, and the products failing each required policy.
 * @public
 */
export const GovernancePage = datameshPlugin.provide(
  createRoutableExtension({
    name: 'GovernancePage',
    component: () =>
      import('./components/GovernancePage').then(m => m.GovernancePage),
    mountPoint: governanceRouteRef,
  }),
);

/**
 * The "Health" card of a DataProduct entity page: its health badge with the reasons, each
 * objective measured, and its open incident.
 * @public
 */
export const EntityDataProductHealthCard = datameshPlugin.provide(
  createComponentExtension({
    name: 'EntityDataProductHealthCard',
    component: {
      lazy: () =>
        import('./components/DataProductHealthCard').then(
          m => m.DataProductHealthCard,
        ),
    },
  }),
);

/**
 * The "Quality" tab of a DataProduct entity page: its incidents, latest checks and trends.
 * Mount it at the `quality` path of the entity page, which the Health card links to.
 * @public
 */
export const EntityDataProductQualityContent = datameshPlugin.provide(
  createComponentExtension({
    name: 'EntityDataProductQualityContent',
    component: {
      lazy: () =>
        import('./components/DataProductQualityContent').then(
          m => m.DataProductQualityContent,
        ),
    },
  }),
);

/**
 * The "Lineage" tab of a DataProduct entity page: its lineage graph upstream and downstream, the
 * column lineage of its output ports and the impact analysis (the products hit downstream).
 * Mount it at the `lineage` path of the entity page (`LINEAGE_TAB_PATH`), which the Incidents
 * card links to.
 * @public
 */
export const EntityDataProductLineageContent = datameshPlugin.provide(
  createComponentExtension({
    name: 'EntityDataProductLineageContent',
    component: {
      lazy: () =>
        import('./components/DataProductLineageContent').then(
          m => m.DataProductLineageContent,
        ),
    },
  }),
);

/**
 * The "Impact analysis" card of a DataProduct entity page: the products hit downstream when it
 * fails, nearest first, with their owners, on-call rotations and health.
 * @public
 */
export const EntityDataProductImpactCard = datameshPlugin.provide(
  createComponentExtension({
    name: 'EntityDataProductImpactCard',
    component: {
      lazy: () =>
        import('./components/ImpactAnalysis').then(
          m => m.DataProductImpactCard,
        ),
    },
  }),
);

/**
 * The "Latest checks" card of a DataProduct entity page.
 * @public
 */
export const EntityDataProductChecksCard = datameshPlugin.provide(
  createComponentExtension({
    name: 'EntityDataProductChecksCard',
    component: {
      lazy: () =>
        import('./components/DataProductChecksCard').then(
          m => m.DataProductChecksCard,
        ),
    },
  }),
);

/**
 * The "Trends" card of a DataProduct entity page: pass rate, freshness lag and metrics over 7,
 * 30 or 90 days.
 * @public
 */
export const EntityDataProductTrendsCard = datameshPlugin.provide(
  createComponentExtension({
    name: 'EntityDataProductTrendsCard',
    component: {
      lazy: () =>
        import('./components/DataProductTrendsCard').then(
          m => m.DataProductTrendsCard,
        ),
    },
  }),
);

/**
 * The "Incidents" card of a DataProduct entity page, with Acknowledge and Resolve.
 * @public
 */
export const EntityDataProductIncidentsCard = datameshPlugin.provide(
  createComponentExtension({
    name: 'EntityDataProductIncidentsCard',
    component: {
      lazy: () =>
        import('./components/DataProductIncidentsCard').then(
          m => m.DataProductIncidentsCard,
        ),
    },
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
 * The "Infrastructure" card of a DataProduct entity page: its validated
 * `DataProductInfrastructure` descriptor.
 * @public
 */
export const EntityDataProductInfrastructureCard = datameshPlugin.provide(
  createComponentExtension({
    name: 'EntityDataProductInfrastructureCard',
    component: {
      lazy: () =>
        import('./components/DataProductInfrastructureCard').then(
          m => m.DataProductInfrastructureCard,
        ),
    },
  }),
);

/**
 * The "Compliance" card of a DataProduct entity page: each governance policy that applies, pass
 * or fail with its reason and enforcement (required failures first), those that do not apply,
 * and when they were last evaluated.
 * @public
 */
export const EntityDataProductComplianceCard = datameshPlugin.provide(
  createComponentExtension({
    name: 'EntityDataProductComplianceCard',
    component: {
      lazy: () =>
        import('./components/DataProductComplianceCard').then(
          m => m.DataProductComplianceCard,
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
 * The "Lineage drift" card of a DataProduct entity page: where its declared input ports and the
 * observed lineage disagree (undeclared inputs and consumers, declared inputs never read), or
 * that they agree.
 * @public
 */
export const EntityDataProductLineageDriftCard = datameshPlugin.provide(
  createComponentExtension({
    name: 'EntityDataProductLineageDriftCard',
    component: {
      lazy: () =>
        import('./components/DataProductLineageDriftCard').then(
          m => m.DataProductLineageDriftCard,
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
