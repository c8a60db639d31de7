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
  /** The edges of a job, or of a dataset. */
  getEdges(
    of: { job: LineageJobName } | { dataset: LineageDatasetName },
  ): Promise<LineageEdge[]>;
  /** The column lineage of an output dataset. */
  getColumnLineage(output: LineageDatasetName): Promise<LineageColumnLineage[]>;
}
