import type { LoggerService } from '@backstage/backend-plugin-api';
import type {
  HealthChange,
  ProductHealth,
} from '@backstage-datamesh/plugin-datamesh-common';
import { LabelFeedUpdater } from '../labels/LabelFeedUpdater';
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

/**
 * Keeps a {@link HealthLabelSnapshot} current from the data mesh backend's health and its
 * change feed (`GET /v1/health/changes`), as {@link LabelFeedUpdater} describes.
 * @public
 */
export class HealthLabelUpdater extends LabelFeedUpdater {
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
    const { source, snapshot, ...rest } = options;
    super({
      ...rest,
      feed: {
        subject: 'health',
        api: 'health',
        async load() {
          // the position first: a change made while the health is read is read again, harmlessly
          const position = await source.findLatestChangeId();
          const changed = snapshot.replace(await source.listHealth());
          return { changed, position };
        },
        async follow(after) {
          const changes = await source.getChanges({ after });
          return changes.length === 0
            ? undefined
            : {
                changed: snapshot.apply(changes),
                position: changes[changes.length - 1].id,
              };
        },
      },
    });
  }
}
