import type {
  CheckTrendPoint,
  MetricSeries,
  QualityRun,
  QualityRunSource,
  StoredCheckResult,
  StoredQualityRun,
} from '@backstage-datamesh/plugin-datamesh-common';

/**
 * A quality run to store: a parsed run of one data product, with the output port each check,
 * metric and update belongs to, and the raw document it was parsed from.
 * @public
 */
export interface AddQualityRunRequest {
  /** Entity ref of the DataProduct. */
  entityRef: string;
  /** The port the whole run is tied to, when the caller named one. */
  port?: string;
  /** The parsed run. */
  run: QualityRun;
  /** The output port of each check, by index in `run.checks`, when it could be told. */
  checkPorts: Array<string | undefined>;
  /** The output port of each metric point, by index in `run.metrics`. */
  metricPorts: Array<string | undefined>;
  /** The output port of each update, by index in `run.updates`; updates of no port are not stored. */
  updatePorts: Array<string | undefined>;
  /** The document as received, kept so that the raw result can be shown and replayed. */
  raw: { body: string; contentType: string };
  /** Where the run came from. */
  source: QualityRunSource;
  /** When it was received, epoch ms; now by default. */
  receivedAt?: number;
}

/**
 * The answer of {@link QualityStore.addRun}.
 * @public
 */
export interface AddQualityRunResult {
  /** The stored run's id. */
  runId: number;
  /** False when the same run was stored before (nothing was written). */
  created: boolean;
}

/**
 * What retention removed.
 * @public
 */
export interface QualityPruneResult {
  rawDocuments: number;
  checkResults: number;
  metricPoints: number;
  /** Port updates removed, when `datasetUpdatesBefore` was given. */
  datasetUpdates?: number;
}

/**
 * Where a product publishes its latest results, and how the last pull went.
 * @public
 */
export interface QualityPullState {
  entityRef: string;
  url: string;
  /** The ETag of the last document read, sent back as If-None-Match. */
  etag?: string;
  /** When it was last pulled (ISO 8601). */
  pulledAt?: string;
  /** How the last pull went. */
  status?: 'stored' | 'unchanged' | 'failed';
  /** Why the last pull failed. */
  error?: string;
}

/**
 * The quality store: quality runs, their checks and metric points, and the successful updates
 * of output ports. Raw check results and metric points are kept for a configured time; daily
 * rollups of both are kept after that, so that long trends stay cheap to read.
 * @public
 */
export interface QualityStore {
  /**
   * Stores a run in one transaction; the same run (same product, port, format and document)
   * twice is stored once.
   */
  addRun(request: AddQualityRunRequest): Promise<AddQualityRunResult>;
  /** The latest result of each check of a product. */
  getLatestChecks(entityRef: string): Promise<StoredCheckResult[]>;
  /**
   * The latest result of each check of many products in one read, by entity ref (a product with
   * no check is absent), each product's as {@link QualityStore.getLatestChecks} answers it.
   */
  getLatestChecksOf(
    entityRefs: string[],
  ): Promise<Map<string, StoredCheckResult[]>>;
  /** The latest successful update of each output port of a product, epoch ms. */
  getLastUpdates(entityRef: string): Promise<Record<string, number>>;
  /** The successful updates of a product's ports in a time range, oldest first. */
  getUpdates(
    entityRef: string,
    range: { from: number; to: number },
  ): Promise<Array<{ port: string; updatedAt: number }>>;
  /** Check results per day in a time range. */
  getCheckTrend(
    entityRef: string,
    range: { from: number; to: number },
  ): Promise<CheckTrendPoint[]>;
  /** Metric series in a time range, as raw points or daily rollups. */
  getMetricSeries(
    entityRef: string,
    range: { from: number; to: number; resolution: 'raw' | 'day' },
  ): Promise<MetricSeries[]>;
  /** The latest runs of a product, newest first. */
  listRuns(
    entityRef: string,
    options?: { limit?: number },
  ): Promise<StoredQualityRun[]>;
  /** A run, by id. */
  getRun(runId: number): Promise<StoredQualityRun | undefined>;
  /** The raw document of a run, while it is kept. */
  getRawDocument(
    runId: number,
  ): Promise<{ contentType: string; body: string } | undefined>;
  /** How the last pull of a product's published results went. */
  getPullState(entityRef: string): Promise<QualityPullState | undefined>;
  /** Records a pull of a product's published results. */
  setPullState(state: QualityPullState): Promise<void>;
  /**
   * Removes raw documents, check results and metric points older than the given times, and,
   * when `datasetUpdatesBefore` is given, the port updates older than it except the latest
   * update of each port (freshness is measured from it).
   */
  prune(options: {
    rawDocumentsBefore: number;
    resultsBefore: number;
    datasetUpdatesBefore?: number;
  }): Promise<QualityPruneResult>;
}
