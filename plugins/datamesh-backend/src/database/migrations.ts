import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { Knex } from 'knex';

const migrationsDir = resolvePackagePath(
  '@backstage-datamesh/plugin-datamesh-backend',
  'migrations',
);

/**
 * Connects to the plugin's database and brings its schema up to date, unless the portal runs
 * its migrations itself (`backend.database.plugin.datamesh.skipMigrations` / `migrations.skip`).
 * @internal
 */
export async function connectDatabase(
  database: DatabaseService,
): Promise<Knex> {
  const client = await database.getClient();
  if (!database.migrations?.skip) {
    await client.migrate.latest({ directory: migrationsDir });
  }
  return client;
}
