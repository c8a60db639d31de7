import type { LoggerService } from '@backstage/backend-plugin-api';
import type { GovernanceChange } from '@backstage-datamesh/plugin-datamesh-common';
import { LabelFeedUpdater } from '../labels/LabelFeedUpdater';
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

/**
 * Keeps a {@link ComplianceLabelSnapshot} current from the data mesh backend's compliance feed
 * (`GET /v1/governance/changes`), as {@link LabelFeedUpdater} describes.
 * @public
 */
export class ComplianceLabelUpdater extends LabelFeedUpdater {
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
    const { source, snapshot, ...rest } = options;
    super({
      ...rest,
      feed: {
        subject: 'compliance',
        api: 'governance',
        async load() {
          const items = await source.listCompliance();
          return {
            changed: snapshot.replace(items),
            // every product's latest change is in the list: the feed is at its newest position
            position: items.reduce((max, item) => Math.max(max, item.id), 0),
          };
        },
        async follow(since) {
          const items = await source.getChanges({ since });
          return items.length === 0
            ? undefined
            : {
                changed: snapshot.apply(items),
                position: items[items.length - 1].id,
              };
        },
      },
    });
  }
}
