import type {
  LineageDrift,
  LineageGraph,
  LineageGraphNode,
  LineageImpact,
  ObservedProductEdges,
  PortColumnLineage,
} from '@backstage-datamesh/plugin-datamesh-common';
import { createHash } from 'node:crypto';

/**
 * Whether the caller may see a product, by entity ref (`ProductVisibility.canSee`).
 * @internal
 */
export type CanSee = (entityRef: string) => boolean;

/** The label of a product node the caller may not see. */
export const HIDDEN_PRODUCT_LABEL = 'Restricted data product';

/** The label of a port node of a product the caller may not see. */
export const HIDDEN_PORT_LABEL = 'Restricted port';

/**
 * A lineage graph as a caller may see it: the lineage walk runs over every product (read with the
 * plugin's credentials), so a product the caller may not see can stand next to one it may. Such a
 * product keeps its place in the graph (the lineage goes through it) but not its name, title,
 * owner, health, port names or datasets: its node becomes `product:restricted-<n>` labelled
 * {@link HIDDEN_PRODUCT_LABEL}, its ports `port:restricted-<n>#<m>`, and the edges follow them.
 * @internal
 */
export function redactGraph(graph: LineageGraph, canSee: CanSee): LineageGraph {
  const hidden = new Map<string, number>();
  const ids = new Map<string, string>();
  const portsOf = new Map<string, number>();
  const nodes = graph.nodes.map((node): LineageGraphNode => {
    if (!node.entityRef || canSee(node.entityRef)) {
      return node;
    }
    let n = hidden.get(node.entityRef);
    if (n === undefined) {
      n = hidden.size + 1;
      hidden.set(node.entityRef, n);
    }
    const base = {
      kind: node.kind,
      distance: node.distance,
      side: node.side,
      ...(node.hiddenNeighbours !== undefined
        ? { hiddenNeighbours: node.hiddenNeighbours }
        : {}),
    };
    if (node.kind === 'port') {
      const m = (portsOf.get(node.entityRef) ?? 0) + 1;
      portsOf.set(node.entityRef, m);
      const id = `port:restricted-${n}#${m}`;
      ids.set(node.id, id);
      return { ...base, id, label: HIDDEN_PORT_LABEL };
    }
    const id = `product:restricted-${n}`;
    ids.set(node.id, id);
    return { ...base, id, label: HIDDEN_PRODUCT_LABEL };
  });
  if (!hidden.size) {
    return graph;
  }
  const idOf = (id: string) => ids.get(id) ?? id;
  return {
    ...graph,
    root: idOf(graph.root),
    nodes,
    edges: graph.edges.map(e => ({ ...e, from: idOf(e.from), to: idOf(e.to) })),
  };
}

/**
 * A product's failure impact as a caller may see it: the products hit that it may not see are
 * left out (their names, owners and on-call rotations are what the impact tells), and so are the
 * `via` entries that name one.
 * @internal
 */
export function redactImpact(
  impact: LineageImpact,
  canSee: CanSee,
): LineageImpact {
  return {
    ...impact,
    products: impact.products
      .filter(p => canSee(p.entityRef))
      .map(p => ({
        ...p,
        via: p.via.filter(v => canSee(v.fromEntityRef)),
      })),
  };
}

/**
 * A port's column lineage as a caller may see it: a source column of a product it may not see
 * keeps its dataset and column (what the pipeline reported) but not the product and port.
 * @internal
 */
export function redactColumnLineage(
  lineage: PortColumnLineage,
  canSee: CanSee,
): PortColumnLineage {
  const source = <T extends { entityRef?: string; port?: string }>(s: T): T => {
    if (!s.entityRef || canSee(s.entityRef)) {
      return s;
    }
    const { entityRef: _ref, port: _port, ...rest } = s;
    return rest as T;
  };
  return {
    ...lineage,
    columns: lineage.columns.map(c => ({
      ...c,
      sources: c.sources.map(source),
    })),
    datasetDependencies: lineage.datasetDependencies.map(source),
  };
}

/**
 * A product's drift as a caller may see it: the undeclared inputs and consumers that are products
 * it may not see are left out. The declared input ports not read stay: the product's own
 * spec names them, which the caller reads anyway.
 * @internal
 */
export function redactDrift(drift: LineageDrift, canSee: CanSee): LineageDrift {
  return {
    ...drift,
    undeclaredInputs: drift.undeclaredInputs.filter(i => canSee(i.entityRef)),
    undeclaredConsumers: drift.undeclaredConsumers.filter(c =>
      canSee(c.entityRef),
    ),
  };
}

/** Whether a drift still finds something. */
export function hasDrift(drift: LineageDrift): boolean {
  return Boolean(
    drift.undeclaredInputs.length ||
      drift.unobservedInputs.length ||
      drift.undeclaredConsumers.length,
  );
}

/**
 * The observed product edges a caller may see (both ends visible), with the ETag of what it is
 * answered: another caller's answer has another tag.
 * @internal
 */
export function redactProductEdges(
  edges: ObservedProductEdges,
  canSee: CanSee,
): ObservedProductEdges {
  const items = edges.items.filter(e => canSee(e.from) && canSee(e.to));
  if (items.length === edges.items.length) {
    return edges;
  }
  const etag = `"${createHash('sha256')
    .update(JSON.stringify(items))
    .digest('base64url')
    .slice(0, 27)}"`;
  return { items, etag };
}
