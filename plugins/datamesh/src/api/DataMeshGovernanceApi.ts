import { createApiRef } from '@backstage/frontend-plugin-api';
import type {
  DataProductRef,
  EffectivePoliciesResponse,
  GovernanceSummary,
  ProductComplianceResponse,
} from '@backstage-datamesh/plugin-datamesh-common';

/**
 * The governance read API of the data mesh backend (`/api/datamesh/v1`), as the frontend uses
 * it. `DataMeshGovernanceClient` of `@backstage-datamesh/plugin-datamesh-common` implements it.
 * @public
 */
export interface DataMeshGovernanceApi {
  /** A product's compliance with each policy, and its latest changes of outcome. */
  getProductCompliance(ref: DataProductRef): Promise<ProductComplianceResponse>;
  /** Compliance by domain and by policy, with its trend over `days` (30 by default). */
  getSummary(options?: {
    domain?: string;
    days?: number;
  }): Promise<GovernanceSummary>;
  /** The policies that apply to a domain's products (the portal's alone without a domain). */
  getPolicies(options?: {
    domain?: string;
  }): Promise<EffectivePoliciesResponse>;
}

/**
 * The API reference of the {@link DataMeshGovernanceApi}.
 * @public
 */
export const dataMeshGovernanceApiRef =
  createApiRef<DataMeshGovernanceApi>().with({
    id: 'plugin.datamesh.governance',
    pluginId: 'datamesh',
  });
