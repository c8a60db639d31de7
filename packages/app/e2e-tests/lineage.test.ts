import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { APIRequestContext, Page, expect, test } from '@playwright/test';
import { failOnBrowserErrors } from '@backstage/e2e-test-utils/playwright';

/**
 * The Lineage tab as its users meet it: a pipeline posts OpenLineage run events through the
 * portal's endpoint with its static token, as the official clients' HTTP transport does, and a
 * person opens a product's Lineage tab, changes the depth and the direction, opens the column
 * lineage of a port and the impact analysis. Each view is saved in
 * e2e-test-results/screenshots/; the render time of a 300-node graph in e2e-test-results/.
 */

failOnBrowserErrors();

test.beforeEach(async ({ page }) => {
  // name the request behind a "Failed to load resource" console error
  page.on('response', response => {
    if (response.status() >= 400) {
      // eslint-disable-next-line no-console
      console.log(`HTTP ${response.status()} ${response.url()}`);
    }
  });
});

/** The static token of the e2e pipeline (app-config.e2e.yaml, backend.auth.externalAccess). */
const PIPELINE_TOKEN = 'e2e-pipeline-token-0123456789abcdef';

const PRODUCER =
  'https://github.com/OpenLineage/OpenLineage/tree/1.23.0/client/python';
const RUN_EVENT =
  'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent';
const COLUMN_LINEAGE =
  'https://openlineage.io/spec/facets/1-2-0/ColumnLineageDatasetFacet.json#/$defs/ColumnLineageDatasetFacet';
const SCHEMA =
  'https://openlineage.io/spec/facets/1-1-1/SchemaDatasetFacet.json#/$defs/SchemaDatasetFacet';

/** The example mesh's ports the events name (examples/data-products/*). */
const IDENTITIES = {
  namespace: 'postgres://warehouse:5432',
  name: 'analytics.customer.identities',
};
const CRM_ACCOUNTS = {
  namespace: 'postgres://warehouse:5432',
  name: 'analytics.sales.crm_accounts',
};
const CUSTOMER_PROFILE = {
  namespace: 'databricks://company.cloud.databricks.com',
  name: 'analytics.customer.customer_360',
};
const CHURN_FEATURES = {
  namespace: 's3://company-ml-features',
  name: 'customer/churn/v0',
};
const PLANS = {
  namespace: 'https://api.company.com',
  name: '/catalog/v1/plans',
};
/** A dataset no product declares: an external node. */
const WEB_SESSIONS = { namespace: 's3://e2e-raw-events', name: 'web/sessions' };

type Dataset = { namespace: string; name: string };

function transformation(subtype: string, extra: object = {}) {
  return {
    type: subtype === 'FILTER' ? 'INDIRECT' : 'DIRECT',
    subtype,
    ...extra,
  };
}

/** A RunEvent as the Python client's HTTP transport sends it (one JSON body per event). */
function runEvent(options: {
  eventType: 'START' | 'COMPLETE' | 'FAIL';
  runId: string;
  job: Dataset;
  inputs: Dataset[];
  outputs: Array<Dataset & { facets?: Record<string, unknown> }>;
  at?: Date;
}) {
  return {
    eventTime: (options.at ?? new Date()).toISOString(),
    producer: PRODUCER,
    schemaURL: RUN_EVENT,
    eventType: options.eventType,
    run: { runId: options.runId },
    job: options.job,
    inputs: options.inputs,
    outputs: options.outputs,
  };
}

/**
 * The dbt build of customer-360: it reads the identities and the CRM accounts ports and an
 * external sessions table, and writes the customer profile port, with its schema and column
 * lineage (an identity, a masked hash, an aggregation, and a filter on the whole dataset).
 */
function customer360Run(eventType: 'START' | 'COMPLETE', runId: string) {
  const field = (dataset: Dataset, name: string, how: object) => ({
    ...dataset,
    field: name,
    transformations: [how],
  });
  return runEvent({
    eventType,
    runId,
    job: { namespace: 'dbt-e2e', name: 'customer_analytics.customer_360' },
    inputs: [IDENTITIES, CRM_ACCOUNTS, WEB_SESSIONS],
    outputs: [
      {
        ...CUSTOMER_PROFILE,
        facets: {
          schema: {
            _producer: PRODUCER,
            _schemaURL: SCHEMA,
            fields: [
              { name: 'customer_id', type: 'string' },
              { name: 'email_hash', type: 'string' },
              { name: 'sessions_30d', type: 'integer' },
            ],
          },
          columnLineage: {
            _producer: PRODUCER,
            _schemaURL: COLUMN_LINEAGE,
            fields: {
              customer_id: {
                inputFields: [
                  field(IDENTITIES, 'customer_id', transformation('IDENTITY')),
                ],
              },
              email_hash: {
                inputFields: [
                  field(
                    IDENTITIES,
                    'email',
                    transformation('TRANSFORMATION', {
                      description: 'sha256 of the lower-cased email',
                      masking: true,
                    }),
                  ),
                ],
              },
              sessions_30d: {
                inputFields: [
                  field(
                    WEB_SESSIONS,
                    'session_id',
                    transformation('AGGREGATION', {
                      description: 'count of the last 30 days',
                    }),
                  ),
                ],
              },
            },
            dataset: [
              field(CRM_ACCOUNTS, 'is_deleted', transformation('FILTER')),
            ],
          },
        },
      },
    ],
  });
}

/** Posts one event to the OpenLineage endpoint, as a pipeline does. */
async function postEvent(request: APIRequestContext, event: unknown) {
  const res = await request.post('/api/datamesh/v1/lineage', {
    headers: {
      authorization: `Bearer ${PIPELINE_TOKEN}`,
      'content-type': 'application/json',
    },
    data: JSON.stringify(event),
  });
  expect(res.status(), await res.text()).toBeLessThan(300);
}

/** Posts events through the batch endpoint; every one must be stored. */
async function postBatch(request: APIRequestContext, events: unknown[]) {
  const res = await request.post('/api/datamesh/v1/lineage/batch', {
    headers: {
      authorization: `Bearer ${PIPELINE_TOKEN}`,
      'content-type': 'application/json',
    },
    data: JSON.stringify(events),
  });
  expect(res.status(), await res.text()).toBe(200);
  expect((await res.json()).summary.failed).toBe(0);
}

async function screenshot(page: Page, name: string) {
  await page.screenshot({
    path: `e2e-test-results/screenshots/${name}.png`,
    fullPage: true,
  });
}

async function signIn(page: Page, path = '/') {
  await page.goto(path);
  const enter = page.getByRole('button', { name: 'Enter' });
  await expect(enter).toBeVisible();
  await enter.click();
}

/** The lineage graph once DependencyGraph laid it out and shows it. */
function graphOf(page: Page) {
  return page.getByRole('figure', { name: 'Lineage graph' });
}

async function expectGraphShown(page: Page) {
  const graph = graphOf(page);
  await expect(
    graph.getByRole('link', { name: /^Data product / }).first(),
  ).toBeVisible();
  return graph;
}

test('a pipeline posts its runs; the Lineage tab shows the graph, its depth and direction, column lineage and impact', async ({
  page,
  request,
}) => {
  // waits for the catalog (below), then drives the page on a shared, loaded machine
  test.setTimeout(300_000);
  // the pipelines of the example mesh: the customer 360 build, then the churn features job
  // that reads its profile port (and fails)
  const buildRun = randomUUID();
  const churnRun = randomUUID();
  // the catalog knows the example mesh a little after start: the dataset is a port only then,
  // but events are stored either way
  await postEvent(request, customer360Run('START', buildRun));
  await postEvent(request, customer360Run('COMPLETE', buildRun));
  await postBatch(request, [
    runEvent({
      eventType: 'START',
      runId: churnRun,
      job: { namespace: 'spark-e2e', name: 'churn_features_daily' },
      inputs: [CUSTOMER_PROFILE],
      outputs: [CHURN_FEATURES],
    }),
    runEvent({
      eventType: 'FAIL',
      runId: churnRun,
      job: { namespace: 'spark-e2e', name: 'churn_features_daily' },
      inputs: [CUSTOMER_PROFILE],
      outputs: [CHURN_FEATURES],
    }),
  ]);

  // the backend matches datasets to ports through the catalog, which knows the whole example mesh
  // a little after start (and the backend's product index is kept a minute): until then some
  // ports are external datasets. Wait for it through the API, as a guest, as a person would.
  const session = await request.post('/api/auth/guest/refresh', {
    headers: { 'x-requested-with': 'XMLHttpRequest' },
  });
  expect(session.ok()).toBe(true);
  const token = (await session.json()).backstageIdentity.token as string;
  await expect(async () => {
    const res = await request.get(
      '/api/datamesh/v1/products/default/customer-360/lineage?direction=both&depth=2',
      { headers: { authorization: `Bearer ${token}` } },
    );
    expect(res.status()).toBe(200);
    const ids = ((await res.json()).nodes as Array<{ id: string }>).map(
      node => node.id,
    );
    expect(ids).toEqual(
      expect.arrayContaining([
        'product:dataproduct:default/crm-accounts',
        'product:dataproduct:default/customer-identities',
        'product:dataproduct:default/customer-churn-features',
      ]),
    );
  }).toPass({ timeout: 150_000, intervals: [3_000] });

  await signIn(page, '/catalog/default/dataproduct/customer-360/lineage');
  // the entity page's Lineage tab, next to Overview and Quality
  await expect(
    page.getByRole('link', { name: 'Lineage', exact: true }),
  ).toHaveAttribute(
    'href',
    '/catalog/default/dataproduct/customer-360/lineage',
  );
  const graph = await expectGraphShown(page);
  // both ways at depth 2: the upstream products, this one and the downstream one
  for (const name of [
    /^Data product Customer Identities/,
    /^Data product CRM Accounts/,
    /^Data product Customer 360 View/,
    /^Data product Customer Churn Features/,
  ]) {
    await expect(graph.getByRole('link', { name })).toBeVisible();
  }
  // the jobs with their last run, the external dataset told apart
  await expect(
    graph.getByRole('img', {
      name: 'Job customer_analytics.customer_360, last run complete',
    }),
  ).toBeVisible();
  await expect(
    graph.getByRole('img', {
      name: 'Job churn_features_daily, last run failed',
    }),
  ).toBeVisible();
  await expect(
    graph.getByRole('img', {
      name: 'External dataset s3://e2e-raw-events/web/sessions',
    }),
  ).toBeVisible();
  await screenshot(page, 'lineage-01-customer-360-both-depth-2');

  // one way, one hop: the downstream product only
  await page.getByRole('button', { name: 'Downstream', exact: true }).click();
  await page.getByLabel('Depth').selectOption('1');
  await expect(page).toHaveURL(/direction=downstream/);
  await expect(page).toHaveURL(/depth=1/);
  await expectGraphShown(page);
  await expect(
    graph.getByRole('link', { name: /^Data product Customer Churn Features/ }),
  ).toBeVisible();
  await expect(
    graph.getByRole('link', { name: /^Data product CRM Accounts/ }),
  ).toHaveCount(0);
  await screenshot(page, 'lineage-02-downstream-depth-1');

  await page.getByRole('button', { name: 'Upstream', exact: true }).click();
  await page.getByLabel('Depth').selectOption('all');
  await expect(page).toHaveURL(/direction=upstream/);
  await expectGraphShown(page);
  await expect(
    graph.getByRole('link', { name: /^Data product CRM Accounts/ }),
  ).toBeVisible();
  await expect(
    graph.getByRole('link', { name: /^Data product Customer Churn Features/ }),
  ).toHaveCount(0);
  await screenshot(page, 'lineage-03-upstream-all');

  // the column lineage of the profile port, from the graph's port node
  await graph
    .getByRole('button', {
      name: /^Output port customer-profile of Customer 360 View.*column lineage/,
    })
    .click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toContainText('Column lineage of port customer-profile');
  const columns = dialog.getByRole('table', {
    name: 'Columns and their upstream columns',
  });
  const email = columns.getByRole('row', { name: 'email_hash' });
  await expect(email).toContainText('Customer Identities');
  await expect(email).toContainText('port identities');
  await expect(email).toContainText('Masked');
  await expect(email).toContainText('sha256 of the lower-cased email');
  await expect(
    columns.getByRole('row', { name: 'sessions_30d' }),
  ).toContainText('s3://e2e-raw-events/web/sessions');
  await expect(
    dialog.getByRole('table', { name: 'Whole-dataset dependencies' }),
  ).toContainText('is_deleted');
  await screenshot(page, 'lineage-04-column-lineage');
  await dialog.getByRole('button', { name: 'Close' }).click();

  // a product node opens its page
  await graph.getByRole('link', { name: /^Data product CRM Accounts/ }).click();
  await expect(page).toHaveURL(/\/catalog\/default\/dataproduct\/crm-accounts/);

  // the impact analysis, from the Incidents card of the Quality tab
  await page.goto('/catalog/default/dataproduct/customer-360/quality');
  await page
    .getByRole('link', { name: /Impact analysis: who is hit downstream/ })
    .click();
  await expect(page).toHaveURL(/\/customer-360\/lineage\?view=impact/);
  const impact = page.getByRole('table', { name: 'Downstream products' });
  const churn = impact.getByRole('row', { name: /Customer Churn Features/ });
  await expect(churn).toContainText('1 hop');
  await expect(churn).toContainText('churn_features_daily');
  await expect(churn.getByLabel(/^Health: /)).toBeVisible();
  await screenshot(page, 'lineage-05-impact-analysis');
});

/**
 * A mesh of 302 nodes downstream of product-offerings' plans port: 30 jobs read it and each
 * writes a table, each of those is read by 2 jobs writing their own, each of which a third
 * level of jobs reads.
 */
function wideMesh(): unknown[] {
  const events: unknown[] = [];
  const at = new Date();
  const job = (i: number, level: number) => ({
    namespace: 'bench-e2e',
    name: `l${level}_job_${i}`,
  });
  const table = (i: number, level: number) => ({
    namespace: 'bench-e2e://warehouse',
    name: `l${level}.table_${i}`,
  });
  const add = (jobName: Dataset, input: Dataset, output: Dataset) =>
    events.push(
      runEvent({
        eventType: 'COMPLETE',
        runId: randomUUID(),
        job: jobName,
        inputs: [input],
        outputs: [output],
        at,
      }),
    );
  for (let i = 0; i < 30; i++) {
    add(job(i, 1), PLANS, table(i, 1));
  }
  for (let i = 0; i < 60; i++) {
    add(job(i, 2), table(Math.floor(i / 2), 1), table(i, 2));
  }
  // 302 nodes with the product and its port: past the 300 of the node limit
  for (let i = 0; i < 60; i++) {
    add(job(i, 3), table(i, 2), table(i, 3));
  }
  return events;
}

test('a 300-node lineage graph is drawn, cut at the node limit, and shows more', async ({
  page,
  request,
}) => {
  const events = wideMesh();
  for (let i = 0; i < events.length; i += 50) {
    await postBatch(request, events.slice(i, i + 50));
  }
  await signIn(page, '/data-products');
  // the render time: from the graph's answer arriving to the graph laid out and shown, in the
  // page's own clock (the Resource Timing of the request, then the first frame showing it)
  await page.goto(
    '/catalog/default/dataproduct/product-offerings/lineage?direction=downstream&depth=all',
  );
  const graph = await expectGraphShown(page);
  await expect(
    graph.getByRole('button', { name: /more neighbours left out/ }).first(),
  ).toBeVisible();
  await page
    .getByRole('button', { name: /^Show more \(up to 300 nodes\)/ })
    .click();
  const measured = await page.waitForFunction(
    () => {
      const figure = document.querySelector('[aria-label="Lineage graph"]');
      const svg = figure?.querySelector('svg#dependency-graph');
      const container = svg?.parentElement;
      const nodes = figure?.querySelectorAll('[data-kind]').length ?? 0;
      if (!container || getComputedStyle(container).visibility !== 'visible') {
        return undefined;
      }
      if (nodes < 150) {
        return undefined;
      }
      const answers = performance
        .getEntriesByType('resource')
        .filter(
          entry =>
            entry.name.includes('/lineage?') &&
            entry.name.includes('maxNodes=300'),
        ) as PerformanceResourceTiming[];
      const answer = answers[answers.length - 1];
      if (!answer) {
        return undefined;
      }
      return {
        nodes,
        lineageNodes: Number(figure?.getAttribute('data-nodes')),
        fetchMs: Math.round(answer.responseEnd - answer.startTime),
        renderMs: Math.round(performance.now() - answer.responseEnd),
      };
    },
    undefined,
    { polling: 'raf', timeout: 60_000 },
  );
  const figures: Record<string, number> = await measured.jsonValue();

  // and responsive once drawn: hiding the product's port lays the 300 nodes out again
  await page.evaluate(() => {
    (window as unknown as { lineageClickAt: number }).lineageClickAt =
      performance.now();
  });
  await graph
    .getByRole('button', { name: 'Hide the 1 port of Product Offerings' })
    .click();
  const relaid = await page.waitForFunction(
    before => {
      const figure = document.querySelector('[aria-label="Lineage graph"]');
      const nodes = figure?.querySelectorAll('[data-kind]').length ?? 0;
      return nodes === before - 1
        ? Math.round(
            performance.now() -
              (window as unknown as { lineageClickAt: number }).lineageClickAt,
          )
        : undefined;
    },
    figures.nodes,
    { polling: 'raf', timeout: 60_000 },
  );
  figures.togglePortsMs = await relaid.jsonValue();
  // eslint-disable-next-line no-console
  console.log(
    `Lineage tab, 300-node graph in Chromium: ${JSON.stringify(figures)}`,
  );
  mkdirSync('e2e-test-results', { recursive: true });
  writeFileSync(
    'e2e-test-results/lineage-render.json',
    `${JSON.stringify(
      { ...figures, measuredAt: new Date().toISOString() },
      null,
      2,
    )}\n`,
  );
  await expect(page.getByText(/the first 300 nodes/)).toBeVisible();
  await screenshot(page, 'lineage-06-300-nodes');

  // the graph stays interactive: the wheel zooms in (d3-zoom transforms the workspace)
  const workspace = graph.locator('g#workspace');
  await graph.scrollIntoViewIfNeeded();
  const box = await graph.boundingBox();
  expect(box).not.toBeNull();
  await page.mouse.move(box!.x + box!.width / 2, box!.y + box!.height / 2);
  await page.mouse.wheel(0, -600);
  await expect(workspace).toHaveAttribute('transform', /scale\((?!1\))/);
  await screenshot(page, 'lineage-07-300-nodes-zoomed');

  // without the external datasets: the jobs alone downstream of the product
  await page.getByRole('checkbox', { name: 'External datasets' }).uncheck();
  await expect(graph.locator('[data-kind="dataset"]')).toHaveCount(0);
  await expect(graph.locator('[data-kind="job"]').first()).toBeVisible();
  await screenshot(page, 'lineage-08-300-nodes-without-external-datasets');
});
