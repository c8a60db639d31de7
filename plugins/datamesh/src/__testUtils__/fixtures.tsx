import { ReactElement } from 'react';
import type { Entity } from '@backstage/catalog-model';
import {
  EntityProvider,
  catalogApiRef,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import type { CatalogApi } from '@backstage/plugin-catalog-react';
import { TestApiProvider, renderInTestApp } from '@backstage/test-utils';
import { AlertApi, alertApiRef } from '@backstage/core-plugin-api';
import type { DataProductEntityV1alpha1 } from '@backstage-datamesh/plugin-datamesh-common';
import {
  DataMeshApi,
  DataMeshLineageApi,
  DataMeshQualityApi,
  dataMeshApiRef,
  dataMeshLineageApiRef,
  dataMeshQualityApiRef,
} from '../api';

/** A complete DataProduct entity as the catalog serves it, with its relations. */
export function dataProduct(
  overrides: Partial<DataProductEntityV1alpha1['spec']> & {
    name?: string;
    relations?: Entity['relations'];
  } = {},
): DataProductEntityV1alpha1 {
  const { name = 'customer-360', relations, ...spec } = overrides;
  return {
    apiVersion: 'datamesh.io/v1alpha1',
    kind: 'DataProduct',
    metadata: {
      name,
      namespace: 'default',
      title: 'Customer 360',
      description: 'The unified customer profile.',
      tags: ['customer', 'pii'],
      links: [
        { url: 'https://dashboards.example.com/c360', title: 'Dashboard' },
      ],
    },
    spec: {
      owner: 'customer-domain-team',
      domain: 'customer',
      type: 'aggregate',
      lifecycle: 'production',
      version: '2.1.0',
      previousVersions: ['1.4.2'],
      sensitivity: 'confidential',
      retentionDays: 365,
      documentationUrl: 'https://docs.example.com/customer-360',
      sla: {
        freshness: '15m',
        availability: '99.95%',
        accuracy: '99.5%',
        completeness: 0.98,
      },
      ownership: {
        technicalOwner: 'group:platform-team',
        developer: 'user:jane-doe',
        businessOwner: 'user:tom-becker',
        steward: 'user:ana-lima',
        onCallRotation: 'customer-oncall',
        escalationPath: [
          'user:jane-doe',
          'group:customer-domain-team',
          'user:cto',
        ],
        communicationChannel: '#customer-data',
      },
      outputPorts: [
        {
          name: 'profiles',
          type: 'table',
          location: {
            namespace: 'postgres://warehouse:5432',
            name: 'analytics.public.customer_360',
          },
          format: 'delta',
          contract: './contracts/profiles.odcs.yaml',
          description: 'One row per customer.',
        },
      ],
      inputPorts: [
        {
          name: 'crm-accounts',
          product: 'crm-accounts',
          port: 'accounts',
          description: 'Accounts from the CRM.',
        },
      ],
      ...spec,
    },
    relations: relations ?? [
      { type: 'ownedBy', targetRef: 'group:default/customer-domain-team' },
      { type: 'partOf', targetRef: 'domain:default/customer' },
      { type: 'dependsOn', targetRef: 'dataproduct:default/crm-accounts' },
      { type: 'dependencyOf', targetRef: 'dataproduct:default/churn-features' },
    ],
  };
}

/** A catalog API whose methods are jest mocks. */
export function mockCatalogApi(
  partial: Partial<CatalogApi> = {},
): jest.Mocked<CatalogApi> {
  const notMocked = (method: string) => () => {
    throw new Error(`catalogApi.${method} is not mocked`);
  };
  return {
    getEntities: jest.fn(notMocked('getEntities')),
    getEntitiesByRefs: jest.fn(notMocked('getEntitiesByRefs')),
    queryEntities: jest.fn(notMocked('queryEntities')),
    getEntityFacets: jest.fn(notMocked('getEntityFacets')),
    ...partial,
  } as unknown as jest.Mocked<CatalogApi>;
}

/** Renders an entity card (or any element) for an entity with the given APIs. */
export function renderForEntity(
  element: ReactElement,
  options: {
    entity?: Entity;
    catalogApi?: CatalogApi;
    dataMeshApi?: Partial<DataMeshApi>;
    qualityApi?: Partial<DataMeshQualityApi>;
    lineageApi?: Partial<DataMeshLineageApi>;
    alertApi?: Partial<AlertApi>;
    routeEntries?: string[];
  } = {},
) {
  const content = options.entity ? (
    <EntityProvider entity={options.entity}>{element}</EntityProvider>
  ) : (
    element
  );
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [catalogApiRef, options.catalogApi ?? mockCatalogApi()],
        [
          dataMeshApiRef,
          {
            getDataContract: jest.fn().mockRejectedValue(new Error('no api')),
            getProblems: jest.fn().mockResolvedValue([]),
            ...options.dataMeshApi,
          },
        ],
        [dataMeshQualityApiRef, options.qualityApi ?? {}],
        [
          dataMeshLineageApiRef,
          {
            // the Data products page's problems panel asks for the mesh's drift
            listDrift: jest
              .fn()
              .mockResolvedValue({ items: [], totalCount: 0 }),
            ...options.lineageApi,
          },
        ],
        [alertApiRef, options.alertApi ?? { post: jest.fn() }],
      ]}
    >
      {content}
    </TestApiProvider>,
    {
      routeEntries: options.routeEntries,
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    },
  );
}
