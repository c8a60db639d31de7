import type { LoggerService } from '@backstage/backend-plugin-api';
import { stringifyError } from '@backstage/errors';
import type {
  HealthChange,
  ProductHealth,
} from '@backstage-datamesh/plugin-datamesh-common';
import { HealthLabelSnapshot } from './HealthLabelSnapshot';

/**
 * Where the updater reads product health from: the data mesh backend, through
 * `DataMeshHealthClient` of `@backstage-datamesh/plugin-datamesh-node`.
 * @public
 */
export interface HealthLabelSource {
  /** The current health of every evaluated product. */
  listHealth(): Promise<ProductHealth[]>;
  /** One page of the change feed after a position, oldest first. */
  getChanges(options: { after: number }): Promise<HealthChange[]>;
  /** The position of the latest change of the feed. */
  findLatestChangeId(): Promise<number>;
}

/** Pages of the change feed read in one run at most; the rest waits for the next run. */
const MAX_PAGES_PER_RUN = 20;

/**
 * Keeps a {@link HealthLabelSnapshot} current, one run at a time (a scheduled task of each
 * replica): the first run fills it from the current health of every product and notes the
 * feed's latest position; every run then reads the feed after the last position it saw and
 * asks the catalog to process again each product whose health changed, so that its label
 * changes within a run and a processing instead of at its next processing interval.
 *
 * Every `resyncEveryMs` the snapshot is filled again from the current health and the products
 * that differ are refreshed: on PostgreSQL two evaluations can commit in the opposite order of
 * their feed positions, and a change that commits after a later position was read would
 * otherwise be missed. When the data mesh backend does not answer (not installed, not reachable),
 * one warning is logged until it answers again, and labels stay as they are.
 * @public
 */
export class HealthLabelUpdater {
  private readonly source: HealthLabelSource;
  private readonly snapshot: HealthLabelSnapshot;
  private readonly refresh: (entityRef: string) => Promise<void>;
  private readonly logger: LoggerService;
  private readonly resyncEveryMs: number;
  private readonly now: () => number;
  private position: number | undefined;
  private loadedAt = 0;
  private failing = false;

  constructor(options: {
    source: HealthLabelSource;
    snapshot: HealthLabelSnapshot;
    /** Asks the catalog to process an entity again soon. */
    refresh: (entityRef: string) => Promise<void>;
    logger: LoggerService;
    /** How often the snapshot is filled again from the current health, ms. */
    resyncEveryMs: number;
    /** The clock, epoch ms; `Date.now` by default. */
    now?: () => number;
  }) {
    this.source = options.source;
    this.snapshot = options.snapshot;
    this.refresh = options.refresh;
    this.logger = options.logger;
    this.resyncEveryMs = options.resyncEveryMs;
    this.now = options.now ?? Date.now;
  }

  /** One run: load or follow the feed, then refresh the products whose label changed. */
  async run(): Promise<void> {
    try {
      if (this.position === undefined) {
        // the position first: a change made while the health is read is read again, harmlessly
        const position = await this.source.findLatestChangeId();
        await this.load();
        this.position = position;
      } else {
        await this.follow(this.position);
        if (this.now() - this.loadedAt >= this.resyncEveryMs) {
          await this.load();
        }
      }
      if (this.failing) {
        this.failing = false;
        this.logger.info(
          'The datamesh backend answers again: data product health labels are kept current',
        );
      }
    } catch (error) {
      if (!this.failing) {
        this.failing = true;
        this.logger.warn(
          `Data product health labels are not kept current: the datamesh backend's health API did not answer (${stringifyError(
            error,
          )}). Products keep the labels they have, and get one once it answers; is @backstage-datamesh/plugin-datamesh-backend installed?`,
        );
      } else {
        this.logger.debug(
          `The datamesh backend's health API still does not answer: ${stringifyError(
            error,
          )}`,
        );
      }
    }
  }

  private async load(): Promise<void> {
    const items = await this.source.listHealth();
    this.loadedAt = this.now();
    await this.refreshAll(this.snapshot.replace(items));
  }

  private async follow(from: number): Promise<void> {
    let after = from;
    for (let page = 0; page < MAX_PAGES_PER_RUN; page++) {
      const changes = await this.source.getChanges({ after });
      if (changes.length === 0) {
        return;
      }
      after = changes[changes.length - 1].id;
      this.position = after;
      await this.refreshAll(this.snapshot.apply(changes));
    }
  }

  private async refreshAll(entityRefs: string[]): Promise<void> {
    for (const entityRef of entityRefs) {
      try {
        await this.refresh(entityRef);
      } catch (error) {
        // a product removed from the catalog; its next processing, if any, sets the label
        this.logger.debug(
          `Could not refresh ${entityRef} for its health label: ${stringifyError(
            error,
          )}`,
        );
      }
    }
  }
}
