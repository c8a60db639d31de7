/*
 * Continuous governance: what each product's latest compliance was evaluated from (a hash of
 * its entity's and its domains' etags, so that a change in the catalog is found without reading
 * the entities), an index for the compliance change feed, and each product's outcome of each day,
 * from which the daily trend is kept, so that the trend of a caller counts only the products the
 * caller can see (the trend points are the sums of these rows; a caller's are those sums less
 * the rows of the products hidden from the caller).
 *
 * The trend points stored before counted every product and cannot be split by product: they are
 * removed, and the trend starts again from the next evaluation.
 */

// @ts-check

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('governance_latest', table => {
    table
      .string('entity_hash', 64)
      .nullable()
      .comment(
        'SHA-256 of the etags of the product entity and its domains when it was last evaluated',
      );
    table.index(['evaluation_id'], 'governance_latest_evaluation_idx');
  });

  await knex.schema.createTable('governance_daily', table => {
    table.comment(
      'The compliance outcome of each product on each UTC day (its last evaluation of the day)',
    );
    table.string('day', 10).notNullable().comment('UTC day, YYYY-MM-DD');
    table
      .string('product_ref', 255)
      .notNullable()
      .comment('Entity ref of the DataProduct');
    table
      .boolean('compliant')
      .notNullable()
      .comment('False when a required policy that applies fails');
    table
      .text('outcome')
      .notNullable()
      .comment(
        'JSON: domains (the domain and those above it), pass and fail (policy ids of the policies that apply)',
      );
    table.primary(['day', 'product_ref']);
    table.index(['product_ref', 'day'], 'governance_daily_product_idx');
  });

  await knex('governance_trend').delete();
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('governance_daily');
  await knex.schema.alterTable('governance_latest', table => {
    table.dropIndex(['evaluation_id'], 'governance_latest_evaluation_idx');
    table.dropColumn('entity_hash');
  });
};
