import { expect, Locator, Page, test } from '@playwright/test';
import { failOnBrowserErrors } from '@backstage/e2e-test-utils/playwright';

/**
 * The aggregate golden path as a domain team meets it: the Create page's form in Debian's
 * Chromium, the task running the module's actions on the real backend (offline publisher, no
 * network), and the new product's page in the catalog. The time from submitting the form to the
 * page showing the product's ports is printed and saved in
 * e2e-test-results/scaffolder-timing.json. Screenshots: e2e-test-results/screenshots/scaffolder-*.
 */

failOnBrowserErrors();
// a control that never appears fails its step in 30 s, not at the test's timeout
test.use({ actionTimeout: 30_000 });

test.beforeEach(async ({ page }) => {
  page.on('response', response => {
    if (response.status() >= 400) {
      // eslint-disable-next-line no-console
      console.log(`HTTP ${response.status()} ${response.url()}`);
    }
  });
});

async function screenshot(page: Page, name: string) {
  await page.screenshot({
    path: `e2e-test-results/screenshots/scaffolder-${name}.png`,
    fullPage: true,
  });
}

function cardOf(locator: Locator): Locator {
  return locator.locator(
    'xpath=ancestor::*[contains(@class, "MuiCard-root")][1]',
  );
}

async function pick(page: Page, label: RegExp, search: string, option: RegExp) {
  const input = page.getByLabel(label).first();
  await input.click({ timeout: 30_000 });
  await input.fill(search);
  await page
    .getByRole('option', { name: option })
    .first()
    .click({ timeout: 30_000 });
}

test('the aggregate golden path creates a product from two upstream ports, registered with its ports and contract', async ({
  page,
  request,
}) => {
  test.setTimeout(300_000);
  // a new name each run: the offline publisher never overwrites a repository
  const name = `e2e-account-orders-${Date.now().toString(36)}`;

  await page.goto('/create');
  const enter = page.getByRole('button', { name: 'Enter' });
  await expect(enter).toBeVisible();
  await enter.click();

  // the golden paths are on the Create page
  // (the templates list loads the catalog's templates: slow on a loaded machine)
  await expect(
    page.getByText('Aggregate or consumer-aligned data product').first(),
  ).toBeVisible({ timeout: 90_000 });
  await expect(
    page.getByText('Source-aligned batch data product').first(),
  ).toBeVisible();
  await expect(page.getByText('Streaming data product').first()).toBeVisible();
  await expect(page.getByText('New domain').first()).toBeVisible();
  await screenshot(page, '01-create');

  const card = cardOf(
    page.getByText('Aggregate or consumer-aligned data product').first(),
  );
  await card.getByRole('button', { name: 'Choose' }).click();

  // 1. the product
  await page.getByRole('textbox', { name: /^Name/ }).fill(name);
  await page
    .getByRole('textbox', { name: /^Title/ })
    .fill('E2E account orders');
  await page
    .getByRole('textbox', { name: /^Description/ })
    .fill('Orders of each CRM account, from the aggregate golden path');
  await pick(page, /^Domain/, 'Sales', /^Sales$/);
  await pick(page, /^Owner/, 'Sales Team', /^Sales Team$/);
  await page.getByRole('button', { name: 'Next' }).click();

  // 2. data and objectives: the defaults, the domain's baseline for the objectives
  await page.getByRole('button', { name: 'Next' }).click();
  // 3. ownership roles: the defaults
  await page.getByRole('button', { name: 'Next' }).click();

  // 4. inputs and output: two upstream ports from the DataProductPortPicker
  const ports = page.getByRole('textbox', { name: /^Input ports/ });
  await ports.click();
  await page
    .getByTestId('port-option-dataproduct:default/crm-accounts#accounts')
    .click();
  await ports.click();
  await page
    .getByTestId('port-option-dataproduct:default/order-history#orders')
    .click();
  await page.keyboard.press('Escape');
  await expect(page.getByText('CRM Accounts: accounts')).toBeVisible();
  await expect(page.getByText(/Order History: orders/)).toBeVisible();
  await page
    .getByRole('textbox', { name: /^Output table/ })
    .fill(`analytics.sales.${name.replace(/-/g, '_')}`);
  await page
    .getByRole('textbox', { name: /^Primary key column/ })
    .fill('order_id');
  await screenshot(page, '02-form');
  await page.getByRole('button', { name: 'Review' }).click();
  await expect(page.getByText(name).first()).toBeVisible();
  await screenshot(page, '03-review');

  // submit, and time until the new page shows its ports
  const submitted = Date.now();
  await page.getByRole('button', { name: 'Create' }).click();

  const open = page.getByRole('link', { name: 'Open the data product' });
  await expect(open).toBeVisible({ timeout: 120_000 });
  const taskDone = Date.now();
  await screenshot(page, '04-task');

  // catalog:register answers once the location is registered; the catalog processes the new
  // entity just after. Opened before that, the page's first request answers 404 (which fails the
  // test on its console error): wait until the catalog serves the product, as the time counts
  const session = await request.post('/api/auth/guest/refresh', {
    headers: { 'x-requested-with': 'XMLHttpRequest' },
  });
  const token = (await session.json()).backstageIdentity.token as string;
  await expect(async () => {
    const res = await request.get(
      `/api/catalog/entities/by-name/dataproduct/default/${name}`,
      { headers: { authorization: `Bearer ${token}` } },
    );
    expect(res.status()).toBe(200);
  }).toPass({ timeout: 60_000, intervals: [250] });
  await open.click();
  await expect(page).toHaveURL(
    new RegExp(`/catalog/default/dataproduct/${name}`),
  );

  // its input ports, each linked to the upstream product
  const inputPorts = cardOf(page.getByText('Input ports', { exact: true }));
  const list = inputPorts.getByRole('list', { name: 'Input ports' });
  await expect(list.getByRole('listitem')).toHaveCount(2, { timeout: 60_000 });
  const shown = Date.now();
  await expect(
    inputPorts
      .locator('a[href="/catalog/default/dataproduct/crm-accounts"]')
      .first(),
  ).toBeVisible();
  await expect(
    inputPorts
      .locator('a[href="/catalog/default/dataproduct/order-history"]')
      .first(),
  ).toBeVisible();

  // its output port's contract, generated from the upstream contracts and read from the
  // published repository through the backend
  await expect(page.getByText('Output ports', { exact: true })).toBeVisible();
  await expect(
    page.getByText('E2E account orders: records').first(),
  ).toBeVisible({ timeout: 30_000 });
  await expect(
    page.getByRole('columnheader', { name: 'Logical type' }).first(),
  ).toBeVisible();
  await expect(page.getByText('account_id').first()).toBeVisible();

  // its infrastructure descriptor, validated
  await expect(page.getByText('Infrastructure', { exact: true })).toBeVisible();
  await expect(page.getByText(/valid against its schema/)).toBeVisible();
  await screenshot(page, '05-new-product');

  const timing = {
    submitToTaskDoneMs: taskDone - submitted,
    submitToPortsShownMs: shown - submitted,
  };
  // eslint-disable-next-line no-console
  console.log(`golden path timing: ${JSON.stringify(timing)}`);
  const fs = await import('node:fs/promises');
  await fs.writeFile(
    'e2e-test-results/scaffolder-timing.json',
    JSON.stringify(timing, null, 2),
  );
});
