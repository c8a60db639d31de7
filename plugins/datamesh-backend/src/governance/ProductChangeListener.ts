/**
 * Told that a data product or one of the facts the governance reads about it changed (a quality
 * run stored, its health moved, lineage observed for its ports), so that its compliance is
 * evaluated again soon rather than at the next scheduled evaluation. The services that store
 * facts depend on this interface alone, not on the governance.
 * @internal
 */
export interface ProductChangeListener {
  /** A product changed (its entity ref); must return at once and never throw. */
  notifyProductChanged(entityRef: string): void;
}

/**
 * Passes each change on to every listener added: created before the services that tell it and
 * those that listen, so that neither depends on the other.
 * @internal
 */
export class ProductChangeFanout implements ProductChangeListener {
  private readonly listeners: ProductChangeListener[] = [];

  /** Adds a listener. */
  add(listener: ProductChangeListener): void {
    this.listeners.push(listener);
  }

  notifyProductChanged(entityRef: string): void {
    for (const listener of this.listeners) {
      try {
        listener.notifyProductChanged(entityRef);
      } catch {
        // a listener's failure is its own: the write that told it stands
      }
    }
  }
}
