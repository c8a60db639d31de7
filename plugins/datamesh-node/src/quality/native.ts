import { InputError } from '@backstage/errors';
import {
  validateQualityResults,
  QualityCheckResult,
  QualityDataset,
  QualityMetricPoint,
  QualityRun,
} from '@backstage-datamesh/plugin-datamesh-common';
import { compact } from './checks';
import { childPointer, pathOf, toIsoTime } from './json';

type NativeDataset = QualityDataset;
/** A check as the format writes it: the model's fields, with `id` and `type` for `checkId` and `checkType`. */
type NativeCheck = Omit<
  QualityCheckResult,
  'checkId' | 'checkType' | 'rawPointer'
> & {
  id?: string;
  type?: string;
};
type NativeDocument = {
  tool?: { name: string; version?: string };
  runId?: string;
  startedAt?: string;
  finishedAt: string;
  dataset?: NativeDataset;
  checks: NativeCheck[];
  metrics?: QualityMetricPoint[];
  updates?: Array<{ dataset?: NativeDataset; updatedAt: string }>;
};

/** A time the schema accepted (RFC 3339 with a time zone), in UTC. */
function utc(time: string): string;
function utc(time: string | undefined): string | undefined;
function utc(time: string | undefined) {
  return time === undefined ? undefined : toIsoTime(time) ?? time;
}

function datasetOf(
  dataset: NativeDataset | undefined,
): QualityDataset | undefined {
  return (
    dataset && compact({ namespace: dataset.namespace, name: dataset.name })
  );
}

/**
 * Reads a document of the suite's own quality results format (`datamesh-quality-results/v1`,
 * `quality-results.v1.schema.json` in `-common`): validated against its JSON schema, each problem
 * naming its field. A check's id is its `id`, else its name, and must be unique in the run; a
 * check, metric or update without a dataset has the document's.
 */
export function parseNativeQualityResults(document: unknown): QualityRun {
  const problems = validateQualityResults(document);
  if (problems.length > 0) {
    throw new InputError(
      `Invalid data mesh quality results: ${problems
        .map(p => p.message)
        .join('; ')}`,
    );
  }
  const doc = document as NativeDocument;
  const seen = new Map<string, number>();
  const checks = doc.checks.map((check, i): QualityCheckResult => {
    const pointer = childPointer('/checks', i);
    const checkId = check.id ?? check.name;
    const first = seen.get(checkId);
    if (first !== undefined) {
      throw new InputError(
        `Invalid data mesh quality results: ${pathOf(
          childPointer(pointer, check.id ? 'id' : 'name'),
        )} is ${JSON.stringify(checkId)}, the id of ${pathOf(
          childPointer('/checks', first),
        )}: give each check a unique id`,
      );
    }
    seen.set(checkId, i);
    return compact({
      checkId,
      name: check.name,
      status: check.status,
      dataset: datasetOf(check.dataset ?? doc.dataset),
      column: check.column,
      checkType: check.type,
      dimension: check.dimension,
      observedValue: check.observedValue,
      threshold: check.threshold,
      unexpectedCount: check.unexpectedCount,
      unexpectedPercent: check.unexpectedPercent,
      rowsEvaluated: check.rowsEvaluated,
      message: check.message,
      executedAt: utc(check.executedAt),
      rawPointer: pointer,
    });
  });
  const updates = (doc.updates ?? []).map((update, i) => {
    const dataset = datasetOf(update.dataset ?? doc.dataset);
    if (!dataset) {
      throw new InputError(
        `Invalid data mesh quality results: ${pathOf(
          childPointer(childPointer('/updates', i), 'dataset'),
        )} is required when the document has no dataset`,
      );
    }
    return { dataset, updatedAt: utc(update.updatedAt) };
  });
  return compact({
    format: 'native' as const,
    tool: doc.tool
      ? compact({ name: doc.tool.name, version: doc.tool.version })
      : { name: 'unknown' },
    runId: doc.runId,
    startedAt: utc(doc.startedAt),
    finishedAt: utc(doc.finishedAt),
    checks,
    metrics: (doc.metrics ?? []).map(metric =>
      compact({
        dataset: datasetOf(metric.dataset ?? doc.dataset),
        metric: metric.metric,
        value: metric.value,
        column: metric.column,
        observedAt: utc(metric.observedAt),
      }),
    ),
    updates,
  });
}
