/*
 * The quality and health store of the data mesh backend: quality runs as posted or pulled, their
 * check results and metric points, the successful updates of output ports (for freshness), each
 * product's health with its transitions, and incidents with their timelines.
 *
 * Times are epoch milliseconds (bigint) so that SQLite and PostgreSQL compare and index them alike.
 */

// @ts-check

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('quality_raw_documents', table => {
    table.comment(
      'Raw quality documents as a tool wrote them, kept for a configurable time',
    );
    table.increments('id').primary();
    table
      .string('sha256', 64)
      .notNullable()
      .unique()
      .comment('Hash of the body');
    table.string('content_type', 255).notNullable();
    table
      .text('body', 'longtext')
      .notNullable()
      .comment('The document as received');
    table.bigInteger('received_at').notNullable();
    table.index(['received_at'], 'quality_raw_documents_received_idx');
  });

  await knex.schema.createTable('quality_runs', table => {
    table.comment(
      'One quality run of one data product: a tool invocation as posted or pulled',
    );
    table.increments('id').primary();
    table
      .string('run_key', 64)
      .notNullable()
      .unique()
      .comment(
        'Hash of product, port, format and document: the same run posted twice is stored once',
      );
    table
      .string('product_ref', 255)
      .notNullable()
      .comment('Entity ref of the DataProduct');
    table
      .string('port', 255)
      .nullable()
      .comment('Output port, when the run is tied to one');
    table
      .string('format', 32)
      .notNullable()
      .comment('dbt, great-expectations, soda, native, openlineage');
    table.string('tool_name', 255).notNullable();
    table.string('tool_version', 255).nullable();
    table
      .string('tool_run_id', 255)
      .nullable()
      .comment("The tool's own id of the run");
    table
      .string('source', 32)
      .notNullable()
      .comment('push, pull or openlineage');
    table.bigInteger('started_at').nullable();
    table
      .bigInteger('finished_at')
      .notNullable()
      .comment('The time of the run');
    table.bigInteger('received_at').notNullable();
    table.integer('passed').notNullable().defaultTo(0);
    table.integer('warned').notNullable().defaultTo(0);
    table.integer('failed').notNullable().defaultTo(0);
    table.integer('errored').notNullable().defaultTo(0);
    table.integer('skipped').notNullable().defaultTo(0);
    table
      .integer('raw_document_id')
      .nullable()
      .references('id')
      .inTable('quality_raw_documents')
      .onDelete('SET NULL');
    table.index(['product_ref', 'finished_at'], 'quality_runs_product_idx');
  });

  /** @param {import('knex').Knex.CreateTableBuilder} table */
  const checkColumns = table => {
    table.string('product_ref', 255).notNullable();
    table.string('port', 255).nullable();
    table
      .string('check_id', 512)
      .notNullable()
      .comment('Stable id of the check within its source');
    table.text('name').notNullable();
    table
      .string('status', 16)
      .notNullable()
      .comment('pass, warn, fail, error, skipped');
    table.string('format', 32).notNullable();
    table.string('tool_name', 255).notNullable();
    table.string('tool_version', 255).nullable();
    table.string('dataset_namespace', 512).nullable();
    table.string('dataset_name', 512).nullable();
    table.string('column_name', 255).nullable();
    table.string('check_type', 255).nullable();
    table
      .string('dimension', 32)
      .nullable()
      .comment('The SLO dimension the check speaks to');
    table
      .text('observed_value')
      .nullable()
      .comment('As the tool gave it, JSON-encoded');
    table.text('threshold').nullable();
    table.bigInteger('unexpected_count').nullable();
    table.double('unexpected_percent').nullable();
    table.bigInteger('rows_evaluated').nullable();
    table.text('message').nullable();
    table.bigInteger('executed_at').notNullable();
    table
      .string('raw_pointer', 255)
      .notNullable()
      .comment('JSON pointer into the raw document');
    table
      .integer('run_id')
      .notNullable()
      .references('id')
      .inTable('quality_runs')
      .onDelete('CASCADE');
  };

  await knex.schema.createTable('quality_check_results', table => {
    table.comment(
      'Every check result of every run (append-only, raw retention applies)',
    );
    table.increments('id').primary();
    checkColumns(table);
    table.index(
      ['product_ref', 'executed_at'],
      'quality_check_results_product_idx',
    );
    table.index(['run_id'], 'quality_check_results_run_idx');
  });

  await knex.schema.createTable('quality_latest_checks', table => {
    table.comment(
      'The latest result of each check of each product, for the latest-checks card and health',
    );
    checkColumns(table);
    table.primary(['product_ref', 'check_id']);
  });

  await knex.schema.createTable('quality_check_daily', table => {
    table.comment(
      'Check results per product and UTC day, kept after raw retention: pass-rate trends',
    );
    table.string('product_ref', 255).notNullable();
    table
      .bigInteger('day')
      .notNullable()
      .comment('Start of the UTC day, epoch ms');
    table.integer('passed').notNullable().defaultTo(0);
    table.integer('warned').notNullable().defaultTo(0);
    table.integer('failed').notNullable().defaultTo(0);
    table.integer('errored').notNullable().defaultTo(0);
    table.integer('skipped').notNullable().defaultTo(0);
    table.primary(['product_ref', 'day']);
  });

  await knex.schema.createTable('quality_metric_points', table => {
    table.comment('Metric points as observed (raw retention applies)');
    table.string('product_ref', 255).notNullable();
    table
      .string('port', 255)
      .notNullable()
      .defaultTo('')
      .comment("'' when not tied to a port");
    table.string('metric', 255).notNullable();
    table
      .string('column_name', 255)
      .notNullable()
      .defaultTo('')
      .comment("'' for dataset metrics");
    table.bigInteger('observed_at').notNullable();
    table.double('value').notNullable();
    table.primary([
      'product_ref',
      'metric',
      'port',
      'column_name',
      'observed_at',
    ]);
  });

  await knex.schema.createTable('quality_metric_daily', table => {
    table.comment(
      'Metric points rolled up per UTC day, kept after raw retention: long trends',
    );
    table.string('product_ref', 255).notNullable();
    table.string('port', 255).notNullable().defaultTo('');
    table.string('metric', 255).notNullable();
    table.string('column_name', 255).notNullable().defaultTo('');
    table.bigInteger('day').notNullable();
    table.integer('count').notNullable();
    table.double('sum').notNullable();
    table.double('min').notNullable();
    table.double('max').notNullable();
    table
      .double('last')
      .notNullable()
      .comment('Value of the latest point of the day');
    table.bigInteger('last_at').notNullable();
    table.primary(['product_ref', 'metric', 'port', 'column_name', 'day']);
  });

  await knex.schema.createTable('quality_dataset_updates', table => {
    table.comment(
      'Successful updates of output ports (dbt models built, OpenLineage outputs): freshness',
    );
    table.string('product_ref', 255).notNullable();
    table.string('port', 255).notNullable();
    table.bigInteger('updated_at').notNullable();
    table.primary(['product_ref', 'port', 'updated_at']);
  });

  await knex.schema.createTable('health_current', table => {
    table.comment('The current health of each data product, with its reasons');
    table.string('product_ref', 255).primary();
    table
      .string('health', 16)
      .notNullable()
      .comment('healthy, degraded, breaching, unknown');
    table.text('reasons').notNullable().comment('JSON array of reasons');
    table
      .text('objectives')
      .notNullable()
      .comment('JSON: each SLO with its objective and measurement');
    table
      .bigInteger('since')
      .notNullable()
      .comment('When the product entered this health');
    table.bigInteger('evaluated_at').notNullable();
    table.index(['health', 'since'], 'health_current_health_idx');
  });

  await knex.schema.createTable('health_transitions', table => {
    table.comment(
      'Every change of a product health, in order: the change feed and the history',
    );
    table.increments('id').primary();
    table.string('product_ref', 255).notNullable();
    table.string('from_health', 16).nullable();
    table.string('to_health', 16).notNullable();
    table.text('reasons').notNullable();
    table.bigInteger('at').notNullable();
    table.index(['product_ref', 'at'], 'health_transitions_product_idx');
  });

  await knex.schema.createTable('incidents', table => {
    table.comment('Incidents opened when a product moves into breaching');
    table.string('id', 36).primary();
    table.string('product_ref', 255).notNullable();
    table
      .string('state', 16)
      .notNullable()
      .comment('new, acknowledged, resolved');
    table.string('severity', 16).notNullable();
    table.text('title').notNullable();
    table
      .text('reasons')
      .notNullable()
      .comment('JSON: the SLOs and checks behind it');
    table.bigInteger('opened_at').notNullable();
    table.bigInteger('acknowledged_at').nullable();
    table.string('acknowledged_by', 255).nullable();
    table.bigInteger('resolved_at').nullable();
    table
      .string('resolved_by', 255)
      .nullable()
      .comment('User ref, or null when recovery resolved it');
    table.index(['product_ref', 'opened_at'], 'incidents_product_idx');
    table.index(['state', 'opened_at'], 'incidents_state_idx');
  });

  await knex.schema.createTable('incident_events', table => {
    table.comment('The timeline of each incident');
    table.increments('id').primary();
    table
      .string('incident_id', 36)
      .notNullable()
      .references('id')
      .inTable('incidents')
      .onDelete('CASCADE');
    table.bigInteger('at').notNullable();
    table
      .string('type', 32)
      .notNullable()
      .comment('opened, acknowledged, resolved, recovered, note');
    table.string('actor', 255).nullable();
    table.text('details').nullable().comment('JSON');
    table.index(['incident_id', 'at'], 'incident_events_incident_idx');
  });

  await knex.schema.createTable('quality_pull_sources', table => {
    table.comment(
      'Where products publish their latest results, pulled on a schedule (ETag-aware)',
    );
    table.string('product_ref', 255).notNullable();
    table.string('url', 2048).notNullable();
    table.string('etag', 1024).nullable();
    table.bigInteger('pulled_at').nullable();
    table.string('status', 32).nullable().comment('stored, unchanged, failed');
    table.text('error').nullable();
    table.primary(['product_ref']);
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  for (const table of [
    'quality_pull_sources',
    'incident_events',
    'incidents',
    'health_transitions',
    'health_current',
    'quality_dataset_updates',
    'quality_metric_daily',
    'quality_metric_points',
    'quality_check_daily',
    'quality_latest_checks',
    'quality_check_results',
    'quality_runs',
    'quality_raw_documents',
  ]) {
    await knex.schema.dropTable(table);
  }
};
