import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { TestDatabases } from '@backstage/backend-test-utils';
import request from 'supertest';
import { mockCredentials } from '@backstage/backend-test-utils';
import {
  PRODUCER,
  loadOpenLineageFixture,
  openLineageFixtures,
} from './__testUtils__/events';
import {
  productWith,
  startLineageBackend,
} from './__testUtils__/lineageBackend';
import type { OpenLineageEvent } from './readEvent';

jest.setTimeout(120_000);

/*
 * Every event file of fixtures/openlineage/ through POST /api/datamesh/v1/lineage: each event is
 * accepted and what the store keeps of it asserted, or the exact answer given. Files that are
 * test expectations rather than events as sent (placeholders, no producer) are posted as they
 * are (and refused, naming the field), then as their integration sends them.
 */

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

type Json = Record<string, unknown>;

/** The facet fragments and schemas of the folder: not events. */
const NOT_EVENTS = /^(?:[A-Z].*|spec-tests_(?!example).*|spec-1-0-5_.*)\.json$/;

/** A uuid made from a text, the same for the same text. */
function uuidOf(text: string): string {
  const h = createHash('sha1').update(text).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-8${h.slice(
    17,
    20,
  )}-${h.slice(20, 32)}`;
}

/** Values of the Python client's Serde: it drops nulls. */
function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map(withoutNulls);
  }
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== null)
        .map(([k, v]) => [k, withoutNulls(v)]),
    );
  }
  return value;
}

/** Gives every facet of a facets object the `_producer` and `_schemaURL` the client sets. */
function withFacetBase(facets: unknown): unknown {
  if (!facets || typeof facets !== 'object') {
    return facets;
  }
  return Object.fromEntries(
    Object.entries(facets).map(([key, facet]) => [
      key,
      {
        _producer: PRODUCER,
        _schemaURL: `https://openlineage.io/spec/facets/${key}.json`,
        ...(facet as Json),
      },
    ]),
  );
}

/**
 * An event of the dbt integration's expected-events files as the integration sends it through
 * the Python client: with its producer, schemaURL, each facet's base fields, no nulls, and a run
 * id in place of the `{{ any(result) }}` matcher (one per job: a START and its end share it, and
 * the parent facet names the run of its job).
 */
function asSentByDbt(event: Json): Json {
  const run = event.run as Json;
  const job = event.job as Json;
  const datasets = (list: unknown) =>
    ((list as Json[] | undefined) ?? []).map(d => ({
      ...d,
      ...(d.facets ? { facets: withFacetBase(d.facets) } : {}),
      ...(d.inputFacets ? { inputFacets: withFacetBase(d.inputFacets) } : {}),
    }));
  const parent = (run.facets as Json | undefined)?.parent as Json | undefined;
  const runFacets = parent
    ? {
        ...(run.facets as Json),
        parent: {
          ...parent,
          run: { runId: uuidOf(String((parent.job as Json).name)) },
        },
      }
    : run.facets;
  return withoutNulls({
    ...event,
    producer: event.producer ?? PRODUCER,
    schemaURL:
      event.schemaURL ??
      'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent',
    run: {
      ...run,
      runId:
        run.runId === '{{ any(result) }}'
          ? uuidOf(String(job.name))
          : run.runId,
      ...(runFacets ? { facets: withFacetBase(runFacets) } : {}),
    },
    job: {
      ...job,
      ...(job.facets ? { facets: withFacetBase(job.facets) } : {}),
    },
    inputs: datasets(event.inputs),
    outputs: datasets(event.outputs),
  }) as Json;
}

/** Marquez's seed fills its template's times: the start, and the end some minutes after. */
function asSeededByMarquez(event: Json, start: number): Json {
  const text = JSON.stringify(event)
    .replace(/\{\{RUN_START_TIME\}\}/g, new Date(start).toISOString())
    .replace(/\{\{RUN_END_TIME_AFTER_(\d+)_MINUTES\}\}/g, (_, minutes) =>
      new Date(start + Number(minutes) * 60_000).toISOString(),
    );
  return JSON.parse(text);
}

const products = [
  productWith('uploads', [
    {
      name: 'upload',
      namespace: 'bigquery',
      dataset: 'mock-project.test.upload',
    },
  ]),
  productWith('jaffle-customers', [
    {
      name: 'customers',
      namespace: 'postgres://postgres:5432',
      dataset: 'postgres.public.customers',
    },
  ]),
  productWith('deliveries', [
    {
      name: 'delivery-7-days',
      namespace: 'food_delivery',
      dataset: 'public.delivery_7_days',
    },
  ]),
  productWith('dbt-models', [
    {
      name: 'first',
      namespace: 'bigquery',
      dataset: 'random-gcp-project.dbt_test1.test_first_dbt_model',
    },
  ]),
  productWith('instance-table', [
    {
      name: 'table',
      namespace: 'my-datasource-namespace',
      dataset: 'instance.schema.table',
    },
  ]),
];

describe.each(databases.eachSupportedId())(
  'every OpenLineage fixture on %s',
  id => {
    let backend: Awaited<ReturnType<typeof startLineageBackend>>;

    beforeAll(async () => {
      backend = await startLineageBackend({
        knex: await databases.init(id),
        entities: products,
      });
    });

    afterAll(async () => {
      await backend?.stop();
    });

    const post = (event: unknown) => backend.post('lineage', event);

    /** Posts events in order and asserts each was stored. */
    async function postAll(events: unknown[]) {
      for (const [i, event] of events.entries()) {
        const res = await post(event);
        expect({ i, status: res.status, body: res.body }).toMatchObject({
          i,
          status: 201,
        });
      }
    }

    /** What the store keeps of each event: its run, job, datasets and edges. */
    async function expectStored(events: OpenLineageEvent[]) {
      for (const event of events) {
        const job = event.job!;
        if (event.run) {
          expect(await backend.store.getRun(event.run.runId)).toMatchObject({
            runId: event.run.runId,
            job: { namespace: job.namespace, name: job.name },
          });
        }
        const edges = (await backend.store.getEdges({ job })).map(e =>
          JSON.stringify([e.direction, e.dataset.namespace, e.dataset.name]),
        );
        for (const [direction, list] of [
          ['input', event.inputs],
          ['output', event.outputs],
        ] as const) {
          for (const d of list ?? []) {
            expect(edges).toContain(
              JSON.stringify([direction, d.namespace, d.name]),
            );
            expect(await backend.store.getDataset(d)).toBeDefined();
          }
        }
      }
    }

    const checksOf = async (product: string) =>
      (
        await request(backend.server)
          .get(`/api/datamesh/v1/products/default/${product}/checks`)
          .set('authorization', mockCredentials.user.header())
      ).body.items as Array<{ name: string; status: string; port?: string }>;

    it('covers every event file of the folder', () => {
      const files = fs
        .readdirSync(openLineageFixtures)
        .filter(f => f.endsWith('.json') && !NOT_EVENTS.test(f))
        .sort();
      expect(files).toEqual(
        [
          'compat-CLL_8.json',
          'compat-airflow_line_03.json',
          'compat-spark-bigquery_1729097631761.json',
          'dbt-structured-logs_test_ol_events.json',
          'dbt-test_result.json',
          'event_full.json',
          'event_invalid_dataset_facet.json',
          'event_no_run_id.json',
          'marquez_event_required_only.json',
          'marquez_event_unicode.json',
          'marquez_metadata.template.json',
          'serde_example_dataset_event.json',
          'serde_example_job_event.json',
          'serde_example_run_event.json',
          'spec-tests_example_full_event.json',
        ].sort(),
      );
    });

    it('compat-airflow_line_03.json: an Airflow BigQuery upload, with column lineage, and a product port updated', async () => {
      const event = loadOpenLineageFixture<OpenLineageEvent>(
        'compat-airflow_line_03.json',
      );
      await postAll([event]);
      await expectStored([event]);
      expect(await backend.store.getRun(event.run!.runId)).toMatchObject({
        state: 'COMPLETE',
        endedAt: '2024-11-26T13:05:29.606Z',
        parent: { job: { namespace: 'airflow', name: 'BQ' } },
      });
      const columns = await backend.store.getColumnLineage({
        namespace: 'bigquery',
        name: 'mock-project.test.upload',
      });
      expect(new Set(columns.map(c => c.outputColumn))).toEqual(
        new Set(['a', 'b', 'c', 'd']),
      );
      expect(columns[0]).toMatchObject({
        input: { namespace: 'gs://mock-bucket' },
        job: { namespace: 'airflow', name: 'BQ.upload' },
      });
      // the COMPLETE run's output is a successful update of the uploads product's port
      const runs = await request(backend.server)
        .get('/api/datamesh/v1/products/default/uploads/runs')
        .set('authorization', mockCredentials.user.header());
      expect(runs.body.items).toEqual([
        expect.objectContaining({
          format: 'openlineage',
          source: 'openlineage',
          toolRunId: event.run!.runId,
          finishedAt: '2024-11-26T13:05:29.606Z',
        }),
      ]);
      const health = await request(backend.server)
        .get('/api/datamesh/v1/products/default/uploads/health')
        .set('authorization', mockCredentials.user.header());
      const freshness = health.body.slos.find(
        (s: { slo: string }) => s.slo === 'freshness',
      );
      expect(freshness.reason).toMatch(/against 1d \(port upload\)$/);
    });

    it.each([
      ['compat-CLL_8.json', '/tmp/cll_test/tbl1', ['agg', 'ident', 'trans']],
      [
        'compat-spark-bigquery_1729097631761.json',
        '/tmp/outputs/1729097570970',
        ['sum(word_count)', 'word'],
      ],
    ])(
      '%s: a real Spark event (its dataSource uri is no RFC 3986 URI) with column lineage',
      async (file, output, columns) => {
        const event = loadOpenLineageFixture<OpenLineageEvent>(file);
        await postAll([event]);
        await expectStored([event]);
        expect(await backend.store.getRun(event.run!.runId)).toMatchObject({
          state: 'COMPLETE',
          processingEngine: { name: 'spark' },
        });
        const lineage = await backend.store.getColumnLineage({
          namespace: 'file',
          name: output,
        });
        expect([...new Set(lineage.map(c => c.outputColumn))].sort()).toEqual(
          columns,
        );
      },
    );

    it('marquez_event_required_only.json: a run without eventType keeps no state', async () => {
      const event = loadOpenLineageFixture<OpenLineageEvent>(
        'marquez_event_required_only.json',
      );
      await postAll([event]);
      const run = await backend.store.getRun(event.run!.runId);
      expect(run).toEqual({
        runId: '43d7db3b-8984-4cda-b237-8c6919b36670',
        job: { namespace: 'my-namespace', name: 'myjob' },
      });
    });

    it('marquez_event_unicode.json: a job name with an emoji, and a +10:00 time', async () => {
      const event = loadOpenLineageFixture<OpenLineageEvent>(
        'marquez_event_unicode.json',
      );
      await postAll([event]);
      await expectStored([event]);
      expect(
        await backend.store.getJob({
          namespace: 'my-scheduler-namespace',
          name: 'myjob.buggy_task🕷',
        }),
      ).toMatchObject({
        latestRun: { state: 'COMPLETE', endedAt: '2020-12-28T09:52:00.001Z' },
      });
    });

    it('spec-tests_example_full_event.json: a RunEvent that also carries a dataset key', async () => {
      const event = loadOpenLineageFixture<OpenLineageEvent>(
        'spec-tests_example_full_event.json',
      );
      const res = await post(event);
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        status: 'stored',
        kind: 'RunEvent',
        eventType: 'COMPLETE',
        runId: 'f69a6e9b-9bac-3c9a-9cf6-eacb70ecc9a9',
        job: { namespace: 'food_delivery', name: 'dbt' },
        qualityRuns: 0,
      });
      expect(
        await backend.store.getJob({ namespace: 'food_delivery', name: 'dbt' }),
      ).toMatchObject({ sql: 'SELECT 1' });
    });

    it.each([
      [
        'event_no_run_id.json',
        'The OpenLineage RunEvent is invalid: run.runId is required by the OpenLineage schema',
      ],
      [
        'event_invalid_dataset_facet.json',
        'The OpenLineage RunEvent is invalid: outputs[0].facets.ownership.owners[0].name is required by the OpenLineage schema',
      ],
      [
        'serde_example_run_event.json',
        'The OpenLineage RunEvent is invalid: eventTime must match format "date-time"; run.facets.nominalTime.nominalStartTime must match format "date-time"; run.facets.nominalTime.nominalEndTime must match format "date-time"',
      ],
      [
        'serde_example_dataset_event.json',
        'The OpenLineage DatasetEvent is invalid: eventTime must match format "date-time"',
      ],
      [
        'serde_example_job_event.json',
        'The OpenLineage JobEvent is invalid: eventTime must match format "date-time"',
      ],
      [
        'event_full.json',
        'The OpenLineage RunEvent is invalid: inputs[0].inputFacets.dataQualityMetrics.columnMetrics is required by the OpenLineage schema',
      ],
    ])('%s is refused with 400 naming the field', async (file, message) => {
      const res = await post(loadOpenLineageFixture(file));
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ name: 'InputError', message });
    });

    it('the Python client tests static events, with a time zone, are a JobEvent and a DatasetEvent', async () => {
      const job = {
        ...loadOpenLineageFixture<Json>('serde_example_job_event.json'),
        eventTime: '2021-11-03T10:53:52.427343Z',
      };
      const res = await post(job);
      expect(res.body).toMatchObject({ status: 'stored', kind: 'JobEvent' });
      expect(
        (
          await backend.store.getEdges({
            job: { namespace: 'openlineage', name: 'name' },
          })
        ).map(e => [e.direction, e.dataset.name, e.lastRunId]),
      ).toEqual([
        ['input', 'dataset_a', undefined],
        ['output', 'dataset_b', undefined],
      ]);
      const dataset = {
        ...loadOpenLineageFixture<Json>('serde_example_dataset_event.json'),
        eventTime: '2021-11-03T10:53:52.427343Z',
      };
      expect((await post(dataset)).body).toMatchObject({
        kind: 'DatasetEvent',
      });
      expect(
        await backend.store.getDataset({
          namespace: 'openlineage',
          name: 'name',
        }),
      ).toMatchObject({
        fields: [
          { name: 'a', type: 'string' },
          { name: 'b', type: 'string' },
        ],
      });
    });

    it('event_full.json with its columnMetrics: custom facets kept, quality facets fed to the product', async () => {
      const event = loadOpenLineageFixture<Json & OpenLineageEvent>(
        'event_full.json',
      );
      const input = (event.inputs as unknown as Json[])[0];
      const completed = {
        ...event,
        inputs: [
          {
            ...input,
            inputFacets: {
              ...(input.inputFacets as Json),
              dataQualityMetrics: {
                ...((input.inputFacets as Json).dataQualityMetrics as Json),
                columnMetrics: {},
              },
            },
          },
        ],
      };
      const res = await post(completed);
      expect(res.status).toBe(201);
      expect(res.body.qualityRuns).toBe(1);
      expect(
        (await checksOf('instance-table')).map(c => [c.name, c.status, c.port]),
      ).toEqual([
        ['no_null_values on id', 'pass', 'table'],
        ['row_count_equal_to', 'pass', 'table'],
      ]);
      const raw = await backend.store.getRun(String((event.run as Json).runId));
      expect(raw).toMatchObject({ state: 'COMPLETE' });
    });

    it('marquez_metadata.template.json: refused with its placeholders, then the food delivery graph as Marquez seeds it', async () => {
      const template = loadOpenLineageFixture<Json[]>(
        'marquez_metadata.template.json',
      );
      const asIs = await post(template[0]);
      expect(asIs.status).toBe(400);
      expect(asIs.body.error.message).toBe(
        'The OpenLineage RunEvent is invalid: eventTime must match format "date-time"',
      );
      const start = Date.parse('2026-11-30T22:00:00Z');
      const events = template.map(e =>
        asSeededByMarquez(e, start),
      ) as unknown as OpenLineageEvent[];
      await postAll(events);
      await expectStored(events);
      for (const event of events) {
        expect(await backend.store.getRun(event.run!.runId)).toMatchObject({
          state: 'COMPLETE',
          startedAt: '2026-11-30T22:00:00.000Z',
        });
      }
      const withColumns = events.flatMap(e =>
        (e.outputs ?? []).filter(o => o.facets?.columnLineage),
      );
      expect(withColumns).toHaveLength(5);
      for (const output of withColumns) {
        expect(
          (await backend.store.getColumnLineage(output)).length,
        ).toBeGreaterThan(0);
      }
      // a START event's data quality assertions on a product port become its checks
      expect(
        (await checksOf('deliveries')).map(c => [c.name, c.status]),
      ).toEqual([
        ['is_string on customer_address', 'pass'],
        ['not_null on driver_id', 'fail'],
      ]);
    });

    it('dbt-test_result.json: refused without schemaURL, then the dbt test runs with their assertions', async () => {
      const expected = loadOpenLineageFixture<Json[]>('dbt-test_result.json');
      const asIs = await post(expected[0]);
      expect(asIs.body.error.message).toBe(
        'The OpenLineage RunEvent is invalid: schemaURL is required by the OpenLineage schema',
      );
      const events = expected.map(asSentByDbt) as unknown as OpenLineageEvent[];
      await postAll(events);
      await expectStored(events);
      const ends = events.filter(e => e.eventType !== 'START');
      expect(
        await Promise.all(
          ends.map(
            async e => (await backend.store.getRun(e.run!.runId))!.state,
          ),
        ),
      ).toEqual(['COMPLETE', 'COMPLETE', 'COMPLETE', 'FAIL', 'FAIL']);
      expect(
        (await checksOf('dbt-models')).map(c => [c.name, c.status]),
      ).toEqual([
        ['expect_column_median_to_be_between on id', 'fail'],
        ['expect_column_quantile_values_to_be_between on id', 'fail'],
        ['expect_column_values_to_not_be_null on id', 'pass'],
        ['not_null on id', 'pass'],
        ['unique on id', 'fail'],
      ]);
    });

    it('dbt-structured-logs_test_ol_events.json: refused as an expectation file, then dbt test on jaffle_shop', async () => {
      const expected = loadOpenLineageFixture<Json[]>(
        'dbt-structured-logs_test_ol_events.json',
      );
      const asIs = await post(expected[0]);
      expect(asIs.status).toBe(400);
      expect(asIs.body.error.message).toMatch(
        /^The OpenLineage RunEvent is invalid: producer is required by the OpenLineage schema; schemaURL is required by the OpenLineage schema; run\.runId must match format "uuid"/,
      );
      const events = expected.map(asSentByDbt) as unknown as OpenLineageEvent[];
      await postAll(events);
      await expectStored(events);
      expect(
        await backend.store.getRun(uuidOf('dbt-run-jaffle_shop')),
      ).toMatchObject({
        state: 'FAIL',
        errorMessage: expect.stringMatching(/^Command `dbt test` failed/),
      });
      expect(
        (await checksOf('jaffle-customers')).map(c => [c.name, c.status]),
      ).toEqual([
        ['accepted_values on first_name', 'fail'],
        ['not_null on customer_id', 'pass'],
        ['unique on customer_id', 'pass'],
      ]);
    });
  },
);
