import { createApiRef } from '@backstage/frontend-plugin-api';
import type {
  DataContractResult,
  DataMeshProblem,
  DataProductInfrastructureResult,
} from '@backstage-datamesh/plugin-datamesh-common';

/**
 * Identifies one output port of a data product.
 * @public
 */
export interface DataProductPortRef {
  /** Namespace of the DataProduct entity. */
  namespace: string;
  /** Name of the DataProduct entity. */
  name: string;
  /** Name of the output port. */
  port: string;
}

/**
 * The data mesh backend, as seen by the frontend.
 * @public
 */
export interface DataMeshApi {
  /**
   * Reads and validates the data contract of a data product's output port.
   *
   * @remarks
   * Resolves with the validation outcome (which may itself report an invalid or unreachable
   * contract); rejects with a `ResponseError` when the product, the port or its contract field
   * does not exist, or the backend fails.
   */
  getDataContract(port: DataProductPortRef): Promise<DataContractResult>;

  /**
   * Reads and validates a data product's infrastructure descriptor (`spec.infrastructure`).
   *
   * @remarks
   * Resolves with the validation outcome (valid, invalid with each problem, or unreachable);
   * rejects with a `ResponseError` when the product does not exist or references no descriptor.
   */
  getInfrastructure(product: {
    namespace: string;
    name: string;
  }): Promise<DataProductInfrastructureResult>;

  /**
   * Lists the DataProducts and Domains that the catalog could not process, each with the errors
   * that keep it out of the catalog.
   */
  getProblems(): Promise<DataMeshProblem[]>;
}

/**
 * The API reference of the {@link DataMeshApi}.
 * @public
 */
export const dataMeshApiRef = createApiRef<DataMeshApi>().with({
  id: 'plugin.datamesh.service',
  pluginId: 'datamesh',
});
