import { createRouteRef } from '@backstage/core-plugin-api';

/**
 * The route of the Data products page.
 * @public
 */
export const rootRouteRef = createRouteRef({
  id: 'datamesh',
});
