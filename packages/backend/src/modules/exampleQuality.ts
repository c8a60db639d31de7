import fs from 'node:fs/promises';
import path from 'node:path';
import {
  LoggerService,
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { parse } from 'yaml';

/** One product's pipeline, as `examples/quality/pipelines.yaml` describes it. */
export interface ExamplePipeline {
  product: string;
  namespace?: string;
  runs: number;
  updates: number;
  rows: number;
  failRuns?: number;
  lastUpdate?: number;
  stopped?: boolean;
  idColumn?: string;
  finally?: Record<string, 'pass' | 'warn' | 'fail' | 'error' | 'skipped'>;
}

/** `examples/quality/pipelines.yaml`. */
export interface ExampleFile {
  days: number;
  products: ExamplePipeline[];
}

type Port = { name: string; location: { namespace: string; name: string } };

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** A deterministic wobble, so every start shows the same history. */
function wobble(seed: number): number {
  const x = Math.sin(seed * 12.9898) * 43758.5453;
  return x - Math.floor(x);
}

/**
 * The documents an example pipeline posts: one per quality run, in the suite's own format,
 * carrying the checks of the run, its row count and the writes of each port since the previous
 * run. Exported for the test.
 */
export function pipelineDocuments(
  pipeline: ExamplePipeline,
  ports: Port[],
  days: number,
  now: number,
): object[] {
  const idColumn = pipeline.idColumn ?? 'id';
  const runEvery = pipeline.runs * HOUR;
  const updateEvery = pipeline.updates * MINUTE;
  const lastWrite = now - (pipeline.lastUpdate ?? 0) * MINUTE;
  const start = now - days * 24 * HOUR;
  const runTimes: number[] = [];
  for (
    let t = now - runEvery * Math.floor((now - start) / runEvery);
    t <= now;
    t += runEvery
  ) {
    runTimes.push(t);
  }
  // the last run is at the start itself
  if (runTimes[runTimes.length - 1] !== now) {
    runTimes.push(now);
  }
  const failing = new Set<number>();
  const fails = pipeline.failRuns ?? 0;
  for (let i = 0; i < fails; i++) {
    failing.add(Math.floor(((i + 1) * (runTimes.length - 1)) / (fails + 1)));
  }
  let previous = start - updateEvery;
  return runTimes.map((at, index) => {
    const last = index === runTimes.length - 1;
    const rows = Math.round(
      pipeline.rows * (0.9 + 0.2 * (index / runTimes.length)) +
        pipeline.rows * 0.02 * wobble(index),
    );
    const status = (name: string, normal: 'pass' | 'fail') =>
      last ? pipeline.finally?.[name] ?? 'pass' : normal;
    const duplicates = failing.has(index)
      ? 3 + Math.round(wobble(index) * 20)
      : 0;
    const notNull = status(`not_null_${idColumn}`, 'pass');
    const missing = notNull === 'fail' ? Math.round(rows * 0.06) : 0;
    const unique = status(`unique_${idColumn}`, duplicates ? 'fail' : 'pass');
    const rowCount = status('row_count_within_range', 'pass');
    const min = Math.round(pipeline.rows * 0.8);
    const max = Math.round(pipeline.rows * 1.2);
    const updates: Array<{ dataset: object; updatedAt: string }> = [];
    for (
      let t = previous + updateEvery;
      t <= Math.min(at, lastWrite);
      t += updateEvery
    ) {
      for (const port of ports) {
        updates.push({
          dataset: port.location,
          updatedAt: new Date(t).toISOString(),
        });
      }
      previous = t;
    }
    const executedAt = new Date(at).toISOString();
    const dataset = ports[0]?.location;
    return {
      format: 'datamesh-quality-results/v1',
      tool: { name: `${pipeline.product}-pipeline`, version: '1.0.0' },
      runId: `${pipeline.product}-${at}`,
      finishedAt: executedAt,
      ...(dataset ? { dataset } : {}),
      checks: [
        {
          id: `not_null_${idColumn}`,
          name: `not_null_${idColumn}`,
          status: notNull,
          column: idColumn,
          type: 'not_null',
          dimension: 'completeness',
          observedValue: missing,
          threshold: '= 0',
          unexpectedCount: missing,
          rowsEvaluated: rows,
          ...(missing
            ? { message: `${missing} rows have no ${idColumn}` }
            : {}),
        },
        {
          id: `unique_${idColumn}`,
          name: `unique_${idColumn}`,
          status: unique,
          column: idColumn,
          type: 'unique',
          dimension: 'uniqueness',
          observedValue: unique === 'fail' ? Math.max(duplicates, 3) : 0,
          threshold: '= 0',
          unexpectedCount: unique === 'fail' ? Math.max(duplicates, 3) : 0,
          rowsEvaluated: rows,
        },
        {
          id: 'row_count_within_range',
          name: 'row_count_within_range',
          status: rowCount,
          type: 'row_count',
          dimension: 'volume',
          observedValue: rowCount === 'warn' ? Math.round(min * 0.9) : rows,
          threshold: `between ${min} and ${max}`,
        },
      ],
      metrics: [
        { metric: 'rowCount', value: rows, observedAt: executedAt },
        {
          metric: 'nullCount',
          column: idColumn,
          value: missing,
          observedAt: executedAt,
        },
      ],
      updates,
    };
  });
}

async function waitForProduct(
  baseUrl: string,
  token: string,
  ref: { namespace: string; name: string },
  logger: LoggerService,
): Promise<Port[] | undefined> {
  const deadline = Date.now() + 10 * MINUTE;
  while (Date.now() < deadline) {
    const response = await fetch(
      `${baseUrl}/api/catalog/entities/by-name/dataproduct/${ref.namespace}/${ref.name}`,
      { headers: { authorization: `Bearer ${token}` } },
    ).catch(() => undefined);
    if (response?.ok) {
      const entity = (await response.json()) as {
        spec?: { outputPorts?: Port[] };
      };
      return entity.spec?.outputPorts ?? [];
    }
    await new Promise(resolve => setTimeout(resolve, 2000));
  }
  logger.warn(`Example product ${ref.name} never appeared in the catalog`);
  return undefined;
}

async function post(
  baseUrl: string,
  token: string,
  ref: { namespace: string; name: string },
  document: object,
) {
  const response = await fetch(
    `${baseUrl}/api/datamesh/v1/products/${ref.namespace}/${ref.name}/quality`,
    {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify(document),
    },
  );
  if (!response.ok) {
    throw new Error(
      `POST quality of ${ref.name} answered ${
        response.status
      }: ${await response.text()}`,
    );
  }
}

/**
 * A backend module for local use: the example mesh's pipelines post their quality results to the
 * portal as real pipelines would (HTTP, with a `backend.auth.externalAccess` static token), so that
 * the portal starts with quality history. Enabled by `datamesh.examples.quality` in app-config.yaml.
 */
export default createBackendModule({
  pluginId: 'datamesh',
  moduleId: 'example-quality',
  register(reg) {
    reg.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        lifecycle: coreServices.lifecycle,
        discovery: coreServices.discovery,
      },
      async init({ config, logger, lifecycle, discovery }) {
        const settings = config.getOptionalConfig('datamesh.examples.quality');
        if (!settings) {
          return;
        }
        const file = path.resolve(settings.getString('file'));
        const token = settings.getString('token');
        const timers: NodeJS.Timeout[] = [];
        const load = async () => {
          const examples = parse(
            await fs.readFile(file, 'utf8'),
          ) as ExampleFile;
          const baseUrl = (await discovery.getBaseUrl('catalog')).replace(
            /\/api\/catalog$/,
            '',
          );
          const now = Date.now();
          let posted = 0;
          await Promise.all(
            examples.products.map(async pipeline => {
              const ref = {
                namespace: pipeline.namespace ?? 'default',
                name: pipeline.product,
              };
              const ports = await waitForProduct(baseUrl, token, ref, logger);
              if (!ports) {
                return;
              }
              // newest first: the first evaluation already sees the current state, so loading the
              // history opens no incident that the next document would resolve
              const documents = pipelineDocuments(
                pipeline,
                ports,
                examples.days,
                now,
              ).reverse();
              for (const document of documents) {
                await post(baseUrl, token, ref, document);
                posted += 1;
              }
              if (!pipeline.stopped) {
                // the pipeline keeps writing its ports while the portal runs
                const timer = setInterval(() => {
                  const at = new Date().toISOString();
                  post(baseUrl, token, ref, {
                    format: 'datamesh-quality-results/v1',
                    tool: {
                      name: `${pipeline.product}-pipeline`,
                      version: '1.0.0',
                    },
                    runId: `${pipeline.product}-${at}`,
                    finishedAt: at,
                    checks: [],
                    updates: ports.map(port => ({
                      dataset: port.location,
                      updatedAt: at,
                    })),
                  }).catch(error =>
                    logger.warn(
                      `Example pipeline ${pipeline.product}: ${error}`,
                    ),
                  );
                }, pipeline.updates * MINUTE);
                timer.unref();
                timers.push(timer);
              }
            }),
          );
          logger.info(
            `Example pipelines posted ${posted} quality runs of ${examples.products.length} products`,
          );
        };
        lifecycle.addStartupHook(() => {
          load().catch(error =>
            logger.error(
              `Example pipelines could not post their results: ${error}`,
            ),
          );
        });
        lifecycle.addShutdownHook(() => timers.forEach(clearInterval));
      },
    });
  },
});
