import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import type { LineageIngestResponse } from '@backstage-datamesh/plugin-datamesh-common';
import type {
  LineageEventRecord,
  LineageRebuildResult,
  LineageStore,
} from '@backstage-datamesh/plugin-datamesh-node';
import type { ProductChangeListener } from '../governance/ProductChangeListener';
import { QualityService } from '../quality/QualityService';
import { parseJson } from '../service/readBody';
import { ProductIndex } from './ProductIndex';
import { qualityRunsOf } from './qualityFacets';
import { lineageEventHash, readLineageEvent } from './readEvent';

/**
 * Reads a kept raw event again, as the ingestion read it: what a rebuild applies.
 */
export function parseLineageEvent(body: string): LineageEventRecord {
  return readLineageEvent(parseJson(body, 'The kept event')).record;
}

/**
 * OpenLineage ingestion: validates an event, stores it in the lineage store (one transaction),
 * then feeds the data quality facets and completed outputs of the datasets that are output
 * ports of data products to the quality store, as runs with the source `openlineage`.
 *
 * The quality runs are written after the event, each in its own transaction, and on every
 * delivery of the event, also one stored before: a delivery that failed between the two (the
 * database went down) is retried by the client, and the quality store keeps a run once.
 */
export class LineageService {
  constructor(
    private readonly options: {
      store: LineageStore;
      quality: QualityService;
      products: ProductIndex;
      auth: AuthService;
      logger: LoggerService;
      /** Told each product an event observed lineage of (the governance re-evaluates it). */
      changes?: ProductChangeListener;
    },
  ) {}

  /**
   * Ingests one event, parsed from JSON; `body` is its text as received, kept for replays.
   * Bad input is an InputError naming the field; a database that is unavailable throws its error.
   */
  async ingest(value: unknown, body: string): Promise<LineageIngestResponse> {
    const { kind, event, record } = readLineageEvent(value);
    const stored = await this.options.store.addEvent({
      event: record,
      raw: { body, hash: lineageEventHash(value) },
    });
    if (stored.created && this.options.changes && record.job) {
      // the edges of the event's job touch these datasets: their products' lineage changed
      const touched = new Set<string>();
      for (const dataset of [...record.inputs, ...record.outputs]) {
        for (const { entity } of await this.options.products.match(dataset)) {
          touched.add(stringifyEntityRef(entity));
        }
      }
      for (const entityRef of touched) {
        this.options.changes.notifyProductChanged(entityRef);
      }
    }
    const runs = await qualityRunsOf(event, this.options.products);
    if (runs.length) {
      const credentials = await this.options.auth.getOwnServiceCredentials();
      for (const { entity, run } of runs) {
        await this.options.quality.ingest({
          entity,
          run,
          raw: { body, contentType: 'application/json' },
          source: 'openlineage',
          credentials,
        });
      }
    }
    return {
      status: stored.created ? 'stored' : 'duplicate',
      kind,
      ...(record.eventType ? { eventType: record.eventType } : {}),
      ...(record.run ? { runId: record.run.runId } : {}),
      ...(record.job
        ? { job: { namespace: record.job.namespace, name: record.job.name } }
        : {}),
      qualityRuns: runs.length,
    };
  }

  /** Rebuilds the lineage store's derived tables from its kept raw events. */
  async rebuild(): Promise<LineageRebuildResult> {
    const started = Date.now();
    const result = await this.options.store.rebuild(parseLineageEvent);
    this.options.logger.info(
      `Rebuilt the lineage graph from ${result.applied} kept events in ${
        Date.now() - started
      } ms; ${result.refused.length} refused`,
      {
        refused: result.refused
          .slice(0, 20)
          .map(r => `${r.eventId}: ${r.reason}`)
          .join('; '),
      },
    );
    return result;
  }
}
