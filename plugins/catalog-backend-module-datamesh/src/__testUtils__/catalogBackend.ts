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

/**
 * Starts a backend with the catalog and this module on the given database (from
 * `TestDatabases`, which closes its connection pool after the tests) and app-config.
 */
export function startCatalog(knex: TestKnex, config: TestConfig) {
  return startTestBackend({
    features: [
      catalogPlugin,
      catalogModuleDataMesh,
      mockServices.database.factory({ knex }),
      mockServices.rootConfig.factory({ data: config }),
    ],
  });
}

/** Polls `probe` until it answers something, for at most 90 seconds. */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
): Promise<T> {
  const deadline = Date.now() + 90_000;
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
