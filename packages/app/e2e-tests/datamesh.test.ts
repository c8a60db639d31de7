import {
  APIRequestContext,
  expect,
  Locator,
  Page,
  test,
} from '@playwright/test';
import { failOnBrowserErrors } from '@backstage/e2e-test-utils/playwright';

/**
 * The portal as its users meet it: the real backend (SQLite, example mesh) serving the built app,
 * in Debian's Chromium. Each page visited is saved in e2e-test-results/screenshots/.
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

async function screenshot(page: Page, name: string) {
  await page.screenshot({
    path: `e2e-test-results/screenshots/${name}.png`,
    fullPage: true,
  });
}

/** The card (MUI Card) a locator is in. */
function cardOf(locator: Locator): Locator {
  return locator.locator(
    'xpath=ancestor::*[contains(@class, "MuiCard-root")][1]',
  );
}

/**
 * Asserts that each element's text is laid out on one line and fits its card: the line boxes of
 * its text (Range.getClientRects) do not stack, and none reaches past the card's right edge. A
 * label squeezed into a narrow table column ("Freshn" / "ess") fails.
 */
async function expectOneLine(locator: Locator) {
  const elements = await locator.all();
  expect(elements.length).toBeGreaterThan(0);
  for (const element of elements) {
    const layout = await element.evaluate(node => {
      const range = document.createRange();
      range.selectNodeContents(node);
      const rects = [...range.getClientRects()]
        .filter(rect => rect.width > 0 && rect.height > 0)
        .sort((a, b) => a.top - b.top);
      // a rect below the bottom of the line so far starts a new line
      let lines = 0;
      let bottom = -Infinity;
      for (const rect of rects) {
        if (rect.top >= bottom - 1) {
          lines += 1;
        }
        bottom = Math.max(bottom, rect.bottom);
      }
      const card = node.closest('.MuiCard-root')?.getBoundingClientRect();
      const overflows =
        card !== undefined && rects.some(rect => rect.right > card.right + 0.5);
      return { text: node.textContent, lines, overflows };
    });
    expect(layout, `"${layout.text}" is on one line`).toEqual({
      text: layout.text,
      lines: 1,
      overflows: false,
    });
  }
}

/**
 * Saves the part of the page that the entity page's sticky info column (the side column) shows.
 */
async function screenshotInfoColumn(page: Page, inside: Locator, name: string) {
  const box = await inside.evaluate(node => {
    let column: Element | null = node;
    while (column && getComputedStyle(column).position !== 'sticky') {
      column = column.parentElement;
    }
    const rect = (column ?? node).getBoundingClientRect();
    return { x: rect.x, y: rect.y, width: rect.width, height: rect.height };
  });
  await page.screenshot({
    path: `e2e-test-results/screenshots/${name}.png`,
    clip: box,
  });
}

async function signIn(page: Page, path = '/') {
  await page.goto(path);
  const enter = page.getByRole('button', { name: 'Enter' });
  await expect(enter).toBeVisible();
  await enter.click();
}

test('a data product is found, filtered by domain, and opened with its ports, contract and consumers', async ({
  page,
}) => {
  await signIn(page);

  // the landing page is the Data products page
  await expect(page).toHaveURL(/\/data-products/);
  await expect(
    page.getByRole('heading', { name: 'Data products' }),
  ).toBeVisible();
  const table = page.getByRole('table');
  await expect(
    table.getByRole('link', { name: 'Customer 360 View' }),
  ).toBeVisible();
  await screenshot(page, '01-data-products');

  // filter by a domain: only the customer domain's products remain, and the URL says so
  await page.getByLabel('Domain').selectOption('domain:default/customer');
  await expect(page).toHaveURL(
    /domain=domain%3Adefault%2Fcustomer|domain=domain:default\/customer/,
  );
  await expect(
    table.getByRole('link', { name: 'Customer 360 View' }),
  ).toBeVisible();
  await expect(
    table.getByRole('link', { name: /Marketing Campaign/i }),
  ).toHaveCount(0);
  await screenshot(page, '02-data-products-customer-domain');

  // free-text search narrows further
  await page.getByPlaceholder('Search data products').fill('360');
  await expect(
    table.getByRole('link', { name: 'Customer 360 View' }),
  ).toBeVisible();

  // open the product
  await table.getByRole('link', { name: 'Customer 360 View' }).click();
  await expect(page).toHaveURL(/\/catalog\/default\/dataproduct\/customer-360/);
  await expect(page.getByText('Output ports', { exact: true })).toBeVisible();
  await expect(page.getByText('Input ports', { exact: true })).toBeVisible();
  await expect(page.getByText('Consumers', { exact: true })).toBeVisible();
  await expect(
    page.getByText('Service level objectives', { exact: true }),
  ).toBeVisible();
  await expect(page.getByText('Ownership', { exact: true })).toBeVisible();

  // the output port's contract schema, rendered from the ODCS document next to the entity
  await expect(page.getByText('customer-profile').first()).toBeVisible();
  await expect(
    page.getByRole('columnheader', { name: 'Logical type' }).first(),
  ).toBeVisible();
  await expect(page.getByText('customer_id').first()).toBeVisible();

  // SLOs parsed from the entity
  await expect(page.getByText('15 minutes').first()).toBeVisible();
  await expect(page.getByText('99.95%').first()).toBeVisible();
  await screenshot(page, '03-data-product-customer-360');

  // The catalog's entity layout keeps the info cards in a sticky column no taller than the
  // window, which scrolls on its own (its scrollbar hidden): the full-page screenshot shows only
  // its top. Scroll the Ownership card's last roles into view, as a person would, and save the
  // card on its own.
  const ownership = page
    .getByText('Ownership', { exact: true })
    .locator('xpath=ancestor::*[contains(@class, "MuiCard-root")][1]');
  const channel = ownership.getByText('#customer-data', { exact: true });
  await channel.scrollIntoViewIfNeeded();
  await expect(channel).toBeVisible();
  await expect(
    ownership.locator('a[href="/catalog/default/group/customer-data-oncall"]'),
  ).toBeVisible();
  await expect(
    ownership.getByRole('list', { name: 'Escalation path' }).getByRole('link'),
  ).toHaveCount(3);
  await ownership.screenshot({
    path: 'e2e-test-results/screenshots/03b-data-product-ownership.png',
  });

  // the input ports: one row per port, its name, the port it reads and its status on one line
  const inputPorts = cardOf(page.getByText('Input ports', { exact: true }));
  const ports = inputPorts.getByRole('list', { name: 'Input ports' });
  await expect(ports.getByRole('listitem')).toHaveCount(6);
  await expectOneLine(ports.getByText('identities', { exact: true }));
  await expectOneLine(ports.getByText('crm-accounts', { exact: true }));
  await expectOneLine(ports.getByText('accounts', { exact: true }));
  await expectOneLine(ports.getByText('Available', { exact: true }));
  await inputPorts.screenshot({
    path: 'e2e-test-results/screenshots/03c-data-product-input-ports.png',
  });
});

test('search finds a data product', async ({ page, request }) => {
  // The catalog is indexed once the example mesh is processed (app-config.yaml,
  // search.collators); until the first index exists the search backend answers 500, so wait
  // for it through the API, as a guest, before a person would search.
  const session = await request.post('/api/auth/guest/refresh', {
    headers: { 'x-requested-with': 'XMLHttpRequest' },
  });
  expect(session.ok()).toBe(true);
  const token = (await session.json()).backstageIdentity.token as string;
  await expect(async () => {
    const res = await request.get('/api/search/query?term=customer%20360', {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.status()).toBe(200);
    expect(JSON.stringify(await res.json())).toContain('Customer 360 View');
  }).toPass({ timeout: 120_000, intervals: [2_000] });

  await signIn(page, '/search?query=customer%20360');
  await expect(
    page.getByRole('link', { name: /Customer 360 View/ }).first(),
  ).toBeVisible();
  await screenshot(page, '09-search');
});

test('a domain page shows the data products of its whole subtree and its baseline SLOs', async ({
  page,
}) => {
  await signIn(page, '/catalog/default/domain/customer');
  await expect(page.getByText('Data mesh', { exact: true })).toBeVisible();

  // the products of the domain and of its subdomains, counted on the server, each product of a
  // subdomain marked with it
  const products = page.getByRole('table', {
    name: 'Data products of this domain and its subdomains',
  });
  await expect(products.getByRole('row')).toHaveCount(4);
  const row = (title: string) =>
    products.getByRole('row').filter({
      has: page.getByRole('link', { name: title, exact: true }),
    });
  await expect(row('Customer 360 View').getByRole('link')).toHaveCount(2);
  await expect(
    row('Customer Identities').getByRole('link', { name: 'Customer Identity' }),
  ).toHaveAttribute('href', '/catalog/default/domain/customer-identity');
  await expect(
    row('Customer Churn Features').getByRole('link', {
      name: 'Customer Analytics',
    }),
  ).toHaveAttribute('href', '/catalog/default/domain/customer-analytics');
  // short values and the headers never break inside a word ("productio n")
  for (const text of [
    'Subdomain',
    'Lifecycle',
    'Sensitivity',
    'aggregate',
    'consumer-aligned',
    'source-aligned',
    'production',
    'experimental',
    'confidential',
    'restricted',
  ]) {
    await expectOneLine(products.getByText(text, { exact: true }));
  }
  const productsCard = cardOf(products);
  await expect(productsCard.getByText('1–3 of 3')).toBeVisible();
  await expect(
    productsCard.getByText('With the products of its 2 subdomains'),
  ).toBeVisible();
  await screenshot(page, '04-domain-customer');

  // the side column: the same count, and the baseline SLOs, each label and target on one line
  const dataMesh = cardOf(page.getByText('Data mesh', { exact: true }));
  await expect(dataMesh).toContainText('3 (1 directly in this domain)');
  const completeness = dataMesh.getByText('Completeness', { exact: true });
  await completeness.scrollIntoViewIfNeeded();
  for (const label of [
    'Freshness',
    'Availability',
    'Accuracy',
    'Completeness',
  ]) {
    await expectOneLine(dataMesh.getByText(label, { exact: true }));
  }
  for (const target of ['1 hour', '99.9%', '99%', '95%']) {
    await expectOneLine(dataMesh.getByText(target, { exact: true }));
  }
  await screenshotInfoColumn(page, dataMesh, '04b-domain-customer-side-column');
});

test('broken examples explain themselves', async ({ page }) => {
  // an invalid entity never enters the catalog: the Data products page says which and why,
  // naming the field
  await signIn(page, '/data-products');
  const rejected = page.getByRole('alert', {
    name: 'Entities the catalog rejected',
  });
  await expect(rejected).toContainText(
    'dataproduct:default/broken-orders-feed',
  );
  await expect(rejected).toContainText(
    'spec.outputPorts[1].type must be one of table, view, topic, api, file, not "tabel"',
  );
  await screenshot(page, '05-rejected-entities');

  // a contract that fails the ODCS schema shows why, never a blank card
  await page.goto('/catalog/default/dataproduct/finance-ledger-snapshots');
  const alert = page
    .getByRole('alert')
    .filter({ hasText: /contract/i })
    .first();
  await expect(alert).toBeVisible();
  await screenshot(page, '06-invalid-contract');

  // an ODCS v2 contract is answered with the version it uses
  await page.goto('/catalog/default/dataproduct/legacy-support-tickets');
  await expect(
    page
      .getByRole('alert')
      .filter({ hasText: /v2\.2\.2/ })
      .first(),
  ).toBeVisible();
  await screenshot(page, '07-unsupported-contract-version');

  // input ports pointing at a missing product or port are reported on the product page
  await page.goto('/catalog/default/dataproduct/support-csat-scores');
  await expect(
    page.getByText(/does not exist|not found|no output port/i).first(),
  ).toBeVisible();
  await screenshot(page, '08-dangling-input-ports');
  const inputPorts = cardOf(page.getByText('Input ports', { exact: true }));
  const ports = inputPorts.getByRole('list', { name: 'Input ports' });
  await expect(ports.getByRole('listitem')).toHaveCount(2);
  await expectOneLine(ports.getByText('survey-responses', { exact: true }));
  await expectOneLine(ports.getByText('responses', { exact: true }));
  await expectOneLine(ports.getByText('ticket-history', { exact: true }));
  await expectOneLine(ports.getByText('Product missing', { exact: true }));
  await expectOneLine(ports.getByText('Port missing', { exact: true }));
  await inputPorts.screenshot({
    path: 'e2e-test-results/screenshots/08b-dangling-input-ports-card.png',
  });

  // on the Domain page, the rejected entities of the domain's subtree are named above its products
  await page.goto('/catalog/default/domain/sales');
  const rejectedHere = page.getByRole('alert', {
    name: 'Entities the catalog rejected',
  });
  await expect(rejectedHere).toContainText('Broken Orders Feed');
  await expect(rejectedHere).toContainText(
    'spec.outputPorts[1].type must be one of table, view, topic, api, file, not "tabel"',
  );
  await screenshot(page, '08c-domain-rejected-entities');
});

/** The static token of the e2e pipeline (app-config.e2e.yaml, backend.auth.externalAccess). */
const PIPELINE_TOKEN = 'e2e-pipeline-token-0123456789abcdef';

/**
 * A dbt run of the churn features model, as dbt writes `target/run_results.json` and
 * `target/manifest.json`: the model is built and its `not_null` test on `customer_id` passes or
 * fails with 42 failing rows. Each call is a new invocation, so the portal stores every one.
 */
function dbtRun(testStatus: 'pass' | 'fail') {
  const invocationId = `e2e-${testStatus}-${Date.now()}`;
  const now = Date.now();
  const at = (secondsAgo: number) =>
    new Date(now - secondsAgo * 1000).toISOString();
  const metadata = (kind: string, version: number) => ({
    dbt_schema_version: `https://schemas.getdbt.com/dbt/${kind}/v${version}.json`,
    dbt_version: '1.8.5',
    generated_at: at(0),
    invocation_id: invocationId,
    env: {},
  });
  const model = 'model.customer_analytics.churn_features';
  const testId =
    'test.customer_analytics.not_null_churn_features_customer_id.5d1c2a';
  const timing = (start: number, end: number) => [
    { name: 'compile', started_at: at(start), completed_at: at(start - 1) },
    { name: 'execute', started_at: at(start - 1), completed_at: at(end) },
  ];
  const results = {
    metadata: metadata('run-results', 6),
    results: [
      {
        unique_id: model,
        status: 'success',
        timing: timing(40, 12),
        thread_id: 'Thread-1',
        execution_time: 28,
        adapter_response: { _message: 'OK', rows_affected: 48211 },
        message: 'OK',
        failures: null,
        relation_name: '"analytics"."customer"."churn_features"',
      },
      {
        unique_id: testId,
        status: testStatus,
        timing: timing(10, 2),
        thread_id: 'Thread-1',
        execution_time: 8,
        adapter_response: {},
        message:
          testStatus === 'fail'
            ? 'Got 42 results, configured to fail if != 0'
            : null,
        failures: testStatus === 'fail' ? 42 : 0,
      },
    ],
    elapsed_time: 40,
    args: { which: 'build' },
  };
  const manifest = {
    metadata: metadata('manifest', 12),
    nodes: {
      [model]: {
        resource_type: 'model',
        unique_id: model,
        name: 'churn_features',
        database: 'analytics',
        schema: 'customer',
        alias: 'churn_features',
      },
      [testId]: {
        resource_type: 'test',
        unique_id: testId,
        name: 'not_null_churn_features_customer_id',
        column_name: 'customer_id',
        attached_node: model,
        depends_on: { nodes: [model] },
        test_metadata: {
          name: 'not_null',
          kwargs: {
            column_name: 'customer_id',
            model: "{{ get_where_subquery(ref('churn_features')) }}",
          },
        },
        config: { severity: 'ERROR' },
      },
    },
    sources: {},
  };
  return { results, manifest };
}

/** Posts a dbt run of customer-churn-features as its pipeline does (curl -F with its token). */
async function postDbtRun(
  request: APIRequestContext,
  testStatus: 'pass' | 'fail',
): Promise<{ health: string; checks: number }> {
  const { results, manifest } = dbtRun(testStatus);
  const file = (name: string, value: unknown) => ({
    name,
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify(value)),
  });
  let answer: { health: string; checks: number } | undefined;
  // the catalog knows the product a little after the backend starts: until then, 404
  await expect(async () => {
    const res = await request.post(
      '/api/datamesh/v1/products/default/customer-churn-features/quality?port=churn-features',
      {
        headers: { authorization: `Bearer ${PIPELINE_TOKEN}` },
        multipart: {
          results: file('run_results.json', results),
          manifest: file('manifest.json', manifest),
        },
      },
    );
    expect(res.status(), await res.text()).toBe(201);
    answer = await res.json();
  }).toPass({ timeout: 120_000, intervals: [2_000] });
  return answer!;
}

test('a failing dbt result turns a product breaching, on-call acknowledges it, and a passing one recovers it', async ({
  page,
  request,
}) => {
  // a pipeline posts a dbt run whose completeness test fails: 42 rows without a customer_id
  // against a 95% completeness objective
  const failed = await postDbtRun(request, 'fail');
  expect(failed).toMatchObject({ health: 'breaching', checks: 2 });

  // the product page: the badge, why, and the open incident
  await signIn(page, '/catalog/default/dataproduct/customer-churn-features');
  const healthCard = cardOf(page.getByText('Health', { exact: true }));
  await expect(healthCard.getByLabel('Health: Breaching')).toBeVisible();
  await expect(healthCard).toContainText('completeness 0% against 95%');
  await expect(healthCard).toContainText('Open incident:');
  await expectOneLine(healthCard.getByText('Completeness', { exact: true }));
  await expectOneLine(healthCard.getByText('Breached', { exact: true }));
  await screenshot(page, '10-product-breaching');

  // the Quality tab: the incident, the failing check with its raw result, the trends
  await healthCard
    .getByRole('link', { name: 'Acknowledge or resolve' })
    .click();
  await expect(page).toHaveURL(
    /\/catalog\/default\/dataproduct\/customer-churn-features\/quality/,
  );
  const incidents = cardOf(page.getByText('Incidents', { exact: true }));
  const incident = incidents.getByRole('listitem', {
    name: /Customer Churn Features/,
  });
  await expect(incident.getByLabel('State: New')).toBeVisible();
  const checks = page.getByRole('table', { name: 'Latest checks' });
  const failing = checks.getByRole('row').filter({
    hasText: 'not_null_churn_features_customer_id',
  });
  await expect(failing.getByText('Fail', { exact: true })).toBeVisible();
  await expect(failing).toContainText('customer_id');
  await expect(failing).toContainText('dbt 1.8.5');
  for (const text of ['Fail', 'Pass', 'dbt 1.8.5', 'Unexpected', 'Threshold']) {
    await expectOneLine(checks.getByText(text, { exact: true }).first());
  }
  await failing.getByRole('button', { name: /Raw result of/ }).click();
  const raw = page.getByRole('dialog');
  await expect(raw.getByLabel('Raw result')).toContainText('"failures": 42');
  await expect(raw).toContainText('The result at /results/1 of run');
  await raw.getByRole('button', { name: 'Close' }).click();

  const trends = cardOf(page.getByText('Trends', { exact: true }));
  for (const chart of ['Check pass rate', 'Freshness lag', 'Metrics']) {
    await expect(
      trends.getByRole('figure', { name: chart }).getByRole('application'),
    ).toBeVisible();
  }
  // the freshness objective as a reference line
  await expect(trends.locator('.recharts-reference-line')).toHaveCount(1);
  await trends.getByRole('button', { name: '7 days' }).click();
  await expect(trends).toContainText('The last 7 days');
  for (const chart of ['Check pass rate', 'Freshness lag', 'Metrics']) {
    await expect(
      trends.getByRole('figure', { name: chart }).getByRole('application'),
    ).toBeVisible();
  }
  await trends.scrollIntoViewIfNeeded();
  await trends.screenshot({
    path: 'e2e-test-results/screenshots/11-product-trends.png',
  });
  await screenshot(page, '11b-product-quality-tab');

  // the Mesh health page: breaching before degraded, the product with its domain and owner
  await page.getByRole('link', { name: 'Mesh health' }).click();
  await expect(page).toHaveURL(/\/mesh-health/);
  const mesh = page.getByRole('table', {
    name: 'Breaching and degraded data products',
  });
  const row = mesh.getByRole('row').filter({
    has: page.getByRole('link', {
      name: 'Customer Churn Features',
      exact: true,
    }),
  });
  await expect(row.getByLabel('Health: Breaching')).toBeVisible();
  await expect(row).toContainText('completeness 0% against 95%');
  const healths = await mesh
    .getByRole('row')
    .locator('[aria-label^="Health: "]')
    .evaluateAll(chips => chips.map(c => c.getAttribute('aria-label')));
  expect(healths).toContain('Health: Degraded');
  expect(healths.indexOf('Health: Degraded')).toBeGreaterThan(
    healths.lastIndexOf('Health: Breaching'),
  );
  for (const header of ['Data product', 'On call', 'Objectives and checks']) {
    await expectOneLine(mesh.getByText(header, { exact: true }));
  }
  await screenshot(page, '12-mesh-health');

  // filtered by domain, then acknowledged from the list
  await page
    .getByLabel('Domain')
    .selectOption('domain:default/customer-analytics');
  await expect(mesh.getByRole('row')).toHaveCount(2);
  await row.getByRole('button', { name: 'Acknowledge' }).click();
  await expect(row.getByLabel('Incident: Acknowledged')).toBeVisible();
  await expect(row).toContainText('by');
  await screenshot(page, '12b-mesh-health-acknowledged');

  // a passing run: the product recovers and its incident is resolved by itself
  const passed = await postDbtRun(request, 'pass');
  expect(passed.health).not.toBe('breaching');
  await page.goto('/catalog/default/dataproduct/customer-churn-features');
  await expect(
    cardOf(page.getByText('Health', { exact: true })).getByLabel(
      `Health: ${passed.health === 'healthy' ? 'Healthy' : 'Degraded'}`,
    ),
  ).toBeVisible();
  await screenshot(page, '13-product-recovered');
  await page.goto(
    '/catalog/default/dataproduct/customer-churn-features/quality',
  );
  const resolved = cardOf(
    page.getByText('Incidents', { exact: true }),
  ).getByRole('listitem', { name: /Customer Churn Features/ });
  await expect(resolved.getByLabel('State: Resolved')).toBeVisible();
  await expect(resolved).toContainText('on recovery');
  await expect(resolved.getByRole('list', { name: 'Timeline' })).toHaveCount(0);
  await resolved.getByRole('button', { name: /Show timeline/ }).click();
  await expect(resolved.getByRole('list', { name: 'Timeline' })).toContainText(
    'Acknowledged',
  );
  await page.goto('/mesh-health');
  await expect(
    page.getByRole('link', { name: 'Customer Churn Features', exact: true }),
  ).toHaveCount(0);
});

test('the Data products page shows and filters each product by health, and a Domain its products health', async ({
  page,
  request,
}) => {
  // the example mesh's support-tickets breaches (its stream stopped): the catalog labels it with
  // the portal's health a little after start
  const session = await request.post('/api/auth/guest/refresh', {
    headers: { 'x-requested-with': 'XMLHttpRequest' },
  });
  const token = (await session.json()).backstageIdentity.token as string;
  await expect(async () => {
    const res = await request.get(
      '/api/catalog/entities/by-name/dataproduct/default/support-tickets',
      { headers: { authorization: `Bearer ${token}` } },
    );
    expect((await res.json()).metadata.labels?.['datamesh.io/health']).toBe(
      'breaching',
    );
  }).toPass({ timeout: 120_000, intervals: [2_000] });

  await signIn(page, '/data-products');
  const table = page.getByRole('table', { name: 'Data product list' });
  // the first page: products with results and without (unknown)
  await expect(
    table
      .getByRole('row')
      .filter({
        has: page.getByRole('link', { name: 'Customer 360 View', exact: true }),
      })
      .getByLabel('Health: Healthy'),
  ).toBeVisible();
  await expect(table.getByLabel('Health: Unknown').first()).toBeVisible();
  await expectOneLine(table.getByText('Healthy', { exact: true }).first());
  await screenshot(page, '14-data-products-health');

  await page.getByLabel('Health', { exact: true }).selectOption('breaching');
  await expect(page).toHaveURL(/health=breaching/);
  await expect(
    table
      .getByRole('row')
      .filter({
        has: page.getByRole('link', { name: 'Support Tickets', exact: true }),
      })
      .getByLabel('Health: Breaching'),
  ).toBeVisible();
  const chips = table.locator('[aria-label^="Health: "]');
  await expect(chips.first()).toBeVisible();
  expect(
    new Set(
      await chips.evaluateAll(c => c.map(e => e.getAttribute('aria-label'))),
    ),
  ).toEqual(new Set(['Health: Breaching']));
  await expectOneLine(table.getByText('Breaching', { exact: true }).first());
  await screenshot(page, '14b-data-products-breaching');

  // unknown: the products without a health label
  await page.getByLabel('Health', { exact: true }).selectOption('unknown');
  await expect(
    table.getByText('Unknown', { exact: true }).first(),
  ).toBeVisible();
  await expect(table.getByText('Breaching', { exact: true })).toHaveCount(0);

  // a Domain's products with their health
  await page.goto('/catalog/default/domain/support');
  const products = page.getByRole('table', {
    name: /Data products of this domain/,
  });
  await expect(
    products
      .getByRole('row')
      .filter({
        has: page.getByRole('link', { name: 'Support Tickets', exact: true }),
      })
      .getByLabel('Health: Breaching'),
  ).toBeVisible();
  await expectOneLine(products.getByText('Health', { exact: true }));
  await screenshot(page, '15-domain-support-health');
});

test("a product's trends over its month of example history, for 7, 30 and 90 days", async ({
  page,
}) => {
  // the example pipelines post 30 days of runs and port writes for customer-360 at start
  await signIn(page, '/catalog/default/dataproduct/customer-360/quality');
  const trends = cardOf(page.getByText('Trends', { exact: true }));
  const figure = (name: string) => trends.getByRole('figure', { name });
  for (const chart of ['Check pass rate', 'Freshness lag', 'Metrics']) {
    await expect(figure(chart).getByRole('application')).toBeVisible();
  }
  await expect(figure('Check pass rate')).toContainText(/of \d+ checks passed/);
  await expect(figure('Freshness lag')).toContainText(
    /Now \S+ old \(port \S+\) against 15m/,
  );
  // a line per port, the objective as a reference line, a series per metric
  await expect(
    figure('Freshness lag').locator('.recharts-line-curve').first(),
  ).toBeVisible();
  await expect(figure('Freshness lag')).toContainText('objective 15m');
  await expect(figure('Metrics').getByLabel('Metric')).toBeVisible();
  await expect(figure('Metrics')).toContainText(/Latest \S+/);
  await trends.scrollIntoViewIfNeeded();
  await trends.screenshot({
    path: 'e2e-test-results/screenshots/16-customer-360-trends-30-days.png',
  });
  for (const days of [7, 90]) {
    await trends.getByRole('button', { name: `${days} days` }).click();
    await expect(trends).toContainText(`The last ${days} days`);
    await expect(
      figure('Check pass rate').getByRole('application'),
    ).toBeVisible();
    await trends.screenshot({
      path: `e2e-test-results/screenshots/16-customer-360-trends-${days}-days.png`,
    });
  }
  const checks = page.getByRole('table', { name: 'Latest checks' });
  await expect(checks.getByRole('row').nth(1)).toBeVisible();
  await screenshot(page, '16b-customer-360-quality-tab');
});
