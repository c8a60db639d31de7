import { Knex } from 'knex';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { Entity } from '@backstage/catalog-model';
import http, { Server } from 'node:http';
import { AddressInfo } from 'node:net';
import request from 'supertest';
import { datameshPlugin } from '../../plugin';
import { DatabaseLineageStore } from '../../database/DatabaseLineageStore';

/** A user the test permission policy denies every permission. */
export const OUTSIDER = 'user:default/outsider';

/** A DataProduct whose output ports are the given datasets. */
export function productWith(
  name: string,
  ports: Array<{ name: string; namespace: string; dataset: string }>,
): Entity {
  return {
    apiVersion: 'datamesh.io/v1alpha1',
    kind: 'DataProduct',
    metadata: { name, namespace: 'default' },
    spec: {
      owner: 'group:default/data-team',
      domain: 'analytics',
      type: 'source-aligned',
      lifecycle: 'production',
      sla: { freshness: '1d' },
      outputPorts: ports.map(p => ({
        name: p.name,
        type: 'table',
        location: { namespace: p.namespace, name: p.dataset },
      })),
    },
  };
}

/** A started test backend with the plugin, and the lineage store on its database. */
export interface LineageTestBackend {
  server: Server;
  stop: () => Promise<void>;
  store: DatabaseLineageStore;
  /** Posts a body to a lineage route as a pipeline's service token would. */
  post: (route: string, body: unknown) => request.Test;
}

/**
 * Starts the plugin on a given database with a catalog of the given entities and a permission
 * policy that allows everything except to {@link OUTSIDER}.
 */
export async function startLineageBackend(options: {
  knex: Knex;
  entities?: Entity[];
  config?: object;
}): Promise<LineageTestBackend> {
  const backend = await startTestBackend({
    features: [
      datameshPlugin,
      catalogServiceMock.factory({ entities: options.entities ?? [] }),
      mockServices.database.factory({ knex: options.knex }),
      mockServices.permissions.mock({
        authorize: async (requests, o) =>
          requests.map(() => ({
            result:
              (o?.credentials.principal as { userEntityRef?: string })
                ?.userEntityRef === OUTSIDER
                ? AuthorizeResult.DENY
                : AuthorizeResult.ALLOW,
          })),
      }).factory,
      mockServices.rootConfig.factory({ data: options.config ?? {} }),
    ],
  });
  const service = mockCredentials.service.header();
  return {
    server: backend.server,
    stop: () => backend.stop(),
    store: new DatabaseLineageStore(options.knex),
    post: (route: string, body: unknown) =>
      request(backend.server)
        .post(`/api/datamesh/v1/${route}`)
        .set('authorization', service)
        .send(body as object),
  };
}

/** An HTTP answer: status, headers and body text. */
export interface RawAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

/**
 * Sends a request byte for byte as given (headers and body as they are), as a client's capture
 * holds it: no header is added, none is rewritten.
 */
export async function sendRaw(
  server: Server,
  sent: {
    method: string;
    path: string;
    headers: Record<string, string>;
    body: Buffer;
  },
): Promise<RawAnswer> {
  const { port } = server.address() as AddressInfo;
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method: sent.method,
        path: sent.path,
        headers: sent.headers,
        setHost: false,
      },
      res => {
        const parts: Buffer[] = [];
        res.on('data', (chunk: Buffer) => parts.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text: Buffer.concat(parts).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(sent.body);
  });
}
