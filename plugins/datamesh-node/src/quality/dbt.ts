import type {
  QualityCheckResult,
  QualityCheckStatus,
  QualityDataset,
  QualityDatasetUpdate,
  QualityRun,
} from '@backstage-datamesh/plugin-datamesh-common';
import { splitDatasetName } from '@backstage-datamesh/plugin-datamesh-common';
import { dimensionOf } from './dimensions';
import { compact, observedValueOf, withUniqueCheckIds } from './checks';
import { childPointer, DocumentReader, JsonObject } from './json';

/**
 * The oldest run_results schema version read. v2 (dbt 0.20) is the first with `failures`; v2 to
 * v6 have the same shape for every field read here, so the OpenLineage dbt fixtures (v2, v3) are
 * read too. v1 (dbt 0.19) is refused.
 */
const OLDEST_RUN_RESULTS_VERSION = 2;

/** The schema version of a dbt artefact of a kind, such as 6 for `https://schemas.getdbt.com/dbt/run-results/v6.json`. */
function artefactVersion(
  kind: 'run-results' | 'manifest',
  schemaVersion: unknown,
): number | undefined {
  const match =
    typeof schemaVersion === 'string'
      ? new RegExp(`/${kind}/v(\\d+)\\.json$`).exec(schemaVersion)
      : null;
  return match ? Number(match[1]) : undefined;
}

/**
 * The artefact's schema version from its `metadata.dbt_schema_version`, or an `InputError` naming
 * that field when it does not name a schema of the kind.
 */
function readArtefactVersion(
  documentReader: DocumentReader,
  doc: JsonObject,
  pointer: string,
  kind: 'run-results' | 'manifest',
  example: number,
): number {
  const metadataPointer = childPointer(pointer, 'metadata');
  const metadata = documentReader.requiredObject(doc, pointer, 'metadata');
  const schemaVersion = documentReader.requiredString(
    metadata,
    metadataPointer,
    'dbt_schema_version',
  );
  return (
    artefactVersion(kind, schemaVersion) ??
    documentReader.fail(
      childPointer(metadataPointer, 'dbt_schema_version'),
      `must name a dbt ${kind} schema (such as https://schemas.getdbt.com/dbt/${kind}/v${example}.json), not ${JSON.stringify(
        schemaVersion,
      )}`,
    )
  );
}

/** dbt's result statuses, of every node type, in the suite's statuses. */
const STATUSES: Record<string, QualityCheckStatus> = {
  pass: 'pass',
  success: 'pass',
  warn: 'warn',
  'partial success': 'warn',
  fail: 'fail',
  error: 'error',
  'runtime error': 'error',
  skipped: 'skipped',
  'no-op': 'skipped',
};

/** Node types whose successful result is a write of their relation. */
const BUILT_TYPES = new Set(['model', 'snapshot', 'seed']);
/** Node types whose result is a test of data. */
const TEST_TYPES = new Set(['test', 'unit_test']);

const reader = new DocumentReader('dbt run_results');
const manifestReader = new DocumentReader('dbt manifest');

/** The schema version of a dbt artefact, such as 6 for `https://schemas.getdbt.com/dbt/run-results/v6.json`. */
export function runResultsVersion(document: unknown): number | undefined {
  return artefactVersion(
    'run-results',
    (document as { metadata?: { dbt_schema_version?: unknown } } | null)
      ?.metadata?.dbt_schema_version,
  );
}

type Manifest = {
  nodes: JsonObject;
  sources: JsonObject;
};

function readManifest(manifest: unknown): Manifest {
  const doc = manifestReader.object(manifest, '/manifest');
  readArtefactVersion(manifestReader, doc, '/manifest', 'manifest', 12);
  return {
    nodes: manifestReader.requiredObject(doc, '/manifest', 'nodes'),
    sources: manifestReader.optionalObject(doc, '/manifest', 'sources') ?? {},
  };
}

/** A relation name as dbt renders it (`"db"."schema"."table"`) without its quotes. */
function unquoteRelation(relation: string): string {
  return splitDatasetName(relation).join('.');
}

/**
 * The relation of a model, seed, snapshot or source node, named as OpenLineage's dbt integration
 * names it: `database.schema.alias` (a source's `identifier` for its alias), without quotes; the
 * node's `relation_name` when those fields are missing.
 */
function relationOf(node: JsonObject): QualityDataset | undefined {
  const text = (key: string) =>
    typeof node[key] === 'string' && node[key] !== ''
      ? (node[key] as string)
      : undefined;
  const identifier = text('alias') ?? text('identifier') ?? text('name');
  if (identifier && text('schema')) {
    return {
      name: [text('database'), text('schema'), identifier]
        .filter(Boolean)
        .join('.'),
    };
  }
  const relation = text('relation_name');
  return relation ? { name: unquoteRelation(relation) } : undefined;
}

function lookup(manifest: Manifest, uniqueId: string): JsonObject | undefined {
  const node = manifest.nodes[uniqueId] ?? manifest.sources[uniqueId];
  return node && typeof node === 'object' && !Array.isArray(node)
    ? (node as JsonObject)
    : undefined;
}

/** `ref('orders')`, `ref('pkg', 'orders')` or `source('raw', 'orders')` in a test's `kwargs.model`. */
function refInModel(model: unknown): {
  ref?: string;
  source?: [string, string];
} {
  if (typeof model !== 'string') {
    return {};
  }
  const source = /source\(\s*['"]([^'"]+)['"]\s*,\s*['"]([^'"]+)['"]\s*\)/.exec(
    model,
  );
  if (source) {
    return { source: [source[1], source[2]] };
  }
  const ref = /ref\(\s*(?:['"][^'"]+['"]\s*,\s*)?['"]([^'"]+)['"]/.exec(model);
  return ref ? { ref: ref[1] } : {};
}

/**
 * The node a test tests: its `attached_node` (dbt 1.5+); else the one its generic test's
 * `kwargs.model` refers to; else its only model, seed, snapshot or source dependency; else, for
 * a generic test that depends on several (`relationships`), the one dbt named it after: generic
 * tests are named `<test>_<model>_<arguments>` (`source_<test>_<source>_<table>_…` on sources).
 */
function testedNode(
  manifest: Manifest,
  test: JsonObject,
  testName: string,
): JsonObject | undefined {
  if (typeof test.attached_node === 'string') {
    const attached = lookup(manifest, test.attached_node);
    if (attached) {
      return attached;
    }
  }
  const dependsOn = (test.depends_on as { nodes?: unknown } | undefined)?.nodes;
  const candidates = (Array.isArray(dependsOn) ? dependsOn : [])
    .filter((id): id is string => typeof id === 'string')
    .filter(id => /^(model|seed|snapshot|source)\./.test(id))
    .map(id => lookup(manifest, id))
    .filter((node): node is JsonObject => node !== undefined);
  const metadata = test.test_metadata as
    | { name?: unknown; kwargs?: { model?: unknown } }
    | undefined;
  const { ref, source } = refInModel(metadata?.kwargs?.model);
  const byRef = candidates.find(node =>
    source
      ? node.resource_type === 'source' &&
        node.source_name === source[0] &&
        node.name === source[1]
      : ref !== undefined &&
        node.resource_type !== 'source' &&
        node.name === ref,
  );
  if (byRef) {
    return byRef;
  }
  if (candidates.length === 1) {
    return candidates[0];
  }
  const generic =
    typeof metadata?.name === 'string' ? metadata.name : undefined;
  if (!generic) {
    return undefined;
  }
  const prefixOf = (node: JsonObject) =>
    node.resource_type === 'source'
      ? `source_${generic}_${node.source_name}_${node.name}_`
      : `${generic}_${node.name}_`;
  const named = candidates
    .filter(node => testName.startsWith(prefixOf(node)))
    .sort((a, b) => prefixOf(b).length - prefixOf(a).length);
  return named[0];
}

/** dbt's `warn_if`/`error_if` for the test's severity, as dbt's own messages state them. */
function thresholdOf(test: JsonObject): string | undefined {
  const config = test.config as
    | { severity?: unknown; warn_if?: unknown; error_if?: unknown }
    | undefined;
  if (typeof config?.severity !== 'string') {
    return undefined;
  }
  if (config.severity.toLowerCase() === 'warn') {
    return `warn if ${
      typeof config.warn_if === 'string' ? config.warn_if : '!= 0'
    }`;
  }
  return `fail if ${
    typeof config.error_if === 'string' ? config.error_if : '!= 0'
  }`;
}

function completedAt(result: JsonObject, pointer: string): string | undefined {
  const timing = reader.optionalArray(result, pointer, 'timing');
  let latest: string | undefined;
  timing.forEach((entry, i) => {
    const entryPointer = childPointer(childPointer(pointer, 'timing'), i);
    const step = reader.object(entry, entryPointer);
    const name = reader.optionalString(step, entryPointer, 'name');
    const done = reader.optionalTime(step, entryPointer, 'completed_at');
    if (done && (name === 'execute' || !latest)) {
      latest = done;
    }
  });
  return latest;
}

function startedAtOf(results: JsonObject[], pointers: string[]) {
  let earliest: string | undefined;
  results.forEach((result, r) => {
    reader.optionalArray(result, pointers[r], 'timing').forEach((entry, i) => {
      const entryPointer = childPointer(childPointer(pointers[r], 'timing'), i);
      const started = reader.optionalTime(
        reader.object(entry, entryPointer),
        entryPointer,
        'started_at',
      );
      if (started && (!earliest || started < earliest)) {
        earliest = started;
      }
    });
  });
  return earliest;
}

/**
 * Reads a dbt `run_results.json` (schema v2 to v6 and later), with the run's `manifest.json` when
 * given, into the suite's model.
 *
 * Every result is a check: tests (`test.` and `unit_test.` ids) with the model, seed, snapshot or
 * source they test as their dataset (from the manifest), their generic test's name as their type
 * and `failures` as their unexpected count; models, seeds and snapshots with their relation as
 * dataset. A model, seed or snapshot built with status `success` is also an update of its
 * relation, at its `execute` step's end (else the artefact's `generated_at`). Without a manifest,
 * tests have no dataset, and built nodes have the result's `relation_name` (v5+) when present.
 *
 * The official run-results JSON schema is not applied: the v6 schema requires fields that v4 and
 * v5 documents do not have (`compiled`, `compiled_code`, `relation_name`) and refuses the
 * `failures: "Test failure"` that dbt 1.8 writes for some tests. Each field read is checked
 * instead, and a wrong one is an `InputError` naming its path.
 */
export function parseDbtRunResults(
  document: unknown,
  manifest?: unknown,
): QualityRun {
  const doc = reader.object(document, '');
  const version = readArtefactVersion(reader, doc, '', 'run-results', 6);
  const metadata = reader.requiredObject(doc, '', 'metadata');
  if (version < OLDEST_RUN_RESULTS_VERSION) {
    return reader.fail(
      '/metadata/dbt_schema_version',
      `is run-results v${version} (dbt 0.19 or older), which is not supported: dbt run_results v${OLDEST_RUN_RESULTS_VERSION} (dbt 0.20) and later are read`,
    );
  }
  const generatedAt = reader.requiredTime(
    metadata,
    '/metadata',
    'generated_at',
  );
  const nodes = manifest === undefined ? undefined : readManifest(manifest);

  const results = reader.requiredArray(doc, '', 'results');
  const pointers = results.map((_, i) => childPointer('/results', i));
  const objects = results.map((r, i) => reader.object(r, pointers[i]));

  const checks: QualityCheckResult[] = [];
  const updates: QualityDatasetUpdate[] = [];
  objects.forEach((result, i) => {
    const pointer = pointers[i];
    const uniqueId = reader.optionalString(result, pointer, 'unique_id') ?? '';
    const rawStatus = reader.requiredString(result, pointer, 'status');
    const status = STATUSES[rawStatus.toLowerCase()];
    if (!status) {
      reader.fail(
        childPointer(pointer, 'status'),
        `must be one of ${Object.keys(STATUSES).join(
          ', ',
        )}, not ${JSON.stringify(rawStatus)}`,
      );
    }
    const message =
      reader.optionalString(result, pointer, 'message') || undefined;
    const failures = result.failures;
    if (
      failures !== undefined &&
      failures !== null &&
      typeof failures !== 'number' &&
      typeof failures !== 'string'
    ) {
      reader.fail(
        childPointer(pointer, 'failures'),
        'must be a number of failing rows, a string or null',
      );
    }
    const executedAt = completedAt(result, pointer);
    const segments = uniqueId.split('.');
    const resourceType = uniqueId ? segments[0] : undefined;
    const isTest = resourceType !== undefined && TEST_TYPES.has(resourceType);
    const shortName = isTest
      ? segments[2] ?? uniqueId
      : segments.slice(2).join('.') || uniqueId;
    const node = nodes && uniqueId ? lookup(nodes, uniqueId) : undefined;

    let dataset: QualityDataset | undefined;
    let column: string | undefined;
    let checkType: string | undefined;
    let threshold: string | undefined;
    if (isTest) {
      const tested =
        node && nodes ? testedNode(nodes, node, shortName) : undefined;
      dataset = tested ? relationOf(tested) : undefined;
      const metadataOfTest = node?.test_metadata as
        | { name?: unknown; kwargs?: { column_name?: unknown } }
        | undefined;
      if (typeof metadataOfTest?.name === 'string') {
        checkType = metadataOfTest.name;
      } else if (resourceType === 'unit_test') {
        checkType = 'unit_test';
      }
      const columnName =
        node?.column_name ?? metadataOfTest?.kwargs?.column_name;
      column = typeof columnName === 'string' ? columnName : undefined;
      threshold = node ? thresholdOf(node) : undefined;
    } else if (resourceType) {
      checkType = resourceType;
      const relationName = reader.optionalString(
        result,
        pointer,
        'relation_name',
      );
      dataset =
        (node ? relationOf(node) : undefined) ??
        (relationName ? { name: unquoteRelation(relationName) } : undefined);
      if (
        rawStatus.toLowerCase() === 'success' &&
        BUILT_TYPES.has(resourceType) &&
        dataset
      ) {
        updates.push({ dataset, updatedAt: executedAt ?? generatedAt });
      }
    }

    const failureCount =
      typeof failures === 'number' &&
      Number.isInteger(failures) &&
      failures >= 0
        ? failures
        : undefined;
    checks.push(
      compact({
        checkId: uniqueId || pointer,
        name:
          (typeof node?.name === 'string' && !isTest ? node.name : undefined) ??
          (uniqueId ? shortName : `dbt result ${i} without a unique_id`),
        status,
        dataset,
        column,
        checkType,
        dimension: isTest ? dimensionOf(checkType) : undefined,
        observedValue: isTest ? observedValueOf(failureCount) : undefined,
        threshold,
        unexpectedCount: isTest ? failureCount : undefined,
        message:
          message ??
          (typeof failures === 'string' && failures ? failures : undefined),
        executedAt,
        rawPointer: pointer,
      }),
    );
  });

  return compact({
    format: 'dbt' as const,
    tool: compact({
      name: 'dbt',
      version: reader.optionalString(metadata, '/metadata', 'dbt_version'),
    }),
    runId: reader.optionalString(metadata, '/metadata', 'invocation_id'),
    startedAt: [
      reader.optionalTime(metadata, '/metadata', 'invocation_started_at') ??
        startedAtOf(objects, pointers),
    ].find(started => started !== undefined && started <= generatedAt),
    finishedAt: generatedAt,
    checks: withUniqueCheckIds(checks),
    metrics: [],
    updates,
  });
}
