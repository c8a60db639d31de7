import type { ProductHealthState } from '../health';

/**
 * The types of the lineage part of the data mesh backend's HTTP API (`/api/datamesh/v1/lineage`):
 * what ingesting OpenLineage events answers, and the lineage store's jobs, runs, datasets, edges
 * and column lineage as the backend reads them.
 */

/**
 * The run states of OpenLineage (`eventType` of a RunEvent), in the spec's order.
 * @public
 */
export const LINEAGE_RUN_STATES = [
  'START',
  'RUNNING',
  'COMPLETE',
  'ABORT',
  'FAIL',
  'OTHER',
] as const;

/** @public */
export type LineageRunState = (typeof LINEAGE_RUN_STATES)[number];

/**
 * The states that end a run: once a run has one, no START or RUNNING event moves it back,
 * whatever order the events arrive in.
 * @public
 */
export const LINEAGE_TERMINAL_RUN_STATES = [
  'COMPLETE',
  'ABORT',
  'FAIL',
] as const;

/**
 * The three kinds of OpenLineage events: a run's state change (with its job and datasets), a
 * job's static metadata, a dataset's static metadata.
 * @public
 */
export type LineageEventKind = 'RunEvent' | 'JobEvent' | 'DatasetEvent';

/**
 * A dataset as OpenLineage names it: a namespace (its data source, such as
 * `postgres://db:5432` or `bigquery`) and a name unique within it (`db.schema.table`).
 * @public
 */
export interface LineageDatasetName {
  namespace: string;
  name: string;
}

/**
 * A job as OpenLineage names it.
 * @public
 */
export interface LineageJobName {
  namespace: string;
  name: string;
}

/**
 * What `POST /v1/lineage` answers for an accepted event (201 stored, 200 stored before).
 * @public
 */
export interface LineageIngestResponse {
  /** `stored`, or `duplicate` when the same event was stored before (nothing changed). */
  status: 'stored' | 'duplicate';
  kind: LineageEventKind;
  /** The RunEvent's `eventType`, when it has one. */
  eventType?: LineageRunState;
  /** The RunEvent's run. */
  runId?: string;
  job?: LineageJobName;
  /** How many quality runs its data quality facets and outputs gave the products they belong to. */
  qualityRuns: number;
}

/**
 * One event of a batch that was not stored, as the OpenLineage spec's batch endpoint describes it.
 * @public
 */
export interface LineageBatchFailedEvent {
  /** Its index in the batch, from 0. */
  index: number;
  /** Why, naming the schema path that failed for an invalid event. */
  reason: string;
  /** Whether sending it again may succeed (the store was unavailable), or it is refused as it is. */
  retriable: boolean;
}

/**
 * What `POST /v1/lineage/batch` answers: the partial-success body of the OpenLineage spec
 * (`spec/OpenLineage.yml`, `/lineage/batch`), its field names as the spec writes them.
 * @public
 */
export interface LineageBatchResponse {
  /** `success` when every event was stored, `partial_success` otherwise. */
  status: 'success' | 'partial_success';
  summary: {
    received: number;
    successful: number;
    failed: number;
    retriable: number;
    non_retriable: number;
  };
  failed_events: LineageBatchFailedEvent[];
}

/**
 * What `POST /v1/lineage/replay` answers: the rebuild runs as a task on one backend replica.
 * @public
 */
export interface LineageReplayResponse {
  status: 'started';
  /** The scheduled task's id, as the scheduler and the logs name it. */
  task: string;
}

/**
 * A run of a job, as its events left it.
 * @public
 */
export interface LineageRun {
  runId: string;
  job: LineageJobName;
  /**
   * The run's state: the latest of its events' states, where a terminal state (COMPLETE, ABORT,
   * FAIL) always wins over START and RUNNING. Absent when its events had no `eventType`.
   */
  state?: LineageRunState;
  /** The `eventTime` of the event that gave the state (ISO 8601). */
  stateTime?: string;
  /** The earliest START event's time. */
  startedAt?: string;
  /** The time of the terminal event, once there is one. */
  endedAt?: string;
  /** The parent run (`parent` facet), such as the Airflow DAG run of a task. */
  parent?: { runId: string; job: LineageJobName };
  /** The `errorMessage` facet's message. */
  errorMessage?: string;
  /** The `nominalTime` facet: the time the run was scheduled for. */
  nominalTime?: { start: string; end?: string };
  /** The `processing_engine` facet. */
  processingEngine?: { name?: string; version: string };
}

/**
 * A dataset the lineage store has seen, with the facets it keeps of it (the latest of each).
 * Whether a DataProduct's output port declares it is not stored: it is matched at read time
 * against the catalog, so a port's location edited in the catalog is seen at once.
 * @public
 */
export interface LineageDataset extends LineageDatasetName {
  /** The `schema` facet's fields. */
  fields?: Array<{ name: string; type?: string; description?: string }>;
  /** The `documentation` facet's description. */
  description?: string;
  firstSeenAt: string;
  lastSeenAt: string;
}

/**
 * A job with its facets of interest (the latest of each) and its latest run.
 * @public
 */
export interface LineageJob extends LineageJobName {
  /** The `documentation` facet's description. */
  description?: string;
  /** The `jobType` facet. */
  jobType?: { processingType?: string; integration?: string; jobType?: string };
  /** The `sql` facet's query. */
  sql?: string;
  /** The `sourceCodeLocation` facet's URL. */
  sourceCodeUrl?: string;
  /** The run whose latest event is the latest of the job. */
  latestRun?: LineageRun;
  firstSeenAt: string;
  lastSeenAt: string;
}

/**
 * A job reads (`input`) or writes (`output`) a dataset, with the last run that was seen doing so.
 * @public
 */
export interface LineageEdge {
  job: LineageJobName;
  dataset: LineageDatasetName;
  direction: 'input' | 'output';
  /** The run of the latest event that named it; absent when only JobEvents named it. */
  lastRunId?: string;
  firstSeenAt: string;
  lastSeenAt: string;
}

/**
 * A column of an output dataset comes from a column of an input dataset (the `columnLineage`
 * facet). `outputColumn` is absent for the dataset-level dependencies of the facet (its `dataset`
 * list: columns used by filters, joins or sorts, which affect the whole dataset).
 * @public
 */
export interface LineageColumnLineage {
  output: LineageDatasetName;
  outputColumn?: string;
  input: LineageDatasetName;
  inputColumn: string;
  /** DIRECT or INDIRECT (`columnLineage` 1-1-0 and later), or the older `transformationType`. */
  transformationType?: string;
  /** IDENTITY, TRANSFORMATION, AGGREGATION, JOIN, FILTER, GROUP_BY, SORT, … */
  transformationSubtype?: string;
  description?: string;
  /** Whether the transformation masks the values. */
  masking?: boolean;
  /** The job whose event said it. */
  job?: LineageJobName;
  lastSeenAt: string;
}

/**
 * Which way from the product the lineage graph goes.
 * @public
 */
export type LineageDirection = 'upstream' | 'downstream' | 'both';

/**
 * The directions of {@link LineageDirection}, for validation and pickers.
 * @public
 */
export const LINEAGE_DIRECTIONS = ['upstream', 'downstream', 'both'] as const;

/**
 * The depths a user can pick: 1 to 5 job hops, or `all`.
 * @public
 */
export const LINEAGE_GRAPH_DEPTHS = [1, 2, 3, 4, 5, 'all'] as const;

/** @public */
export type LineageGraphDepth = (typeof LINEAGE_GRAPH_DEPTHS)[number];

/**
 * The kinds of nodes of a lineage graph: products, their ports, jobs, and datasets no product
 * declares (external datasets).
 * @public
 */
export const LINEAGE_NODE_KINDS = [
  'product',
  'port',
  'job',
  'dataset',
] as const;

/** @public */
export type LineageNodeKind = (typeof LINEAGE_NODE_KINDS)[number];

/**
 * A node of a product's lineage graph.
 * @public
 */
export interface LineageGraphNode {
  /**
   * Stable id: `product:<entityRef>`, `port:<entityRef>#<port>`, `job:<namespace>/<name>`,
   * `dataset:<namespace>/<name>` (external datasets no product declares).
   */
  id: string;
  kind: LineageNodeKind;
  label: string;
  /** Product and port nodes: the product. */
  entityRef?: string;
  /** Product and port nodes: the product's title. */
  title?: string;
  /** Port nodes: the output port's name. */
  port?: string;
  /** Port and dataset nodes: the dataset. */
  dataset?: LineageDatasetName;
  /** Job nodes: the job and its latest run. */
  job?: LineageJobName & {
    latestRun?: Pick<LineageRun, 'runId' | 'state' | 'stateTime' | 'endedAt'>;
  };
  /** Product and port nodes: the product's health. */
  health?: ProductHealthState;
  /** Job hops from the root product (0 for the root and its own ports and jobs). */
  distance: number;
  side: 'root' | 'upstream' | 'downstream';
  /** Set when neighbours beyond this node were left out (maxNodes reached): how many. */
  hiddenNeighbours?: number;
}

/**
 * An edge of a product's lineage graph: dataset or port to job (`reads`), job to dataset or port
 * (`writes`), product to its port (`hasPort`).
 * @public
 */
export interface LineageGraphEdge {
  from: string;
  to: string;
  kind: 'reads' | 'writes' | 'hasPort';
  /** When the job was last seen reading or writing it (ISO 8601). */
  lastSeenAt?: string;
}

/**
 * What `GET /v1/products/:namespace/:name/lineage` answers.
 * @public
 */
export interface LineageGraph {
  /** The node id of the product. */
  root: string;
  direction: LineageDirection;
  depth: LineageGraphDepth;
  nodes: LineageGraphNode[];
  edges: LineageGraphEdge[];
  /** True when maxNodes cut the graph (see `hiddenNeighbours`). */
  truncated: boolean;
}

/**
 * One source of a column (or of the whole dataset) in {@link PortColumnLineage}.
 * @public
 */
export interface PortColumnLineageSource {
  dataset: LineageDatasetName;
  /** The product the source dataset is a port of, when a product declares it. */
  entityRef?: string;
  /** That product's port. */
  port?: string;
  column: string;
  transformationType?: string;
  transformationSubtype?: string;
  description?: string;
  masking?: boolean;
  job?: LineageJobName;
}

/**
 * Column lineage of one output port: what
 * `GET /v1/products/:namespace/:name/ports/:port/column-lineage` answers.
 * @public
 */
export interface PortColumnLineage {
  entityRef: string;
  port: string;
  dataset: LineageDatasetName;
  columns: Array<{
    name: string;
    /** From the schema facet or the port's contract when known. */
    type?: string;
    sources: PortColumnLineageSource[];
  }>;
  /** Dataset-level dependencies (filters, joins, sorts) of the facet. */
  datasetDependencies: PortColumnLineageSource[];
}

/**
 * Impact analysis: who is hit downstream when a product fails. What
 * `GET /v1/products/:namespace/:name/impact` answers.
 * @public
 */
export interface LineageImpact {
  entityRef: string;
  products: Array<{
    entityRef: string;
    title?: string;
    /** Job hops downstream. */
    distance: number;
    /** Entity ref of the owning group. */
    owner: string;
    /** The product's on-call rotation / ownership role when it names one. */
    onCall?: string;
    health: ProductHealthState;
    /** The ports of the failing side it reads, through which jobs. */
    via: Array<{
      fromEntityRef: string;
      fromPort: string;
      job: LineageJobName;
    }>;
  }>;
  /** Downstream datasets no product declares. */
  externalDatasets: LineageDatasetName[];
}

/**
 * Declared input ports against observed lineage. What
 * `GET /v1/products/:namespace/:name/lineage/drift` answers.
 * @public
 */
export interface LineageDrift {
  entityRef: string;
  windowDays: number;
  /** Observed: this product's jobs read another product's port it does not declare as input port. */
  undeclaredInputs: Array<{
    entityRef: string;
    port: string;
    lastSeenAt: string;
    job: LineageJobName;
  }>;
  /** Declared input ports whose dataset no job of this product read in the window. */
  unobservedInputs: Array<{
    inputPort: string;
    entityRef: string;
    port: string;
    lastSeenAt?: string;
  }>;
  /** Observed consumers of this product's ports that did not declare it. */
  undeclaredConsumers: Array<{
    entityRef: string;
    port: string;
    lastSeenAt: string;
    job: LineageJobName;
  }>;
}

/**
 * What `GET /v1/lineage/drift` answers: the products with some drift, paged.
 * @public
 */
export interface LineageDriftList {
  items: LineageDrift[];
  totalCount: number;
}

/**
 * Observed product-to-product lineage (for the catalog's relations).
 * @public
 */
export interface ObservedProductEdge {
  /** The upstream product. */
  from: string;
  fromPort: string;
  /** The downstream product (whose job read it). */
  to: string;
  lastSeenAt: string;
}

/**
 * What `GET /v1/lineage/product-edges` answers.
 * @public
 */
export interface ObservedProductEdges {
  items: ObservedProductEdge[];
  etag: string;
}
