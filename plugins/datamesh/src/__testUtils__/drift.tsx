import { ReactElement } from 'react';
import { setupServer } from 'msw/node';
import { http, HttpResponse } from 'msw';
import type { Entity } from '@backstage/catalog-model';
import {
  EntityProvider,
  catalogApiRef,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import {
  MockFetchApi,
  TestApiProvider,
  mockApis,
  registerMswTestHooks,
  renderInTestApp,
} from '@backstage/test-utils';
import {
  DataMeshLineageClient,
  type LineageDrift,
} from '@backstage-datamesh/plugin-datamesh-common';
import { dataMeshApiRef, dataMeshLineageApiRef } from '../api';
import { mockCatalogApi } from './fixtures';

const baseUrl = 'http://localhost:7007';
/** Where the datamesh backend answers in these tests. */
export const DATAMESH_URL = `${baseUrl}/api/datamesh`;

/** An msw server for the lineage routes, started and stopped around each test. */
export function useLineageServer() {
  const server = setupServer();
  registerMswTestHooks(server);
  return server;
}

/** Answers a route with JSON, recording the query of each request. */
export function answer(
  server: ReturnType<typeof setupServer>,
  path: string,
  body: unknown,
  status = 200,
) {
  const queries: URLSearchParams[] = [];
  server.use(
    http.get(`${DATAMESH_URL}${path}`, ({ request }) => {
      queries.push(new URL(request.url).searchParams);
      return HttpResponse.json(body as object, { status });
    }),
  );
  return queries;
}

/** Hours before the test's start, as ISO 8601. */
export function hoursAgo(hours: number): string {
  return new Date(Date.now() - hours * 3_600_000).toISOString();
}

/** The drift of customer-360 in the example mesh: one of each kind of finding. */
export function customer360Drift(
  overrides: Partial<LineageDrift> = {},
): LineageDrift {
  return {
    entityRef: 'dataproduct:default/customer-360',
    windowDays: 30,
    undeclaredInputs: [
      {
        entityRef: 'dataproduct:default/web-sessions',
        port: 'sessions',
        lastSeenAt: hoursAgo(3),
        job: { namespace: 'airflow', name: 'customer_360.build' },
      },
    ],
    unobservedInputs: [
      {
        inputPort: 'crm-accounts',
        entityRef: 'dataproduct:default/crm-accounts',
        port: 'accounts',
      },
    ],
    undeclaredConsumers: [
      {
        entityRef: 'dataproduct:default/churn-features',
        port: 'customer-profile',
        lastSeenAt: hoursAgo(1),
        job: { namespace: 'spark', name: 'churn.features' },
      },
    ],
    ...overrides,
  };
}

/**
 * Renders an element with the real lineage client over the msw server (and, when given, an
 * entity), as the app wires it.
 */
export function renderWithLineage(
  element: ReactElement,
  options: { entity?: Entity } = {},
) {
  const lineageApi = new DataMeshLineageClient({
    discoveryApi: mockApis.discovery({ baseUrl }),
    fetchApi: new MockFetchApi(),
  });
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [catalogApiRef, mockCatalogApi()],
        [dataMeshApiRef, { getProblems: jest.fn().mockResolvedValue([]) }],
        [dataMeshLineageApiRef, lineageApi],
      ]}
    >
      {options.entity ? (
        <EntityProvider entity={options.entity}>{element}</EntityProvider>
      ) : (
        element
      )}
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}
