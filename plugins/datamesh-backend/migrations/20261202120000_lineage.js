/*
 * The lineage store of the data mesh backend: OpenLineage events as received (deduplicated by a
 * hash, kept for a configurable time so that a replay can rebuild everything else), and the
 * tables derived from them: jobs, runs, datasets, the edges between jobs and the datasets they
 * read and write, and column lineage.
 *
 * Which DataProduct output port a dataset is is not stored: it is matched at read time against
 * the catalog's ports, so that a port whose location changes in the catalog is matched at once.
 *
 * Times are epoch milliseconds (bigint) so that SQLite and PostgreSQL compare and index them alike.
 * Facets kept in the derived tables are JSON objects of `{ "<facet>": { "at": <eventTime>,
 * "value": ... } }`: each facet is the one of the latest event that carried it, whatever the order
 * in which events arrive.
 */

// @ts-check

/** Longest namespace or name (the parser refuses longer ones, naming the field). */
const NAME_LENGTH = 1024;

/**
 * The columns of a table of named things (jobs, datasets): an id, the OpenLineage namespace and
 * name (unique), the facets kept, and when they were first and last named.
 *
 * @param {import('knex').Knex.CreateTableBuilder} table
 * @param {string} uniqueIndex
 * @param {string} facets the facets kept
 */
function namedColumns(table, uniqueIndex, facets) {
  table.increments('id').primary();
  table.string('namespace', NAME_LENGTH).notNullable();
  table.string('name', NAME_LENGTH).notNullable();
  table
    .text('facets')
    .notNullable()
    .comment(`JSON: the latest of each facet kept (${facets})`);
  table.bigInteger('first_seen_at').notNullable();
  table.bigInteger('last_seen_at').notNullable();
  table.unique(['namespace', 'name'], { indexName: uniqueIndex });
}

/**
 * A column that references the id of a row of another table, removed with it.
 *
 * @param {import('knex').Knex.CreateTableBuilder} table
 * @param {string} column
 * @param {string} target
 */
function references(table, column, target) {
  table
    .integer(column)
    .notNullable()
    .references('id')
    .inTable(target)
    .onDelete('CASCADE');
}

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('lineage_raw_events', table => {
    table.comment(
      'OpenLineage events as received, kept for a configurable time: replays rebuild the derived tables from them',
    );
    table.increments('id').primary();
    table
      .string('event_hash', 64)
      .notNullable()
      .unique()
      .comment(
        'SHA-256 of the event as canonical JSON: the same event twice is stored once',
      );
    table
      .string('kind', 16)
      .notNullable()
      .comment('RunEvent, JobEvent or DatasetEvent');
    table
      .string('event_type', 16)
      .nullable()
      .comment("The RunEvent's eventType");
    table.bigInteger('event_time').notNullable();
    table.string('run_id', 255).nullable();
    table.string('job_namespace', NAME_LENGTH).nullable();
    table.string('job_name', NAME_LENGTH).nullable();
    table
      .text('body', 'longtext')
      .notNullable()
      .comment(
        'The event as received (decompressed), with every facet, known or not',
      );
    table.bigInteger('received_at').notNullable();
    table.index(['received_at'], 'lineage_raw_events_received_idx');
    table.index(['event_time', 'id'], 'lineage_raw_events_time_idx');
  });

  await knex.schema.createTable('lineage_jobs', table => {
    table.comment('Jobs (namespace, name) named by RunEvents and JobEvents');
    namedColumns(
      table,
      'lineage_jobs_name_idx',
      'documentation, jobType, sql, sourceCodeLocation',
    );
    table
      .string('latest_run_id', 255)
      .nullable()
      .comment('The run with the latest event of the job');
    table.bigInteger('latest_run_at').nullable();
  });

  await knex.schema.createTable('lineage_runs', table => {
    table.comment('Runs of jobs, with their state as their events leave it');
    table.string('run_id', 255).primary();
    references(table, 'job_id', 'lineage_jobs');
    table
      .string('state', 16)
      .nullable()
      .comment(
        'START, RUNNING, COMPLETE, ABORT, FAIL, OTHER: a terminal state never goes back to START or RUNNING',
      );
    table
      .bigInteger('state_time')
      .nullable()
      .comment('eventTime of the event that gave the state');
    table
      .bigInteger('started_at')
      .nullable()
      .comment('eventTime of the earliest START');
    table
      .bigInteger('ended_at')
      .nullable()
      .comment('eventTime of the terminal event');
    table
      .text('facets')
      .notNullable()
      .comment(
        'JSON: the latest of each facet kept (parent, errorMessage, nominalTime, processing_engine)',
      );
    table.bigInteger('first_seen_at').notNullable();
    table.bigInteger('last_seen_at').notNullable();
    table.index(['job_id', 'last_seen_at'], 'lineage_runs_job_idx');
  });

  await knex.schema.createTable('lineage_datasets', table => {
    table.comment('Datasets (namespace, name) named by events');
    namedColumns(table, 'lineage_datasets_name_idx', 'schema, documentation');
  });

  await knex.schema.createTable('lineage_edges', table => {
    table.comment(
      'A job reads (input) or writes (output) a dataset: the graph the lineage queries walk',
    );
    references(table, 'job_id', 'lineage_jobs');
    references(table, 'dataset_id', 'lineage_datasets');
    table.string('direction', 8).notNullable().comment('input or output');
    table
      .string('last_run_id', 255)
      .nullable()
      .comment('The run of the latest event that named the edge');
    table.bigInteger('first_seen_at').notNullable();
    table.bigInteger('last_seen_at').notNullable();
    // job -> its datasets (the primary key), dataset -> its jobs (the index): both directions
    // of the recursive walk read an index
    table.primary(['job_id', 'direction', 'dataset_id']);
    table.index(
      ['dataset_id', 'direction', 'job_id'],
      'lineage_edges_dataset_idx',
    );
  });

  await knex.schema.createTable('lineage_column_lineage', table => {
    table.comment(
      'Column lineage from columnLineage facets: an output column comes from an input column',
    );
    references(table, 'output_dataset_id', 'lineage_datasets');
    table
      .string('output_column', NAME_LENGTH)
      .notNullable()
      .comment("'' for the facet's dataset-level dependencies");
    references(table, 'input_dataset_id', 'lineage_datasets');
    table.string('input_column', NAME_LENGTH).notNullable();
    table
      .string('transformation_type', 64)
      .notNullable()
      .comment("DIRECT, INDIRECT, or '' when not given");
    table.string('transformation_subtype', 64).notNullable();
    table.text('description').nullable();
    table.boolean('masking').nullable();
    table
      .integer('job_id')
      .nullable()
      .references('id')
      .inTable('lineage_jobs')
      .onDelete('SET NULL');
    table.bigInteger('first_seen_at').notNullable();
    table.bigInteger('last_seen_at').notNullable();
    table.primary([
      'output_dataset_id',
      'output_column',
      'input_dataset_id',
      'input_column',
      'transformation_type',
      'transformation_subtype',
    ]);
    table.index(
      ['input_dataset_id', 'input_column'],
      'lineage_column_lineage_input_idx',
    );
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  for (const table of [
    'lineage_column_lineage',
    'lineage_edges',
    'lineage_datasets',
    'lineage_runs',
    'lineage_jobs',
    'lineage_raw_events',
  ]) {
    await knex.schema.dropTable(table);
  }
};
