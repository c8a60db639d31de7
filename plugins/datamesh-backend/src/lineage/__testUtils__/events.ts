import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { AddLineageEventRequest } from '@backstage-datamesh/plugin-datamesh-node';
import { lineageEventHash, readLineageEvent } from '../readEvent';

/** The repository's public OpenLineage fixtures. */
export const openLineageFixtures = path.resolve(
  __dirname,
  '../../../../../fixtures/openlineage',
);

/** A fixture file, parsed. */
export function loadOpenLineageFixture<T = unknown>(file: string): T {
  return JSON.parse(
    fs.readFileSync(path.join(openLineageFixtures, file), 'utf8'),
  ) as T;
}

/** What the Python client writes as the producer of the events it builds. */
export const PRODUCER =
  'https://github.com/OpenLineage/OpenLineage/tree/1.53.0/client/python';

const facet = (name: string, fields: object) => ({
  _producer: PRODUCER,
  _schemaURL: `https://openlineage.io/spec/facets/1-0-0/${name}.json#/$defs/${name}`,
  ...fields,
});

/** A dataset of an event, with a schema facet when columns are given. */
export function dataset(
  namespace: string,
  name: string,
  options: { columns?: string[]; facets?: object; inputFacets?: object } = {},
) {
  return {
    namespace,
    name,
    ...(options.columns || options.facets
      ? {
          facets: {
            ...(options.columns
              ? {
                  schema: facet('SchemaDatasetFacet', {
                    fields: options.columns.map(c => ({
                      name: c,
                      type: 'VARCHAR',
                    })),
                  }),
                }
              : {}),
            ...options.facets,
          },
        }
      : {}),
    ...(options.inputFacets ? { inputFacets: options.inputFacets } : {}),
  };
}

/** A RunEvent of the spec 2-0-2, as a client builds it. */
export function runEvent(options: {
  runId?: string;
  eventType?: string;
  eventTime: string;
  job?: { namespace: string; name: string };
  inputs?: object[];
  outputs?: object[];
  runFacets?: object;
  jobFacets?: object;
}) {
  return {
    ...(options.eventType !== undefined
      ? { eventType: options.eventType }
      : {}),
    eventTime: options.eventTime,
    run: {
      runId: options.runId ?? randomUUID(),
      ...(options.runFacets ? { facets: options.runFacets } : {}),
    },
    job: {
      ...(options.job ?? { namespace: 'airflow', name: 'orders.load' }),
      ...(options.jobFacets ? { facets: options.jobFacets } : {}),
    },
    inputs: options.inputs ?? [],
    outputs: options.outputs ?? [],
    producer: PRODUCER,
    schemaURL:
      'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent',
  };
}

/** Facets of the spec, for building events. */
export const facets = {
  parent: (runId: string, job: { namespace: string; name: string }) =>
    facet('ParentRunFacet', { run: { runId }, job }),
  errorMessage: (message: string) =>
    facet('ErrorMessageRunFacet', { message, programmingLanguage: 'python' }),
  nominalTime: (start: string) =>
    facet('NominalTimeRunFacet', { nominalStartTime: start }),
  documentation: (description: string) =>
    facet('DocumentationJobFacet', { description }),
  columnLineage: (fields: object) =>
    facet('ColumnLineageDatasetFacet', { fields }),
  assertions: (assertions: object[]) =>
    facet('DataQualityAssertionsDatasetFacet', { assertions }),
  metrics: (metrics: object) =>
    facet('DataQualityMetricsInputDatasetFacet', metrics),
};

/** An event read as the ingestion reads it, as the store takes it. */
export function storeRequest(
  event: unknown,
  receivedAt?: number,
): AddLineageEventRequest {
  return {
    event: readLineageEvent(event).record,
    raw: { body: JSON.stringify(event), hash: lineageEventHash(event) },
    ...(receivedAt !== undefined ? { receivedAt } : {}),
  };
}
