import { parseDocument } from 'yaml';
import {
  createSchemaValidator,
  SchemaValidator,
} from '@backstage-datamesh/plugin-datamesh-common';
import type {
  DataContractObject,
  DataContractProperty,
  DataContractResult,
} from '@backstage-datamesh/plugin-datamesh-common';
import odcsV310 from './schemas/odcs-json-schema-v3.1.0.json';

/**
 * The ODCS versions the suite reads, each with the official JSON schema that validates them. The
 * v3.1.0 schema is the standard's latest and lists the v3.0.x versions in its `apiVersion` enum:
 * it is the one the standard publishes for all v3 documents (its v3.0.2 schema rejects parts of
 * the standard's own v3.0.2 examples, such as `team` as an object).
 */
const SCHEMAS: Array<{
  versions: RegExp;
  name: string;
  validator: SchemaValidator;
}> = [
  {
    versions: /^v3\.[01]\.\d+$/,
    name: 'v3.1.0',
    // the result's message names the standard and its version; each problem names its field
    validator: createSchemaValidator(odcsV310),
  },
];

/**
 * The ODCS versions whose documents the suite validates and shows.
 * @public
 */
export const SUPPORTED_ODCS_VERSIONS = 'v3.0.x and v3.1.x';

/** A property as an ODCS document writes it: the summary's fields, and nested ones. */
type OdcsProperty = Partial<Omit<DataContractProperty, 'properties'>> & {
  properties?: OdcsProperty[];
  items?: OdcsProperty;
};

function toProperty(p: OdcsProperty): DataContractProperty {
  const nested = p.properties ?? p.items?.properties;
  return {
    name: p.name ?? '',
    physicalName: p.physicalName,
    logicalType:
      p.logicalType === 'array' && p.items?.logicalType
        ? `array<${p.items.logicalType}>`
        : p.logicalType,
    physicalType: p.physicalType,
    description: p.description,
    required: p.required,
    unique: p.unique,
    primaryKey: p.primaryKey,
    primaryKeyPosition: p.primaryKeyPosition,
    logicalTypeOptions: p.logicalTypeOptions,
    quality: p.quality,
    classification: p.classification,
    examples: p.examples,
    properties: nested?.map(toProperty),
  };
}

/**
 * Parses an Open Data Contract Standard document (YAML or JSON), validates it against the official
 * JSON schema of its version, and summarises what a product page shows of it.
 *
 * ODCS v3.0.x and v3.1.x are read; a v2 document (or any other version) gets an
 * `unsupported-version` result naming its version, a document that does not parse or fails the
 * schema an `invalid` result naming each field.
 *
 * @param text - the document
 * @param source - where it was read from, echoed in the result
 * @public
 */
export function parseDataContract(
  text: string,
  source: string,
): DataContractResult {
  const doc = parseDocument(text, { prettyErrors: true });
  if (doc.errors.length > 0) {
    return {
      status: 'invalid',
      source,
      message: `The data contract is not valid YAML`,
      errors: doc.errors.map(e => ({
        path: e.linePos ? `line ${e.linePos[0].line}` : '(document)',
        message: e.message.split('\n')[0],
      })),
    };
  }
  const data: unknown = doc.toJS();
  if (!data || typeof data !== 'object' || Array.isArray(data)) {
    return {
      status: 'invalid',
      source,
      message:
        'The data contract is not an ODCS document: expected a YAML mapping',
      errors: [
        {
          path: '(document)',
          message:
            'expected a mapping with apiVersion, kind, id, version, status',
        },
      ],
    };
  }
  const apiVersion = (data as { apiVersion?: unknown }).apiVersion;
  if (typeof apiVersion !== 'string') {
    return {
      status: 'invalid',
      source,
      message: 'The data contract has no apiVersion',
      errors: [
        {
          path: 'apiVersion',
          message: `apiVersion is required (one of ${SUPPORTED_ODCS_VERSIONS})`,
        },
      ],
    };
  }
  const entry = SCHEMAS.find(s => s.versions.test(apiVersion));
  if (!entry) {
    return {
      status: 'unsupported-version',
      source,
      apiVersion,
      message: `ODCS ${apiVersion} is not supported: the data contract must use ODCS ${SUPPORTED_ODCS_VERSIONS}${
        apiVersion.startsWith('v2')
          ? ' (v2 documents must be migrated to v3)'
          : ''
      }`,
    };
  }
  const errors = entry.validator.validate(data);
  if (errors.length > 0) {
    return {
      status: 'invalid',
      source,
      message: `The data contract does not conform to the ODCS ${
        entry.name
      } schema (${errors.length} problem${errors.length === 1 ? '' : 's'})`,
      errors,
    };
  }
  const contract = data as {
    id: string;
    version: string;
    name?: string;
    status?: string;
    domain?: string;
    dataProduct?: string;
    description?: { purpose?: string } | string;
    schema?: Array<OdcsProperty & { physicalName?: string }>;
  };
  const schema: DataContractObject[] = (contract.schema ?? []).map(o => ({
    name: o.name ?? '',
    physicalName: o.physicalName,
    physicalType: o.physicalType,
    description: o.description,
    quality: o.quality,
    properties: (o.properties ?? []).map(toProperty),
  }));
  return {
    status: 'valid',
    source,
    contract: {
      apiVersion,
      id: contract.id,
      name: contract.name,
      version: contract.version,
      status: contract.status,
      domain: contract.domain,
      dataProduct: contract.dataProduct,
      description:
        typeof contract.description === 'string'
          ? contract.description
          : contract.description?.purpose,
      schema,
    },
  };
}
