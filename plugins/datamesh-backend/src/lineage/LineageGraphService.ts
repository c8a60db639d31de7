import { createHash } from 'node:crypto';
import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  DataProductEntityV1alpha1,
  LineageDatasetName,
  LineageDirection,
  LineageDrift,
  LineageDriftList,
  LineageGraph,
  LineageGraphDepth,
  LineageGraphEdge,
  LineageGraphNode,
  LineageImpact,
  LineageJobName,
  LineageNodeKind,
  ObservedProductEdges,
  PortColumnLineage,
  PortColumnLineageSource,
  ProductHealthState,
  matchesDatasetLocation,
  resolveDataProductRefs,
  splitDatasetName,
} from '@backstage-datamesh/plugin-datamesh-common';
import type {
  DataContractReader,
  HealthStore,
  LineageStore,
  LineageTraversal,
} from '@backstage-datamesh/plugin-datamesh-node';
import type { QualityService } from '../quality/QualityService';
import { ProductIndex } from './ProductIndex';

/** Nodes of a graph by default, and at most. */
export const DEFAULT_MAX_NODES = 300;
/** @internal */
export const MAX_MAX_NODES = 2000;

/** The observation window of drift and of the observed product edges, by default. */
export const DEFAULT_DRIFT_WINDOW_DAYS = 30;

const DAY_MS = 86_400_000;

/**
 * Datasets a walk returns per direction, per node kept: the nodes kept hold fewer datasets than
 * that, and the neighbours each hides are counted among the datasets returned.
 */
const DATASETS_PER_NODE = 1;

/** The order in which the nodes at one distance are kept when maxNodes cuts the graph. */
const KIND_ORDER: Record<LineageNodeKind, number> = {
  product: 0,
  port: 1,
  job: 2,
  dataset: 3,
};

/**
 * One product observed reading another's port: a job that writes a port of `to` read the
 * dataset of `from`'s port `fromPort`.
 */
interface ObservedRead {
  from: string;
  fromPort: string;
  to: string;
  job: LineageJobName;
  /** epoch ms */
  lastSeenAt: number;
}

type Edge = Pick<
  LineageTraversal['edges'][number],
  'job' | 'dataset' | 'direction' | 'lastSeenAt'
>;

const nameKey = (n: { namespace: string; name: string }) =>
  `${n.namespace}/${n.name}`;

/** Appends to the list of a key of a map of lists. */
function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V) {
  const list = map.get(key);
  if (list) {
    list.push(value);
  } else {
    map.set(key, [value]);
  }
}

function compare(a: string, b: string): number {
  if (a === b) {
    return 0;
  }
  return a < b ? -1 : 1;
}

/**
 * The lineage read side: a product's graph upstream and downstream, the column lineage of its
 * ports, the products its failure hits, its drift between declared input ports and observed
 * lineage, and the observed product-to-product edges. Datasets are a product's output ports by
 * `matchesDatasetLocation` (through the {@link ProductIndex}, read with the plugin's own
 * credentials); the product asked for is read with the caller's.
 * @internal
 */
export class LineageGraphService {
  constructor(
    private readonly options: {
      store: LineageStore;
      products: ProductIndex;
      health: Pick<HealthStore, 'listHealth'>;
      catalog: CatalogService;
      /** Reads the product asked for with the caller's credentials (cached a few seconds). */
      quality: Pick<QualityService, 'getProduct'>;
      /** Reads a port's ODCS contract: the column types the events did not carry. */
      contracts?: Pick<DataContractReader, 'readPortContract'>;
      windowDays?: number;
      now?: () => number;
    },
  ) {}

  /** The drift window, in days. */
  get windowDays(): number {
    return this.options.windowDays ?? DEFAULT_DRIFT_WINDOW_DAYS;
  }

  private now() {
    return this.options.now?.() ?? Date.now();
  }

  /**
   * A product the caller may see; NotFoundError otherwise (the quality service's rule). What
   * the catalog answered the same caller for the same product in the last seconds is used
   * again, as on the quality write path: a person moving through the Lineage tab's depths and
   * directions asks for the same product again and again.
   */
  getProduct(
    ref: { namespace: string; name: string },
    credentials: BackstageCredentials,
  ): Promise<DataProductEntityV1alpha1> {
    return this.options.quality.getProduct(ref, credentials, { cached: true });
  }

  /** The stored datasets that are a product's output ports. */
  private async portDatasets(
    entity: DataProductEntityV1alpha1,
    port?: string,
  ): Promise<Array<{ port: string; dataset: LineageDatasetName }>> {
    const ports = (entity.spec.outputPorts ?? []).filter(
      p => port === undefined || p.name === port,
    );
    const found = await this.options.store.findDatasets(
      ports.map(p => p.location),
    );
    return ports.flatMap(p =>
      found
        .filter(d => matchesDatasetLocation(d, p.location))
        .map(dataset => ({ port: p.name, dataset })),
    );
  }

  /** The products' health, `unknown` for those never evaluated. */
  private async healthOf(
    refs: Iterable<string>,
  ): Promise<Map<string, ProductHealthState>> {
    const entityRefs = [...new Set(refs)];
    const health = new Map<string, ProductHealthState>(
      entityRefs.map(r => [r, 'unknown']),
    );
    if (entityRefs.length) {
      for (const h of await this.options.health.listHealth({ entityRefs })) {
        health.set(h.entityRef, h.health);
      }
    }
    return health;
  }

  /** A matcher of datasets to ports, remembering each dataset's answer. */
  private matcher() {
    const cache = new Map<
      string,
      Promise<
        Array<{ ref: string; port: string; entity: DataProductEntityV1alpha1 }>
      >
    >();
    return (dataset: LineageDatasetName) => {
      const key = nameKey(dataset);
      let hit = cache.get(key);
      if (!hit) {
        hit = this.options.products.match(dataset).then(ports =>
          ports.map(p => ({
            ref: stringifyEntityRef(p.entity),
            port: p.port,
            entity: p.entity,
          })),
        );
        cache.set(key, hit);
      }
      return hit;
    };
  }

  /**
   * A product's lineage graph: its ports and jobs, then what the walk of the store reaches
   * upstream and/or downstream up to `depth` job hops, the datasets that are output ports grouped
   * under their products, the others kept as dataset nodes. Past `maxNodes`, the nodes nearest
   * the product (breadth first) are kept and those at the cut say how many neighbours they hide.
   */
  async graph(
    entity: DataProductEntityV1alpha1,
    options: {
      direction: LineageDirection;
      depth: LineageGraphDepth;
      maxNodes?: number;
    },
  ): Promise<LineageGraph> {
    const maxNodes = options.maxNodes ?? DEFAULT_MAX_NODES;
    const rootRef = stringifyEntityRef(entity);
    const root = `product:${rootRef}`;
    const nodes = new Map<string, LineageGraphNode>();
    const edges = new Map<string, LineageGraphEdge>();
    const entities = new Map<string, DataProductEntityV1alpha1>([
      [rootRef, entity],
    ]);
    const addNode = (node: LineageGraphNode) => {
      const seen = nodes.get(node.id);
      if (!seen || node.distance < seen.distance) {
        nodes.set(node.id, seen ? { ...seen, distance: node.distance } : node);
      }
      // the neighbours the store's walk left out, the most of either direction
      const hidden = Math.max(
        seen?.hiddenNeighbours ?? 0,
        node.hiddenNeighbours ?? 0,
      );
      if (hidden) {
        nodes.get(node.id)!.hiddenNeighbours = hidden;
      }
    };
    const addEdge = (edge: LineageGraphEdge) => {
      const key = `${edge.kind} ${edge.from} ${edge.to}`;
      const seen = edges.get(key);
      if (
        !seen ||
        (edge.lastSeenAt && (seen.lastSeenAt ?? '') < edge.lastSeenAt)
      ) {
        edges.set(key, edge);
      }
    };
    const addPort = (
      product: DataProductEntityV1alpha1,
      port: string,
      distance: number,
      side: LineageGraphNode['side'],
      dataset?: LineageDatasetName,
    ) => {
      const ref = stringifyEntityRef(product);
      entities.set(ref, product);
      const title = product.metadata.title;
      addNode({
        id: `product:${ref}`,
        kind: 'product',
        label: title ?? product.metadata.name,
        entityRef: ref,
        ...(title ? { title } : {}),
        distance,
        side,
      });
      const location = (product.spec.outputPorts ?? []).find(
        p => p.name === port,
      )?.location;
      const id = `port:${ref}#${port}`;
      addNode({
        id,
        kind: 'port',
        label: port,
        entityRef: ref,
        ...(title ? { title } : {}),
        port,
        ...(dataset || location
          ? {
              dataset: dataset ?? {
                namespace: location!.namespace,
                name: location!.name,
              },
            }
          : {}),
        distance,
        side,
      });
      addEdge({ from: `product:${ref}`, to: id, kind: 'hasPort' });
      return id;
    };
    addNode({
      id: root,
      kind: 'product',
      label: entity.metadata.title ?? entity.metadata.name,
      entityRef: rootRef,
      ...(entity.metadata.title ? { title: entity.metadata.title } : {}),
      distance: 0,
      side: 'root',
    });
    for (const port of entity.spec.outputPorts ?? []) {
      addPort(entity, port.name, 0, 'root');
    }
    const seeds = await this.portDatasets(entity);
    const match = this.matcher();
    let truncated = false;
    const directions: Array<'upstream' | 'downstream'> =
      options.direction === 'both'
        ? ['upstream', 'downstream']
        : [options.direction];
    for (const direction of directions) {
      const walk = await this.options.store.traverse({
        from: seeds.map(s => s.dataset),
        direction,
        depth: options.depth === 'all' ? undefined : options.depth,
        limit: maxNodes * DATASETS_PER_NODE,
      });
      truncated ||= walk.truncated;
      const datasetIds = new Map<string, string[]>();
      for (const d of walk.datasets) {
        const side = d.distance === 0 ? 'root' : direction;
        const ports = await match(d);
        const ids = ports.length
          ? ports.map(p => addPort(p.entity, p.port, d.distance, side, d))
          : [`dataset:${nameKey(d)}`];
        if (!ports.length) {
          addNode({
            id: ids[0],
            kind: 'dataset',
            label: d.name,
            dataset: { namespace: d.namespace, name: d.name },
            distance: d.distance,
            side,
          });
        }
        datasetIds.set(nameKey(d), ids);
      }
      for (const j of walk.jobs) {
        addNode({
          id: `job:${nameKey(j)}`,
          kind: 'job',
          label: j.name,
          job: {
            namespace: j.namespace,
            name: j.name,
            ...(j.latestRun ? { latestRun: j.latestRun } : {}),
          },
          ...(j.hiddenDatasets ? { hiddenNeighbours: j.hiddenDatasets } : {}),
          distance: j.distance,
          side: j.distance === 0 ? 'root' : direction,
        });
      }
      for (const e of walk.edges) {
        const job = `job:${nameKey(e.job)}`;
        for (const id of datasetIds.get(nameKey(e.dataset)) ?? []) {
          addEdge(
            e.direction === 'input'
              ? { from: id, to: job, kind: 'reads', lastSeenAt: e.lastSeenAt }
              : { from: job, to: id, kind: 'writes', lastSeenAt: e.lastSeenAt },
          );
        }
      }
    }
    const health = await this.healthOf(entities.keys());
    for (const node of nodes.values()) {
      if (node.entityRef) {
        node.health = health.get(node.entityRef);
      }
    }
    const cut = keepNearest(root, nodes, [...edges.values()], maxNodes);
    return {
      root,
      direction: options.direction,
      depth: options.depth,
      nodes: cut.nodes,
      edges: cut.edges,
      truncated: truncated || cut.truncated,
    };
  }

  /** The column lineage of one of a product's output ports (NotFoundError for another port). */
  async columnLineage(
    entity: DataProductEntityV1alpha1,
    port: string,
  ): Promise<PortColumnLineage> {
    const entityRef = stringifyEntityRef(entity);
    const declared = (entity.spec.outputPorts ?? []).find(p => p.name === port);
    if (!declared) {
      throw new NotFoundError(
        `The data product ${entityRef} has no output port named ${port}`,
      );
    }
    const [found] = await this.portDatasets(entity, port);
    const dataset = found?.dataset ?? {
      namespace: declared.location.namespace,
      name: declared.location.name,
    };
    const result: PortColumnLineage = {
      entityRef,
      port,
      dataset,
      columns: [],
      datasetDependencies: [],
    };
    if (!found) {
      return result;
    }
    const [rows, stored] = await Promise.all([
      this.options.store.getColumnLineage(dataset),
      this.options.store.getDataset(dataset),
    ]);
    const match = this.matcher();
    const columns = new Map<string, PortColumnLineage['columns'][number]>();
    for (const field of stored?.fields ?? []) {
      columns.set(field.name, {
        name: field.name,
        ...(field.type ? { type: field.type } : {}),
        sources: [],
      });
    }
    for (const row of rows) {
      const [source] = await match(row.input);
      const item: PortColumnLineageSource = {
        dataset: row.input,
        ...(source ? { entityRef: source.ref, port: source.port } : {}),
        column: row.inputColumn,
        ...(row.transformationType
          ? { transformationType: row.transformationType }
          : {}),
        ...(row.transformationSubtype
          ? { transformationSubtype: row.transformationSubtype }
          : {}),
        ...(row.description !== undefined
          ? { description: row.description }
          : {}),
        ...(row.masking !== undefined ? { masking: row.masking } : {}),
        ...(row.job ? { job: row.job } : {}),
      };
      if (row.outputColumn === undefined) {
        result.datasetDependencies.push(item);
        continue;
      }
      let column = columns.get(row.outputColumn);
      if (!column) {
        column = { name: row.outputColumn, sources: [] };
        columns.set(row.outputColumn, column);
      }
      column.sources.push(item);
    }
    if ([...columns.values()].some(c => !c.type) && declared.contract) {
      const types = await this.contractTypes(entity, port, dataset);
      for (const column of columns.values()) {
        const type = column.type ?? types.get(column.name.toLowerCase());
        if (type) {
          column.type = type;
        }
      }
    }
    result.columns = [...columns.values()];
    return result;
  }

  /**
   * The column types of a port's ODCS contract by lowercased column name (and physical name):
   * each property's `physicalType`, else its `logicalType`, from the schema object that is the
   * port's dataset (by name or physical name, the last part of the dataset name), or from the
   * only object; none when the contract cannot be read or is not valid.
   */
  private async contractTypes(
    entity: DataProductEntityV1alpha1,
    port: string,
    dataset: LineageDatasetName,
  ): Promise<Map<string, string>> {
    const types = new Map<string, string>();
    if (!this.options.contracts) {
      return types;
    }
    let result;
    try {
      result = await this.options.contracts.readPortContract(entity, port);
    } catch {
      // no such port or no contract (checked before): the events' types alone
      return types;
    }
    if (result.status !== 'valid') {
      return types;
    }
    const objects = result.contract.schema;
    const table = splitDatasetName(dataset.name).pop()?.toLowerCase();
    const object =
      objects.find(o =>
        [o.name, o.physicalName].some(n => n?.toLowerCase() === table),
      ) ?? (objects.length === 1 ? objects[0] : undefined);
    for (const property of object?.properties ?? []) {
      const type = property.physicalType ?? property.logicalType;
      if (!type) {
        continue;
      }
      for (const name of [property.name, property.physicalName]) {
        if (name && !types.has(name.toLowerCase())) {
          types.set(name.toLowerCase(), type);
        }
      }
    }
    return types;
  }

  /**
   * The products downstream of a product, nearest first, with their owners, on-call rotations,
   * health and the ports of the products upstream of them (the product or others hit) they read.
   */
  async impact(
    entity: DataProductEntityV1alpha1,
    options: { depth: LineageGraphDepth },
  ): Promise<LineageImpact> {
    const entityRef = stringifyEntityRef(entity);
    const seeds = await this.portDatasets(entity);
    const walk = await this.options.store.traverse({
      from: seeds.map(s => s.dataset),
      direction: 'downstream',
      depth: options.depth === 'all' ? undefined : options.depth,
    });
    const match = this.matcher();
    const ports = new Map<string, Awaited<ReturnType<typeof match>>>();
    const hit = new Map<
      string,
      { entity: DataProductEntityV1alpha1; distance: number }
    >();
    const externalDatasets: LineageDatasetName[] = [];
    for (const d of walk.datasets) {
      const matched = await match(d);
      ports.set(nameKey(d), matched);
      if (d.distance === 0) {
        continue;
      }
      if (!matched.length) {
        externalDatasets.push({ namespace: d.namespace, name: d.name });
      }
      for (const p of matched) {
        if (p.ref !== entityRef && !hit.has(p.ref)) {
          hit.set(p.ref, { entity: p.entity, distance: d.distance });
        }
      }
    }
    // a job writes the ports of the products it belongs to; what it reads is their via
    const inputs = new Map<string, Array<{ ref: string; port: string }>>();
    const writes = new Map<string, Set<string>>();
    for (const e of walk.edges) {
      const job = nameKey(e.job);
      for (const p of ports.get(nameKey(e.dataset)) ?? []) {
        if (e.direction === 'input') {
          pushTo(inputs, job, p);
        } else {
          writes.set(job, (writes.get(job) ?? new Set()).add(p.ref));
        }
      }
    }
    const jobs = new Map(walk.jobs.map(j => [nameKey(j), j]));
    const health = await this.healthOf(hit.keys());
    const products = [...hit.entries()]
      .map(([ref, { entity: product, distance }]) => {
        const via: LineageImpact['products'][number]['via'] = [];
        for (const [job, written] of writes) {
          if (!written.has(ref)) {
            continue;
          }
          for (const input of inputs.get(job) ?? []) {
            if (
              input.ref !== ref &&
              (input.ref === entityRef || hit.has(input.ref))
            ) {
              const j = jobs.get(job)!;
              via.push({
                fromEntityRef: input.ref,
                fromPort: input.port,
                job: { namespace: j.namespace, name: j.name },
              });
            }
          }
        }
        const refs = resolveDataProductRefs(product);
        const onCall = product.spec.ownership?.onCallRotation;
        return {
          entityRef: ref,
          ...(product.metadata.title ? { title: product.metadata.title } : {}),
          distance,
          owner: stringifyEntityRef(refs.owner),
          ...(onCall ? { onCall } : {}),
          health: health.get(ref) ?? 'unknown',
          via: via.sort(
            (a, b) =>
              compare(a.fromEntityRef, b.fromEntityRef) ||
              compare(a.fromPort, b.fromPort) ||
              compare(nameKey(a.job), nameKey(b.job)),
          ),
        };
      })
      .sort(
        (a, b) => a.distance - b.distance || compare(a.entityRef, b.entityRef),
      );
    return { entityRef, products, externalDatasets };
  }

  /**
   * Observed reads between products from some edges: a job that writes a port of one product
   * and reads a port of another.
   */
  private async observedReads(edges: Edge[]): Promise<ObservedRead[]> {
    const match = this.matcher();
    const inputs = new Map<
      string,
      Array<{ ref: string; port: string; at: number; job: LineageJobName }>
    >();
    const outputs = new Map<string, Set<string>>();
    for (const e of edges) {
      const job = nameKey(e.job);
      for (const p of await match(e.dataset)) {
        if (e.direction === 'input') {
          pushTo(inputs, job, {
            ref: p.ref,
            port: p.port,
            at: Date.parse(e.lastSeenAt),
            job: { namespace: e.job.namespace, name: e.job.name },
          });
        } else {
          outputs.set(job, (outputs.get(job) ?? new Set()).add(p.ref));
        }
      }
    }
    const reads: ObservedRead[] = [];
    for (const [job, products] of outputs) {
      for (const to of products) {
        for (const input of inputs.get(job) ?? []) {
          if (input.ref !== to) {
            reads.push({
              from: input.ref,
              fromPort: input.port,
              to,
              job: input.job,
              lastSeenAt: input.at,
            });
          }
        }
      }
    }
    return reads;
  }

  /** A product's drift, from the observed reads of and by it (of any time). */
  private driftOf(
    entity: DataProductEntityV1alpha1,
    reads: ObservedRead[],
    products: Map<string, DataProductEntityV1alpha1>,
    days: number,
  ): LineageDrift {
    const entityRef = stringifyEntityRef(entity);
    const since = this.now() - days * DAY_MS;
    const latest = (items: ObservedRead[]) => {
      const byPort = new Map<string, ObservedRead>();
      for (const r of items) {
        const key = `${r.from}#${r.fromPort}->${r.to}`;
        const seen = byPort.get(key);
        if (
          !seen ||
          r.lastSeenAt > seen.lastSeenAt ||
          (r.lastSeenAt === seen.lastSeenAt &&
            nameKey(r.job) < nameKey(seen.job))
        ) {
          byPort.set(key, r);
        }
      }
      return [...byPort.values()].sort(
        (a, b) =>
          compare(a.from, b.from) ||
          compare(a.fromPort, b.fromPort) ||
          compare(a.to, b.to),
      );
    };
    const declares = (consumer: DataProductEntityV1alpha1 | undefined) => {
      const inputPorts = consumer
        ? resolveDataProductRefs(consumer).inputPorts
        : [];
      return (from: string, port: string) =>
        inputPorts.some(i => i.productRef === from && i.port === port);
    };
    const own = declares(entity);
    const inWindow = reads.filter(r => r.lastSeenAt >= since);
    const observedInputs = latest(inWindow.filter(r => r.to === entityRef));
    const everInputs = latest(reads.filter(r => r.to === entityRef));
    return {
      entityRef,
      windowDays: days,
      undeclaredInputs: observedInputs
        .filter(r => !own(r.from, r.fromPort))
        .map(r => ({
          entityRef: r.from,
          port: r.fromPort,
          lastSeenAt: new Date(r.lastSeenAt).toISOString(),
          job: r.job,
        })),
      unobservedInputs: resolveDataProductRefs(entity)
        .inputPorts.filter(
          i =>
            !observedInputs.some(
              r => r.from === i.productRef && r.fromPort === i.port,
            ),
        )
        .map(i => {
          const last = everInputs.find(
            r => r.from === i.productRef && r.fromPort === i.port,
          );
          return {
            inputPort: i.name,
            entityRef: i.productRef,
            port: i.port,
            ...(last
              ? { lastSeenAt: new Date(last.lastSeenAt).toISOString() }
              : {}),
          };
        }),
      undeclaredConsumers: latest(inWindow.filter(r => r.from === entityRef))
        .filter(r => !declares(products.get(r.to))(r.from, r.fromPort))
        .map(r => ({
          entityRef: r.to,
          port: r.fromPort,
          lastSeenAt: new Date(r.lastSeenAt).toISOString(),
          job: r.job,
        })),
    };
  }

  /**
   * A product's drift: what its jobs read that it does not declare, its declared input ports
   * not read in the last `days`, and its consumers that do not declare it.
   */
  async drift(
    entity: DataProductEntityV1alpha1,
    options?: { days?: number },
  ): Promise<LineageDrift> {
    const from = (await this.portDatasets(entity)).map(s => s.dataset);
    // its jobs and what they read; the jobs reading its ports and what they write
    const [up, down] = await Promise.all(
      (['upstream', 'downstream'] as const).map(direction =>
        this.options.store.traverse({ from, direction, depth: 1 }),
      ),
    );
    const reads = await this.observedReads([...up.edges, ...down.edges]);
    return this.driftOf(
      entity,
      reads,
      await this.options.products.products(),
      options?.days ?? this.windowDays,
    );
  }

  /** The drift of every product the caller may see that has some, by entity ref, paged. */
  async listDrift(
    credentials: BackstageCredentials,
    options: { days?: number; limit: number; offset: number },
  ): Promise<LineageDriftList> {
    const { items: visible } = await this.options.catalog.getEntities(
      {
        filter: { kind: 'DataProduct' },
        fields: ['kind', 'metadata.name', 'metadata.namespace'],
      },
      { credentials },
    );
    const products = await this.options.products.products();
    const reads = await this.observedReads(
      await this.options.store.listEdges(),
    );
    const drifts = visible
      .map(e => products.get(stringifyEntityRef(e)))
      .filter((e): e is DataProductEntityV1alpha1 => Boolean(e))
      .map(e =>
        this.driftOf(e, reads, products, options.days ?? this.windowDays),
      )
      .filter(
        d =>
          d.undeclaredInputs.length ||
          d.unobservedInputs.length ||
          d.undeclaredConsumers.length,
      )
      .sort((a, b) => compare(a.entityRef, b.entityRef));
    return {
      items: drifts.slice(options.offset, options.offset + options.limit),
      totalCount: drifts.length,
    };
  }

  /**
   * The product-to-product edges observed in the drift window (one per upstream port and
   * downstream product, the latest time), with an ETag of their content.
   */
  async productEdges(): Promise<ObservedProductEdges> {
    const since = this.now() - this.windowDays * DAY_MS;
    const reads = await this.observedReads(
      await this.options.store.listEdges({ since }),
    );
    const edges = new Map<string, ObservedRead>();
    for (const r of reads) {
      const key = `${r.from}#${r.fromPort}->${r.to}`;
      const seen = edges.get(key);
      if (!seen || r.lastSeenAt > seen.lastSeenAt) {
        edges.set(key, r);
      }
    }
    const items = [...edges.values()]
      .sort(
        (a, b) =>
          compare(a.from, b.from) ||
          compare(a.fromPort, b.fromPort) ||
          compare(a.to, b.to),
      )
      .map(r => ({
        from: r.from,
        fromPort: r.fromPort,
        to: r.to,
        lastSeenAt: new Date(r.lastSeenAt).toISOString(),
      }));
    const etag = `"${createHash('sha256')
      .update(JSON.stringify(items))
      .digest('base64url')
      .slice(0, 27)}"`;
    return { items, etag };
  }
}

/**
 * Keeps the `maxNodes` nodes nearest the root, breadth first over the edges (both ways), the
 * nodes of a product's distance in kind order; each kept node next to one left out says how
 * many neighbours it hides: those left out here, and those the store's walk left out at its
 * limit (the `hiddenNeighbours` a node comes with).
 */
function keepNearest(
  root: string,
  nodes: Map<string, LineageGraphNode>,
  edges: LineageGraphEdge[],
  maxNodes: number,
): {
  nodes: LineageGraphNode[];
  edges: LineageGraphEdge[];
  truncated: boolean;
} {
  const neighbours = new Map<string, Set<string>>();
  for (const e of edges) {
    if (nodes.has(e.from) && nodes.has(e.to)) {
      neighbours.set(e.from, (neighbours.get(e.from) ?? new Set()).add(e.to));
      neighbours.set(e.to, (neighbours.get(e.to) ?? new Set()).add(e.from));
    }
  }
  const rank = (id: string) => {
    const n = nodes.get(id)!;
    return [n.distance, KIND_ORDER[n.kind]] as const;
  };
  const byRank = (a: string, b: string) => {
    const [da, ka] = rank(a);
    const [db, kb] = rank(b);
    return da - db || ka - kb || compare(a, b);
  };
  const order: string[] = [root];
  const seen = new Set(order);
  for (let i = 0; i < order.length; i++) {
    for (const next of [...(neighbours.get(order[i]) ?? [])].sort(byRank)) {
      if (!seen.has(next)) {
        seen.add(next);
        order.push(next);
      }
    }
  }
  // nodes the edges do not reach from the root (none, but for a product without lineage)
  for (const id of [...nodes.keys()].sort(byRank)) {
    if (!seen.has(id)) {
      seen.add(id);
      order.push(id);
    }
  }
  const kept = new Set(order.slice(0, maxNodes));
  const result = order.slice(0, maxNodes).map(id => {
    const node = { ...nodes.get(id)! };
    const hidden =
      [...(neighbours.get(id) ?? [])].filter(n => !kept.has(n)).length +
      (node.hiddenNeighbours ?? 0);
    if (hidden) {
      node.hiddenNeighbours = hidden;
    }
    return node;
  });
  return {
    nodes: result.sort((a, b) => byRank(a.id, b.id)),
    edges: edges
      .filter(e => kept.has(e.from) && kept.has(e.to))
      .sort(
        (a, b) =>
          compare(a.from, b.from) ||
          compare(a.to, b.to) ||
          compare(a.kind, b.kind),
      ),
    truncated: order.length > maxNodes,
  };
}
