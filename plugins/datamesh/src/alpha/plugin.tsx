import FavoriteIcon from '@material-ui/icons/Favorite';
import StorageIcon from '@material-ui/icons/Storage';
import VerifiedUserIcon from '@material-ui/icons/VerifiedUser';
import {
  ApiBlueprint,
  PageBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import {
  compatWrapper,
  convertLegacyRouteRef,
} from '@backstage/core-compat-api';
// the page's content padded as on the legacy system (the plugin page layout pads only its header)
import { Content } from '@backstage/core-components';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
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
} from '../api';
import {
  LINEAGE_TAB_PATH,
  QUALITY_TAB_PATH,
  governanceRouteRef,
  meshHealthRouteRef,
  rootRouteRef,
} from '../routes';

/**
 * The DataMeshApi, backed by the `datamesh` backend plugin.
 * @alpha
 */
export const dataMeshApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: dataMeshApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new DataMeshClient({ discoveryApi, fetchApi }),
    }),
});

/**
 * The DataMeshQualityApi: the quality and health routes of the `datamesh` backend plugin.
 * @alpha
 */
export const dataMeshQualityApi = ApiBlueprint.make({
  name: 'quality',
  params: defineParams =>
    defineParams({
      api: dataMeshQualityApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new DataMeshQualityClient({ discoveryApi, fetchApi }),
    }),
});

/**
 * The DataMeshLineageApi: the lineage read routes of the `datamesh` backend plugin.
 * @alpha
 */
export const dataMeshLineageApi = ApiBlueprint.make({
  name: 'lineage',
  params: defineParams =>
    defineParams({
      api: dataMeshLineageApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new DataMeshLineageClient({ discoveryApi, fetchApi }),
    }),
});

/**
 * The DataMeshGovernanceApi: the governance read routes of the `datamesh` backend plugin
 * (a product's compliance, the summary by domain and by policy, the effective policies).
 * @alpha
 */
export const dataMeshGovernanceApi = ApiBlueprint.make({
  name: 'governance',
  params: defineParams =>
    defineParams({
      api: dataMeshGovernanceApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new DataMeshGovernanceClient({ discoveryApi, fetchApi }),
    }),
});

/**
 * The Mesh health page at `/mesh-health`, with its nav item: every breaching or degraded data
 * product, worst first.
 * @alpha
 */
export const meshHealthPage = PageBlueprint.make({
  name: 'mesh-health',
  params: {
    path: '/mesh-health',
    title: 'Mesh health',
    icon: <FavoriteIcon fontSize="inherit" />,
    routeRef: convertLegacyRouteRef(meshHealthRouteRef),
    loader: () =>
      import('../components/MeshHealthPage').then(m =>
        compatWrapper(
          <Content>
            <m.MeshHealthPageContent />
          </Content>,
        ),
      ),
  },
});

/**
 * The Governance page at `/governance`, with its nav item: compliance by domain and by policy,
 * its trend, and the products failing each required policy.
 * @alpha
 */
export const governancePage = PageBlueprint.make({
  name: 'governance',
  params: {
    path: '/governance',
    title: 'Governance',
    icon: <VerifiedUserIcon fontSize="inherit" />,
    routeRef: convertLegacyRouteRef(governanceRouteRef),
    loader: () =>
      import('../components/GovernancePage').then(m =>
        compatWrapper(
          <Content>
            <m.GovernancePageContent />
          </Content>,
        ),
      ),
  },
});

/**
 * The Data products page at `/data-products`, with its nav item.
 * @alpha
 */
export const dataProductsPage = PageBlueprint.make({
  params: {
    path: '/data-products',
    title: 'Data products',
    icon: <StorageIcon fontSize="inherit" />,
    routeRef: convertLegacyRouteRef(rootRouteRef),
    loader: () =>
      import('../components/DataProductsPage').then(m =>
        compatWrapper(
          <Content>
            <m.DataProductsPageContent />
          </Content>,
        ),
      ),
  },
});

const DATA_PRODUCT_FILTER = 'kind:dataproduct';
const DOMAIN_FILTER = 'kind:domain';

/**
 * The "Data product" card of DataProduct entity pages.
 * @alpha
 */
export const dataProductAboutCard = EntityCardBlueprint.make({
  name: 'data-product-about',
  params: {
    type: 'info',
    filter: DATA_PRODUCT_FILTER,
    loader: () =>
      import('../components/DataProductAboutCard').then(m =>
        compatWrapper(<m.DataProductAboutCard />),
      ),
  },
});

/**
 * The "Ownership" card of DataProduct entity pages.
 * @alpha
 */
export const dataProductOwnershipCard = EntityCardBlueprint.make({
  name: 'data-product-ownership',
  params: {
    type: 'info',
    filter: DATA_PRODUCT_FILTER,
    loader: () =>
      import('../components/DataProductOwnershipCard').then(m =>
        compatWrapper(<m.DataProductOwnershipCard />),
      ),
  },
});

/**
 * The "Health" card of DataProduct entity pages: the health badge with its reasons, each
 * objective measured and the open incident.
 * @alpha
 */
export const dataProductHealthCard = EntityCardBlueprint.make({
  name: 'data-product-health',
  params: {
    // the main column's first card: the first thing on-call engineers look at
    type: 'content',
    filter: DATA_PRODUCT_FILTER,
    loader: () =>
      import('../components/DataProductHealthCard').then(m =>
        compatWrapper(<m.DataProductHealthCard />),
      ),
  },
});

/**
 * The "Quality" tab of DataProduct entity pages: incidents, latest checks and trends.
 * @alpha
 */
export const dataProductQualityContent = EntityContentBlueprint.make({
  name: 'quality',
  params: {
    path: QUALITY_TAB_PATH,
    title: 'Quality',
    filter: DATA_PRODUCT_FILTER,
    loader: () =>
      import('../components/DataProductQualityContent').then(m =>
        compatWrapper(<m.DataProductQualityContent />),
      ),
  },
});

/**
 * The "Lineage" tab of DataProduct entity pages: the lineage graph, column lineage and impact
 * analysis.
 * @alpha
 */
export const dataProductLineageContent = EntityContentBlueprint.make({
  name: 'lineage',
  params: {
    path: LINEAGE_TAB_PATH,
    title: 'Lineage',
    filter: DATA_PRODUCT_FILTER,
    loader: () =>
      import('../components/DataProductLineageContent').then(m =>
        compatWrapper(<m.DataProductLineageContent />),
      ),
  },
});

/**
 * The "Service level objectives" card of DataProduct entity pages.
 * @alpha
 */
export const dataProductSloCard = EntityCardBlueprint.make({
  name: 'data-product-slo',
  params: {
    // in the main column, below the Health card: the objectives as written
    type: 'content',
    filter: DATA_PRODUCT_FILTER,
    loader: () =>
      import('../components/DataProductSloCard').then(m =>
        compatWrapper(<m.DataProductSloCard />),
      ),
  },
});

/**
 * The "Output ports" card of DataProduct entity pages, with each port's data contract.
 * @alpha
 */
export const dataProductOutputPortsCard = EntityCardBlueprint.make({
  name: 'data-product-output-ports',
  params: {
    type: 'content',
    filter: DATA_PRODUCT_FILTER,
    loader: () =>
      import('../components/DataProductOutputPortsCard').then(m =>
        compatWrapper(<m.DataProductOutputPortsCard />),
      ),
  },
});

/**
 * The "Infrastructure" card of DataProduct entity pages: the product's validated
 * `DataProductInfrastructure` descriptor.
 * @alpha
 */
export const dataProductInfrastructureCard = EntityCardBlueprint.make({
  name: 'data-product-infrastructure',
  params: {
    type: 'content',
    filter: DATA_PRODUCT_FILTER,
    loader: () =>
      import('../components/DataProductInfrastructureCard').then(m =>
        compatWrapper(<m.DataProductInfrastructureCard />),
      ),
  },
});

/**
 * The "Compliance" card of DataProduct entity pages: each governance policy that applies, pass
 * or fail with its reason and enforcement (required failures first), and those that do not apply.
 * @alpha
 */
export const dataProductComplianceCard = EntityCardBlueprint.make({
  name: 'data-product-compliance',
  params: {
    // in the main column, after the Infrastructure card whose descriptor most policies read
    type: 'content',
    filter: DATA_PRODUCT_FILTER,
    loader: () =>
      import('../components/DataProductComplianceCard').then(m =>
        compatWrapper(<m.DataProductComplianceCard />),
      ),
  },
});

/**
 * The "Input ports" card of DataProduct entity pages.
 * @alpha
 */
export const dataProductInputPortsCard = EntityCardBlueprint.make({
  name: 'data-product-input-ports',
  params: {
    type: 'content',
    filter: DATA_PRODUCT_FILTER,
    loader: () =>
      import('../components/DataProductInputPortsCard').then(m =>
        compatWrapper(<m.DataProductInputPortsCard />),
      ),
  },
});

/**
 * The "Consumers" card of DataProduct entity pages.
 * @alpha
 */
export const dataProductConsumersCard = EntityCardBlueprint.make({
  name: 'data-product-consumers',
  params: {
    type: 'content',
    filter: DATA_PRODUCT_FILTER,
    loader: () =>
      import('../components/DataProductConsumersCard').then(m =>
        compatWrapper(<m.DataProductConsumersCard />),
      ),
  },
});

/**
 * The "Lineage drift" card of DataProduct entity pages: where the declared input ports and the
 * observed lineage disagree, or that they agree.
 * @alpha
 */
export const dataProductLineageDriftCard = EntityCardBlueprint.make({
  name: 'data-product-lineage-drift',
  params: {
    // in the main column, after the ports and consumers it compares with the observed lineage
    type: 'content',
    filter: DATA_PRODUCT_FILTER,
    loader: () =>
      import('../components/DataProductLineageDriftCard').then(m =>
        compatWrapper(<m.DataProductLineageDriftCard />),
      ),
  },
});

/**
 * The "Data products" card of Domain entity pages.
 * @alpha
 */
export const domainDataProductsCard = EntityCardBlueprint.make({
  name: 'domain-data-products',
  params: {
    type: 'content',
    filter: DOMAIN_FILTER,
    loader: () =>
      import('../components/DomainDataProductsCard').then(m =>
        compatWrapper(<m.DomainDataProductsCard />),
      ),
  },
});

/**
 * The "Data mesh" card of Domain entity pages.
 * @alpha
 */
export const domainDataMeshCard = EntityCardBlueprint.make({
  name: 'domain-data-mesh',
  params: {
    type: 'info',
    filter: DOMAIN_FILTER,
    loader: () =>
      import('../components/DomainDataMeshCard').then(m =>
        compatWrapper(<m.DomainDataMeshCard />),
      ),
  },
});

/**
 * The data mesh frontend plugin for apps on the new frontend system.
 * @alpha
 */
export const datameshPlugin = createFrontendPlugin({
  pluginId: 'datamesh',
  title: 'Data mesh',
  icon: <StorageIcon fontSize="inherit" />,
  info: { packageJson: () => import('../../package.json') },
  routes: {
    root: convertLegacyRouteRef(rootRouteRef),
    meshHealth: convertLegacyRouteRef(meshHealthRouteRef),
    governance: convertLegacyRouteRef(governanceRouteRef),
  },
  extensions: [
    dataMeshApi,
    dataMeshQualityApi,
    dataMeshLineageApi,
    dataMeshGovernanceApi,
    dataProductsPage,
    meshHealthPage,
    governancePage,
    dataProductAboutCard,
    dataProductOwnershipCard,
    dataProductHealthCard,
    dataProductSloCard,
    dataProductOutputPortsCard,
    dataProductInputPortsCard,
    dataProductConsumersCard,
    dataProductLineageDriftCard,
    dataProductInfrastructureCard,
    dataProductComplianceCard,
    domainDataProductsCard,
    domainDataMeshCard,
    dataProductQualityContent,
    dataProductLineageContent,
  ],
});
