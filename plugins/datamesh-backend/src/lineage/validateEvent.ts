import { InputError } from '@backstage/errors';
import {
  LineageEventKind,
  SchemaValidator,
  createSchemaValidator,
} from '@backstage-datamesh/plugin-datamesh-common';
import {
  FACET_SCHEMAS,
  FacetLocation,
  facetSchemas,
  openLineageSchema,
} from './schemas';

/**
 * A copy of a schema without its `format: uri` keywords: the official integrations write values
 * that are no RFC 3986 URI where the schemas say `uri` (Spark's `dataSource` facet has `uri:
 * "file"` and `uri: "bigquery"`, the compatibility tests' real events show it), and refusing
 * them would lose real lineage for a field nothing here reads. Every other format (`date-time`,
 * `uuid`) is checked.
 */
function withoutUriFormat<T>(schema: T): T {
  if (Array.isArray(schema)) {
    return schema.map(withoutUriFormat) as T;
  }
  if (typeof schema === 'object' && schema !== null) {
    return Object.fromEntries(
      Object.entries(schema)
        .filter(([key, value]) => !(key === 'format' && value === 'uri'))
        .map(([key, value]) => [key, withoutUriFormat(value)]),
    ) as T;
  }
  return schema;
}

const references = [openLineageSchema, ...facetSchemas].map(withoutUriFormat);
const options = { standard: 'OpenLineage', references };
const CORE_ID = (openLineageSchema as { $id: string }).$id;

/** The facets of one location, each held to its schema by key (other keys to the core's only). */
function facetsOf(location: FacetLocation) {
  return {
    properties: Object.fromEntries(
      Object.entries(FACET_SCHEMAS[location]).map(([key, schema]) => [
        key,
        { $ref: `${(schema as { $id: string }).$id}#/properties/${key}` },
      ]),
    ),
  };
}

const runPart = { properties: { facets: facetsOf('run') } };
const jobPart = { properties: { facets: facetsOf('job') } };
const inputsPart = {
  items: {
    properties: { facets: facetsOf('dataset'), inputFacets: facetsOf('input') },
  },
};
const outputsPart = {
  items: {
    properties: {
      facets: facetsOf('dataset'),
      outputFacets: facetsOf('output'),
    },
  },
};

/**
 * The schema of one kind of event: the core schema's definition of it, with each facet it can
 * carry held to the facet's own schema.
 */
function eventSchema(kind: LineageEventKind, properties: object): object {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: `https://datamesh.io/schema/openlineage/${kind}.json`,
    allOf: [{ $ref: `${CORE_ID}#/$defs/${kind}` }],
    properties,
  };
}

const validators: Record<LineageEventKind, SchemaValidator> = {
  RunEvent: createSchemaValidator(
    eventSchema('RunEvent', {
      run: runPart,
      job: jobPart,
      inputs: inputsPart,
      outputs: outputsPart,
    }),
    options,
  ),
  JobEvent: createSchemaValidator(
    eventSchema('JobEvent', {
      job: jobPart,
      inputs: inputsPart,
      outputs: outputsPart,
    }),
    options,
  ),
  DatasetEvent: createSchemaValidator(
    eventSchema('DatasetEvent', {
      dataset: { properties: { facets: facetsOf('dataset') } },
    }),
    options,
  ),
};

/**
 * The kind of an event, told as the spec's definitions tell them apart: a RunEvent has a `run`
 * (and a `job`), a JobEvent a `job` and no `run`, a DatasetEvent a `dataset` and neither.
 */
export function lineageEventKind(value: unknown): LineageEventKind {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    let what = `a ${typeof value}`;
    if (value === null) {
      what = 'null';
    } else if (Array.isArray(value)) {
      what = 'an array (post arrays to the batch route, v1/lineage/batch)';
    }
    throw new InputError(
      `An OpenLineage event is a JSON object (a RunEvent, JobEvent or DatasetEvent), not ${what}`,
    );
  }
  if ('run' in value) {
    return 'RunEvent';
  }
  if ('job' in value) {
    return 'JobEvent';
  }
  if ('dataset' in value) {
    return 'DatasetEvent';
  }
  throw new InputError(
    'The event is no OpenLineage event: a RunEvent has run and job, a JobEvent job, a DatasetEvent dataset',
  );
}

/**
 * Validates an event against the official OpenLineage schemas (core 2-0-2, which every 1-x event
 * also meets, and the facet schemas of the spec); an invalid event is refused with an InputError
 * whose message names each field that failed, as a path into the event.
 *
 * @returns the event's kind
 */
export function validateLineageEvent(value: unknown): LineageEventKind {
  const kind = lineageEventKind(value);
  const problems = validators[kind].validate(value);
  if (problems.length) {
    throw new InputError(
      `The OpenLineage ${kind} is invalid: ${problems
        .map(p => p.message)
        .join('; ')}`,
    );
  }
  return kind;
}
