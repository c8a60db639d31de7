import { largeLineageGraph, lineageGraph } from '../../__testUtils__/lineage';
import { buildLineageView, productNodeId } from './graphView';

const ROOT = productNodeId('dataproduct:default/customer-360');
const CHURN = productNodeId('dataproduct:default/churn-features');

describe('buildLineageView', () => {
  it('folds the ports of collapsed products into them, with their edges', () => {
    const view = buildLineageView(lineageGraph(), new Set([ROOT]));
    expect(view.nodes.map(n => n.id)).toEqual([
      ROOT,
      'port:dataproduct:default/customer-360#profiles',
      'job:dbt/analytics.customer_360',
      'product:dataproduct:default/crm-accounts',
      'job:spark/churn_features',
      'dataset:s3://events/clickstream',
      CHURN,
    ]);
    // the collapsed products stand for their ports
    expect(view.nodes.find(n => n.id === CHURN)).toMatchObject({
      expanded: false,
      ports: [expect.objectContaining({ port: 'features' })],
    });
    expect(view.nodes.find(n => n.id === ROOT)).toMatchObject({
      root: true,
      expanded: true,
    });
    expect(view.edges).toEqual([
      {
        from: ROOT,
        to: 'port:dataproduct:default/customer-360#profiles',
        kind: 'hasPort',
      },
      {
        from: 'product:dataproduct:default/crm-accounts',
        to: 'job:dbt/analytics.customer_360',
        kind: 'reads',
      },
      {
        from: 'job:dbt/analytics.customer_360',
        to: 'port:dataproduct:default/customer-360#profiles',
        kind: 'writes',
      },
      {
        from: 'port:dataproduct:default/customer-360#profiles',
        to: 'job:spark/churn_features',
        kind: 'reads',
      },
      {
        from: 'dataset:s3://events/clickstream',
        to: 'job:spark/churn_features',
        kind: 'reads',
      },
      { from: 'job:spark/churn_features', to: CHURN, kind: 'writes' },
    ]);
    expect(view.hidden).toBe(0);
  });

  it('draws the same edge once when two ports of a collapsed product have it', () => {
    const graph = lineageGraph();
    graph.nodes.push({
      ...graph.nodes.find(n => n.id.endsWith('#features'))!,
      id: 'port:dataproduct:default/churn-features#scores',
      port: 'scores',
      label: 'scores',
    });
    graph.edges.push({
      from: 'job:spark/churn_features',
      to: 'port:dataproduct:default/churn-features#scores',
      kind: 'writes',
    });
    const view = buildLineageView(graph, new Set());
    expect(
      view.edges.filter(
        e => e.from === 'job:spark/churn_features' && e.to === CHURN,
      ),
    ).toHaveLength(1);
    expect(view.nodes.find(n => n.id === CHURN)?.ports).toHaveLength(2);
    // expanded, each port is a node with its own edge
    const expanded = buildLineageView(graph, new Set([CHURN]));
    expect(
      expanded.edges.filter(e => e.from === 'job:spark/churn_features'),
    ).toHaveLength(2);
  });

  it('adds a "+N" node on the side of each node whose neighbours were left out', () => {
    const graph = lineageGraph({ truncated: true });
    graph.nodes = graph.nodes.map(node => {
      if (node.id === 'port:dataproduct:default/churn-features#features') {
        return { ...node, hiddenNeighbours: 4 };
      }
      if (node.id === 'port:dataproduct:default/crm-accounts#accounts') {
        return { ...node, hiddenNeighbours: 2 };
      }
      return node;
    });
    const view = buildLineageView(graph, new Set([ROOT]));
    const more = view.nodes.filter(n => n.kind === 'more');
    expect(more.map(n => [n.id, n.hidden])).toEqual([
      ['more:before:product:dataproduct:default/crm-accounts', 2],
      [`more:after:${CHURN}`, 4],
    ]);
    expect(view.edges).toEqual(
      expect.arrayContaining([
        {
          from: 'more:before:product:dataproduct:default/crm-accounts',
          to: 'product:dataproduct:default/crm-accounts',
          kind: 'more',
        },
        { from: CHURN, to: `more:after:${CHURN}`, kind: 'more' },
      ]),
    );
    expect(view.hidden).toBe(6);
  });

  it('leaves out external datasets and their edges when asked', () => {
    const view = buildLineageView(lineageGraph(), new Set([ROOT]), {
      hideExternalDatasets: true,
    });
    expect(view.nodes.map(n => n.id)).not.toContain(
      'dataset:s3://events/clickstream',
    );
    expect(
      view.edges.filter(e => e.from === 'dataset:s3://events/clickstream'),
    ).toEqual([]);
    expect(view.nodes).toHaveLength(6);
  });

  it('keeps every node of a 300-node graph, folding collapsed ports', () => {
    const graph = largeLineageGraph(300);
    expect(graph.nodes).toHaveLength(300);
    const products = graph.nodes
      .filter(n => n.kind === 'product')
      .map(n => n.id);
    const all = buildLineageView(graph, new Set(products));
    // every node, and the "+7" of the last one
    expect(all.nodes).toHaveLength(301);
    const collapsed = buildLineageView(graph, new Set([ROOT]));
    // 99 generated ports folded into their products
    expect(collapsed.nodes).toHaveLength(301 - 99);
    expect(collapsed.hidden).toBe(7);
  });
});
