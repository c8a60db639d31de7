import type {
  LineageGraph,
  LineageGraphNode,
  LineageImpact,
  PortColumnLineage,
} from '@backstage-datamesh/plugin-datamesh-common';
import { minutesAgo } from './quality';

const ROOT = 'dataproduct:default/customer-360';
const CRM = 'dataproduct:default/crm-accounts';
const CHURN = 'dataproduct:default/churn-features';

/**
 * The lineage of customer-360 as the backend answers it, both ways at depth 2: crm-accounts'
 * accounts port is read by the customer_360 dbt job, which writes customer-360's profiles port;
 * a Spark job of churn-features reads profiles and an external events table and writes its
 * features port.
 */
export function lineageGraph(
  overrides: Partial<LineageGraph> = {},
): LineageGraph {
  return {
    root: `product:${ROOT}`,
    direction: 'both',
    depth: 2,
    truncated: false,
    nodes: [
      {
        id: `product:${ROOT}`,
        kind: 'product',
        label: 'customer-360',
        title: 'Customer 360',
        entityRef: ROOT,
        health: 'breaching',
        distance: 0,
        side: 'root',
      },
      {
        id: `port:${ROOT}#profiles`,
        kind: 'port',
        label: 'profiles',
        entityRef: ROOT,
        title: 'Customer 360',
        port: 'profiles',
        dataset: {
          namespace: 'postgres://warehouse:5432',
          name: 'analytics.public.customer_360',
        },
        health: 'breaching',
        distance: 0,
        side: 'root',
      },
      {
        id: 'job:dbt/analytics.customer_360',
        kind: 'job',
        label: 'analytics.customer_360',
        job: {
          namespace: 'dbt',
          name: 'analytics.customer_360',
          latestRun: {
            runId: '0190a9b2-0000-7000-8000-000000000001',
            state: 'COMPLETE',
            stateTime: minutesAgo(30),
            endedAt: minutesAgo(30),
          },
        },
        distance: 0,
        side: 'root',
      },
      {
        id: `product:${CRM}`,
        kind: 'product',
        label: 'crm-accounts',
        title: 'CRM Accounts',
        entityRef: CRM,
        health: 'healthy',
        distance: 1,
        side: 'upstream',
      },
      {
        id: `port:${CRM}#accounts`,
        kind: 'port',
        label: 'accounts',
        entityRef: CRM,
        title: 'CRM Accounts',
        port: 'accounts',
        dataset: {
          namespace: 'postgres://crm:5432',
          name: 'crm.public.accounts',
        },
        health: 'healthy',
        distance: 1,
        side: 'upstream',
      },
      {
        id: 'job:spark/churn_features',
        kind: 'job',
        label: 'churn_features',
        job: {
          namespace: 'spark',
          name: 'churn_features',
          latestRun: {
            runId: '0190a9b2-0000-7000-8000-000000000002',
            state: 'FAIL',
            stateTime: minutesAgo(12),
            endedAt: minutesAgo(12),
          },
        },
        distance: 1,
        side: 'downstream',
      },
      {
        id: 'dataset:s3://events/clickstream',
        kind: 'dataset',
        label: 'clickstream',
        dataset: { namespace: 's3://events', name: 'clickstream' },
        distance: 1,
        side: 'downstream',
      },
      {
        id: `product:${CHURN}`,
        kind: 'product',
        label: 'churn-features',
        title: 'Churn Features',
        entityRef: CHURN,
        health: 'degraded',
        distance: 1,
        side: 'downstream',
      },
      {
        id: `port:${CHURN}#features`,
        kind: 'port',
        label: 'features',
        entityRef: CHURN,
        title: 'Churn Features',
        port: 'features',
        dataset: { namespace: 's3://ml', name: 'features/churn' },
        health: 'degraded',
        distance: 1,
        side: 'downstream',
      },
    ],
    edges: [
      { from: `product:${ROOT}`, to: `port:${ROOT}#profiles`, kind: 'hasPort' },
      { from: `product:${CRM}`, to: `port:${CRM}#accounts`, kind: 'hasPort' },
      {
        from: `port:${CRM}#accounts`,
        to: 'job:dbt/analytics.customer_360',
        kind: 'reads',
      },
      {
        from: 'job:dbt/analytics.customer_360',
        to: `port:${ROOT}#profiles`,
        kind: 'writes',
      },
      {
        from: `port:${ROOT}#profiles`,
        to: 'job:spark/churn_features',
        kind: 'reads',
      },
      {
        from: 'dataset:s3://events/clickstream',
        to: 'job:spark/churn_features',
        kind: 'reads',
      },
      {
        from: 'job:spark/churn_features',
        to: `port:${CHURN}#features`,
        kind: 'writes',
      },
      {
        from: `product:${CHURN}`,
        to: `port:${CHURN}#features`,
        kind: 'hasPort',
      },
    ],
    ...overrides,
  };
}

/**
 * A generated lineage graph of `size` nodes downstream of customer-360: `size / 3` products,
 * each with one port written by its own job that reads the previous product's port, the last
 * node saying neighbours were left out.
 */
export function largeLineageGraph(size: number): LineageGraph {
  const base = lineageGraph();
  const nodes: LineageGraphNode[] = base.nodes.slice(0, 3);
  const edges = base.edges.slice(0, 1);
  edges.push({
    from: 'job:dbt/analytics.customer_360',
    to: `port:${ROOT}#profiles`,
    kind: 'writes',
  });
  let previousPort = `port:${ROOT}#profiles`;
  for (let i = 0; nodes.length + 3 <= size; i++) {
    const ref = `dataproduct:default/generated-${i}`;
    const distance = Math.floor(i / 10) + 1;
    nodes.push(
      {
        id: `job:gen/job-${i}`,
        kind: 'job',
        label: `job-${i}`,
        job: { namespace: 'gen', name: `job-${i}` },
        distance,
        side: 'downstream',
      },
      {
        id: `product:${ref}`,
        kind: 'product',
        label: `generated-${i}`,
        title: `Generated ${i}`,
        entityRef: ref,
        health: (['healthy', 'degraded', 'breaching', 'unknown'] as const)[
          i % 4
        ],
        distance,
        side: 'downstream',
      },
      {
        id: `port:${ref}#out`,
        kind: 'port',
        label: 'out',
        entityRef: ref,
        port: 'out',
        dataset: { namespace: 'gen', name: `table_${i}` },
        distance,
        side: 'downstream',
      },
    );
    edges.push(
      { from: previousPort, to: `job:gen/job-${i}`, kind: 'reads' },
      { from: `job:gen/job-${i}`, to: `port:${ref}#out`, kind: 'writes' },
      { from: `product:${ref}`, to: `port:${ref}#out`, kind: 'hasPort' },
    );
    // ten products read each port: a wide and deep graph
    if (i % 10 === 9) {
      previousPort = `port:${ref}#out`;
    }
  }
  nodes[nodes.length - 1] = { ...nodes[nodes.length - 1], hiddenNeighbours: 7 };
  return { ...base, nodes, edges, truncated: true, depth: 'all' };
}

/** The column lineage of customer-360's profiles port. */
export function columnLineage(): PortColumnLineage {
  return {
    entityRef: ROOT,
    port: 'profiles',
    dataset: {
      namespace: 'postgres://warehouse:5432',
      name: 'analytics.public.customer_360',
    },
    columns: [
      {
        name: 'customer_id',
        type: 'string',
        sources: [
          {
            dataset: {
              namespace: 'postgres://crm:5432',
              name: 'crm.public.accounts',
            },
            entityRef: CRM,
            port: 'accounts',
            column: 'account_id',
            transformationType: 'DIRECT',
            transformationSubtype: 'IDENTITY',
            job: { namespace: 'dbt', name: 'analytics.customer_360' },
          },
        ],
      },
      {
        name: 'email_hash',
        type: 'string',
        sources: [
          {
            dataset: {
              namespace: 'postgres://crm:5432',
              name: 'crm.public.accounts',
            },
            entityRef: CRM,
            port: 'accounts',
            column: 'email',
            transformationType: 'DIRECT',
            transformationSubtype: 'TRANSFORMATION',
            description: 'sha256 of the lower-cased email',
            masking: true,
            job: { namespace: 'dbt', name: 'analytics.customer_360' },
          },
        ],
      },
      {
        name: 'lifetime_value',
        type: 'decimal(12,2)',
        sources: [
          {
            dataset: { namespace: 's3://billing', name: 'invoices' },
            column: 'amount',
            transformationType: 'DIRECT',
            transformationSubtype: 'AGGREGATION',
            description: 'sum of paid invoices',
          },
        ],
      },
      { name: 'updated_at', type: 'timestamp', sources: [] },
    ],
    datasetDependencies: [
      {
        dataset: {
          namespace: 'postgres://crm:5432',
          name: 'crm.public.accounts',
        },
        entityRef: CRM,
        port: 'accounts',
        column: 'is_deleted',
        transformationType: 'INDIRECT',
        transformationSubtype: 'FILTER',
      },
    ],
  };
}

/** Who is hit when customer-360 fails. */
export function impact(): LineageImpact {
  return {
    entityRef: ROOT,
    products: [
      {
        entityRef: 'dataproduct:default/marketing-attribution',
        title: 'Marketing Attribution',
        distance: 2,
        owner: 'group:default/marketing-team',
        health: 'healthy',
        via: [
          {
            fromEntityRef: CHURN,
            fromPort: 'features',
            job: { namespace: 'airflow', name: 'attribution.daily' },
          },
        ],
      },
      {
        entityRef: CHURN,
        title: 'Churn Features',
        distance: 1,
        owner: 'group:default/data-science',
        onCall: 'group:default/ds-oncall',
        health: 'degraded',
        via: [
          {
            fromEntityRef: ROOT,
            fromPort: 'profiles',
            job: { namespace: 'spark', name: 'churn_features' },
          },
        ],
      },
      {
        entityRef: 'dataproduct:default/support-insights',
        title: 'Support Insights',
        distance: 1,
        owner: 'group:default/support-team',
        onCall: 'group:default/support-oncall',
        health: 'breaching',
        via: [
          {
            fromEntityRef: ROOT,
            fromPort: 'profiles',
            job: { namespace: 'dbt', name: 'support.insights' },
          },
        ],
      },
    ],
    externalDatasets: [{ namespace: 's3://exports', name: 'crm_sync' }],
  };
}
