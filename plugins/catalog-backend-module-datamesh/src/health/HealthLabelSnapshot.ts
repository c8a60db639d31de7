import type {
  HealthChange,
  ProductHealth,
  ProductHealthState,
} from '@backstage-datamesh/plugin-datamesh-common';
import { LabelSnapshot } from '../labels/LabelSnapshot';

interface KnownHealth {
  health: ProductHealthState;
  /** Since when the product has had it, epoch ms. */
  since: number;
}

/**
 * What this replica knows of each product's current health, in memory: filled from the data
 * mesh backend's current health, then kept current from its change feed (a
 * {@link LabelSnapshot}).
 * @public
 */
export class HealthLabelSnapshot extends LabelSnapshot<KnownHealth> {
  constructor() {
    super({
      same: (a, b) => a?.health === b?.health,
      isOlder: (value, current) => value.since < current.since,
    });
  }

  /**
   * The current health of a product, when it is known. Before the first load nothing is, and
   * the product is remembered, to be processed again once its health is known.
   */
  healthOf(entityRef: string): ProductHealthState | undefined {
    return this.lookup(entityRef)?.health;
  }

  /** Replaces the snapshot with the current health of every product (see `replaceAll`). */
  replace(
    items: ReadonlyArray<Pick<ProductHealth, 'entityRef' | 'health' | 'since'>>,
  ): string[] {
    return this.replaceAll(
      items.map(item => [
        item.entityRef,
        { health: item.health, since: Date.parse(item.since) },
      ]),
    );
  }

  /** Applies changes of the feed, oldest first (see `applyAll`). */
  apply(changes: ReadonlyArray<HealthChange>): string[] {
    return this.applyAll(
      changes.map(change => [
        change.entityRef,
        { health: change.to, since: Date.parse(change.at) },
      ]),
    );
  }
}
