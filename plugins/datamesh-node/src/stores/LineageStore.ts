import type {
  LineageColumnLineage,
  LineageDataset,
  LineageDatasetName,
  LineageEdge,
  LineageEventKind,
  LineageJob,
  LineageJobName,
  LineageRun,
  LineageRunState,
} from '@backstage-datamesh/plugin-datamesh-common';

/**
 * A dataset of an event, with the facets the lineage store keeps of it.
 * @public
 */
export interface LineageDatasetRecord extends LineageDatasetName {
  /** The `schema` facet's fields. */
  fields?: Array<{ name: string; type?: string; description?: string }>;
  /** The `documentation` facet's description. */
  description?: string;
}

/**
 * The run facets the lineage store keeps (the raw event keeps every facet).
 * @public
 */
export type LineageRunFacets = Pick<
  LineageRun,
  'parent' | 'errorMessage' | 'nominalTime' | 'processingEngine'
>;

/**
 * The job facets the lineage store keeps (the raw event keeps every facet).
 * @public
 */
export type LineageJobFacets = Pick<
  LineageJob,
  'description' | 'jobType' | 'sql' | 'sourceCodeUrl'
>;

/**
 * One column-level dependency read from a `columnLineage` facet.
 * @public
 */
export type LineageColumnLineageRecord = Omit<
  LineageColumnLineage,
  'job' | 'lastSeenAt'
>;

/**
 * An OpenLineage event as the lineage store applies it: validated, and read into what the
 * derived tables hold.
 * @public
 */
export interface LineageEventRecord {
  kind: LineageEventKind;
  /** The RunEvent's `eventType`; absent when the event has none. */
  eventType?: LineageRunState;
  /** `eventTime`, epoch ms. */
  eventTime: number;
  /** The RunEvent's run. */
  run?: { runId: string; facets: LineageRunFacets };
  /** The job of a RunEvent or JobEvent. */
  job?: LineageJobName & { facets: LineageJobFacets };
  inputs: LineageDatasetRecord[];
  outputs: LineageDatasetRecord[];
  /** The DatasetEvent's dataset. */
  dataset?: LineageDatasetRecord;
  /** What the outputs' `columnLineage` facets say. */
  columnLineage: LineageColumnLineageRecord[];
}

/**
 * An event to store: the record, and the body as received, kept for replays.
 * @public
 */
export interface AddLineageEventRequest {
  event: LineageEventRecord;
  raw: {
    /** The event's JSON as received (decompressed). */
    body: string;
    /** The hash the store deduplicates by: the same event twice is stored once. */
    hash: string;
  };
  /** When it was received, epoch ms; now by default. */
  receivedAt?: number;
}

/**
 * The answer of {@link LineageStore.addEvent}.
 * @public
 */
export interface AddLineageEventResult {
  /** The raw event's id. */
  eventId: number;
  /** False when the same event was stored before (nothing was written). */
  created: boolean;
}

/**
 * What a rebuild of the derived tables did.
 * @public
 */
export interface LineageRebuildResult {
  /** Raw events applied. */
  applied: number;
  /** Raw events the parser refused, with its reason; they stay kept. */
  refused: Array<{ eventId: number; reason: string }>;
}

/**
 * The lineage store: OpenLineage events as received (deduplicated, kept for a configured time),
 * and the tables derived from them: jobs, runs, datasets, the job-to-dataset edges and column
 * lineage. Every derived value is merged so that the order in which events arrive does not
 * change the result (a terminal run state is never replaced by START or RUNNING).
 * @public
 */
export interface LineageStore {
  /** Stores an event and applies it to the derived tables, in one transaction. */
  addEvent(request: AddLineageEventRequest): Promise<AddLineageEventResult>;
  /**
   * Empties the derived tables and applies every kept raw event again, read with `parse` (after
   * a fix of the reader), in one transaction.
   */
  rebuild(
    parse: (body: string) => LineageEventRecord,
  ): Promise<LineageRebuildResult>;
  /** Removes the raw events received before a time (epoch ms); derived tables are kept. */
  prune(options: { rawEventsBefore: number }): Promise<{ rawEvents: number }>;
  /** A run. */
  getRun(runId: string): Promise<LineageRun | undefined>;
  /** A job, with its latest run. */
  getJob(job: LineageJobName): Promise<LineageJob | undefined>;
  /** A dataset. */
  getDataset(dataset: LineageDatasetName): Promise<LineageDataset | undefined>;
  /** Many datasets by their stored names, in one read (those not stored are absent). */
  getDatasets(names: LineageDatasetName[]): Promise<LineageDataset[]>;
  /** The edges of a job, or of a dataset. */
  getEdges(
    of: { job: LineageJobName } | { dataset: LineageDatasetName },
  ): Promise<LineageEdge[]>;
  /** The column lineage of an output dataset. */
  getColumnLineage(output: LineageDatasetName): Promise<LineageColumnLineage[]>;
  /**
   * The stored datasets with one of the given names, comparing names part by part without
   * their quotes, case-insensitively (`"db"."schema"."Table"` is `db.schema.table`), and
   * namespaces case-insensitively without a trailing slash (candidates for a port's location).
   */
  findDatasets(names: LineageDatasetName[]): Promise<LineageDatasetName[]>;
  /**
   * Walks the graph upstream or downstream from some datasets, as one recursive query, up to a
   * depth and a number of datasets.
   */
  traverse(query: LineageTraversalQuery): Promise<LineageTraversal>;
  /** Every edge last seen at or after a time (epoch ms), or every edge. */
  listEdges(options?: { since?: number }): Promise<LineageEdge[]>;
}

/**
 * A walk of the lineage graph from some datasets, along the job-to-dataset edges.
 * @public
 */
export interface LineageTraversalQuery {
  /** The datasets to start from, by their exact namespace and name; unknown ones are ignored. */
  from: LineageDatasetName[];
  /**
   * `upstream`: from each dataset to the jobs that write it and on to the datasets they read;
   * `downstream`: from each dataset to the jobs that read it and on to the datasets they write.
   */
  direction: 'upstream' | 'downstream';
  /** Job hops to walk (1 or more); all of them when absent. Cycles are walked once. */
  depth?: number;
  /** The most datasets returned, the nearest first; 10,000 by default. */
  limit?: number;
}

/**
 * A job reached by a walk of the lineage graph, with its latest run.
 * @public
 */
export interface LineageTraversalJob extends LineageJobName {
  /**
   * Job hops from the start: upstream, a job has the distance of the nearest dataset it writes
   * (0 for the jobs that write the start datasets); downstream, one more than the nearest
   * dataset it reads.
   */
  distance: number;
  latestRun?: Pick<LineageRun, 'runId' | 'state' | 'stateTime' | 'endedAt'>;
  /**
   * The datasets within the depth that the job reads (upstream) or writes (downstream) but the
   * walk left out at its `limit`; absent when none.
   */
  hiddenDatasets?: number;
}

/**
 * A dataset reached by a walk of the lineage graph.
 * @public
 */
export interface LineageTraversalDataset extends LineageDatasetName {
  /**
   * Job hops from the start: 0 for the start datasets; upstream, one more than the job that
   * reads it; downstream, the distance of the job that writes it.
   */
  distance: number;
}

/**
 * What a walk of the lineage graph found: the datasets and jobs reached, nearest first, and the
 * edges between them.
 * @public
 */
export interface LineageTraversal {
  datasets: LineageTraversalDataset[];
  jobs: LineageTraversalJob[];
  edges: Array<
    Pick<LineageEdge, 'job' | 'dataset' | 'direction' | 'lastSeenAt'>
  >;
  /** True when `limit` left datasets out. */
  truncated: boolean;
}
