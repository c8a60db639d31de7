import { createApiRef } from '@backstage/frontend-plugin-api';
import type {
  DataProductRef,
  HealthPageQuery,
  Incident,
  IncidentPage,
  IncidentQuery,
  ProductHealthPage,
  IncidentState,
  ProductHealth,
  ProductHealthState,
  ProductHistory,
  RawQualityDocument,
  StoredCheckResult,
} from '@backstage-datamesh/plugin-datamesh-common';

/**
 * The quality and health API of the data mesh backend (`/api/datamesh/v1`), as the frontend uses
 * it. `DataMeshQualityClient` of `@backstage-datamesh/plugin-datamesh-common` implements it.
 * @public
 */
export interface DataMeshQualityApi {
  /** A product's health with its reasons; `unknown` before any result. */
  getHealth(ref: DataProductRef): Promise<ProductHealth>;
  /** The latest result of each check of a product. */
  getLatestChecks(ref: DataProductRef): Promise<StoredCheckResult[]>;
  /** A product's trends over 7, 30 or 90 days. */
  getHistory(ref: DataProductRef, days: 7 | 30 | 90): Promise<ProductHistory>;
  /** A product's incidents, newest first, optionally of some states only. */
  getIncidents(
    ref: DataProductRef,
    options?: { states?: IncidentState[] },
  ): Promise<Incident[]>;
  /** A run's raw document, fetched with the user's credentials. */
  getRawDocument(runId: number): Promise<RawQualityDocument>;
  /** The health of every product the user may see, optionally of some states only. */
  listHealth(states?: ProductHealthState[]): Promise<ProductHealth[]>;
  /** A page of products' health, worst first, with counts by health and the filters' options. */
  getHealthPage(query: HealthPageQuery): Promise<ProductHealthPage>;
  /** The incidents of many products in one request, newest first. */
  listIncidents(query: IncidentQuery): Promise<IncidentPage>;
  /** Acknowledges an incident; rejects with a `ResponseError` (403, 409) when not allowed. */
  acknowledgeIncident(id: string): Promise<Incident>;
  /** Resolves an incident; rejects with a `ResponseError` (403, 409) when not allowed. */
  resolveIncident(id: string): Promise<Incident>;
}

/**
 * The API reference of the {@link DataMeshQualityApi}.
 * @public
 */
export const dataMeshQualityApiRef = createApiRef<DataMeshQualityApi>().with({
  id: 'plugin.datamesh.quality',
  pluginId: 'datamesh',
});
