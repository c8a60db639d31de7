import { expect, Page, test } from '@playwright/test';
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

test('a domain page shows its data products and subdomains', async ({
  page,
}) => {
  await signIn(page, '/catalog/default/domain/customer');
  await expect(page.getByText('Data mesh', { exact: true })).toBeVisible();
  const products = page.getByText('Data products', { exact: true }).first();
  await expect(products).toBeVisible();
  await expect(
    page.getByRole('link', { name: 'Customer 360 View' }).first(),
  ).toBeVisible();
  await screenshot(page, '04-domain-customer');
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
});
