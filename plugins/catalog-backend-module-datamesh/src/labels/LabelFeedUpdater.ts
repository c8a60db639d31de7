import type { LoggerService } from '@backstage/backend-plugin-api';
import { stringifyError } from '@backstage/errors';

/**
 * What a {@link LabelFeedUpdater} keeps current: a snapshot of labels filled from the data mesh
 * backend's current state and kept current from one of its change feeds.
 * @public
 */
export interface LabelFeed {
  /** What the labels show, for log messages: `health`, `compliance`. */
  subject: string;
  /** The backend API the feed reads, for log messages: `health`, `governance`. */
  api: string;
  /**
   * Fills the snapshot from the current state of every product: the products whose labels
   * changed, and a feed position that state is at least as new as.
   */
  load(): Promise<{ changed: string[]; position: number }>;
  /**
   * Applies one page of the feed after a position to the snapshot: the products whose labels
   * changed and the page's last position; undefined when there is nothing after it.
   */
  follow(
    after: number,
  ): Promise<{ changed: string[]; position: number } | undefined>;
}

/** Pages of the feed read in one run at most; the rest waits for the next run. */
const MAX_PAGES_PER_RUN = 20;

/**
 * Keeps the snapshot of a {@link LabelFeed} current, one run at a time (a scheduled task of
 * each replica): the first run fills it from the current state of every product and notes the
 * feed's position; every run then reads the feed after the last position it saw and asks the
 * catalog to process again each product whose labels changed, so that they change within a run
 * and a processing instead of at the product's next processing interval.
 *
 * Every `resyncEveryMs` the snapshot is filled again and the products that differ are refreshed:
 * on PostgreSQL two writes can commit in the opposite order of their feed positions, and one
 * that commits after a later position was read would otherwise be missed. When the data mesh
 * backend does not answer (not installed, not reachable), one warning is logged until it
 * answers again, and labels stay as they are.
 * @public
 */
export class LabelFeedUpdater {
  private readonly feed: LabelFeed;
  private readonly refresh: (entityRef: string) => Promise<void>;
  private readonly logger: LoggerService;
  private readonly resyncEveryMs: number;
  private readonly now: () => number;
  private position: number | undefined;
  private loadedAt = 0;
  private failing = false;

  constructor(options: {
    feed: LabelFeed;
    /** Asks the catalog to process an entity again soon. */
    refresh: (entityRef: string) => Promise<void>;
    logger: LoggerService;
    /** How often the snapshot is filled again from the current state, ms. */
    resyncEveryMs: number;
    /** The clock, epoch ms; `Date.now` by default. */
    now?: () => number;
  }) {
    this.feed = options.feed;
    this.refresh = options.refresh;
    this.logger = options.logger;
    this.resyncEveryMs = options.resyncEveryMs;
    this.now = options.now ?? Date.now;
  }

  /** One run: load or follow the feed, then refresh the products whose labels changed. */
  async run(): Promise<void> {
    const { subject, api } = this.feed;
    try {
      if (this.position === undefined) {
        await this.load();
      } else {
        await this.follow(this.position);
        if (this.now() - this.loadedAt >= this.resyncEveryMs) {
          await this.load();
        }
      }
      if (this.failing) {
        this.failing = false;
        this.logger.info(
          `The datamesh backend answers again: data product ${subject} labels are kept current`,
        );
      }
    } catch (error) {
      if (!this.failing) {
        this.failing = true;
        this.logger.warn(
          `Data product ${subject} labels are not kept current: the datamesh backend's ${api} API did not answer (${stringifyError(
            error,
          )}). Products keep the labels they have, and get one once it answers; is @backstage-datamesh/plugin-datamesh-backend installed?`,
        );
      } else {
        this.logger.debug(
          `The datamesh backend's ${api} API still does not answer: ${stringifyError(
            error,
          )}`,
        );
      }
    }
  }

  private async load(): Promise<void> {
    const { changed, position } = await this.feed.load();
    this.loadedAt = this.now();
    this.position = Math.max(this.position ?? 0, position);
    await this.refreshAll(changed);
  }

  private async follow(from: number): Promise<void> {
    let after = from;
    for (let page = 0; page < MAX_PAGES_PER_RUN; page++) {
      const next = await this.feed.follow(after);
      if (!next) {
        return;
      }
      after = next.position;
      this.position = after;
      await this.refreshAll(next.changed);
    }
  }

  private async refreshAll(entityRefs: string[]): Promise<void> {
    for (const entityRef of entityRefs) {
      try {
        await this.refresh(entityRef);
      } catch (error) {
        // a product removed from the catalog; its next processing, if any, sets the labels
        this.logger.debug(
          `Could not refresh ${entityRef} for its ${
            this.feed.subject
          } labels: ${stringifyError(error)}`,
        );
      }
    }
  }
}
