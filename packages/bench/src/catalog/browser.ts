/**
 * `yarn bench:catalog --browser`: first load of the Data products page in Chromium, with a mesh of
 * 5,000 data products in the catalog, against the catalog's own page listing 5,000 components in
 * the same run.
 */
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { writeSet } from './generate';

// The benchmark runs from its sources (tsx), never from a build
// eslint-disable-next-line no-restricted-syntax
export const ROOT = path.resolve(__dirname, '../../../..');
/** Where the benchmark's backend serves the app; set by runBrowserBench. */
let BASE_URL = 'http://localhost:7007';
/** The Chromium the browser benchmarks drive (never a downloaded one). */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** A table row that links to an entity: the first real row of either page. */
const FIRST_ROW = 'table tbody tr a[href*="/catalog/"]';
const ROUNDS = 3;

interface CatalogResponse {
  url: string;
  status: number;
  bytes: number;
  /** For entity list responses: how many entities came back, of how many. */
  items?: number;
  totalItems?: number;
}

interface PageLoad {
  firstRowMs: number;
  responses: CatalogResponse[];
}

export const sleep = (ms: number) =>
  new Promise(resolve => setTimeout(resolve, ms));

/** Where the app mounts the catalog page (app-config may move it, to `/` for example). */
function catalogPath(): string {
  const config = YAML.parse(
    fs.readFileSync(path.join(ROOT, 'app-config.yaml'), 'utf8'),
  );
  for (const ext of config?.app?.extensions ?? []) {
    const page = ext?.['page:catalog'];
    if (page?.config?.path) {
      return page.config.path;
    }
  }
  return '/catalog';
}

/** A guest's Backstage token from the portal at `baseUrl`. */
export async function guestToken(baseUrl = BASE_URL): Promise<string> {
  const res = await fetch(`${baseUrl}/api/auth/guest/refresh`, {
    headers: { 'X-Requested-With': 'XMLHttpRequest' },
  });
  if (!res.ok) {
    throw new Error(`guest sign-in failed: ${res.status} ${await res.text()}`);
  }
  const body = (await res.json()) as {
    backstageIdentity: { token: string };
  };
  return body.backstageIdentity.token;
}

async function totalItems(token: string, kind: string): Promise<number> {
  const res = await fetch(
    `${BASE_URL}/api/catalog/entities/by-query?filter=kind=${kind}&limit=1`,
    { headers: { Authorization: `Bearer ${token}` } },
  );
  if (!res.ok) {
    return -1;
  }
  return ((await res.json()) as { totalItems: number }).totalItems;
}

function startBackend(configFile: string, logFile: string): ChildProcess {
  const log = fs.openSync(logFile, 'w');
  // As scripts/e2e.sh starts it: from its TypeScript sources, as `yarn start` runs it, but
  // without the file watcher, so that edits elsewhere in the checkout cannot restart it mid-run.
  return spawn(
    process.execPath,
    [
      '--enable-source-maps',
      '--require',
      '@backstage/cli-node/config/nodeTransform.cjs',
      'src/index.ts',
      '--config',
      '../../app-config.yaml',
      ...(fs.existsSync(path.join(ROOT, 'app-config.e2e.yaml'))
        ? ['--config', '../../app-config.e2e.yaml']
        : []),
      '--config',
      configFile,
    ],
    {
      cwd: path.join(ROOT, 'packages/backend'),
      detached: true, // own process group, stopped as a whole
      stdio: ['ignore', log, log],
      env: { ...process.env, NODE_ENV: 'development' },
    },
  );
}

function stopBackend(child: ChildProcess) {
  if (child.pid && child.exitCode === null) {
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      child.kill('SIGTERM');
    }
  }
}

/** The portal a browser benchmark drives: where it serves the app, and how to stop it. */
export interface BenchPortal {
  baseUrl: string;
  logFile: string;
  stop(): void;
}

/**
 * Starts the portal as scripts/e2e.sh does (packages/backend serving the built app, SQLite, the
 * example mesh, app-config.e2e.yaml's static tokens) with `locations` added to the catalog, on
 * `port` (default :7007) or the first free port from 7100 when something holds it, and waits
 * until it is ready. Builds the app first when it has no build (or BENCH_REBUILD_APP=1).
 */
export async function startPortal(options: {
  workDir: string;
  port?: number;
  locations: string[];
}): Promise<BenchPortal> {
  const { workDir } = options;
  // the app-backend injects the base URLs into the app
  const listening = (p: number) =>
    fetch(`http://localhost:${p}`).then(
      () => true,
      () => false,
    );
  let port = options.port ?? 7007;
  if (await listening(port)) {
    const busy = port;
    for (port = 7100; port < 7200 && (await listening(port)); port++);
    console.log(`  something already listens on :${busy}; using :${port}`);
  }
  const baseUrl = `http://localhost:${port}`;
  const dist = path.join(ROOT, 'packages/app/dist/index.html');
  if (!fs.existsSync(dist) || process.env.BENCH_REBUILD_APP === '1') {
    console.log('  building the app (yarn workspace app build)');
    const build = spawnSync('yarn', ['workspace', 'app', 'build'], {
      cwd: ROOT,
      stdio: 'inherit',
    });
    if (build.status !== 0) {
      throw new Error('yarn workspace app build failed');
    }
  } else {
    console.log(
      `  using the app built at ${fs
        .statSync(dist)
        .mtime.toISOString()} (BENCH_REBUILD_APP=1 rebuilds it)`,
    );
  }
  // config arrays replace each other: keep the example locations and add the benchmark's
  const appConfig = YAML.parse(
    fs.readFileSync(path.join(ROOT, 'app-config.yaml'), 'utf8'),
  );
  fs.mkdirSync(workDir, { recursive: true });
  const configFile = path.join(workDir, 'app-config.bench.yaml');
  fs.writeFileSync(
    configFile,
    YAML.stringify({
      app: { baseUrl },
      backend: {
        baseUrl,
        listen: { port },
        cors: { origin: baseUrl },
      },
      catalog: {
        locations: [
          ...(appConfig?.catalog?.locations ?? []),
          ...options.locations.map(target => ({ type: 'file', target })),
        ],
      },
    }),
  );
  const logFile = path.join(workDir, 'backend.log');
  console.log(
    `  starting the backend (packages/backend, SQLite, on :${port}; log ${logFile})`,
  );
  const backend = startBackend(configFile, logFile);
  const stop = () => stopBackend(backend);
  process.on('exit', stop);
  const portal: BenchPortal = {
    baseUrl,
    logFile,
    stop: () => {
      stop();
      process.off('exit', stop);
    },
  };
  try {
    const started = Date.now();
    for (;;) {
      if (backend.exitCode !== null) {
        throw new Error(`the backend exited; see ${logFile}`);
      }
      const ready = await fetch(
        `${baseUrl}/.backstage/health/v1/readiness`,
      ).then(
        r => r.ok,
        () => false,
      );
      if (ready) break;
      if (Date.now() - started > 300_000)
        throw new Error('the backend was not ready after 5 minutes');
      await sleep(1000);
    }
    console.log(
      `  backend ready after ${((Date.now() - started) / 1000).toFixed(0)} s`,
    );
  } catch (error) {
    portal.stop();
    throw error;
  }
  return portal;
}

/** Headless Chromium, with the flags of the e2e runs (no sandbox, no background traffic). */
export async function launchChromium(): Promise<
  import('playwright-core').Browser
> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Signs in as guest once; later loads in `context` reuse the session, as a returning user's. */
export async function signInAsGuest(
  context: import('playwright-core').BrowserContext,
  baseUrl: string,
) {
  const signIn = await context.newPage();
  await signIn.goto(`${baseUrl}/`);
  const enter = signIn.getByRole('button', { name: 'Enter' });
  const nav = signIn.locator('nav:visible').first();
  await enter.or(nav).first().waitFor({ timeout: 60_000 });
  if (await enter.isVisible()) {
    await enter.click();
  }
  await nav.waitFor({ timeout: 60_000 });
  await signIn.close();
}

/** Saves a screenshot of every open page in `workDir` (after a failure) and says where. */
export async function screenshotPages(
  browser: import('playwright-core').Browser | undefined,
  workDir: string,
) {
  for (const page of browser?.contexts().flatMap(c => c.pages()) ?? []) {
    const file = path.join(workDir, `failure-${Date.now()}.png`);
    await page.screenshot({ path: file }).catch(() => undefined);
    console.log(`  screenshot of ${page.url()}: ${file}`);
  }
}

async function loadPage(
  context: import('playwright-core').BrowserContext,
  url: string,
): Promise<PageLoad> {
  const page = await context.newPage();
  const pending: Array<Promise<CatalogResponse>> = [];
  page.on('response', response => {
    if (response.url().includes('/api/catalog/')) {
      pending.push(
        response.body().then(
          body => {
            const entry: CatalogResponse = {
              url: response.url().replace(BASE_URL, ''),
              status: response.status(),
              bytes: body.length,
            };
            if (/\/entities(\/by-query|\/by-refs|\?|$)/.test(entry.url)) {
              try {
                const json = JSON.parse(body.toString('utf8'));
                const items = Array.isArray(json) ? json : json.items;
                entry.items = Array.isArray(items) ? items.length : undefined;
                entry.totalItems = json.totalItems;
              } catch {
                // not JSON; the size is enough
              }
            }
            return entry;
          },
          () => ({
            url: response.url().replace(BASE_URL, ''),
            status: response.status(),
            bytes: Number(response.headers()['content-length'] ?? 0),
          }),
        ),
      );
    }
  });
  await page.goto(`${BASE_URL}${url}`, { waitUntil: 'commit' });
  await page.waitForSelector(FIRST_ROW, { timeout: 120_000 });
  // milliseconds since the navigation started, measured by the page itself
  const firstRowMs = await page.evaluate(() => performance.now());
  // requests the page made to get its first rows, and any it makes right after
  await sleep(2000);
  const responses = await Promise.all(pending);
  await page.close();
  return { firstRowMs, responses };
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

/** Loads the real backend with a generated mesh and times the two pages' first loads. */
export async function runBrowserBench(options: {
  workDir: string;
  size: number;
  port?: number;
}) {
  const { workDir, size } = options;
  console.log(
    `\nData products page, first load in Chromium (${size} data products, ${size} components)`,
  );
  const pageSource = path.join(
    ROOT,
    'plugins/datamesh/src/components/DataProductsPage',
  );
  if (!fs.existsSync(pageSource)) {
    console.log('  skipped: the frontend plugin has no DataProductsPage yet');
    return;
  }
  if (!fs.existsSync(CHROMIUM)) {
    console.log(`  skipped: no Chromium at ${CHROMIUM} (set CHROMIUM_PATH)`);
    return;
  }
  const products = writeSet(
    path.join(workDir, `browser-dataproducts-${size}`),
    'dataproduct',
    size,
  );
  const components = writeSet(
    path.join(workDir, `browser-components-${size}`),
    'component',
    size,
    { withTeamsAndDomains: false },
  );
  const portal = await startPortal({
    workDir,
    port: options.port,
    locations: [...products.files, ...components.files],
  });
  BASE_URL = portal.baseUrl;
  let browser: import('playwright-core').Browser | undefined;
  try {
    const token = await guestToken();
    const ingestStart = Date.now();
    for (;;) {
      const [dp, comp] = await Promise.all([
        totalItems(token, 'dataproduct'),
        totalItems(token, 'component'),
      ]);
      if (dp >= size && comp >= size) {
        console.log(
          `  catalog holds ${dp} data products and ${comp} components after ${(
            (Date.now() - ingestStart) /
            1000
          ).toFixed(0)} s`,
        );
        break;
      }
      if (Date.now() - ingestStart > 30 * 60_000)
        throw new Error(
          `catalog still incomplete after 30 minutes (${dp} data products, ${comp} components)`,
        );
      await sleep(5000);
    }

    browser = await launchChromium();
    const context = await browser.newContext({
      viewport: { width: 1440, height: 900 },
    });
    await signInAsGuest(context, BASE_URL);

    const pages = [
      // every component, not only the signed-in user's (the catalog page's default filter)
      {
        label: `catalog (${catalogPath()}, all components)`,
        url: `${catalogPath()}?filters%5Bkind%5D=component&filters%5Buser%5D=all`,
      },
      { label: 'data products (/data-products)', url: '/data-products' },
    ];
    const loads = new Map<string, PageLoad[]>(pages.map(p => [p.url, []]));
    for (let round = 0; round < ROUNDS; round++) {
      for (const p of round % 2 ? [...pages].reverse() : pages) {
        loads.get(p.url)!.push(await loadPage(context, p.url));
      }
    }

    const rows = pages.map(p => {
      const runs = loads.get(p.url)!;
      const last = runs[runs.length - 1];
      const bytes = last.responses.reduce((sum, r) => sum + r.bytes, 0);
      const largest = Math.max(0, ...last.responses.map(r => r.bytes));
      return {
        ...p,
        ms: median(runs.map(r => r.firstRowMs)),
        all: runs.map(r => r.firstRowMs),
        count: last.responses.length,
        bytes,
        largest,
        last,
      };
    });
    for (const row of rows) {
      console.log(
        `\n  ${row.label}: first row after ${row.all
          .map(ms => `${ms.toFixed(0)} ms`)
          .join(', ')} (median ${row.ms.toFixed(0)} ms)`,
      );
      console.log(
        `    catalog API responses on the last load: ${row.count}, ${kib(
          row.bytes,
        )} in all`,
      );
      for (const r of row.last.responses) {
        const entities =
          r.items === undefined
            ? ''
            : `${r.items}${
                r.totalItems === undefined ? '' : ` of ${r.totalItems}`
              } entities`;
        console.log(
          `      ${r.status} ${kib(r.bytes).padStart(10)} ${entities.padStart(
            22,
          )}  ${decodeURIComponent(r.url).slice(0, 110)}`,
        );
      }
    }
    const [base, dp] = rows;
    const ratio = dp.ms / base.ms;
    console.log(
      `\n| page | first row (median of ${ROUNDS}) | catalog API responses | bytes | largest response |`,
    );
    console.log('|---|---|---|---|---|');
    for (const row of rows) {
      console.log(
        `| ${row.label} | ${row.ms.toFixed(0)} ms | ${row.count} | ${kib(
          row.bytes,
        )} | ${kib(row.largest)} |`,
      );
    }
    console.log(
      `\nratio data products / catalog: ${ratio.toFixed(2)} (target ≤ 1.3: ${
        ratio <= 1.3 ? 'PASS' : 'FAIL'
      })`,
    );
    const listed = Math.max(0, ...dp.last.responses.map(r => r.items ?? 0));
    console.log(
      listed < size
        ? `  the Data products page got at most ${listed} entities in one response, out of ${size}: it asks for one page, not for every product`
        : `  the Data products page got ${listed} entities in one response: it fetches every product`,
    );
  } catch (error) {
    await screenshotPages(browser, workDir);
    throw error;
  } finally {
    await browser?.close();
    portal.stop();
  }
}
