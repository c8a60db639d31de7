import type { CatalogService } from '@backstage/plugin-catalog-node';
import type { ProductVisibility } from '../service/visibility';
import { registerListUnhealthyAction } from './listUnhealthyAction';
import {
  DataMeshActionsOptions,
  registerProductActions,
} from './productActions';

export { registerLineageActions } from './lineageActions';

/**
 * Registers the data mesh's actions in Backstage's actions registry, for MCP clients and other
 * assistants: `get-data-product-health`, `get-data-product-checks`,
 * `get-data-product-incidents` and `list-unhealthy-data-products`. Each reads with the caller's
 * credentials, so a caller sees only the products the catalog lets it see.
 * @internal
 */
export function registerDataMeshActions(
  options: DataMeshActionsOptions & {
    catalog: CatalogService;
    visibility: ProductVisibility;
  },
) {
  registerProductActions(options);
  registerListUnhealthyAction(options);
}
