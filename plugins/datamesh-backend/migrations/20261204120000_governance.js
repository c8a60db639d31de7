/*
 * The governance store of the data mesh backend: each product's latest compliance with the
 * governance policies, its history (one row per change of outcome, not per evaluation), and a
 * daily trend by domain and by policy for the Governance page.
 *
 * Times are epoch milliseconds (bigint) so that SQLite and PostgreSQL compare and index them alike.
 */

// @ts-check

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('governance_evaluations', table => {
    table.comment(
      'Compliance of products with the governance policies: one row per change of outcome',
    );
    table.increments('id').primary();
    table
      .string('product_ref', 255)
      .notNullable()
      .comment('Entity ref of the DataProduct');
    table
      .string('domain_ref', 255)
      .nullable()
      .comment('Entity ref of its domain when it was evaluated');
    table
      .boolean('compliant')
      .notNullable()
      .comment('False when a required policy that applies fails');
    table.integer('required_failures').notNullable();
    table.integer('passed').notNullable();
    table.integer('failed').notNullable();
    table.integer('not_applicable').notNullable();
    table
      .text('evaluations')
      .notNullable()
      .comment('JSON: each policy evaluated, with its status and reason');
    table
      .string('outcome_hash', 64)
      .notNullable()
      .comment(
        'SHA-256 of the statuses and reasons: an evaluation with the same hash as the latest is not stored again',
      );
    table
      .bigInteger('evaluated_at')
      .notNullable()
      .comment('When this outcome was first evaluated');
    table
      .bigInteger('checked_at')
      .notNullable()
      .comment('When an evaluation last gave this same outcome');
    table.index(
      ['product_ref', 'evaluated_at'],
      'governance_evaluations_product_idx',
    );
  });

  await knex.schema.createTable('governance_latest', table => {
    table.comment('The latest row of governance_evaluations of each product');
    table.string('product_ref', 255).primary();
    table
      .integer('evaluation_id')
      .notNullable()
      .references('id')
      .inTable('governance_evaluations')
      .onDelete('CASCADE');
    table.string('domain_ref', 255).nullable();
    table.index(['domain_ref'], 'governance_latest_domain_idx');
  });

  await knex.schema.createTable('governance_trend', table => {
    table.comment(
      'Daily compliance counts, for every product, each domain and each policy (the last evaluation run of the day)',
    );
    table.string('day', 10).notNullable().comment('UTC day, YYYY-MM-DD');
    table.string('kind', 8).notNullable().comment('all, domain or policy');
    table
      .string('key', 255)
      .notNullable()
      .comment('Domain entity ref or policy id; empty for all');
    table
      .integer('products')
      .notNullable()
      .comment('Products evaluated (for a policy: those it applies to)');
    table
      .integer('compliant')
      .notNullable()
      .comment('Compliant products (for a policy: those that pass it)');
    table.primary(['day', 'kind', 'key']);
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('governance_trend');
  await knex.schema.dropTable('governance_latest');
  await knex.schema.dropTable('governance_evaluations');
};
