import { entityRefKey as keyOf } from '../entityRefKey';

/**
 * What this replica knows of a value of each product (its health, its compliance), in memory:
 * filled from the data mesh backend's current state, then kept current from a change feed. A
 * label processor reads it with a Map lookup; every method that changes it answers the products
 * whose labels change, for the catalog to process them again.
 * @public
 */
export class LabelSnapshot<T> {
  private known = new Map<string, T>();
  private loaded = false;
  /** Products processed before the first load, which got no label for want of one. */
  private readonly processedUnloaded = new Set<string>();

  constructor(
    private readonly rules: {
      /** Whether two values give the same labels. */
      same: (a: T | undefined, b: T | undefined) => boolean;
      /** Whether a value of the feed is older than the one the snapshot holds. */
      isOlder: (value: T, current: T) => boolean;
    },
  ) {}

  /** Whether the snapshot has been filled once. */
  get isLoaded(): boolean {
    return this.loaded;
  }

  /**
   * The value of a product, when it is known. Before the first load nothing is, and the
   * product is remembered, to be processed again once its value is known.
   */
  protected lookup(entityRef: string): T | undefined {
    const key = keyOf(entityRef);
    if (!this.loaded) {
      this.processedUnloaded.add(key);
      return undefined;
    }
    return this.known.get(key);
  }

  /**
   * Replaces the snapshot with the value of every product. Answers the products whose labels
   * change: at the first load, those processed before it that have a value; later (a
   * resynchronisation), those whose value differs from what the snapshot held.
   */
  protected replaceAll(entries: Iterable<[string, T]>): string[] {
    const next = new Map<string, T>();
    for (const [entityRef, value] of entries) {
      next.set(keyOf(entityRef), value);
    }
    const changed: string[] = [];
    if (this.loaded) {
      for (const key of new Set([...this.known.keys(), ...next.keys()])) {
        if (!this.rules.same(this.known.get(key), next.get(key))) {
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
   * Applies changes of the feed, oldest first. A change older than the value the snapshot holds
   * for its product (read after the change was made) is skipped, so that reading a change
   * twice, or after a load that already saw it, changes nothing. Answers the products whose
   * labels change.
   */
  protected applyAll(entries: Iterable<[string, T]>): string[] {
    const before = new Map<string, T | undefined>();
    for (const [entityRef, value] of entries) {
      const key = keyOf(entityRef);
      const current = this.known.get(key);
      if (current !== undefined && this.rules.isOlder(value, current)) {
        continue;
      }
      if (!before.has(key)) {
        before.set(key, current);
      }
      this.known.set(key, value);
    }
    return [...before]
      .filter(
        ([key, previous]) => !this.rules.same(this.known.get(key), previous),
      )
      .map(([key]) => key);
  }
}
