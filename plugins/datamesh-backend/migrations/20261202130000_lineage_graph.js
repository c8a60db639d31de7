/*
 * Indexes of the lineage graph's read queries:
 *
 * - datasets by their lowercased name: a port's location is matched to the datasets of events
 *   case-insensitively (`matchesDatasetLocation`), so the lookup of the datasets a product's
 *   ports are compares `LOWER(name)` (an expression index, on SQLite and PostgreSQL alike);
 * - edges by when they were last seen: drift and the observed product edges read the edges of
 *   the last days only.
 *
 * The recursive walks read the edges' primary key (job -> datasets) and
 * `lineage_edges_dataset_idx` (dataset -> jobs) of the lineage migration.
 */

// @ts-check

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.raw(
    'CREATE INDEX lineage_datasets_lower_name_idx ON lineage_datasets (LOWER(name))',
  );
  await knex.schema.alterTable('lineage_edges', table => {
    table.index(['last_seen_at'], 'lineage_edges_seen_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('lineage_edges', table => {
    table.dropIndex(['last_seen_at'], 'lineage_edges_seen_idx');
  });
  await knex.raw('DROP INDEX lineage_datasets_lower_name_idx');
};
