import {
  AuditorService,
  AuthService,
  HttpAuthService,
  LoggerService,
  PermissionsService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import type { CatalogUnprocessedEntitiesApi } from '@backstage/plugin-catalog-unprocessed-entities-common';
import { isDataProductEntity } from '@backstage-datamesh/plugin-datamesh-common';
import {
  DataContractReader,
  readInfrastructureDescriptor,
} from '@backstage-datamesh/plugin-datamesh-node';
import express from 'express';
import Router from 'express-promise-router';
import { listDataMeshProblems, problemsVisibility } from './problems';
import { auditRead } from './audit';

/**
 * What the data mesh router needs.
 * @internal
 */
export interface RouterOptions {
  auth: AuthService;
  /** The catalog's unprocessed-entities API, which `GET /problems` reads. */
  unprocessed: CatalogUnprocessedEntitiesApi;
  httpAuth: HttpAuthService;
  logger: LoggerService;
  catalog: CatalogService;
  contracts: DataContractReader;
  /** Records the reads of restricted products. */
  auditor: AuditorService;
  /** What the catalog lets the caller read, for the problems of restricted products. */
  permissions: PermissionsService;
  /** The caller's ownership refs, for the problems of restricted products. */
  userInfo: UserInfoService;
}

/**
 * Creates the data mesh backend's routes:
 *
 * `GET /problems` lists the DataProducts and Domains the catalog could not process, each with the
 * errors that keep it out (`{ items: DataMeshProblem[] }`), as the caller may see them: read from
 * the catalog's unprocessed-entities API on the caller's behalf (see `listDataMeshProblems`).
 *
 * `GET /contracts/:namespace/:name/:port` reads, validates and summarises the data contract of an
 * output port of a data product, with the caller's catalog permissions. It answers 404 when the
 * product, the port or the port's contract field does not exist, and otherwise 200 with a
 * `DataContractResult` whose `status` says whether the contract is valid, invalid (with each
 * problem), of an unsupported ODCS version, or unreachable.
 *
 * `GET /products/:namespace/:name/infrastructure` reads and validates the product's
 * `DataProductInfrastructure` descriptor (`spec.infrastructure`), resolved as contracts are: 404
 * when the product does not exist or references no descriptor, otherwise 200 with a
 * `DataProductInfrastructureResult` (valid, invalid with each problem, or unreachable).
 * @internal
 */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const {
    auth,
    unprocessed,
    httpAuth,
    catalog,
    contracts,
    logger,
    auditor,
    permissions,
    userInfo,
  } = options;
  const router = Router();

  router.get('/problems', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const problems = await listDataMeshProblems({
      auth,
      unprocessed,
      credentials,
      // a restricted product rejected by the catalog: only to those who could read it there
      visible: await problemsVisibility({ permissions, userInfo, credentials }),
    });
    res.json({ items: problems });
  });

  router.get('/contracts/:namespace/:name/:port', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const { namespace, name, port } = req.params;
    const entity = await catalog.getEntityByRef(
      { kind: 'DataProduct', namespace, name },
      { credentials },
    );
    if (!entity || !isDataProductEntity(entity)) {
      throw new NotFoundError(
        `No data product dataproduct:${namespace}/${name} in the catalog`,
      );
    }
    const result = await auditRead(
      auditor,
      {
        request: req,
        entity,
        queryType: 'contract',
        meta: { port },
        metaOf: r => ({ status: r.status }),
      },
      () => contracts.readPortContract(entity, port),
    );
    if (result.status !== 'valid') {
      logger.info(
        `Data contract of ${namespace}/${name} port ${port} is ${result.status}`,
        {
          source: result.source,
        },
      );
    }
    res.json(result);
  });

  router.get('/products/:namespace/:name/infrastructure', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const { namespace, name } = req.params;
    const entity = await catalog.getEntityByRef(
      { kind: 'DataProduct', namespace, name },
      { credentials },
    );
    if (!entity || !isDataProductEntity(entity)) {
      throw new NotFoundError(
        `No data product dataproduct:${namespace}/${name} in the catalog`,
      );
    }
    const result = await auditRead(
      auditor,
      {
        request: req,
        entity,
        queryType: 'infrastructure',
        metaOf: r => ({ status: r.status }),
      },
      () => readInfrastructureDescriptor(contracts, entity),
    );
    if (result.status !== 'valid') {
      logger.info(
        `Infrastructure descriptor of ${namespace}/${name} is ${result.status}`,
        { source: result.source },
      );
    }
    res.json(result);
  });

  return router;
}
