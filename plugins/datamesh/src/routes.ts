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
 * The path of the Quality tab below a DataProduct's entity page, which the Health card links to.
 * @public
 */
export const QUALITY_TAB_PATH = 'quality';
