/**
 * `yarn bench:lineage --browser`: the Lineage tab of a DataProduct page in Chromium, on the real
 * portal (the one `yarn bench:catalog --browser` starts), for graphs of growing size posted
 * through the OpenLineage endpoint, against a 10-node graph on the same page in the same run.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import {
  CHROMIUM,
  guestToken,
  launchChromium,
  screenshotPages,
  signInAsGuest,
  sleep,
  startPortal,
} from '../catalog/browser';
import { median } from '../format';

/** The node limits of the Lineage tab: its first, then each "Show more" (MAX_NODES_STEPS). */
const NODE_LIMITS = [100, 300, 1000];
/** Jobs reading each dataset of the generated graphs (a tree, breadth first). */
const FAN_OUT = 5;
/** The static token app-config.yaml gives the example pipelines. */
const PIPELINE_TOKEN = 'example-pipelines-local-token';
const PRODUCER =
  'https://github.com/OpenLineage/OpenLineage/tree/1.23.0/client/python';
const RUN_EVENT =
  'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent';
/** The smallest graph: the baseline of the ratios. */
const BASELINE_NODES = 10;

interface Dataset {
  namespace: string;
  name: string;
}

/** What one load of a graph measured, in ms of the page's own clock. */
interface GraphLoad {
  /** From the navigation to the first graph drawn (at the tab's first node limit). */
  firstViewMs: number;
  /** From each "Show more" click to the larger graph drawn, summed (0 when none was needed). */
  showMoreMs: number;
  /** From picking another depth to the graph of the same nodes drawn again. */
  depthChangeMs: number;
  /** From picking another direction to the graph drawn again. */
  directionChangeMs: number;
  /** The nodes the page draws at the end, and those the answer held. */
  drawnNodes: number;
  answerNodes: number;
}

const productName = (nodes: number) => `lineage-bench-${nodes}`;
const portOf = (nodes: number): Dataset => ({
  namespace: 'postgres://lineage-bench:5432',
  name: `bench.graph_${nodes}.root`,
});

/** The products whose Lineage tab is measured: one output port each, in the example domain. */
function productsYaml(sizes: number[]): string {
  return sizes
    .map(nodes => ({
      apiVersion: 'datamesh.io/v1alpha1',
      kind: 'DataProduct',
      metadata: {
        name: productName(nodes),
        title: `Lineage bench ${nodes}`,
        description: `A product with a ${nodes}-node lineage graph downstream (yarn bench:lineage --browser).`,
      },
      spec: {
        owner: 'group:customer-domain-team',
        domain: 'customer-identity',
        type: 'source-aligned',
        lifecycle: 'experimental',
        outputPorts: [
          {
            name: 'root',
            type: 'table',
            location: portOf(nodes),
            description: 'The dataset the generated jobs read.',
          },
        ],
      },
    }))
    .map(entity => `---\n${YAML.stringify(entity)}`)
    .join('');
}

/**
 * The run events of a graph of `nodes` nodes downstream of the product's port: the product and
 * its port, then jobs that each read one dataset and write their own, `FAN_OUT` readers per
 * dataset, breadth first (2 nodes per job).
 */
function graphEvents(nodes: number): unknown[] {
  const jobs = Math.max(1, Math.floor((nodes - 2) / 2));
  const table = (k: number): Dataset => ({
    namespace: 'postgres://lineage-bench:5432',
    name: `bench.graph_${nodes}.table_${k}`,
  });
  const at = new Date().toISOString();
  return Array.from({ length: jobs }, (_, k) => ({
    eventTime: at,
    producer: PRODUCER,
    schemaURL: RUN_EVENT,
    eventType: 'COMPLETE',
    run: { runId: randomUUID() },
    job: { namespace: 'lineage-bench', name: `graph_${nodes}.job_${k}` },
    inputs: [k < FAN_OUT ? portOf(nodes) : table(Math.floor(k / FAN_OUT) - 1)],
    outputs: [table(k)],
  }));
}

async function postEvents(baseUrl: string, events: unknown[]) {
  for (let i = 0; i < events.length; i += 50) {
    const res = await fetch(`${baseUrl}/api/datamesh/v1/lineage/batch`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${PIPELINE_TOKEN}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify(events.slice(i, i + 50)),
    });
    const body = (await res.json()) as { summary?: { failed?: number } };
    if (res.status !== 200 || body.summary?.failed) {
      throw new Error(
        `POST /v1/lineage/batch answered ${res.status}: ${JSON.stringify(
          body,
        )}`,
      );
    }
  }
}

/** Waits until the catalog serves every bench product. */
async function waitForProducts(baseUrl: string, sizes: number[]) {
  const token = await guestToken(baseUrl);
  const started = Date.now();
  for (;;) {
    const res = await fetch(`${baseUrl}/api/catalog/entities/by-refs`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({
        entityRefs: sizes.map(n => `dataproduct:default/${productName(n)}`),
      }),
    });
    const items = res.ok
      ? ((await res.json()) as { items: unknown[] }).items
      : [];
    if (items.length === sizes.length && items.every(Boolean)) {
      console.log(
        `  the catalog serves the ${sizes.length} bench products after ${(
          (Date.now() - started) /
          1000
        ).toFixed(0)} s`,
      );
      return;
    }
    if (Date.now() - started > 10 * 60_000) {
      throw new Error(
        'the bench products were not in the catalog after 10 minutes',
      );
    }
    await sleep(2000);
  }
}

type Page = import('playwright-core').Page;

/**
 * Waits until the page has the answer of a lineage request matching `query` (after `since`, in
 * the page's clock), shows no loading bar, and draws every node of the view, laid out
 * (DependencyGraph shows its graph once settled); answers `performance.now()` then.
 */
async function drawn(page: Page, query: string, since: number) {
  const handle = await page.waitForFunction(
    ([q, t]) => {
      const answered = performance
        .getEntriesByType('resource')
        .some(
          e =>
            e.name.includes('/lineage?') &&
            e.name.includes(q) &&
            (e as PerformanceResourceTiming).responseEnd > t,
        );
      if (!answered) return undefined;
      if (document.querySelector('[aria-label="Loading the lineage"]')) {
        return undefined;
      }
      const figure = document.querySelector('[aria-label="Lineage graph"]');
      const container = figure?.querySelector(
        'svg#dependency-graph',
      )?.parentElement;
      if (!figure || !container) return undefined;
      if (getComputedStyle(container).visibility !== 'visible') {
        return undefined;
      }
      const expected = Number(figure.getAttribute('data-nodes'));
      const nodes = figure.querySelectorAll('[data-kind]').length;
      return expected > 0 && nodes === expected
        ? { at: performance.now(), nodes }
        : undefined;
    },
    [query, since] as const,
    { polling: 'raf', timeout: 120_000 },
  );
  return (await handle.jsonValue()) as { at: number; nodes: number };
}

const now = (page: Page) => page.evaluate(() => performance.now());

/** Opens the product's Lineage tab, shows all its nodes, then changes depth and direction. */
async function loadGraph(
  context: import('playwright-core').BrowserContext,
  baseUrl: string,
  nodes: number,
): Promise<GraphLoad> {
  const page = await context.newPage();
  try {
    await page.goto(
      `${baseUrl}/catalog/default/dataproduct/${productName(
        nodes,
      )}/lineage?direction=downstream&depth=all`,
      { waitUntil: 'commit' },
    );
    const first = await drawn(page, `maxNodes=${NODE_LIMITS[0]}`, 0);
    let showMoreMs = 0;
    let limit = NODE_LIMITS[0];
    for (const next of NODE_LIMITS.slice(1)) {
      if (limit >= nodes) break;
      const button = page.getByRole('button', {
        name: `Show more (up to ${next} nodes)`,
      });
      const before = await now(page);
      await button.click();
      showMoreMs += (await drawn(page, `maxNodes=${next}`, before)).at - before;
      limit = next;
    }
    const limitQuery = `maxNodes=${limit}`;
    let before = await now(page);
    await page.getByLabel('Depth').selectOption('5');
    const depth = await drawn(page, `depth=5&${limitQuery}`, before);
    const depthChangeMs = depth.at - before;
    before = await now(page);
    await page
      .getByRole('group', { name: 'Direction' })
      .getByRole('button', { name: 'Both' })
      .click();
    const direction = await drawn(
      page,
      `direction=both&depth=5&${limitQuery}`,
      before,
    );
    const answerNodes = await page.evaluate(() =>
      Number(
        document
          .querySelector('[aria-label="Lineage graph"]')
          ?.getAttribute('data-nodes'),
      ),
    );
    return {
      firstViewMs: first.at,
      showMoreMs,
      depthChangeMs,
      directionChangeMs: direction.at - before,
      drawnNodes: direction.nodes,
      answerNodes,
    };
  } finally {
    await page.close();
  }
}

/** The figures of one graph size, medians over the rounds. */
export interface LineageRenderResult {
  nodes: number;
  drawnNodes: number;
  firstViewMs: number;
  showMoreMs: number;
  /** Navigation to every node drawn: the first view plus the "Show more" steps. */
  fullGraphMs: number;
  depthChangeMs: number;
  directionChangeMs: number;
}

const ms = (value: number) => `${value.toFixed(0)} ms`;
const times = (a: number, b: number) => `${(a / b).toFixed(2)}x`;

/**
 * Starts the portal, posts a graph of each size (and the 10-node baseline) through the
 * OpenLineage endpoint, and times each product's Lineage tab in Chromium over `rounds` loads.
 */
export async function runLineageBrowserBench(options: {
  workDir: string;
  sizes: number[];
  rounds: number;
  port?: number;
}): Promise<LineageRenderResult[] | undefined> {
  const sizes = [
    BASELINE_NODES,
    ...options.sizes.filter(n => n !== BASELINE_NODES),
  ];
  console.log(
    `\n## The Lineage tab in Chromium (graphs of ${sizes.join(
      ', ',
    )} nodes downstream of a product; median of ${options.rounds} loads)\n`,
  );
  if (!fs.existsSync(CHROMIUM)) {
    console.log(`  skipped: no Chromium at ${CHROMIUM} (set CHROMIUM_PATH)`);
    return undefined;
  }
  fs.mkdirSync(options.workDir, { recursive: true });
  const productsFile = path.join(options.workDir, 'lineage-products.yaml');
  fs.writeFileSync(productsFile, productsYaml(sizes));
  const portal = await startPortal({
    workDir: options.workDir,
    port: options.port ?? 7100,
    locations: [productsFile],
  });
  let browser: import('playwright-core').Browser | undefined;
  try {
    for (const nodes of sizes) {
      await postEvents(portal.baseUrl, graphEvents(nodes));
    }
    await waitForProducts(portal.baseUrl, sizes);
    browser = await launchChromium();
    const context = await browser.newContext({
      viewport: { width: 1440, height: 900 },
    });
    await signInAsGuest(context, portal.baseUrl);
    // one untimed load first: the app's bundles in the browser's cache, the backend warm
    await loadGraph(context, portal.baseUrl, BASELINE_NODES);
    const loads = new Map<number, GraphLoad[]>(sizes.map(n => [n, []]));
    for (let round = 0; round < options.rounds; round++) {
      for (const nodes of round % 2 ? [...sizes].reverse() : sizes) {
        const load = await loadGraph(context, portal.baseUrl, nodes);
        console.log(
          `  ${nodes} nodes, round ${round + 1}: first view ${ms(
            load.firstViewMs,
          )}, show more ${ms(load.showMoreMs)}, depth ${ms(
            load.depthChangeMs,
          )}, direction ${ms(load.directionChangeMs)} (${
            load.drawnNodes
          } nodes drawn)`,
        );
        loads.get(nodes)!.push(load);
      }
    }
    const results: LineageRenderResult[] = sizes.map(nodes => {
      const runs = loads.get(nodes)!;
      const m = (pick: (l: GraphLoad) => number) => median(runs.map(pick));
      return {
        nodes,
        drawnNodes: m(l => l.drawnNodes),
        firstViewMs: m(l => l.firstViewMs),
        showMoreMs: m(l => l.showMoreMs),
        fullGraphMs: m(l => l.firstViewMs + l.showMoreMs),
        depthChangeMs: m(l => l.depthChangeMs),
        directionChangeMs: m(l => l.directionChangeMs),
      };
    });
    printRenderTables(results);
    return results;
  } catch (error) {
    await screenshotPages(browser, options.workDir);
    throw error;
  } finally {
    await browser?.close();
    portal.stop();
  }
}

function printRenderTables(results: LineageRenderResult[]) {
  const base = results[0];
  console.log(
    `\n| graph | nodes drawn | navigation → first view (≤ 100 nodes) | "Show more" → all drawn | navigation → all drawn | / ${base.nodes}-node graph | depth change → drawn | / ${base.nodes}-node graph | direction change → drawn | / ${base.nodes}-node graph |`,
  );
  console.log('|---|---|---|---|---|---|---|---|---|---|');
  for (const r of results) {
    console.log(
      `| ${r.nodes} nodes | ${r.drawnNodes} | ${ms(r.firstViewMs)} | ${ms(
        r.showMoreMs,
      )} | ${ms(r.fullGraphMs)} | ${times(
        r.fullGraphMs,
        base.fullGraphMs,
      )} | ${ms(r.depthChangeMs)} | ${times(
        r.depthChangeMs,
        base.depthChangeMs,
      )} | ${ms(r.directionChangeMs)} | ${times(
        r.directionChangeMs,
        base.directionChangeMs,
      )} |`,
    );
  }
  const grown = results.filter(r => r.nodes >= 100);
  if (grown.length > 1) {
    console.log('\nGrowth (depth change → drawn, the graph laid out again):');
    for (let i = 1; i < grown.length; i++) {
      const a = grown[i - 1];
      const b = grown[i];
      console.log(
        `  ${a.nodes} → ${b.nodes} nodes (×${(
          b.drawnNodes / a.drawnNodes
        ).toFixed(1)} drawn): ×${(b.depthChangeMs / a.depthChangeMs).toFixed(
          2,
        )} depth change, ×${(b.fullGraphMs / a.fullGraphMs).toFixed(
          2,
        )} navigation → all drawn`,
      );
    }
  }
  const at300 = results.find(r => r.nodes === 300);
  if (at300) {
    console.log(
      `\n300-node graph: all ${at300.drawnNodes} nodes drawn ${ms(
        at300.fullGraphMs,
      )} after navigation (first view ${ms(
        at300.firstViewMs,
      )}, "Show more" ${ms(at300.showMoreMs)}); laid out again ${ms(
        at300.depthChangeMs,
      )} after a depth change, ${ms(
        at300.directionChangeMs,
      )} after a direction change`,
    );
  }
}
