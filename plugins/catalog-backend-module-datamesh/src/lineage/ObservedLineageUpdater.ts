import type { LoggerService } from '@backstage/backend-plugin-api';
import { stringifyError } from '@backstage/errors';
import type { ObservedLineageSource } from './ObservedLineageSource';
import { ObservedLineageSnapshot } from './ObservedLineageSnapshot';

/**
 * Keeps an {@link ObservedLineageSnapshot} current, one run at a time (a scheduled task of each
 * replica): every run asks the data mesh backend for the observed product-to-product edges with
 * the version it holds (`If-None-Match`), so an unchanged lineage costs a 304; when they changed,
 * it replaces the snapshot and asks the catalog to process again both ends of every edge that
 * appeared or went, so that their relations change within a run and a processing instead of at
 * their next processing interval.
 *
 * When the data mesh backend does not answer (not installed, not reachable, failing), one
 * warning is logged until it answers again, and the snapshot keeps the last edges it had:
 * catalog processing goes on with the relations it last emitted.
 * @public
 */
export class ObservedLineageUpdater {
  private readonly source: ObservedLineageSource;
  private readonly snapshot: ObservedLineageSnapshot;
  private readonly refresh: (entityRef: string) => Promise<void>;
  private readonly logger: LoggerService;
  private etag: string | undefined;
  private failing = false;

  constructor(options: {
    source: ObservedLineageSource;
    snapshot: ObservedLineageSnapshot;
    /** Asks the catalog to process an entity again soon. */
    refresh: (entityRef: string) => Promise<void>;
    logger: LoggerService;
  }) {
    this.source = options.source;
    this.snapshot = options.snapshot;
    this.refresh = options.refresh;
    this.logger = options.logger;
  }

  /** One run: read the edges if they changed, then refresh the products whose relations change. */
  async run(): Promise<void> {
    let changed: string[] = [];
    try {
      const result = await this.source.getProductEdges({
        etag: this.snapshot.isLoaded ? this.etag : undefined,
      });
      if (!result.notModified) {
        changed = this.snapshot.replace(result.items);
        this.etag = result.etag;
      }
      if (this.failing) {
        this.failing = false;
        this.logger.info(
          'The datamesh backend answers again: observed lineage relations are kept current',
        );
      }
    } catch (error) {
      if (!this.failing) {
        this.failing = true;
        this.logger.warn(
          `Observed lineage relations are not kept current: the datamesh backend's lineage API did not answer (${stringifyError(
            error,
          )}). Products keep the observed relations they have; is @backstage-datamesh/plugin-datamesh-backend installed?`,
        );
      } else {
        this.logger.debug(
          `The datamesh backend's lineage API still does not answer: ${stringifyError(
            error,
          )}`,
        );
      }
      return;
    }
    for (const entityRef of changed) {
      try {
        await this.refresh(entityRef);
      } catch (error) {
        // a product removed from the catalog; its next processing, if any, emits the relations
        this.logger.debug(
          `Could not refresh ${entityRef} for its observed lineage relations: ${stringifyError(
            error,
          )}`,
        );
      }
    }
  }
}
