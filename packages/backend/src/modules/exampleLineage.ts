import fs from 'node:fs/promises';
import path from 'node:path';
import {
  LoggerService,
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  TimedLineageEvent,
  lineageEventsForNow,
} from '@backstage-datamesh/plugin-datamesh-common';

const MINUTE = 60_000;

/** Waits until the catalog has a product, so the backend can tie the events to its ports. */
async function waitForCatalog(
  baseUrl: string,
  token: string,
  product: string,
  logger: LoggerService,
): Promise<boolean> {
  const deadline = Date.now() + 10 * MINUTE;
  while (Date.now() < deadline) {
    const response = await fetch(
      `${baseUrl}/api/catalog/entities/by-name/dataproduct/default/${product}`,
      { headers: { authorization: `Bearer ${token}` } },
    ).catch(() => undefined);
    if (response?.ok) {
      return true;
    }
    await new Promise(resolve => setTimeout(resolve, 2000));
  }
  logger.warn(`Example product ${product} never appeared in the catalog`);
  return false;
}

/**
 * A backend module for local use: the example mesh's pipelines send their OpenLineage events to
 * the portal as an OpenLineage client would (`POST /api/datamesh/v1/lineage/batch`, with a
 * `backend.auth.externalAccess` static token), so that the Lineage tab shows a real graph at
 * once. Each `*.json` file of `datamesh.examples.lineage.dir` is an array of events. Enabled by
 * `datamesh.examples.lineage` in app-config.yaml.
 */
export default createBackendModule({
  pluginId: 'datamesh',
  moduleId: 'example-lineage',
  register(reg) {
    reg.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        lifecycle: coreServices.lifecycle,
        discovery: coreServices.discovery,
      },
      async init({ config, logger, lifecycle, discovery }) {
        const settings = config.getOptionalConfig('datamesh.examples.lineage');
        if (!settings) {
          return;
        }
        const dir = path.resolve(settings.getString('dir'));
        const token = settings.getString('token');
        const load = async () => {
          const baseUrl = (await discovery.getBaseUrl('catalog')).replace(
            /\/api\/catalog$/,
            '',
          );
          if (!(await waitForCatalog(baseUrl, token, 'customer-360', logger))) {
            return;
          }
          const files = (await fs.readdir(dir))
            .filter(f => f.endsWith('.json'))
            .sort();
          const events: TimedLineageEvent[] = [];
          for (const file of files) {
            events.push(
              ...(JSON.parse(
                await fs.readFile(path.join(dir, file), 'utf8'),
              ) as TimedLineageEvent[]),
            );
          }
          const response = await fetch(
            `${baseUrl}/api/datamesh/v1/lineage/batch`,
            {
              method: 'POST',
              headers: {
                authorization: `Bearer ${token}`,
                'content-type': 'application/json',
              },
              body: JSON.stringify(lineageEventsForNow(events, Date.now())),
            },
          );
          const body = (await response.json()) as {
            summary?: { successful: number; failed: number };
            failed_events?: Array<{ index: number; reason: string }>;
          };
          if (!response.ok || body.summary?.failed) {
            throw new Error(
              `POST lineage/batch answered ${response.status}: ${JSON.stringify(
                body.failed_events ?? body,
              )}`,
            );
          }
          logger.info(
            `Example pipelines sent ${body.summary?.successful} OpenLineage events from ${files.length} files`,
          );
        };
        lifecycle.addStartupHook(() => {
          load().catch(error =>
            logger.error(
              `Example pipelines could not send their lineage: ${error}`,
            ),
          );
        });
      },
    });
  },
});
