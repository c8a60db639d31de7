import type {
  LineageGraph,
  LineageGraphNode,
  LineageNodeKind,
} from '@backstage-datamesh/plugin-datamesh-common';

/** The kinds of nodes the graph draws: the lineage's own, and the "+N" of left-out neighbours. */
export type LineageViewNodeKind = LineageNodeKind | 'more';

/**
 * A node as the graph draws it. A product whose ports are collapsed stands for its ports too:
 * the edges of its ports are drawn to and from it.
 */
export interface LineageViewNode {
  id: string;
  kind: LineageViewNodeKind;
  /** The lineage node it draws; absent for a "+N" node. */
  node?: LineageGraphNode;
  /** Product nodes: the product's ports in the graph (drawn inside it while collapsed). */
  ports: LineageGraphNode[];
  /** Product nodes: whether its ports are drawn as nodes of their own. */
  expanded: boolean;
  /** The root product of the graph. */
  root: boolean;
  /** "+N" nodes: how many neighbours were left out beyond the node it is attached to. */
  hidden: number;
}

/** An edge as the graph draws it, from a node of the view to another. */
export interface LineageViewEdge {
  from: string;
  to: string;
  kind: 'reads' | 'writes' | 'hasPort' | 'more';
}

/** What the graph draws: the lineage with collapsed ports folded into their products. */
export interface LineageView {
  nodes: LineageViewNode[];
  edges: LineageViewEdge[];
  /** How many neighbours were left out in all (the sum of the "+N" nodes). */
  hidden: number;
}

/** The id of a product node of the lineage graph. */
export function productNodeId(entityRef: string): string {
  return `product:${entityRef}`;
}

/**
 * Folds a lineage graph into what the graph draws: the ports of each product not in `expanded`
 * (product node ids) are drawn as part of their product, with their edges moved to it (edges
 * that become the same are drawn once, a port's own `hasPort` edge is dropped); every node that
 * says neighbours were left out gets a "+N" node on its side of the graph (upstream nodes before
 * it, downstream ones after it). With `hideExternalDatasets`, datasets no product declares are
 * left out with their edges.
 */
export function buildLineageView(
  graph: LineageGraph,
  expanded: ReadonlySet<string>,
  options: { hideExternalDatasets?: boolean } = {},
): LineageView {
  const byId = new Map(graph.nodes.map(node => [node.id, node]));
  const portsOf = new Map<string, LineageGraphNode[]>();
  /** the node drawn for each lineage node: itself, or the collapsed product of a port */
  const drawnAs = new Map<string, string>();
  for (const node of graph.nodes) {
    // hidden external datasets are not drawn, nor their edges
    if (options.hideExternalDatasets && node.kind === 'dataset') {
      continue;
    }
    drawnAs.set(node.id, node.id);
    if (node.kind !== 'port' || !node.entityRef) {
      continue;
    }
    const productId = productNodeId(node.entityRef);
    if (!byId.has(productId)) {
      continue;
    }
    portsOf.set(productId, [...(portsOf.get(productId) ?? []), node]);
    if (!expanded.has(productId)) {
      drawnAs.set(node.id, productId);
    }
  }

  const nodes: LineageViewNode[] = [];
  for (const node of graph.nodes) {
    if (drawnAs.get(node.id) !== node.id) {
      continue;
    }
    nodes.push({
      id: node.id,
      kind: node.kind,
      node,
      ports: portsOf.get(node.id) ?? [],
      expanded: expanded.has(node.id),
      root: node.id === graph.root,
      hidden: 0,
    });
  }

  const edges: LineageViewEdge[] = [];
  const seen = new Set<string>();
  const addEdge = (edge: LineageViewEdge) => {
    const key = `${edge.from}\u0000${edge.to}`;
    if (edge.from === edge.to || seen.has(key)) {
      return;
    }
    seen.add(key);
    edges.push(edge);
  };
  for (const edge of graph.edges) {
    const from = drawnAs.get(edge.from);
    const to = drawnAs.get(edge.to);
    // an edge to a node the graph does not have is not drawn
    if (from && to) {
      addEdge({ from, to, kind: edge.kind });
    }
  }

  // the left-out neighbours, one "+N" per drawn node and side
  const hiddenBefore = new Map<string, number>();
  const hiddenAfter = new Map<string, number>();
  let hidden = 0;
  for (const node of graph.nodes) {
    const count = node.hiddenNeighbours ?? 0;
    const drawn = drawnAs.get(node.id);
    if (count <= 0 || !drawn) {
      continue;
    }
    hidden += count;
    const before =
      node.side === 'upstream' ||
      (node.side === 'root' && graph.direction === 'upstream');
    const counts = before ? hiddenBefore : hiddenAfter;
    counts.set(drawn, (counts.get(drawn) ?? 0) + count);
  }
  for (const [side, counts] of [
    ['before', hiddenBefore],
    ['after', hiddenAfter],
  ] as const) {
    for (const [drawn, count] of counts) {
      const id = `more:${side}:${drawn}`;
      nodes.push({
        id,
        kind: 'more',
        ports: [],
        expanded: false,
        root: false,
        hidden: count,
      });
      addEdge(
        side === 'before'
          ? { from: id, to: drawn, kind: 'more' }
          : { from: drawn, to: id, kind: 'more' },
      );
    }
  }
  return { nodes, edges, hidden };
}
