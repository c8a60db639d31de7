import { DatabaseManager } from '@backstage/backend-defaults/database';
import { mockServices } from '@backstage/backend-test-utils';

/** The knex client that the backend's database manager gives a plugin. */
export type PluginDatabaseClient = Awaited<
  ReturnType<ReturnType<DatabaseManager['forPlugin']>['getClient']>
>;

/**
 * The catalog's client on an in-memory SQLite database, from the backend's own database manager
 * as plugins get it, so that a test exercises the knex copy (and its patches) the catalog runs
 * on. It holds one table, `rows`, with an integer `id` primary key and a string `value`.
 */
export async function pluginSqliteClientWithRows(): Promise<PluginDatabaseClient> {
  const manager = DatabaseManager.fromConfig(
    mockServices.rootConfig({
      data: {
        backend: {
          database: { client: 'better-sqlite3', connection: ':memory:' },
        },
      },
    }),
  );
  const knex = await manager
    .forPlugin('catalog', {
      logger: mockServices.logger.mock(),
      lifecycle: mockServices.lifecycle.mock(),
    })
    .getClient();
  await knex.schema.createTable('rows', table => {
    table.integer('id').primary();
    table.string('value');
  });
  return knex;
}
