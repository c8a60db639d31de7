import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  TestDatabases,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import request from 'supertest';
import { catalogModuleDataMesh } from '../module';

/** A database of `TestDatabases`. */
export type TestKnex = Awaited<ReturnType<TestDatabases['init']>>;

/** The app-config of a test backend. */
export type TestConfig = NonNullable<
  Parameters<typeof mockServices.rootConfig.factory>[0]
>['data'];

/** The HTTP server of a test backend. */
export type Server = Awaited<ReturnType<typeof startTestBackend>>['server'];

/** A feature of a test backend. */
export type TestFeature = NonNullable<
  Parameters<typeof startTestBackend>[0]['features']
>[number];

/**
 * The database service of a test backend: each plugin its own database, the catalog's the given
 * one and the others' from `others` (the catalog's too when `others` has none for a plugin).
 */
function databasesByPlugin(
  catalog: TestKnex,
  others: Record<string, TestKnex>,
) {
  return createServiceFactory({
    service: coreServices.database,
    deps: { plugin: coreServices.pluginMetadata },
    async factory({ plugin }) {
      const knex = others[plugin.getId()] ?? catalog;
      return { getClient: async () => knex };
    },
  });
}

/**
 * Starts a backend with the catalog and this module on the given database (from
 * `TestDatabases`, which closes its connection pool after the tests) and app-config, with more
 * features and their plugins' own databases when given.
 */
export function startCatalog(
  knex: TestKnex,
  config: TestConfig,
  more?: { features?: TestFeature[]; databases?: Record<string, TestKnex> },
) {
  return startTestBackend({
    features: [
      catalogPlugin,
      catalogModuleDataMesh,
      more?.databases
        ? databasesByPlugin(knex, more.databases)
        : mockServices.database.factory({ knex }),
      mockServices.rootConfig.factory({ data: config }),
      ...(more?.features ?? []),
    ],
  });
}

/** Polls `probe` until it answers something, for at most `timeoutMs` (90 seconds by default). */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 90_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error(`Timed out waiting for ${what}`);
    }
    await new Promise(resolve => setTimeout(resolve, 250));
  }
}

/** The entity of a full reference (`kind:namespace/name`), if the catalog has it. */
export async function getEntity(
  server: Server,
  ref: string,
): Promise<Entity | undefined> {
  const [kind, rest] = ref.split(':');
  const [namespace, name] = rest.split('/');
  const res = await request(server).get(
    `/api/catalog/entities/by-name/${kind}/${namespace}/${name}`,
  );
  return res.status === 200 ? res.body : undefined;
}

/** An entity's relations as `type targetRef`, sorted. */
export function relationsOf(entity: Entity): string[] {
  return (entity.relations ?? []).map(r => `${r.type} ${r.targetRef}`).sort();
}

/** Waits until the entity of `ref` has the relation (`type targetRef`), and answers the entity. */
export function waitForRelation(
  server: Server,
  ref: string,
  relation: string,
): Promise<Entity> {
  return waitFor(`${ref} ${relation}`, async () => {
    const e = await getEntity(server, ref);
    return e && relationsOf(e).includes(relation) ? e : undefined;
  });
}

/** Waits until the catalog has processing errors for the entity of `ref`, and answers their messages. */
export function waitForErrors(knex: TestKnex, ref: string): Promise<string[]> {
  return waitFor(`processing errors of ${ref}`, async () => {
    const row = await knex('refresh_state').where({ entity_ref: ref }).first();
    return row?.errors && row.errors !== '[]'
      ? JSON.parse(row.errors).map((e: { message: string }) => e.message)
      : undefined;
  });
}
