import { createRouteRef } from '@backstage/core-plugin-api';

/**
 * The route of the Data products page.
 * @public
 */
export const rootRouteRef = createRouteRef({
  id: 'datamesh',
});

/**
 * The route of the Mesh health page.
 * @public
 */
export const meshHealthRouteRef = createRouteRef({
  id: 'datamesh-mesh-health',
});

/**
 * The route of the Governance page.
 * @public
 */
export const governanceRouteRef = createRouteRef({
  id: 'datamesh-governance',
});

/**
 * The path of the Quality tab below a DataProduct's entity page, which the Health card links to.
 * @public
 */
export const QUALITY_TAB_PATH = 'quality';

/**
 * The path of the Lineage tab below a DataProduct's entity page.
 * @public
 */
export const LINEAGE_TAB_PATH = 'lineage';

/**
 * The query of the Lineage tab that opens its impact analysis (the products hit downstream),
 * which the Incidents card links to: `lineage?view=impact`.
 * @public
 */
export const LINEAGE_IMPACT_QUERY = 'view=impact';
