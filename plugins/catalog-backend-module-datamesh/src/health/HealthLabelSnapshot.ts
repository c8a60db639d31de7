import type {
  HealthChange,
  ProductHealth,
  ProductHealthState,
} from '@backstage-datamesh/plugin-datamesh-common';
import { entityRefKey as keyOf } from '../entityRefKey';

interface KnownHealth {
  health: ProductHealthState;
  /** Since when the product has had it, epoch ms. */
  since: number;
}

/**
 * What this replica knows of each product's current health, in memory: filled from the data
 * mesh backend's current health, then kept current from its change feed. The label processor
 * reads it with a Map lookup; every method that changes it answers the products whose label
 * changes, for the catalog to process them again.
 * @public
 */
export class HealthLabelSnapshot {
  private known = new Map<string, KnownHealth>();
  private loaded = false;
  /** Products processed before the first load, which got no label for want of one. */
  private readonly processedUnloaded = new Set<string>();

  /** Whether the snapshot has been filled once. */
  get isLoaded(): boolean {
    return this.loaded;
  }

  /**
   * The current health of a product, when it is known. Before the first load nothing is, and
   * the product is remembered, to be processed again once its health is known.
   */
  healthOf(entityRef: string): ProductHealthState | undefined {
    const key = keyOf(entityRef);
    if (!this.loaded) {
      this.processedUnloaded.add(key);
      return undefined;
    }
    return this.known.get(key)?.health;
  }

  /**
   * Replaces the snapshot with the current health of every product. Answers the products whose
   * label changes: at the first load, those processed before it that have a health; later
   * (a resynchronisation), those whose health differs from what the snapshot held.
   */
  replace(
    items: ReadonlyArray<Pick<ProductHealth, 'entityRef' | 'health' | 'since'>>,
  ): string[] {
    const next = new Map<string, KnownHealth>();
    for (const item of items) {
      next.set(keyOf(item.entityRef), {
        health: item.health,
        since: Date.parse(item.since),
      });
    }
    const changed: string[] = [];
    if (this.loaded) {
      for (const key of new Set([...this.known.keys(), ...next.keys()])) {
        if (this.known.get(key)?.health !== next.get(key)?.health) {
          changed.push(key);
        }
      }
    } else {
      changed.push(...[...this.processedUnloaded].filter(key => next.has(key)));
      this.processedUnloaded.clear();
    }
    this.known = next;
    this.loaded = true;
    return changed;
  }

  /**
   * Applies changes of the feed, oldest first. A change older than the health the snapshot
   * holds for its product (read after the change was made) is skipped, so that reading a change
   * twice, or after a load that already saw it, changes nothing. Answers the products whose
   * label changes.
   */
  apply(changes: ReadonlyArray<HealthChange>): string[] {
    const before = new Map<string, ProductHealthState | undefined>();
    for (const change of changes) {
      const key = keyOf(change.entityRef);
      const at = Date.parse(change.at);
      const current = this.known.get(key);
      if (current && at < current.since) {
        continue;
      }
      if (!before.has(key)) {
        before.set(key, current?.health);
      }
      this.known.set(key, { health: change.to, since: at });
    }
    return [...before]
      .filter(([key, health]) => this.known.get(key)?.health !== health)
      .map(([key]) => key);
  }
}
