import type { ErrorObject } from 'ajv';
import type { Entity } from '@backstage/catalog-model';
import type {
  DataProductEntityV1alpha1,
  DataProductInputPort,
  DataProductOutputPort,
  DataProductType,
  DatasetLocation,
  OutputPortType,
} from '../types';
import {
  DATAMESH_API_VERSION,
  DATA_PRODUCT_KIND,
  DATA_PRODUCT_TYPES,
  OUTPUT_PORT_TYPES,
} from '../types';
import { validateDataProductEntity } from '../validation';
import { jsonPointerToPath } from '../jsonPointer';

/**
 * The annotation that records which open standard (and version) an entity was converted from,
 * for example `odps/v1.0.0` or `dpds/1.0.0`.
 * @public
 */
export const ANNOTATION_SOURCE_STANDARD = 'datamesh.io/source-standard';

/**
 * The annotation that keeps the descriptor's own identifier: the ODPS `id` or the DPDS
 * `info.fullyQualifiedName`.
 * @public
 */
export const ANNOTATION_SOURCE_ID = 'datamesh.io/source-id';

/**
 * The annotation that keeps the descriptor's own status when it was mapped to a lifecycle
 * (ODPS `status`).
 * @public
 */
export const ANNOTATION_SOURCE_STATUS = 'datamesh.io/source-status';

/**
 * The annotation that keeps a product version that is not a semantic version (and so cannot be
 * `spec.version`).
 * @public
 */
export const ANNOTATION_SOURCE_VERSION = 'datamesh.io/source-version';

/**
 * One reason a descriptor could not be converted, naming the descriptor's field
 * (for example `outputPorts[0]` or `info.owner.id`).
 * @public
 */
export interface DescriptorConversionProblem {
  /** The field, as a path into the descriptor, such as `interfaceComponents.outputPorts[1].name`. */
  path: string;
  /** What is wrong, starting with the path. */
  message: string;
}

/**
 * What a converter returns: the entity when the descriptor could be converted, or the problems
 * that prevent it. Exactly one of the two is present (`problems` is then empty).
 * @public
 */
export type DescriptorConversionResult =
  | { entity: DataProductEntityV1alpha1; problems: [] }
  | { entity?: undefined; problems: DescriptorConversionProblem[] };

/**
 * Values the caller supplies for what a descriptor does not say. They are only used where the
 * descriptor is silent; nothing else is ever made up.
 * @public
 */
export interface DescriptorConversionOptions {
  /** The namespace of the entity; the catalog's `default` when not given. */
  namespace?: string;
  /** Entity reference of the owning Group or User, for descriptors that name no owner. */
  defaultOwner?: string;
  /** Entity reference of the Domain, for descriptors that name no domain. */
  defaultDomain?: string;
  /** The product type, for descriptors that do not state it (neither standard has the field). */
  defaultType?: DataProductType;
  /** The lifecycle, for descriptors that do not state it (DPDS has no status field). */
  defaultLifecycle?: string;
}

/** Turns a JSON pointer (`/outputPorts/1/type`) into a field path (`outputPorts[1].type`). */
export function pointerToPath(pointer: string, child?: string): string {
  return jsonPointerToPath(pointer, child);
}

function describe(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/**
 * Formats the errors of an official standard's JSON schema as problems naming the descriptor's
 * fields. Errors of the `$ref` branch of the standards' "X or reference" choices are left out
 * when the inline branch explains the problem.
 */
export function formatSchemaErrors(
  errors: ErrorObject[],
  standard: string,
): DescriptorConversionProblem[] {
  const isRefBranch = (e: ErrorObject) =>
    e.keyword === 'required' &&
    (e.params as { missingProperty?: string }).missingProperty === '$ref';
  const relevant = errors.filter(e => !isRefBranch(e));
  const problems: DescriptorConversionProblem[] = [];
  const seen = new Set<string>();
  for (const error of relevant) {
    if (error.keyword === 'oneOf' || error.keyword === 'anyOf') {
      const explained = relevant.some(
        other =>
          other !== error &&
          other.keyword !== error.keyword &&
          (other.instancePath === error.instancePath ||
            other.instancePath.startsWith(`${error.instancePath}/`)),
      );
      if (explained) {
        continue;
      }
    }
    let path = pointerToPath(error.instancePath);
    let message: string;
    switch (error.keyword) {
      case 'required': {
        const missing = (error.params as { missingProperty: string })
          .missingProperty;
        path = pointerToPath(error.instancePath, missing);
        message = `${path} is required by the ${standard} schema`;
        break;
      }
      case 'additionalProperties': {
        const extra = (error.params as { additionalProperty: string })
          .additionalProperty;
        path = pointerToPath(error.instancePath, extra);
        message = `${path} is not a field of the ${standard} schema`;
        break;
      }
      case 'enum': {
        const allowed = (error.params as { allowedValues: unknown[] })
          .allowedValues;
        message = `${path} must be one of ${allowed
          .map(v => String(v))
          .join(', ')}, not ${describe(error.data)}`;
        break;
      }
      case 'type':
        message = `${path} must be of type ${
          (error.params as { type: string }).type
        }, not ${describe(error.data)}`;
        break;
      case 'oneOf':
      case 'anyOf':
        message = `${path} is neither a reference ($ref) nor a valid inline object of the ${standard} schema`;
        break;
      default:
        message = `${path} ${error.message ?? 'is invalid'}`;
    }
    if (!seen.has(message)) {
      seen.add(message);
      problems.push({ path, message });
    }
  }
  return problems;
}

/**
 * Derives a valid entity name (or tag-like slug) from free text, deterministically: camelCase
 * words are split, letters lowercased, accents dropped, every run of other characters becomes
 * one `-`, and the result is cut to 63 characters. Returns undefined when nothing is left.
 */
export function toEntityName(text: string): string | undefined {
  const slug = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .toLocaleLowerCase('en-US')
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .slice(0, 63)
    .replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '');
  return slug || undefined;
}

/** Port names of the kind: lowercase letters, digits, `-` and `_`. */
export function toPortName(text: string): string | undefined {
  return toEntityName(text)?.replace(/\./g, '-');
}

/** Tags of the catalog: lowercase letters, digits, `:+#`, separated by single `-`. */
export function toTag(text: string): string | undefined {
  const tag = text
    .toLocaleLowerCase('en-US')
    .replace(/[^a-z0-9:+#]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63)
    .replace(/-+$/, '');
  return tag || undefined;
}

export function toTags(values: unknown): string[] | undefined {
  if (!Array.isArray(values)) {
    return undefined;
  }
  const tags = [
    ...new Set(
      values
        .filter((v): v is string => typeof v === 'string')
        .map(toTag)
        .filter((t): t is string => Boolean(t)),
    ),
  ];
  return tags.length ? tags : undefined;
}

const SEMVER =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;

/** A semantic version, accepting (and dropping) a leading `v` as in `v1.0.0`. */
export function toSemver(version: unknown): string | undefined {
  if (typeof version !== 'string') {
    return undefined;
  }
  const bare = version.trim().replace(/^v(?=\d)/, '');
  return SEMVER.test(bare) ? bare : undefined;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function str(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() ? value.trim() : undefined;
}

const PORT_TYPE_SYNONYMS: Record<string, OutputPortType> = {
  table: 'table',
  tables: 'table',
  view: 'view',
  views: 'view',
  topic: 'topic',
  topics: 'topic',
  stream: 'topic',
  streams: 'topic',
  api: 'api',
  apis: 'api',
  rest: 'api',
  file: 'file',
  files: 'file',
};

/** The kind's output port type for a standard's port type word (`tables` is `table`). */
export function toOutputPortType(value: unknown): OutputPortType | undefined {
  const word = str(value)?.toLocaleLowerCase('en-US');
  return word ? PORT_TYPE_SYNONYMS[word] : undefined;
}

export function isDataProductType(value: unknown): value is DataProductType {
  return (DATA_PRODUCT_TYPES as readonly unknown[]).includes(value);
}

export function isOutputPortType(value: unknown): value is OutputPortType {
  return (OUTPUT_PORT_TYPES as readonly unknown[]).includes(value);
}

/** A dataset location given as `{ namespace, name }`. */
export function toLocation(value: unknown): DatasetLocation | undefined {
  if (!isRecord(value)) {
    return undefined;
  }
  const namespace = str(value.namespace);
  const name = str(value.name);
  return namespace && name ? { namespace, name } : undefined;
}

/** The user entity name for an e-mail address, as Backstage's `emailLocalPartMatchingUserEntityName` sign-in resolver matches it. */
export function ownerFromIdentifier(id: string): string | undefined {
  const email = /^([^@\s]+)@[^@\s]+$/.exec(id);
  if (email) {
    const name = toEntityName(email[1]);
    return name ? `user:${name}` : undefined;
  }
  return undefined;
}

/** What a converter read from a descriptor, to assemble into a DataProduct entity. */
export interface ConvertedFields {
  name: string | undefined;
  namespace?: string;
  title?: string;
  description?: string;
  tags?: string[];
  links?: Entity['metadata']['links'];
  annotations: Record<string, string>;
  owner: string | undefined;
  domain: string | undefined;
  /** As the descriptor gives it; when it is not a product type (a problem says so), `source-aligned` stands in for it. */
  type: unknown;
  lifecycle: string | undefined;
  version?: string;
  outputPorts: DataProductOutputPort[];
  inputPorts: DataProductInputPort[];
}

/**
 * Assembles the DataProduct a converter hands to `finish`: empty optional fields are left out,
 * missing required ones are left empty (the converter has reported them as problems).
 */
export function assembleDataProduct(
  fields: ConvertedFields,
): DataProductEntityV1alpha1 {
  const { title, description, tags, links, version } = fields;
  const { outputPorts, inputPorts } = fields;
  return {
    apiVersion: DATAMESH_API_VERSION,
    kind: DATA_PRODUCT_KIND,
    metadata: {
      name: fields.name ?? '',
      ...(fields.namespace ? { namespace: fields.namespace } : {}),
      ...(title ? { title } : {}),
      ...(description ? { description } : {}),
      ...(tags ? { tags } : {}),
      ...(links ? { links } : {}),
      annotations: fields.annotations,
    },
    spec: {
      owner: fields.owner ?? '',
      domain: fields.domain ?? '',
      type: isDataProductType(fields.type) ? fields.type : 'source-aligned',
      lifecycle: fields.lifecycle ?? '',
      ...(version ? { version } : {}),
      ...(outputPorts.length ? { outputPorts } : {}),
      ...(inputPorts.length ? { inputPorts } : {}),
    },
  };
}

/**
 * Finishes a conversion: when there are no problems, checks the entity against the kind (a
 * last guard, so a converter can never hand out an entity the catalog would refuse).
 */
export function finish(
  entity: DataProductEntityV1alpha1,
  problems: DescriptorConversionProblem[],
): DescriptorConversionResult {
  if (problems.length > 0) {
    return { problems };
  }
  const invalid = validateDataProductEntity(entity);
  if (invalid.length > 0) {
    return {
      problems: invalid.map(e => ({
        path: e.path,
        message: `the converted entity is not a valid DataProduct: ${e.message}`,
      })),
    };
  }
  return { entity, problems: [] };
}

/** Makes port names unique, suffixing a name used several times with its version. */
export function uniquePortNames(
  ports: Array<{ name: string | undefined; version?: string }>,
): Array<string | undefined> {
  const counts = new Map<string, number>();
  for (const p of ports) {
    if (p.name) {
      counts.set(p.name, (counts.get(p.name) ?? 0) + 1);
    }
  }
  return ports.map(p => {
    if (!p.name) {
      return undefined;
    }
    if ((counts.get(p.name) ?? 0) > 1 && p.version) {
      return toPortName(`${p.name}-v${p.version.replace(/^v/, '')}`);
    }
    return p.name;
  });
}

/** One entry of a descriptor's port list, with the name it gets on the DataProduct. */
export interface NamedPort {
  /** The port object as the descriptor writes it. */
  port: Record<string, unknown>;
  /** Where it stands in the descriptor, such as `outputPorts[1]`. */
  at: string;
  /** Its name on the DataProduct; undefined when its name yields none (a problem says so). */
  name: string | undefined;
}

/**
 * The object entries of a descriptor's port list (`list` at `path`), each with a unique port
 * name (a name used several times is suffixed with the port's version). A port whose name
 * yields no valid port name is kept with `name` undefined and reported in `problems`, so that
 * the caller can report its other fields too. `accept` may refuse an entry before its name is
 * checked (reporting why itself).
 */
export function namedPorts(
  list: unknown,
  path: string,
  problems: DescriptorConversionProblem[],
  accept: (port: Record<string, unknown>, at: string) => boolean = () => true,
): NamedPort[] {
  const raw: unknown[] = Array.isArray(list) ? list : [];
  const names = uniquePortNames(
    raw.map(p => ({
      name: isRecord(p) ? toPortName(String(p.name ?? '')) : undefined,
      version: isRecord(p) ? str(p.version) : undefined,
    })),
  );
  const ports: NamedPort[] = [];
  raw.forEach((port, i) => {
    const at = `${path}[${i}]`;
    if (!isRecord(port) || !accept(port, at)) {
      return;
    }
    const name = names[i];
    if (!name) {
      problems.push({
        path: `${at}.name`,
        message: `${at}.name ${JSON.stringify(
          port.name,
        )} yields no valid port name (lowercase letters, digits, '-' or '_')`,
      });
    }
    ports.push({ port, at, name });
  });
  return ports;
}
