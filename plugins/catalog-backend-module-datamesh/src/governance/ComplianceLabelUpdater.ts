import type { LoggerService } from '@backstage/backend-plugin-api';
import { stringifyError } from '@backstage/errors';
import type { GovernanceChange } from '@backstage-datamesh/plugin-datamesh-common';
import { ComplianceLabelSnapshot } from './ComplianceLabelSnapshot';

/**
 * Where the updater reads compliance from: the data mesh backend, through
 * `DataMeshGovernanceFeedClient` of `@backstage-datamesh/plugin-datamesh-node`.
 * @public
 */
export interface ComplianceLabelSource {
  /** The current compliance of every evaluated product, oldest change first. */
  listCompliance(): Promise<GovernanceChange[]>;
  /** One page of the feed after a position, oldest first. */
  getChanges(options: { since: number }): Promise<GovernanceChange[]>;
}

/** Pages of the feed read in one run at most; the rest waits for the next run. */
const MAX_PAGES_PER_RUN = 20;

/**
 * Keeps a {@link ComplianceLabelSnapshot} current, one run at a time (a scheduled task of each
 * replica): the first run fills it from the current compliance of every product and notes the
 * feed's latest position; every run then reads the feed after the last position it saw and asks
 * the catalog to process again each product whose compliance changed, so that its labels change
 * within a run and a processing instead of at its next processing interval.
 *
 * Every `resyncEveryMs` the snapshot is filled again and the products that differ are refreshed:
 * on PostgreSQL two evaluations can commit in the opposite order of their feed positions, and one
 * that commits after a later position was read would otherwise be missed. When the data mesh
 * backend does not answer (not installed, not reachable), one warning is logged until it answers
 * again, and labels stay as they are.
 * @public
 */
export class ComplianceLabelUpdater {
  private readonly source: ComplianceLabelSource;
  private readonly snapshot: ComplianceLabelSnapshot;
  private readonly refresh: (entityRef: string) => Promise<void>;
  private readonly logger: LoggerService;
  private readonly resyncEveryMs: number;
  private readonly now: () => number;
  private position: number | undefined;
  private loadedAt = 0;
  private failing = false;

  constructor(options: {
    source: ComplianceLabelSource;
    snapshot: ComplianceLabelSnapshot;
    /** Asks the catalog to process an entity again soon. */
    refresh: (entityRef: string) => Promise<void>;
    logger: LoggerService;
    /** How often the snapshot is filled again from the current compliance, ms. */
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

  /** One run: load or follow the feed, then refresh the products whose labels changed. */
  async run(): Promise<void> {
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
          'The datamesh backend answers again: data product compliance labels are kept current',
        );
      }
    } catch (error) {
      if (!this.failing) {
        this.failing = true;
        this.logger.warn(
          `Data product compliance labels are not kept current: the datamesh backend's governance API did not answer (${stringifyError(
            error,
          )}). Products keep the labels they have, and get one once it answers; is @backstage-datamesh/plugin-datamesh-backend installed?`,
        );
      } else {
        this.logger.debug(
          `The datamesh backend's governance API still does not answer: ${stringifyError(
            error,
          )}`,
        );
      }
    }
  }

  private async load(): Promise<void> {
    const items = await this.source.listCompliance();
    this.loadedAt = this.now();
    const latest = items.reduce((max, item) => Math.max(max, item.id), 0);
    this.position = Math.max(this.position ?? 0, latest);
    await this.refreshAll(this.snapshot.replace(items));
  }

  private async follow(from: number): Promise<void> {
    let since = from;
    for (let page = 0; page < MAX_PAGES_PER_RUN; page++) {
      const items = await this.source.getChanges({ since });
      if (items.length === 0) {
        return;
      }
      since = items[items.length - 1].id;
      this.position = since;
      await this.refreshAll(this.snapshot.apply(items));
    }
  }

  private async refreshAll(entityRefs: string[]): Promise<void> {
    for (const entityRef of entityRefs) {
      try {
        await this.refresh(entityRef);
      } catch (error) {
        // a product removed from the catalog; its next processing, if any, sets the labels
        this.logger.debug(
          `Could not refresh ${entityRef} for its compliance labels: ${stringifyError(
            error,
          )}`,
        );
      }
    }
  }
}
