import type { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import type {
  DataContractResult,
  DataMeshProblem,
  DataProductInfrastructureResult,
} from '@backstage-datamesh/plugin-datamesh-common';
import type { DataMeshApi, DataProductPortRef } from './DataMeshApi';

/**
 * The default {@link DataMeshApi}: calls the `datamesh` backend plugin over HTTP.
 * @public
 */
export class DataMeshClient implements DataMeshApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  async getDataContract(port: DataProductPortRef): Promise<DataContractResult> {
    const baseUrl = await this.discoveryApi.getBaseUrl('datamesh');
    const path = [port.namespace, port.name, port.port]
      .map(segment => encodeURIComponent(segment))
      .join('/');
    const response = await this.fetchApi.fetch(`${baseUrl}/contracts/${path}`);
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as DataContractResult;
  }

  async getInfrastructure(product: {
    namespace: string;
    name: string;
  }): Promise<DataProductInfrastructureResult> {
    const baseUrl = await this.discoveryApi.getBaseUrl('datamesh');
    const path = [product.namespace, product.name]
      .map(segment => encodeURIComponent(segment))
      .join('/');
    const response = await this.fetchApi.fetch(
      `${baseUrl}/products/${path}/infrastructure`,
    );
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as DataProductInfrastructureResult;
  }

  async getProblems(): Promise<DataMeshProblem[]> {
    const baseUrl = await this.discoveryApi.getBaseUrl('datamesh');
    const response = await this.fetchApi.fetch(`${baseUrl}/problems`);
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    const body = (await response.json()) as { items: DataMeshProblem[] };
    return body.items;
  }
}
