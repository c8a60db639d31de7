import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import express from 'express';
import { mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { createRouter } from '../service/router';
import { createQualityRouter } from '../service/qualityRouter';
import { ProductVisibility } from '../service/visibility';
import { DataContractReader } from '@backstage-datamesh/plugin-datamesh-node';
import type {
  HealthStore,
  LineageStore,
  QualityStore,
} from '@backstage-datamesh/plugin-datamesh-node';
import { QualityService } from '../quality/QualityService';
import { createLineageRouter } from '../lineage/lineageRouter';
import { LineageService } from '../lineage/LineageService';
import { ProductIndex } from '../lineage/ProductIndex';
import { createLineageGraphRouter } from '../lineage/lineageGraphRouter';
import { LineageGraphService } from '../lineage/LineageGraphService';
import { CatalogUnprocessedEntitiesClient } from '@backstage/plugin-catalog-unprocessed-entities-common';
import type { GovernanceStore } from '@backstage-datamesh/plugin-datamesh-node';
import { createGovernanceRouter } from '../governance/governanceRouter';
import type { GovernanceService } from '../governance/GovernanceService';

type Layer = {
  route?: { path: string; methods: Record<string, boolean> };
};

function routesOf(router: express.Router): string[] {
  return (router.stack as Layer[]).flatMap(layer =>
    layer.route
      ? Object.keys(layer.route.methods).map(
          method =>
            `${method.toUpperCase()} ${layer.route!.path.replace(
              /:(\w+)/g,
              '{$1}',
            )}`,
        )
      : [],
  );
}

describe('the OpenAPI document', () => {
  const document = parse(
    fs.readFileSync(path.join(__dirname, 'openapi.yaml'), 'utf8'),
  ) as { openapi: string; paths: Record<string, Record<string, unknown>> };

  it('describes exactly the routes the plugin serves', async () => {
    const logger = mockServices.logger.mock();
    const catalog = catalogServiceMock();
    const services = {
      auth: mockServices.auth(),
      httpAuth: mockServices.httpAuth(),
      permissions: mockServices.permissions(),
      auditor: mockServices.auditor.mock(),
    };
    const quality = {} as QualityStore;
    const health = {} as HealthStore;
    const served = [
      ...routesOf(
        await createRouter({
          ...services,
          logger,
          catalog,
          userInfo: mockServices.userInfo(),
          unprocessed: new CatalogUnprocessedEntitiesClient(
            mockServices.discovery(),
          ),
          contracts: DataContractReader.fromConfig(mockServices.rootConfig(), {
            reader: mockServices.urlReader.mock(),
          }),
        }),
      ),
      ...routesOf(
        createQualityRouter({
          ...services,
          catalog,
          quality,
          health,
          service: new QualityService({ quality, health, catalog, logger }),
          visibility: new ProductVisibility({ catalog }),
          maxBodySize: 1024,
        }),
      ),
      ...routesOf(
        createLineageRouter({
          ...services,
          logger,
          service: new LineageService({
            store: {} as LineageStore,
            quality: new QualityService({ quality, health, catalog, logger }),
            products: new ProductIndex({ catalog, auth: services.auth }),
            auth: services.auth,
            logger,
          }),
          startReplay: async () => {},
          maxBodySize: 1024,
        }),
      ),
      ...routesOf(
        createLineageGraphRouter({
          httpAuth: services.httpAuth,
          auditor: services.auditor,
          visibility: new ProductVisibility({ catalog }),
          service: new LineageGraphService({
            store: {} as LineageStore,
            products: new ProductIndex({ catalog, auth: services.auth }),
            health,
            catalog,
            quality: new QualityService({ quality, health, catalog, logger }),
          }),
        }),
      ),
      ...routesOf(
        createGovernanceRouter({
          httpAuth: services.httpAuth,
          catalog,
          store: {} as GovernanceStore,
          service: {} as GovernanceService,
        }),
      ),
    ].sort();
    const documented = Object.entries(document.paths)
      .flatMap(([route, methods]) =>
        Object.keys(methods).map(method => `${method.toUpperCase()} ${route}`),
      )
      .sort();
    expect(document.openapi).toBe('3.1.0');
    expect(served).toEqual(documented);
  });
});
