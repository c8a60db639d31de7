import {
  APIRequestContext,
  expect,
  Locator,
  Page,
  test,
} from '@playwright/test';
import { failOnBrowserErrors } from '@backstage/e2e-test-utils/playwright';

/**
 * Federated governance as a governance group meets it: the Governance page of the real backend
 * (SQLite, the example mesh with the guide's default policies and its domains' policies), and a
 * failing product's Compliance card, in Debian's Chromium. Screenshots go to
 * e2e-test-results/screenshots/governance-*.png.
 */

failOnBrowserErrors();

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

async function signIn(page: Page, path = '/') {
  await page.goto(path);
  const enter = page.getByRole('button', { name: 'Enter' });
  await expect(enter).toBeVisible();
  await enter.click();
}

const DEFAULT_POLICIES = [
  'encryption-at-rest',
  'pii-masking',
  'data-lineage',
  'quality-slo',
  'retention-policy',
  'audit-logging',
];
const DOMAIN_POLICIES = ['marketing-attribution', 'sales-quota-alignment'];

test('the Governance page shows the mesh compliance by domain and by policy, and a failing product opens with its Compliance card', async ({
  page,
  request,
}) => {
  test.setTimeout(300_000);

  // every DataProduct of the catalog, as the guest sees them
  const session = await request.post('/api/auth/guest/refresh', {
    headers: { 'x-requested-with': 'XMLHttpRequest' },
  });
  expect(session.ok()).toBe(true);
  const token = (await session.json()).backstageIdentity.token as string;
  const catalog = await request.get(
    '/api/catalog/entities/by-query?filter=kind=dataproduct&limit=1',
    { headers: { authorization: `Bearer ${token}` } },
  );
  expect(catalog.ok()).toBe(true);
  const products = (await catalog.json()).totalItems as number;
  // the example mesh has 21; the guest (customer domain team) may not see financial-kpis,
  // restricted to the finance team by the example permission policy
  expect(products).toBeGreaterThanOrEqual(20);

  // the evaluation task runs shortly after start: wait until it evaluated every product
  await expect(async () => {
    const res = await request.get('/api/datamesh/v1/governance/summary', {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.status()).toBe(200);
    expect((await res.json()).products).toBe(products);
  }).toPass({ timeout: 180_000, intervals: [3_000] });

  // the page is in the sidebar, after Mesh health
  await signIn(page, '/');
  const nav = page.getByRole('navigation');
  const meshHealth = nav.getByRole('link', { name: 'Mesh health' });
  const governance = nav.getByRole('link', { name: 'Governance' });
  await expect(governance).toBeVisible();
  const order = await nav
    .getByRole('link')
    .evaluateAll(links => links.map(link => link.textContent?.trim()));
  expect(order.indexOf('Governance')).toBe(order.indexOf('Mesh health') + 1);
  await expect(meshHealth).toBeVisible();
  await governance.click();
  await expect(page).toHaveURL(/\/governance$/);
  await expect(page.getByRole('heading', { name: 'Governance' })).toBeVisible();
  await expect(
    page.getByText(
      new RegExp(
        `^\\d+ of ${products} products compliant \\(\\d+(\\.\\d+)?%\\)$`,
      ),
    ),
  ).toBeVisible();

  // by policy: the guide's defaults and the example domains' own policies, with pass rates
  const byPolicy = page.getByRole('table', { name: 'Compliance by policy' });
  for (const id of [...DEFAULT_POLICIES, ...DOMAIN_POLICIES]) {
    await expect(byPolicy.locator(`tr[data-policy="${id}"]`)).toBeVisible();
  }
  const encryption = byPolicy.locator('tr[data-policy="encryption-at-rest"]');
  await expect(encryption).toContainText('Encryption at rest');
  await expect(encryption).toContainText('Required');
  await expect(encryption.getByRole('cell').last()).toHaveText(
    /^\d+(\.\d+)?%$/,
  );
  // attribution applies to the marketing domain's aggregate and consumer-aligned products only
  const attribution = byPolicy.locator(
    'tr[data-policy="marketing-attribution"]',
  );
  const applies = Number(
    await attribution.getByRole('cell').nth(2).textContent(),
  );
  expect(applies).toBeGreaterThan(0);
  expect(applies).toBeLessThan(products);

  // by domain (each product's own domain, a subdomain included): its products and pass rate
  const byDomain = page.getByRole('table', { name: 'Compliance by domain' });
  for (const domain of [
    'marketing',
    'sales',
    'customer',
    'product',
    'finance-reporting',
  ]) {
    await expect(
      byDomain.locator(`tr[data-domain="domain:default/${domain}"]`),
    ).toBeVisible();
  }
  const domainProducts = await byDomain
    .locator('tr[data-domain]')
    .evaluateAll(rows =>
      rows.map(row => Number(row.querySelectorAll('td')[1]?.textContent)),
    );
  expect(domainProducts.reduce((a, b) => a + b, 0)).toBe(products);

  // the trend is drawn for the mesh, and a domain can be compared with it
  const trend = page.getByRole('figure', { name: 'Compliance trend' });
  await expect(trend).toContainText(
    new RegExp(`of ${products} products compliant on \\d{4}-\\d{2}-\\d{2}`),
  );
  const legend = trend.locator('.recharts-legend-item-text');
  await expect(legend).toHaveText(['All products']);
  await expect(
    trend.locator('.recharts-line-dots circle').first(),
  ).toBeVisible();
  await trend.getByRole('button', { name: /Compare with domain/ }).click();
  await page.getByRole('option', { name: 'marketing', exact: true }).click();
  await expect(legend).toHaveText(['All products', 'marketing']);
  await screenshot(page, 'governance-01-page');

  // the products failing a required policy: the example products without an infrastructure
  // descriptor do not declare encryption at rest
  const failing = page.getByRole('table', {
    name: 'Products failing Encryption at rest',
  });
  await failing.scrollIntoViewIfNeeded();
  const firstRow = failing.locator('tbody tr').first();
  await expect(firstRow).toContainText('does not declare encryption at rest');
  const link = firstRow.getByRole('link');
  const href = await link.getAttribute('href');
  expect(href).toMatch(/^\/catalog\/default\/dataproduct\/[a-z0-9-]+$/);
  // the product that declares it is not among them
  await expect(
    failing.locator(
      'a[href="/catalog/default/dataproduct/marketing-campaign-data"]',
    ),
  ).toHaveCount(0);
  await failing.screenshot({
    path: 'e2e-test-results/screenshots/governance-02-failing-encryption.png',
  });

  // open the failing product: its Compliance card, required failures first and marked
  await link.click();
  await expect(page).toHaveURL(new RegExp(`${href}$`));
  const card = cardOf(page.getByText('Compliance', { exact: true }));
  await expect(card.getByLabel('Compliance: Not compliant')).toBeVisible();
  await expect(card.getByText(/^Not compliant: \d+ required/)).toBeVisible();
  await expect(card.getByText(/Last evaluated .* ago/)).toBeVisible();
  const applied = card.getByRole('table', { name: 'Policies that apply' });
  const encryptionRow = applied.locator('tr[data-policy="encryption-at-rest"]');
  await expect(encryptionRow).toHaveAttribute('data-required-failure', 'true');
  await expect(
    encryptionRow.getByLabel('Encryption at rest: Fail'),
  ).toBeVisible();
  await expect(encryptionRow).toContainText(
    'does not declare encryption at rest',
  );
  // failures come before passes
  const statuses = await applied
    .locator('tbody tr')
    .evaluateAll(rows =>
      rows.map(row => row.getAttribute('data-required-failure') === 'true'),
    );
  expect(statuses[0]).toBe(true);
  expect(statuses.lastIndexOf(true)).toBe(statuses.filter(Boolean).length - 1);
  await card.scrollIntoViewIfNeeded();
  await card.screenshot({
    path: 'e2e-test-results/screenshots/governance-03-compliance-card.png',
  });

  await screenshot(page, 'governance-04-failing-product');

  // a product that declares encryption at rest passes it
  await page.goto('/catalog/default/dataproduct/marketing-campaign-data');
  const passing = cardOf(page.getByText('Compliance', { exact: true }));
  await expect(
    passing
      .locator('tr[data-policy="encryption-at-rest"]')
      .getByLabel('Encryption at rest: Pass'),
  ).toBeVisible();

  // the policies that do not apply (the marketing domain's attribution policy is for its
  // aggregate and consumer-aligned products) are listed collapsed, with why
  const notApplicable = passing.getByRole('button', {
    name: /does not apply|do not apply/,
  });
  await expect(notApplicable).toHaveAttribute('aria-expanded', 'false');
  await notApplicable.click();
  await expect(notApplicable).toHaveAttribute('aria-expanded', 'true');
  const attributionNotApplicable = passing.locator(
    'li[data-policy="marketing-attribution"]',
  );
  await expect(attributionNotApplicable).toBeVisible();
  await expect(attributionNotApplicable).toContainText('Domain marketing');
  await passing.scrollIntoViewIfNeeded();
  await passing.screenshot({
    path: 'e2e-test-results/screenshots/governance-05-compliance-passing.png',
  });
});

/** What these tests read of a catalog entity. */
type CatalogEntity = {
  metadata: {
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
};

/** The catalog entity of an example DataProduct, as the guest reads it. */
async function catalogProduct(
  request: APIRequestContext,
  token: string,
  name: string,
): Promise<CatalogEntity> {
  const res = await request.get(
    `/api/catalog/entities/by-name/dataproduct/default/${name}`,
    { headers: { authorization: `Bearer ${token}` } },
  );
  expect(res.status()).toBe(200);
  return res.json();
}

test('the Data products page filters on compliance, each chip naming the failing required policies and opening the Compliance card; the product page marks the failures', async ({
  page,
  request,
}) => {
  test.setTimeout(300_000);
  const session = await request.post('/api/auth/guest/refresh', {
    headers: { 'x-requested-with': 'XMLHttpRequest' },
  });
  expect(session.ok()).toBe(true);
  const token = (await session.json()).backstageIdentity.token as string;

  // the catalog module labels each product from its evaluation: campaign-roi has no
  // infrastructure descriptor (encryption at rest and audit logging undeclared),
  // marketing-campaign-data carries the guide's and passes every required policy
  await expect(async () => {
    const failing = await catalogProduct(request, token, 'campaign-roi');
    expect(failing.metadata.labels?.['datamesh.io/compliance']).toBe(
      'non-compliant',
    );
    const failures =
      failing.metadata.annotations?.['datamesh.io/required-policy-failures'];
    expect(failures?.split(',')).toEqual(
      expect.arrayContaining(['encryption-at-rest', 'audit-logging']),
    );
    const passing = await catalogProduct(
      request,
      token,
      'marketing-campaign-data',
    );
    expect(passing.metadata.labels?.['datamesh.io/compliance']).toBe(
      'compliant',
    );
  }).toPass({ timeout: 240_000, intervals: [3_000] });

  await signIn(page, '/data-products');
  await expect(
    page.getByRole('heading', { name: 'Data products' }),
  ).toBeVisible();
  const table = page.getByRole('table', { name: 'Data product list' });
  const compliance = page.getByLabel('Compliance', { exact: true });
  await expect(compliance.locator('option[value="non-compliant"]')).toHaveText(
    /^Non-compliant \(\d+\)$/,
  );

  // the marketing domain's campaign products, filtered on non-compliant: the URL says so
  await page.getByPlaceholder('Search data products').fill('campaign');
  await expect(page).toHaveURL(/[?&]q=campaign/);
  await compliance.selectOption('non-compliant');
  await expect(page).toHaveURL(/[?&]compliance=non-compliant/);
  const failingRow = table.getByRole('row').filter({
    has: page.getByRole('link', { name: 'Campaign ROI', exact: true }),
  });
  await expect(failingRow).toBeVisible();
  await expect(
    table.getByRole('link', { name: 'Marketing Campaign Data' }),
  ).toHaveCount(0);
  const chip = failingRow.getByRole('link', {
    name: 'Compliance: Non-compliant',
  });
  await expect(chip).toHaveAttribute(
    'href',
    '/catalog/default/dataproduct/campaign-roi#datamesh-compliance',
  );
  // the failing required policies, from the annotation, in the chip's tooltip
  await chip.hover();
  const tooltip = page.getByRole('tooltip');
  await expect(tooltip).toContainText(
    'Fails the required policy encryption-at-rest',
  );
  await expect(tooltip).toContainText(
    'Fails the required policy audit-logging',
  );
  await screenshot(page, 'governance-06-data-products-non-compliant');
  // the tooltip closes once the pointer leaves the chip
  await page.mouse.move(0, 0);
  await expect(tooltip).toBeHidden();

  // compliant: the product that declares its infrastructure, without the failing one
  await compliance.selectOption('compliant');
  await expect(page).toHaveURL(/[?&]compliance=compliant/);
  await expect(
    table
      .getByRole('row')
      .filter({
        has: page.getByRole('link', { name: 'Marketing Campaign Data' }),
      })
      .getByRole('link', { name: 'Compliance: Compliant' }),
  ).toBeVisible();
  await expect(
    table.getByRole('link', { name: 'Campaign ROI', exact: true }),
  ).toHaveCount(0);
  await screenshot(page, 'governance-07-data-products-compliant');

  // back to the failing product: its chip opens the product page on its Compliance card
  await page.goBack();
  await expect(page).toHaveURL(/[?&]compliance=non-compliant/);
  await chip.click();
  await expect(page).toHaveURL(
    /\/catalog\/default\/dataproduct\/campaign-roi#datamesh-compliance$/,
  );
  const complianceCard = cardOf(page.getByText('Compliance', { exact: true }));
  await expect(
    complianceCard.getByLabel('Compliance: Not compliant'),
  ).toBeVisible();
  await expect(
    complianceCard.locator('tr[data-policy="encryption-at-rest"]'),
  ).toBeInViewport();

  // the Data product card marks the failures from the label and annotation, linked to the card
  const about = cardOf(page.getByText('Data product', { exact: true }));
  const marker = about.getByRole('status', { name: /^Non-compliant: / });
  await expect(marker).toContainText('Non-compliant:');
  await expect(
    marker.locator('[data-policy="encryption-at-rest"]'),
  ).toBeVisible();
  await expect(marker.locator('[data-policy="audit-logging"]')).toBeVisible();
  await expect(
    about.getByRole('link', { name: 'Compliance: Non-compliant' }),
  ).toBeVisible();
  await about.scrollIntoViewIfNeeded();
  await about.screenshot({
    path: 'e2e-test-results/screenshots/governance-08-non-compliant-marker.png',
  });
  await marker.getByRole('link', { name: 'See the Compliance card' }).click();
  await expect(
    complianceCard.getByText(/^Not compliant: \d+ required/),
  ).toBeInViewport();
  await screenshot(page, 'governance-09-non-compliant-product');
});
