import { APIRequestContext, expect, Page, test } from '@playwright/test';
import { failOnBrowserErrors } from '@backstage/e2e-test-utils/playwright';

/**
 * Observed lineage where the catalog and the product pages show it: the example mesh's pipelines
 * post their OpenLineage events at start (examples/lineage/): customer-360 declares an input
 * port on marketing-campaign-data's campaign touchpoints that no job reads, and campaign-roi's
 * job reads customer-360's customer profile without declaring it. The Data products page's
 * problems panel and customer-360's Lineage drift card say so, and the catalog graph draws the
 * observed relations beside the declared ones. Screenshots in e2e-test-results/screenshots/.
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

async function signIn(page: Page, path = '/') {
  await page.goto(path);
  const enter = page.getByRole('button', { name: 'Enter' });
  await expect(enter).toBeVisible();
  await enter.click();
}

/** A guest's token, for asking the backend what the pages will show. */
async function guestToken(request: APIRequestContext): Promise<string> {
  const session = await request.post('/api/auth/guest/refresh', {
    headers: { 'x-requested-with': 'XMLHttpRequest' },
  });
  expect(session.ok()).toBe(true);
  return (await session.json()).backstageIdentity.token as string;
}

/**
 * Waits until the catalog relates campaign-roi to customer-360 by the observed lineage: the
 * catalog module's task reads the backend's product edges after the example events are stored,
 * and asks the catalog to process both products again.
 */
async function waitForObservedRelations(request: APIRequestContext) {
  const token = await guestToken(request);
  await expect(async () => {
    const res = await request.get(
      '/api/catalog/entities/by-name/dataproduct/default/campaign-roi',
      { headers: { authorization: `Bearer ${token}` } },
    );
    expect(res.status()).toBe(200);
    const entity = await res.json();
    expect(
      entity.relations.map(
        (r: { type: string; targetRef: string }) => `${r.type} ${r.targetRef}`,
      ),
    ).toContain('observedDependsOn dataproduct:default/customer-360');
  }).toPass({ timeout: 150_000, intervals: [2_000] });
}

test('lineage drift shows in the problems panel and on the product page, observed relations in the catalog graph', async ({
  page,
  request,
}) => {
  test.setTimeout(300_000);
  await waitForObservedRelations(request);

  await signIn(page);
  await expect(page).toHaveURL(/\/data-products/);

  // the problems panel: both drifting products, each finding naming the other product and port
  const drift = page.getByRole('alert', {
    name: 'Data products with lineage drift',
  });
  await expect(drift).toBeVisible();
  // campaign-roi and customer-360 at least (another test's pipeline may add its own)
  await expect(drift).toContainText(
    /\d+ data products have lineage drift: declared input ports and observed lineage disagree/,
  );
  await expect(drift).toContainText('Declared input not observed: input port');
  await expect(drift).toContainText(
    '(port campaign-touchpoints of Marketing Campaign Data) was not read by any job of this product in the last 30 days',
  );
  await expect(drift).toContainText(
    'Undeclared consumer: Campaign ROI reads port customer-profile without declaring it as an input port (job dbt/marketing.campaign_roi',
  );
  await expect(drift).toContainText(
    'Undeclared input: reads port customer-profile of Customer 360 View without an input port for it (job dbt/marketing.campaign_roi',
  );
  await drift.screenshot({
    path: 'e2e-test-results/screenshots/lineage-relations-01-problems-panel-drift.png',
  });
  await screenshot(page, 'lineage-relations-02-data-products-with-drift');

  // each drifting product links to its page
  await drift
    .getByRole('link', { name: 'Customer 360 View', exact: true })
    .first()
    .click();
  await expect(page).toHaveURL(/\/catalog\/default\/dataproduct\/customer-360/);

  // the Lineage drift card says what disagrees
  const card = page
    .getByText('Lineage drift', { exact: true })
    .locator('xpath=ancestor::*[contains(@class, "MuiCard-root")][1]');
  await card.scrollIntoViewIfNeeded();
  await expect(
    card.getByText('2 disagreements between declared and observed lineage'),
  ).toBeVisible();
  await expect(card.getByRole('listitem')).toHaveCount(2);
  await expect(
    card.getByRole('link', { name: 'Marketing Campaign Data' }),
  ).toHaveAttribute(
    'href',
    '/catalog/default/dataproduct/marketing-campaign-data',
  );
  await expect(
    card.getByRole('link', { name: 'Campaign ROI' }),
  ).toHaveAttribute('href', '/catalog/default/dataproduct/campaign-roi');
  await card.screenshot({
    path: 'e2e-test-results/screenshots/lineage-relations-03-drift-card.png',
  });

  // the catalog graph (the Relations card, the page's only graph): the observed relation to
  // campaign-roi beside the declared ones
  const relations = page.locator('svg#dependency-graph');
  await relations.scrollIntoViewIfNeeded();
  await expect(
    relations
      .locator('[data-testid="label"]')
      .filter({ hasText: /^observedDepend/ }),
  ).not.toHaveCount(0);
  await expect(
    relations.locator('[data-testid="label"]').filter({ hasText: /^depend/ }),
  ).not.toHaveCount(0);
  await relations.screenshot({
    path: 'e2e-test-results/screenshots/lineage-relations-04-relations-card.png',
  });
  await screenshot(page, 'lineage-relations-05-customer-360-overview');

  // the Catalog Graph page offers and draws them too
  await page.goto(
    '/catalog-graph?rootEntityRefs%5B%5D=dataproduct%3Adefault%2Fcustomer-360&maxDepth=1&unidirectional=false',
  );
  const graph = page.locator('svg#dependency-graph');
  await expect(
    graph
      .locator('[data-testid="label"]')
      .filter({ hasText: /^observedDepend/ }),
  ).not.toHaveCount(0);
  await expect(
    graph.getByText('Campaign ROI', { exact: true }).first(),
  ).toBeVisible();
  await screenshot(page, 'lineage-relations-06-catalog-graph-page');
});
