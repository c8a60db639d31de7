import { expect, Locator, Page, test } from '@playwright/test';
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
