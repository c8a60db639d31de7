import type { AuditorService } from '@backstage/backend-plugin-api';
import type { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import {
  LINEAGE_RUN_STATES,
  type LineageGraph,
  type LineageGraphDepth,
} from '@backstage-datamesh/plugin-datamesh-common';
import type { QualityService } from '../quality/QualityService';
import type { LineageGraphService } from '../lineage/LineageGraphService';
import { redactGraph, redactImpact } from '../lineage/redact';
import type { ProductVisibility } from '../service/visibility';
import { readProductData } from './productActions';
import { Zod, healthState, productRefInput } from './schemas';

/**
 * What the lineage actions read through.
 * @internal
 */
export interface LineageActionsOptions {
  actionsRegistry: ActionsRegistryService;
  /** Reads the product an input names with the caller's credentials. */
  quality: QualityService;
  lineage: LineageGraphService;
  /** Which products the caller may see: the others are left out of what the actions answer. */
  visibility: ProductVisibility;
  /** Records the reads of restricted products. */
  auditor: AuditorService;
}

/** The most nodes an action's walk keeps. */
const ACTION_MAX_NODES = 2000;

const depthInput = (z: Zod, fallback: LineageGraphDepth) =>
  z
    .union([z.number().int().min(1).max(5), z.literal('all')])
    .optional()
    .describe(
      `Job hops from the product: 1 to 5, or "all"; ${fallback} when not given. One hop is a job that writes (upstream) or reads (downstream) a dataset of the product.`,
    );

const datasetName = (z: Zod) =>
  z.object({
    namespace: z
      .string()
      .describe(
        'The OpenLineage namespace (data source), such as postgres://db:5432',
      ),
    name: z.string().describe('The dataset name, such as db.schema.table'),
  });

/** What the upstream and downstream actions answer. */
const walkOutput = (z: Zod) =>
  z.object({
    entityRef: z.string(),
    depth: z.union([z.number(), z.literal('all')]),
    products: z
      .array(
        z.object({
          entityRef: z.string(),
          title: z.string().optional(),
          distance: z.number().describe('Job hops from the product'),
          health: healthState(z).optional(),
          ports: z.array(z.string()).describe('Its output ports on the way'),
        }),
      )
      .describe('The data products on the way, nearest first'),
    jobs: z
      .array(
        z.object({
          namespace: z.string(),
          name: z.string(),
          distance: z.number(),
          latestRunState: z.enum(LINEAGE_RUN_STATES).optional(),
          latestRunAt: z
            .string()
            .optional()
            .describe('When the latest run reached that state (ISO 8601)'),
        }),
      )
      .describe(
        'The pipeline jobs on the way (OpenLineage jobs), nearest first',
      ),
    externalDatasets: z
      .array(datasetName(z).extend({ distance: z.number() }))
      .describe(
        'Datasets on the way that no data product declares as output port',
      ),
    truncated: z.boolean().describe('True when the walk was cut at 2000 nodes'),
  });

/** A graph, as the upstream and downstream actions answer it. */
function summarise(entityRef: string, graph: LineageGraph) {
  const products = new Map<
    string,
    {
      entityRef: string;
      title?: string;
      distance: number;
      health?: LineageGraph['nodes'][number]['health'];
      ports: string[];
    }
  >();
  for (const node of graph.nodes) {
    // a product the caller may not see has no entityRef (redactGraph): left out
    if (
      node.kind === 'product' &&
      node.entityRef &&
      node.entityRef !== entityRef
    ) {
      products.set(node.entityRef!, {
        entityRef: node.entityRef!,
        ...(node.title ? { title: node.title } : {}),
        distance: node.distance,
        ...(node.health ? { health: node.health } : {}),
        ports: [],
      });
    }
  }
  for (const node of graph.nodes) {
    if (node.kind === 'port' && products.has(node.entityRef!)) {
      products.get(node.entityRef!)!.ports.push(node.port!);
    }
  }
  return {
    entityRef,
    depth: graph.depth,
    products: [...products.values()],
    jobs: graph.nodes
      .filter(n => n.kind === 'job')
      .map(n => ({
        namespace: n.job!.namespace,
        name: n.job!.name,
        distance: n.distance,
        ...(n.job!.latestRun?.state
          ? { latestRunState: n.job!.latestRun.state }
          : {}),
        ...(n.job!.latestRun?.stateTime
          ? { latestRunAt: n.job!.latestRun.stateTime }
          : {}),
      })),
    externalDatasets: graph.nodes
      .filter(n => n.kind === 'dataset')
      .map(n => ({ ...n.dataset!, distance: n.distance })),
    truncated: graph.truncated,
  };
}

/**
 * Registers `get-data-product-upstream`, `get-data-product-downstream` and
 * `get-data-product-impact`: the observed lineage of a product for assistants. Each reads the
 * product with the caller's credentials.
 * @internal
 */
export function registerLineageActions(options: LineageActionsOptions) {
  const { actionsRegistry, quality, lineage, visibility, auditor } = options;

  for (const direction of ['upstream', 'downstream'] as const) {
    actionsRegistry.register({
      name: `get-data-product-${direction}`,
      title: `Get data product ${direction} lineage`,
      description:
        direction === 'upstream'
          ? `Where one data product's data comes from, as its pipelines reported it (OpenLineage events): the data products whose output ports its jobs read, the jobs on the way with the state of their latest run, and the external datasets (sources no data product declares), nearest first.
Use it to find the source of bad or late data: a product is only as fresh and correct as what it reads.
Depth counts job hops: 1 is what the product's own jobs read; "all" follows the lineage to its sources.`
          : `Where one data product's data goes, as the pipelines reported it (OpenLineage events): the data products whose jobs read its output ports, and on from them, the jobs on the way with the state of their latest run, and the external datasets written on the way, nearest first.
Use it before changing or removing an output port, to see who reads it. For who to notify when the product fails, use get-data-product-impact.
Depth counts job hops: 1 is the jobs that read the product's ports and what they write; "all" follows the lineage to its end.`,
      attributes: { readOnly: true, idempotent: true, destructive: false },
      schema: {
        input: z =>
          z.object({
            entityRef: productRefInput(z),
            depth: depthInput(z, 'all'),
          }),
        output: walkOutput,
      },
      action: async ({ input, credentials }) =>
        readProductData(
          {
            service: quality,
            auditor,
            action: `get-data-product-${direction}`,
            entityRef: input.entityRef,
            credentials,
          },
          async entity => {
            const depth = (input.depth ?? 'all') as LineageGraphDepth;
            const graph = redactGraph(
              await lineage.graph(entity, {
                direction,
                depth,
                maxNodes: ACTION_MAX_NODES,
              }),
              await visibility.canSee(credentials),
            );
            return {
              output: summarise(graph.root.slice('product:'.length), graph),
            };
          },
        ),
    });
  }

  actionsRegistry.register({
    name: 'get-data-product-impact',
    title: 'Get data product failure impact',
    description: `Who is hit when one data product fails: the data products downstream of it (their jobs read its output ports, or the ports of products that do), nearest first, each with its owning team, its on-call rotation when it names one, its current health, and which ports it reads through which jobs.
Also lists the external datasets downstream that no data product declares.
Use it during an incident to know whom to notify; depth counts job hops ("all" by default).`,
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: {
      input: z =>
        z.object({
          entityRef: productRefInput(z),
          depth: depthInput(z, 'all'),
        }),
      output: z =>
        z.object({
          entityRef: z.string(),
          products: z.array(
            z.object({
              entityRef: z.string(),
              title: z.string().optional(),
              distance: z.number().describe('Job hops downstream'),
              owner: z.string().describe('The owning group, as an entity ref'),
              onCall: z
                .string()
                .optional()
                .describe("The product's on-call rotation"),
              health: healthState(z),
              via: z.array(
                z.object({
                  fromEntityRef: z.string(),
                  fromPort: z.string(),
                  job: z.object({ namespace: z.string(), name: z.string() }),
                }),
              ),
            }),
          ),
          externalDatasets: z.array(datasetName(z)),
        }),
    },
    action: async ({ input, credentials }) =>
      readProductData(
        {
          service: quality,
          auditor,
          action: 'get-data-product-impact',
          entityRef: input.entityRef,
          credentials,
        },
        async entity => {
          const depth = (input.depth ?? 'all') as LineageGraphDepth;
          return {
            output: redactImpact(
              await lineage.impact(entity, { depth }),
              await visibility.canSee(credentials),
            ),
          };
        },
      ),
  });
}
