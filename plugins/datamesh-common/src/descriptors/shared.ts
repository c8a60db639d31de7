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
} from '../types';
import { ValidationProblem, validateDataProductEntity } from '../validation';
import { checkDomainRef, checkOwnerRef } from '../validation/dataProduct';
import { notOneOfMessage } from '../validation/schemaValidator';

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
 * What a converter returns: the entity when the descriptor could be converted, or the problems
 * that prevent it. Exactly one of the two is present (`problems` is then empty).
 * @public
 */
export type DescriptorConversionResult =
  | { entity: DataProductEntityV1alpha1; problems: [] }
  | { entity?: undefined; problems: ValidationProblem[] };

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
  /**
   * How the caller's users set a default, named at the end of the problem of a descriptor that
   * lacks the field, such as `set datamesh.descriptors.defaults.owner in app-config`; by
   * default the option (`pass the defaultOwner option`).
   */
  describeDefault?: (field: DescriptorDefaultField) => string;
}

/**
 * The fields of a DataProduct for which a caller may give a default, for descriptors that do not
 * say them.
 * @public
 */
export const DESCRIPTOR_DEFAULT_FIELDS = [
  'owner',
  'domain',
  'type',
  'lifecycle',
] as const;

/** @public */
export type DescriptorDefaultField = (typeof DESCRIPTOR_DEFAULT_FIELDS)[number];

/**
 * Checks the defaults a caller gives for what descriptors do not say, as the kind checks the
 * fields they stand in for: `owner` an entity reference of a Group or User, `domain` of a
 * Domain, `type` one of the {@link DATA_PRODUCT_TYPES}, `lifecycle` a non-empty text. Each
 * problem names the default as `path` and its field, such as `datamesh.descriptors.defaults.type`.
 * @public
 */
export function validateDescriptorDefaults(
  defaults: Partial<Record<DescriptorDefaultField, unknown>>,
  path: string,
): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  for (const field of DESCRIPTOR_DEFAULT_FIELDS) {
    const value = defaults[field];
    const at = `${path}.${field}`;
    if (value === undefined) {
      continue;
    }
    if (typeof value !== 'string' || !value.trim()) {
      problems.push({
        path: at,
        message: `${at} must be a non-empty string, not ${JSON.stringify(
          value,
        )}`,
      });
    } else if (field === 'type' && !isDataProductType(value)) {
      problems.push({
        path: at,
        message: notOneOfMessage(at, DATA_PRODUCT_TYPES, value),
      });
    } else if (field === 'owner') {
      checkOwnerRef(value, at, 'default', problems);
    } else if (field === 'domain') {
      checkDomainRef(value, at, 'default', problems);
    }
  }
  return problems;
}

/** Values as a sentence lists them: `a, b or c`. */
export function listOf(values: readonly string[], conjunction = 'or'): string {
  return values.length > 1
    ? `${values.slice(0, -1).join(', ')} ${conjunction} ${
        values[values.length - 1]
      }`
    : values.join('');
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

/** The value of a table for a key, when the table has that key itself (not `toString`). */
export function lookup<T>(
  table: Readonly<Record<string, T>>,
  key: string | undefined,
): T | undefined {
  return key !== undefined && Object.prototype.hasOwnProperty.call(table, key)
    ? table[key]
    : undefined;
}

/** The kind's output port type for a standard's port type word (`tables` is `table`). */
export function toOutputPortType(value: unknown): OutputPortType | undefined {
  return lookup(PORT_TYPE_SYNONYMS, str(value)?.toLocaleLowerCase('en-US'));
}

export function isDataProductType(value: unknown): value is DataProductType {
  return (DATA_PRODUCT_TYPES as readonly unknown[]).includes(value);
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

/**
 * An output port's dataset location as a standard reads it: `{ namespace, name }` as OpenLineage
 * names the dataset, written at `field` (such as `outputPorts[0].customProperties[location]`)
 * and added as `add` says (such as `a custom property location`); `absent` says why the port has
 * none when it writes none.
 */
export function locationReading(
  at: string,
  declared: unknown,
  where: { field: string; add: string; absent: string },
): FieldReading<DatasetLocation> {
  const asOpenLineage = 'as OpenLineage names the dataset';
  return {
    path: at,
    value: toLocation(declared),
    invalid:
      declared === undefined
        ? undefined
        : `${where.field} must be an object with a namespace and a name, ${asOpenLineage}`,
    missing: `${where.absent}; add ${where.add} with { namespace, name } ${asOpenLineage}`,
  };
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

/**
 * One field of the DataProduct as a standard reads it from its descriptor: the value, or why
 * the descriptor yields none.
 */
export interface FieldReading<T> {
  /** Where the standard writes the field, such as `team.name`. */
  path: string;
  /** The value for the DataProduct; undefined when the descriptor yields none. */
  value?: T;
  /** The problem of a value the descriptor writes but that yields none. */
  invalid?: string;
  /** When the descriptor says nothing: what to add (the default that may stand in is named after it). */
  missing?: string;
}

/** An output port of a descriptor as a standard reads it. */
export interface OutputPortReading {
  type: FieldReading<OutputPortType>;
  location: FieldReading<DatasetLocation>;
  format?: string;
  contract?: string;
  description: string;
}

/** An input port of a descriptor as a standard reads it. */
export interface InputPortReading {
  /** The upstream product and its output port. */
  upstream: FieldReading<{ product: string; port: string }>;
  description: string;
}

/** A list of ports of a descriptor, and how the standard reads one of them. */
export interface PortsReading<T> {
  /** The list as the descriptor writes it. */
  list: unknown;
  /** Where the list is, such as `interfaceComponents.outputPorts`. */
  path: string;
  /** Why an entry cannot be read at all (it is then left out), if it cannot. */
  refuse?: (port: Record<string, unknown>, at: string) => string | undefined;
  read(port: Record<string, unknown>, at: string): T;
}

/**
 * What one standard reads from a valid descriptor. {@link convertDescriptor} turns it into a
 * DataProduct: it applies the caller's defaults where the descriptor is silent, reports what is
 * missing or invalid, and assembles the entity.
 */
export interface DescriptorReading {
  /** The standard and version, as the source-standard annotation records it (`odps/v1.0.0`). */
  source: string;
  /** The descriptor's own identifier. */
  id: string;
  /** The descriptor's own status, when it has one. */
  status?: string;
  name: FieldReading<string>;
  title?: string;
  description?: string;
  tags?: string[];
  links?: Entity['metadata']['links'];
  owner: FieldReading<string>;
  domain: FieldReading<string>;
  /** The type as the descriptor writes it (undefined when it does not). */
  type: { path: string; written: unknown; missing: string };
  lifecycle: FieldReading<string>;
  /** The product version as written; a semantic version becomes `spec.version`. */
  version: unknown;
  outputPorts: PortsReading<OutputPortReading>;
  inputPorts: PortsReading<InputPortReading>;
}

/**
 * Converts what a standard read from its descriptor into a DataProduct entity, or the problems
 * that prevent it: the one assembly of every standard's converter. The caller's defaults stand
 * in only where the descriptor is silent; when there are no problems, the entity is checked
 * against the kind (a last guard, so a converter can never hand out an entity the catalog
 * would refuse).
 */
export function convertDescriptor(
  reading: DescriptorReading,
  options: DescriptorConversionOptions,
): DescriptorConversionResult {
  const problems: ValidationProblem[] = [];
  const orDefault = (field: DescriptorDefaultField) =>
    options.describeDefault?.(field) ??
    `pass the default${field[0].toLocaleUpperCase('en-US')}${field.slice(
      1,
    )} option`;
  const resolve = <T>(
    field: FieldReading<T>,
    fallback?: { value: T | undefined; name: DescriptorDefaultField },
  ): T | undefined => {
    if (field.value !== undefined) {
      return field.value;
    }
    if (field.invalid !== undefined) {
      problems.push({ path: field.path, message: field.invalid });
      return undefined;
    }
    if (fallback?.value !== undefined) {
      return fallback.value;
    }
    problems.push({
      path: field.path,
      message: `${field.path}: ${field.missing ?? 'is required'}${
        fallback ? ` or ${orDefault(fallback.name)}` : ''
      }`,
    });
    return undefined;
  };

  const name = resolve(reading.name);
  const owner = resolve(reading.owner, {
    value: options.defaultOwner,
    name: 'owner',
  });
  const domain = resolve(reading.domain, {
    value: options.defaultDomain,
    name: 'domain',
  });
  const written = reading.type.written;
  const type = resolve<DataProductType>(
    {
      path: reading.type.path,
      value: isDataProductType(written) ? written : undefined,
      invalid:
        written === undefined
          ? undefined
          : notOneOfMessage(reading.type.path, DATA_PRODUCT_TYPES, written),
      missing: reading.type.missing,
    },
    {
      value: isDataProductType(options.defaultType)
        ? options.defaultType
        : undefined,
      name: 'type',
    },
  );
  const lifecycle = resolve(reading.lifecycle, {
    value: options.defaultLifecycle,
    name: 'lifecycle',
  });

  const annotations: Record<string, string> = {
    [ANNOTATION_SOURCE_STANDARD]: reading.source,
    [ANNOTATION_SOURCE_ID]: reading.id,
    ...(reading.status !== undefined
      ? { [ANNOTATION_SOURCE_STATUS]: reading.status }
      : {}),
  };
  const version = toSemver(reading.version);
  if (!version && str(reading.version)) {
    annotations[ANNOTATION_SOURCE_VERSION] = str(reading.version)!;
  }

  const eachPort = <T>(
    { list, path, refuse, read }: PortsReading<T>,
    add: (portName: string | undefined, port: T) => void,
  ) => {
    const accept = (port: Record<string, unknown>, at: string) => {
      const refusal = refuse?.(port, at);
      if (refusal) {
        problems.push({ path: at, message: refusal });
      }
      return !refusal;
    };
    for (const { port, at, name: portName } of namedPorts(
      list,
      path,
      problems,
      accept,
    )) {
      add(portName, read(port, at));
    }
  };
  const outputPorts: DataProductOutputPort[] = [];
  eachPort(reading.outputPorts, (portName, port) => {
    const portType = resolve(port.type);
    const location = resolve(port.location);
    if (portName && portType && location) {
      outputPorts.push({
        name: portName,
        type: portType,
        location,
        ...(port.format ? { format: port.format } : {}),
        ...(port.contract ? { contract: port.contract } : {}),
        description: port.description,
      });
    }
  });
  const inputPorts: DataProductInputPort[] = [];
  eachPort(reading.inputPorts, (portName, port) => {
    const upstream = resolve(port.upstream);
    if (portName && upstream) {
      inputPorts.push({
        name: portName,
        product: upstream.product,
        port: upstream.port,
        description: port.description,
      });
    }
  });

  if (
    problems.length > 0 ||
    !name ||
    !owner ||
    !domain ||
    !type ||
    !lifecycle
  ) {
    return { problems };
  }
  const { title, description, tags, links } = reading;
  const entity: DataProductEntityV1alpha1 = {
    apiVersion: DATAMESH_API_VERSION,
    kind: DATA_PRODUCT_KIND,
    metadata: {
      name,
      ...(options.namespace ? { namespace: options.namespace } : {}),
      ...(title ? { title } : {}),
      ...(description ? { description } : {}),
      ...(tags ? { tags } : {}),
      ...(links ? { links } : {}),
      annotations,
    },
    spec: {
      owner,
      domain,
      type,
      lifecycle,
      ...(version ? { version } : {}),
      ...(outputPorts.length ? { outputPorts } : {}),
      ...(inputPorts.length ? { inputPorts } : {}),
    },
  };
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
  problems: ValidationProblem[],
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
