import {
  AuthService,
  LoggerService,
  UrlReaderService,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  AVAILABILITY_WINDOW_DAYS,
  DataProductEntityV1alpha1,
  QUALITY_RESULT_FORMATS,
  QualityResultFormat,
  isDataProductEntity,
} from '@backstage-datamesh/plugin-datamesh-common';
import {
  QualityStore,
  parseQualityResults,
} from '@backstage-datamesh/plugin-datamesh-node';
import { DomainSla, QualityService } from './QualityService';

/**
 * The annotation by which a product names where its latest quality results are published (a URL
 * read through Backstage's URL readers, so integrations and `backend.reading.allow` apply).
 * @public
 */
export const ANNOTATION_QUALITY_RESULTS_URL = 'datamesh.io/quality-results-url';

/**
 * The annotation that names the format of the published results, when it cannot be detected.
 * @public
 */
export const ANNOTATION_QUALITY_RESULTS_FORMAT =
  'datamesh.io/quality-results-format';

const PRODUCT_FIELDS = [
  'kind',
  'apiVersion',
  'metadata.name',
  'metadata.namespace',
  'metadata.title',
  'metadata.annotations',
  'spec',
  'relations',
];

/**
 * How long port updates are kept by default, in days: the 90-day trends show the freshness lag
 * from them.
 */
export const DEFAULT_DATASET_UPDATES_DAYS = 90;

/**
 * The fewest days of port updates retention keeps, whatever is configured: availability is
 * measured over the last {@link AVAILABILITY_WINDOW_DAYS} days from the updates of twice that
 * (a day's state needs the update before it), so the evaluation reads that far back.
 */
export const MIN_DATASET_UPDATES_DAYS = 2 * AVAILABILITY_WINDOW_DAYS;

/**
 * The scheduled work of the quality store: evaluating every product's health (freshness decays
 * with time even when nothing is posted), pulling published results, and retention.
 */
export class QualityTasks {
  constructor(
    private readonly options: {
      auth: AuthService;
      catalog: CatalogService;
      quality: QualityStore;
      service: QualityService;
      reader: UrlReaderService;
      logger: LoggerService;
      retention: {
        rawDocumentsDays: number;
        resultsDays: number;
        /** Days port updates are kept; {@link DEFAULT_DATASET_UPDATES_DAYS} by default. */
        datasetUpdatesDays?: number;
      };
    },
  ) {}

  private async *products(): AsyncGenerator<DataProductEntityV1alpha1> {
    const credentials = await this.options.auth.getOwnServiceCredentials();
    let cursor: string | undefined;
    do {
      const page = await this.options.catalog.queryEntities(
        cursor
          ? { cursor, limit: 200 }
          : {
              filter: { kind: 'DataProduct' },
              fields: PRODUCT_FIELDS,
              limit: 200,
            },
        { credentials },
      );
      for (const entity of page.items) {
        if (isDataProductEntity(entity)) {
          yield entity;
        }
      }
      cursor = page.pageInfo.nextCursor;
    } while (cursor);
  }

  /** Evaluates the health of every data product. */
  async evaluateAll(): Promise<{ evaluated: number; failed: number }> {
    const credentials = await this.options.auth.getOwnServiceCredentials();
    const domains = new Map<string, DomainSla>();
    let evaluated = 0;
    let failed = 0;
    for await (const entity of this.products()) {
      try {
        await this.options.service.evaluate(entity, credentials, { domains });
        evaluated += 1;
      } catch (error) {
        // one product that cannot be evaluated keeps no other from it
        failed += 1;
        this.options.logger.warn(
          `Could not evaluate the health of ${stringifyEntityRef(
            entity,
          )}: ${error}`,
        );
      }
    }
    return { evaluated, failed };
  }

  /** Pulls the published results of every product that names them, when they changed. */
  async pullAll(): Promise<{
    stored: number;
    unchanged: number;
    failed: number;
  }> {
    const credentials = await this.options.auth.getOwnServiceCredentials();
    const counts = { stored: 0, unchanged: 0, failed: 0 };
    for await (const entity of this.products()) {
      const url = entity.metadata.annotations?.[ANNOTATION_QUALITY_RESULTS_URL];
      if (!url) {
        continue;
      }
      const entityRef = stringifyEntityRef(entity);
      const previous = await this.options.quality.getPullState(entityRef);
      const pulledAt = new Date().toISOString();
      try {
        const declared =
          entity.metadata.annotations?.[ANNOTATION_QUALITY_RESULTS_FORMAT];
        const format = QUALITY_RESULT_FORMATS.includes(
          declared as QualityResultFormat,
        )
          ? (declared as QualityResultFormat)
          : undefined;
        const response = await this.options.reader.readUrl(url, {
          etag: previous?.url === url ? previous.etag : undefined,
        });
        const text = (await response.buffer()).toString('utf8');
        const run = parseQualityResults({ document: JSON.parse(text), format });
        await this.options.service.ingest({
          entity,
          run,
          raw: { body: text, contentType: 'application/json' },
          source: 'pull',
          credentials,
        });
        await this.options.quality.setPullState({
          entityRef,
          url,
          etag: response.etag,
          pulledAt,
          status: 'stored',
        });
        counts.stored += 1;
      } catch (error) {
        const e = error as Error;
        if (e.name === 'NotModifiedError') {
          await this.options.quality.setPullState({
            ...previous,
            entityRef,
            url,
            pulledAt,
            status: 'unchanged',
          });
          counts.unchanged += 1;
          continue;
        }
        counts.failed += 1;
        this.options.logger.warn(
          `Could not pull the quality results of ${entityRef} from ${url}: ${e.message}`,
        );
        await this.options.quality.setPullState({
          entityRef,
          url,
          etag: previous?.etag,
          pulledAt,
          status: 'failed',
          error: e.message,
        });
      }
    }
    return counts;
  }

  /**
   * Removes raw documents, raw results and port updates past their retention; daily rollups
   * stay, and so does the latest update of each port and every update the health evaluation
   * still reads ({@link MIN_DATASET_UPDATES_DAYS}).
   */
  async prune(options?: { now?: number }) {
    const day = 86_400_000;
    const now = options?.now ?? Date.now();
    const updatesDays = Math.max(
      this.options.retention.datasetUpdatesDays ?? DEFAULT_DATASET_UPDATES_DAYS,
      MIN_DATASET_UPDATES_DAYS,
    );
    const result = await this.options.quality.prune({
      rawDocumentsBefore: now - this.options.retention.rawDocumentsDays * day,
      resultsBefore: now - this.options.retention.resultsDays * day,
      datasetUpdatesBefore: now - updatesDays * day,
    });
    this.options.logger.info('Quality retention', { ...result });
    return result;
  }
}
