import { createHash } from 'node:crypto';
import { InputError } from '@backstage/errors';
import {
  canonicalJson,
  LineageEventKind,
  LineageRunState,
} from '@backstage-datamesh/plugin-datamesh-common';
import type {
  LineageColumnLineageRecord,
  LineageDatasetRecord,
  LineageEventRecord,
  LineageJobFacets,
  LineageRunFacets,
} from '@backstage-datamesh/plugin-datamesh-node';
import { validateLineageEvent } from './validateEvent';

/** Longest namespace, name or column the store keeps (its columns' size). */
export const MAX_NAME_LENGTH = 1024;

type Facets = Record<string, Record<string, unknown> | undefined>;

/** A dataset of an event, as the OpenLineage schema has it. */
export interface OpenLineageDataset {
  namespace: string;
  name: string;
  facets?: Facets;
  inputFacets?: Facets;
  outputFacets?: Facets;
}

/** An event that passed the OpenLineage schemas, with the fields read here. */
export interface OpenLineageEvent {
  eventTime: string;
  eventType?: LineageRunState;
  producer: string;
  run?: { runId: string; facets?: Facets };
  job?: { namespace: string; name: string; facets?: Facets };
  inputs?: OpenLineageDataset[];
  outputs?: OpenLineageDataset[];
  dataset?: OpenLineageDataset;
}

/** An event, validated and read. */
export interface ReadLineageEvent {
  kind: LineageEventKind;
  event: OpenLineageEvent;
  record: LineageEventRecord;
}

type SchemaField = { name: string; type?: string; description?: string };
type InputField = {
  namespace: string;
  name: string;
  field: string;
  transformations?: Array<{
    type: string;
    subtype?: string;
    description?: string;
    masking?: boolean;
  }>;
};

function requireLength(value: string, path: string) {
  if (value.length > MAX_NAME_LENGTH) {
    throw new InputError(
      `${path} is ${value.length} characters long; the lineage store keeps names of up to ${MAX_NAME_LENGTH}`,
    );
  }
}

function timeOf(value: string, path: string): number {
  const at = Date.parse(value);
  if (Number.isNaN(at)) {
    // the schema's date-time format admits leap seconds (23:59:60), which JavaScript cannot read
    throw new InputError(
      `${path} ${JSON.stringify(value)} cannot be read as a time`,
    );
  }
  return at;
}

function definedOnly<T extends object>(value: T): T {
  return Object.fromEntries(
    Object.entries(value).filter(([, v]) => v !== undefined),
  ) as T;
}

function runFacets(facets: Facets | undefined): LineageRunFacets {
  const parent = facets?.parent as
    | { run: { runId: string }; job: { namespace: string; name: string } }
    | undefined;
  const error = facets?.errorMessage as { message: string } | undefined;
  const nominal = facets?.nominalTime as
    | { nominalStartTime: string; nominalEndTime?: string }
    | undefined;
  const engine = facets?.processing_engine as
    | { name?: string; version: string }
    | undefined;
  return definedOnly({
    parent: parent && {
      runId: parent.run.runId,
      job: { namespace: parent.job.namespace, name: parent.job.name },
    },
    errorMessage: error?.message,
    nominalTime: nominal && {
      start: nominal.nominalStartTime,
      ...(nominal.nominalEndTime ? { end: nominal.nominalEndTime } : {}),
    },
    processingEngine:
      engine &&
      definedOnly({
        name: engine.name,
        version: engine.version,
      }),
  });
}

function jobFacets(facets: Facets | undefined): LineageJobFacets {
  const jobType = facets?.jobType as
    | { processingType?: string; integration?: string; jobType?: string }
    | undefined;
  return definedOnly({
    description: facets?.documentation?.description as string | undefined,
    jobType:
      jobType &&
      definedOnly({
        processingType: jobType.processingType,
        integration: jobType.integration,
        jobType: jobType.jobType,
      }),
    sql: facets?.sql?.query as string | undefined,
    sourceCodeUrl: facets?.sourceCodeLocation?.url as string | undefined,
  });
}

function datasetOf(
  dataset: OpenLineageDataset,
  path: string,
): LineageDatasetRecord {
  requireLength(dataset.namespace, `${path}.namespace`);
  requireLength(dataset.name, `${path}.name`);
  const fields = (
    dataset.facets?.schema as { fields?: SchemaField[] } | undefined
  )?.fields;
  return definedOnly({
    namespace: dataset.namespace,
    name: dataset.name,
    fields: fields?.map(f =>
      definedOnly({ name: f.name, type: f.type, description: f.description }),
    ),
    description: dataset.facets?.documentation?.description as
      | string
      | undefined,
  });
}

/** The column lineage of one output, from its `columnLineage` facet (1-0-x and 1-1-0 and later). */
function columnLineageOf(
  output: OpenLineageDataset,
  path: string,
): LineageColumnLineageRecord[] {
  const facet = output.facets?.columnLineage as
    | {
        fields: Record<
          string,
          {
            inputFields: InputField[];
            transformationType?: string;
            transformationDescription?: string;
          }
        >;
        dataset?: InputField[];
      }
    | undefined;
  if (!facet) {
    return [];
  }
  const records: LineageColumnLineageRecord[] = [];
  const add = (
    outputColumn: string | undefined,
    input: InputField,
    legacy: { type?: string; description?: string },
    inputPath: string,
  ) => {
    if (outputColumn !== undefined) {
      requireLength(outputColumn, `${path}.facets.columnLineage.fields`);
    }
    requireLength(input.namespace, `${inputPath}.namespace`);
    requireLength(input.name, `${inputPath}.name`);
    requireLength(input.field, `${inputPath}.field`);
    const base = {
      output: { namespace: output.namespace, name: output.name },
      ...(outputColumn !== undefined ? { outputColumn } : {}),
      input: { namespace: input.namespace, name: input.name },
      inputColumn: input.field,
    };
    if (input.transformations?.length) {
      for (const t of input.transformations) {
        records.push(
          definedOnly({
            ...base,
            transformationType: t.type,
            transformationSubtype: t.subtype,
            description: t.description,
            masking: t.masking,
          }),
        );
      }
    } else {
      records.push(
        definedOnly({
          ...base,
          transformationType: legacy.type,
          description: legacy.description,
        }),
      );
    }
  };
  for (const [column, mapping] of Object.entries(facet.fields)) {
    mapping.inputFields.forEach((input, i) =>
      add(
        column,
        input,
        {
          type: mapping.transformationType,
          description: mapping.transformationDescription,
        },
        `${path}.facets.columnLineage.fields.${column}.inputFields[${i}]`,
      ),
    );
  }
  (facet.dataset ?? []).forEach((input, i) =>
    add(undefined, input, {}, `${path}.facets.columnLineage.dataset[${i}]`),
  );
  return records;
}

/**
 * Validates a parsed event against the OpenLineage schemas and reads it into what the lineage
 * store keeps. Bad input is an InputError naming the field.
 */
export function readLineageEvent(value: unknown): ReadLineageEvent {
  const kind = validateLineageEvent(value);
  const event = value as OpenLineageEvent;
  const eventTime = timeOf(event.eventTime, 'eventTime');
  if (event.job) {
    requireLength(event.job.namespace, 'job.namespace');
    requireLength(event.job.name, 'job.name');
  }
  if (event.run) {
    requireLength(event.run.runId, 'run.runId');
  }
  const inputs = (event.inputs ?? []).map((d, i) =>
    datasetOf(d, `inputs[${i}]`),
  );
  const outputs = (event.outputs ?? []).map((d, i) =>
    datasetOf(d, `outputs[${i}]`),
  );
  const record: LineageEventRecord = {
    kind,
    ...(event.eventType ? { eventType: event.eventType } : {}),
    eventTime,
    ...(event.run
      ? { run: { runId: event.run.runId, facets: runFacets(event.run.facets) } }
      : {}),
    ...(event.job
      ? {
          job: {
            namespace: event.job.namespace,
            name: event.job.name,
            facets: jobFacets(event.job.facets),
          },
        }
      : {}),
    inputs,
    outputs,
    ...(event.dataset ? { dataset: datasetOf(event.dataset, 'dataset') } : {}),
    columnLineage: (event.outputs ?? []).flatMap((d, i) =>
      columnLineageOf(d, `outputs[${i}]`),
    ),
  };
  return { kind, event, record };
}

/**
 * The hash the lineage store deduplicates events by: SHA-256 of the event as canonical JSON, so
 * the same event sent again (a client's retry, a replayed backlog) is stored once however its
 * JSON was spaced or its keys ordered.
 */
export function lineageEventHash(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}
