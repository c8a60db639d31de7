/*
 * Paging of the Mesh health page: each product's current health keeps
 * its domain and owner (set at each evaluation from the catalog's relations), so that the page
 * filters them in the database, and a rank of its health (breaching 0, degraded 1, unknown 2,
 * healthy 3), so that the worst first is an index order.
 */

// @ts-check

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('health_current', table => {
    table
      .string('domain_ref', 255)
      .nullable()
      .comment('The domain of the product at its last evaluation');
    table
      .string('owner_ref', 255)
      .nullable()
      .comment('The owner of the product at its last evaluation');
    table
      .smallint('health_rank')
      .notNullable()
      .defaultTo(2)
      .comment('breaching 0, degraded 1, unknown 2, healthy 3: worst first');
  });
  await knex('health_current').update({
    health_rank: knex.raw(
      "CASE health WHEN 'breaching' THEN 0 WHEN 'degraded' THEN 1 WHEN 'healthy' THEN 3 ELSE 2 END",
    ),
  });
  await knex.schema.alterTable('health_current', table => {
    table.index(
      ['health_rank', 'since', 'product_ref'],
      'health_current_rank_idx',
    );
    // the filters' options count the products of some healths by domain and by owner
    table.index(['health_rank', 'domain_ref'], 'health_current_domain_idx');
    table.index(['health_rank', 'owner_ref'], 'health_current_owner_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('health_current', table => {
    table.dropIndex([], 'health_current_rank_idx');
    table.dropIndex([], 'health_current_domain_idx');
    table.dropIndex([], 'health_current_owner_idx');
  });
  await knex.schema.alterTable('health_current', table => {
    table.dropColumn('domain_ref');
    table.dropColumn('owner_ref');
    table.dropColumn('health_rank');
  });
};
