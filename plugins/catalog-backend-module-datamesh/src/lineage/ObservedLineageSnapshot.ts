import type { ObservedProductEdge } from '@backstage-datamesh/plugin-datamesh-common';
import { entityRefKey as keyOf } from '../entityRefKey';

/** The observed neighbours of one product, by key, with the references as the backend wrote them. */
interface Neighbours {
  /** The upstream products this one was observed reading. */
  upstream: Map<string, string>;
  /** The downstream products observed reading this one. */
  downstream: Map<string, string>;
}

/** The neighbours of a product as one comparable string: keys sorted. */
function signature(neighbours: Neighbours | undefined): string {
  if (!neighbours) {
    return '';
  }
  const up = [...neighbours.upstream.keys()].sort().join(',');
  const down = [...neighbours.downstream.keys()].sort().join(',');
  return `${up}|${down}`;
}

/**
 * What this replica knows of the observed product-to-product lineage, in memory: the edges of
 * the data mesh backend's `GET /v1/lineage/product-edges`, by product (several ports or jobs
 * between the same two products make one edge). The relations processor reads it with a Map
 * lookup; {@link ObservedLineageSnapshot.replace} answers the products whose observed
 * neighbours change, for the catalog to process them again.
 * @public
 */
export class ObservedLineageSnapshot {
  private byProduct = new Map<string, Neighbours>();
  private loaded = false;
  /** Products processed before the first load, which got no relation for want of one. */
  private readonly processedUnloaded = new Set<string>();

  /** Whether the snapshot has been filled once. */
  get isLoaded(): boolean {
    return this.loaded;
  }

  /**
   * The products a product was observed reading (upstream) and observed being read by
   * (downstream), as entity references. Before the first load nothing is known, and the
   * product is remembered, to be processed again once the edges are.
   */
  neighboursOf(entityRef: string): {
    upstream: string[];
    downstream: string[];
  } {
    const key = keyOf(entityRef);
    if (!this.loaded) {
      this.processedUnloaded.add(key);
    }
    const neighbours = this.byProduct.get(key);
    return {
      upstream: neighbours ? [...neighbours.upstream.values()] : [],
      downstream: neighbours ? [...neighbours.downstream.values()] : [],
    };
  }

  /**
   * Replaces the snapshot with the edges the backend answered. Answers the products (keys)
   * whose observed neighbours change, both ends of each edge that appeared or went: at the first
   * load, those processed before it that have an edge; later, every product whose upstream or
   * downstream products differ from what the snapshot held.
   */
  replace(
    edges: ReadonlyArray<Pick<ObservedProductEdge, 'from' | 'to'>>,
  ): string[] {
    const next = new Map<string, Neighbours>();
    const neighboursOf = (key: string) => {
      let neighbours = next.get(key);
      if (!neighbours) {
        neighbours = { upstream: new Map(), downstream: new Map() };
        next.set(key, neighbours);
      }
      return neighbours;
    };
    for (const edge of edges) {
      const from = keyOf(edge.from);
      const to = keyOf(edge.to);
      if (from === to) {
        // a product's own jobs reading its own port: no relation to itself
        continue;
      }
      neighboursOf(to).upstream.set(from, edge.from);
      neighboursOf(from).downstream.set(to, edge.to);
    }
    const changed: string[] = [];
    if (this.loaded) {
      for (const key of new Set([...this.byProduct.keys(), ...next.keys()])) {
        if (signature(this.byProduct.get(key)) !== signature(next.get(key))) {
          changed.push(key);
        }
      }
    } else {
      changed.push(...[...this.processedUnloaded].filter(key => next.has(key)));
      this.processedUnloaded.clear();
    }
    this.byProduct = next;
    this.loaded = true;
    return changed;
  }
}
