import type { Entity } from '@backstage/catalog-model';
import {
  DATA_PRODUCT_TYPES,
  OUTPUT_PORT_TYPES,
  OutputPortType,
} from '../types';
import { createSchemaValidator, ValidationProblem } from '../validation';
import dpdsSchemaV100 from './schemas/dpds-schema-v1.0.0.json';
import {
  DescriptorConversionOptions,
  DescriptorConversionResult,
  InputPortReading,
  OutputPortReading,
  convertDescriptor,
  isRecord,
  listOf,
  locationReading,
  lookup,
  ownerFromIdentifier,
  str,
  toEntityName,
  toOutputPortType,
  toTags,
} from './shared';

/**
 * How DPDS `promises.servicesType` values map to the kind's output port types.
 * @public
 */
export const DPDS_SERVICES_TYPE_TO_PORT_TYPE: Readonly<
  Record<string, OutputPortType>
> = {
  'datastore-services': 'table',
  'streaming-services': 'topic',
  'rest-services': 'api',
};

/**
 * A `$ref` of a DPDS descriptor that was replaced by the document it points to.
 * @public
 */
export interface DpdsResolvedReference {
  /** The field that held the reference, such as `interfaceComponents.outputPorts[1]`. */
  path: string;
  /** The reference as written, such as `ports/trip-events-oport.json`. */
  ref: string;
  /** Where the referenced document was read from (URL or file path). */
  location: string;
}

/**
 * Reads the document a `$ref` points to. `ref` is the reference without its `#fragment`, `base`
 * the location (URL or file path) of the document holding the reference. Returns the parsed
 * document and its own location, against which its references are resolved in turn.
 * @public
 */
export type DpdsDocumentReader = (
  ref: string,
  base: string,
) => Promise<{ location: string; document: unknown }>;

/** Options of {@link dataProductFromDpds}. @public */
export interface DpdsConversionOptions extends DescriptorConversionOptions {
  /** The references resolved by {@link resolveDpdsReferences}, so problems can name their files. */
  references?: DpdsResolvedReference[];
}

// The official schema as published: it uses formats it does not define (version, fqn, name), so
// `format` is an annotation, as draft 2020-12 specifies by default.
const dpdsV100 = createSchemaValidator(dpdsSchemaV100, {
  standard: 'DPDS',
  validateFormats: false,
});

/** The DPDS entity types of the read-only `entityType` property, by component list. */
const ENTITY_TYPES: Record<string, string> = {
  inputPorts: 'inputport',
  outputPorts: 'outputport',
  discoveryPorts: 'discoveryport',
  observabilityPorts: 'observabilityport',
  controlPorts: 'controlport',
  applicationComponents: 'application',
  infrastructuralComponents: 'infrastructure',
};

function checkReadOnlyProperties(
  doc: Record<string, unknown>,
): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  const check = (node: unknown, path: string, expected: string) => {
    if (isRecord(node) && node.entityType !== undefined) {
      if (node.entityType !== expected) {
        problems.push({
          path: `${path}.entityType`,
          message: `${path}.entityType is a read-only property whose value must be ${JSON.stringify(
            expected,
          )}, not ${JSON.stringify(node.entityType)}`,
        });
      }
    }
  };
  check(doc.info, 'info', 'dataproduct');
  for (const group of ['interfaceComponents', 'internalComponents']) {
    const components = doc[group];
    if (!isRecord(components)) {
      continue;
    }
    for (const [list, expected] of Object.entries(ENTITY_TYPES)) {
      const items = components[list];
      if (Array.isArray(items)) {
        items.forEach((item, i) =>
          check(item, `${group}.${list}[${i}]`, expected),
        );
      }
    }
  }
  return problems;
}

/**
 * Validates a parsed DPDS document against the official v1.0.0 JSON schema (draft 2020-12), which
 * covers descriptors of version 1.0.x, and checks the read-only `entityType` properties as the
 * Open Data Mesh platform does.
 * @public
 */
export function validateDpdsDescriptor(
  doc: unknown,
  references: DpdsResolvedReference[] = [],
): ValidationProblem[] {
  const version = isRecord(doc) ? doc.dataProductDescriptor : undefined;
  if (typeof version === 'string' && !/^1\.0\.\d+(-.+)?$/.test(version)) {
    return [
      {
        path: 'dataProductDescriptor',
        message: `dataProductDescriptor ${JSON.stringify(
          version,
        )} is not a supported version of the specification; supported: 1.0.x`,
      },
    ];
  }
  // A port file that is itself a whole descriptor (as ports/trip-events-oport.json of the
  // official tripexecution example) is named as such rather than by every field it lacks.
  const misplaced: ValidationProblem[] = [];
  const components = isRecord(doc) ? doc.interfaceComponents : undefined;
  if (isRecord(components)) {
    for (const list of Object.keys(ENTITY_TYPES)) {
      const items = components[list];
      if (Array.isArray(items)) {
        items.forEach((item, i) => {
          if (isRecord(item) && item.dataProductDescriptor !== undefined) {
            const path = `interfaceComponents.${list}[${i}]`;
            misplaced.push({
              path,
              message: `${path} is a whole data product descriptor (it has dataProductDescriptor and info), not a port`,
            });
          }
        });
      }
    }
  }
  const inside = (path: string) =>
    misplaced.some(
      m =>
        path === m.path ||
        path.startsWith(`${m.path}.`) ||
        path.startsWith(`${m.path}[`),
    );
  const problems = [
    ...misplaced,
    ...dpdsV100.validate(doc).filter(p => !inside(p.path)),
  ];
  if (problems.length === 0 && isRecord(doc)) {
    problems.push(...checkReadOnlyProperties(doc));
  }
  return withReferenceSources(problems, references);
}

function withReferenceSources(
  problems: ValidationProblem[],
  references: DpdsResolvedReference[],
): ValidationProblem[] {
  return problems.map(problem => {
    const from = references
      .filter(
        r =>
          problem.path === r.path ||
          problem.path.startsWith(`${r.path}.`) ||
          problem.path.startsWith(`${r.path}[`),
      )
      .sort((a, b) => b.path.length - a.path.length)[0];
    return from
      ? { ...problem, message: `${problem.message} (in $ref ${from.ref})` }
      : problem;
  });
}

function jsonPointer(document: unknown, fragment: string): unknown {
  if (!fragment || fragment === '/') {
    return document;
  }
  let node: unknown = document;
  for (const raw of fragment.replace(/^\//, '').split('/')) {
    const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(node) && /^\d+$/.test(key)) {
      node = node[Number(key)];
    } else if (isRecord(node) && key in node) {
      node = node[key];
    } else {
      return undefined;
    }
  }
  return node;
}

/**
 * Resolves the `$ref`s of a DPDS descriptor that the conversion reads: the items of
 * `interfaceComponents.inputPorts` and `outputPorts`, and their `promises`. Each reference is
 * resolved against the document that holds it (so `ports/x.json` next to the descriptor, and a
 * port file's own references next to the port file); `#/json/pointer` fragments are followed.
 * Other references (API definitions, application and infrastructure components) are left as
 * written: the schema accepts them as references and the conversion does not use them.
 * @public
 */
export async function resolveDpdsReferences(
  doc: unknown,
  base: string,
  read: DpdsDocumentReader,
): Promise<{
  document: unknown;
  references: DpdsResolvedReference[];
  problems: ValidationProblem[];
}> {
  const references: DpdsResolvedReference[] = [];
  const problems: ValidationProblem[] = [];
  if (!isRecord(doc) || !isRecord(doc.interfaceComponents)) {
    return { document: doc, references, problems };
  }
  const cache = new Map<
    string,
    Promise<{ location: string; document: unknown }>
  >();
  const load = (ref: string, from: string) => {
    const key = `${from}\u0000${ref}`;
    if (!cache.has(key)) {
      cache.set(key, read(ref, from));
    }
    return cache.get(key)!;
  };

  const resolve = async (
    node: unknown,
    path: string,
    from: { location: string; document: unknown },
  ): Promise<{
    node: unknown;
    from: { location: string; document: unknown };
  }> => {
    if (!isRecord(node) || typeof node.$ref !== 'string') {
      return { node, from };
    }
    const ref = node.$ref;
    const hash = ref.indexOf('#');
    const file = hash >= 0 ? ref.slice(0, hash) : ref;
    const fragment = hash >= 0 ? ref.slice(hash + 1) : '';
    try {
      const target = file ? await load(file, from.location) : from;
      const resolved = jsonPointer(target.document, fragment);
      if (!isRecord(resolved)) {
        problems.push({
          path,
          message: `${path}: $ref ${JSON.stringify(
            ref,
          )} does not point to an object`,
        });
        return { node, from };
      }
      references.push({ path, ref, location: target.location });
      const merged =
        typeof node.description === 'string' &&
        resolved.description === undefined
          ? { ...resolved, description: node.description }
          : resolved;
      return { node: merged, from: target };
    } catch (e) {
      problems.push({
        path,
        message: `${path}: $ref ${JSON.stringify(ref)} could not be read: ${
          (e as Error).message
        }`,
      });
      return { node, from };
    }
  };

  const root = { location: base, document: doc };
  const interfaceComponents = { ...doc.interfaceComponents };
  for (const list of ['inputPorts', 'outputPorts']) {
    const items = interfaceComponents[list];
    if (!Array.isArray(items)) {
      continue;
    }
    interfaceComponents[list] = await Promise.all(
      items.map(async (item, i) => {
        const path = `interfaceComponents.${list}[${i}]`;
        const port = await resolve(item, path, root);
        if (isRecord(port.node) && port.node.promises !== undefined) {
          const promises = await resolve(
            port.node.promises,
            `${path}.promises`,
            port.from,
          );
          return { ...port.node, promises: promises.node };
        }
        return port.node;
      }),
    );
  }
  return {
    document: { ...doc, interfaceComponents },
    references,
    problems,
  };
}

function xProp(node: unknown, name: string): unknown {
  return isRecord(node) ? node[`x-${name}`] : undefined;
}

function linksOf(info: Record<string, unknown>, doc: Record<string, unknown>) {
  const links: NonNullable<Entity['metadata']['links']> = [];
  if (Array.isArray(info.contactPoints)) {
    for (const contact of info.contactPoints) {
      if (!isRecord(contact)) continue;
      const address = str(contact.address);
      if (!address) continue;
      let url: string | undefined;
      if (/^[a-z][a-z0-9+.-]*:/i.test(address)) {
        url = address;
      } else if (/^[^@\s]+@[^@\s]+$/.test(address)) {
        url = `mailto:${address}`;
      }
      if (url) {
        const title = str(contact.name);
        const channel = str(contact.channel);
        links.push({
          url,
          ...(title ? { title } : {}),
          type: channel ? `contact:${channel}` : 'contact',
        });
      }
    }
  }
  const docs = isRecord(doc.externalDocs)
    ? str(doc.externalDocs.$href)
    : undefined;
  if (docs) {
    links.push({ url: docs, title: 'Documentation', type: 'docs' });
  }
  return links.length ? links : undefined;
}

/**
 * Converts a parsed Open Data Mesh Data Product Descriptor (DPDS 1.0.x) into a DataProduct
 * entity. The descriptor is validated against the official schema first; give it with its port
 * references resolved ({@link resolveDpdsReferences}) so the ports can be converted. What the
 * kind requires and the descriptor does not say is reported as a problem naming the field, or
 * taken from `options` when the caller gives a default. See the package README for the mapping.
 * @public
 */
export function dataProductFromDpds(
  doc: unknown,
  options: DpdsConversionOptions = {},
): DescriptorConversionResult {
  const references = options.references ?? [];
  const invalid = validateDpdsDescriptor(doc, references);
  if (invalid.length > 0 || !isRecord(doc) || !isRecord(doc.info)) {
    return { problems: invalid };
  }
  const info = doc.info;
  // owner: info.owner.id, an e-mail (a User, by the e-mail's local part) or an entity reference
  const ownerId = isRecord(info.owner) ? str(info.owner.id) : undefined;
  const owner = ownerId
    ? ownerFromIdentifier(ownerId) ??
      (/^([a-z]+:)?([a-z0-9-_.]+\/)?[a-z0-9]([-_.a-z0-9]*[a-z0-9])?$/i.test(
        ownerId,
      )
        ? ownerId
        : undefined)
    : undefined;
  const domainText = str(info.domain);
  const components = isRecord(doc.interfaceComponents)
    ? doc.interfaceComponents
    : {};
  // a port left as a $ref could not be read: it is reported, not converted
  const refuseUnresolved = (port: Record<string, unknown>, at: string) =>
    typeof port.$ref === 'string'
      ? `${at}: the reference ${JSON.stringify(
          port.$ref,
        )} was not resolved; the port cannot be converted`
      : undefined;

  const result = convertDescriptor(
    {
      source: `dpds/${String(doc.dataProductDescriptor)}`,
      id: String(info.fullyQualifiedName),
      name: {
        path: 'info.name',
        value: toEntityName(String(info.name)),
        invalid: `info.name ${JSON.stringify(
          info.name,
        )} yields no valid entity name (letters, digits, '-', '_' or '.')`,
      },
      title: str(info.displayName) ?? str(info.name),
      description: str(info.description),
      tags: toTags(doc.tags),
      links: linksOf(info, doc),
      owner: {
        path: 'info.owner.id',
        value: owner,
        invalid: ownerId
          ? `info.owner.id ${JSON.stringify(
              ownerId,
            )} is neither an e-mail address nor an entity reference of a Group or User`
          : undefined,
        missing: 'the DPDS descriptor names no owner; add info.owner.id',
      },
      domain: {
        path: 'info.domain',
        value: domainText ? toEntityName(domainText) : undefined,
        invalid: domainText
          ? `info.domain ${JSON.stringify(
              domainText,
            )} yields no valid Domain name`
          : undefined,
        missing:
          'the DPDS descriptor names no domain; add info.domain (a Domain of the catalog)',
      },
      type: {
        path: 'info.x-dataProductType',
        written: xProp(info, 'dataProductType'),
        missing: `DPDS has no data product type; add info.x-dataProductType (${listOf(
          DATA_PRODUCT_TYPES,
        )})`,
      },
      lifecycle: {
        path: 'info.x-lifecycle',
        value: str(xProp(info, 'lifecycle')),
        missing:
          'DPDS has no lifecycle status; add info.x-lifecycle (for example experimental, production, deprecated)',
      },
      version: info.version,
      outputPorts: {
        list: components.outputPorts,
        path: 'interfaceComponents.outputPorts',
        refuse: refuseUnresolved,
        read: readOutputPort,
      },
      inputPorts: {
        list: components.inputPorts,
        path: 'interfaceComponents.inputPorts',
        refuse: refuseUnresolved,
        read: readInputPort,
      },
    },
    options,
  );
  return result.entity
    ? result
    : { problems: withReferenceSources(result.problems, references) };
}

function readOutputPort(
  port: Record<string, unknown>,
  at: string,
): OutputPortReading {
  const promises = isRecord(port.promises) ? port.promises : {};
  // the schema spells it servicesType; the official tripexecution example writes serviceType
  const servicesType = str(promises.servicesType ?? promises.serviceType);
  const declaredPortType = xProp(port, 'type');
  const declaredLocation = xProp(port, 'location');
  const details = [
    `DPDS output port ${String(port.name)} version ${String(port.version)}`,
    str(promises.platform) ? `platform ${str(promises.platform)}` : undefined,
    str(port.fullyQualifiedName),
  ]
    .filter(Boolean)
    .join(', ');
  const text = str(port.description) ?? str(port.displayName);
  return {
    type: {
      path: `${at}.promises.servicesType`,
      value:
        declaredPortType !== undefined
          ? toOutputPortType(declaredPortType)
          : lookup(DPDS_SERVICES_TYPE_TO_PORT_TYPE, servicesType),
      invalid:
        declaredPortType !== undefined
          ? `${at}.x-type ${JSON.stringify(
              declaredPortType,
            )} must be one of ${OUTPUT_PORT_TYPES.join(', ')}`
          : undefined,
      missing: `${
        servicesType ? JSON.stringify(servicesType) : '(missing)'
      } gives no port type (${listOf(
        Object.keys(DPDS_SERVICES_TYPE_TO_PORT_TYPE),
        'and',
      )} do); add x-type (${listOf(OUTPUT_PORT_TYPES)}) to the port`,
    },
    location: locationReading(at, declaredLocation, {
      field: `${at}.x-location`,
      add: 'x-location',
      absent: `DPDS output ports have no dataset location (promises.platform ${JSON.stringify(
        promises.platform ?? null,
      )} names a platform, not a dataset)`,
    }),
    format: str(xProp(port, 'format')),
    contract: str(xProp(port, 'contract')),
    description: text ? `${text} (${details})` : details,
  };
}

function readInputPort(
  port: Record<string, unknown>,
  at: string,
): InputPortReading {
  const product = str(xProp(port, 'product'));
  const upstreamPort = str(xProp(port, 'port'));
  const text = str(port.description) ?? str(port.displayName);
  const details = `DPDS input port ${String(port.name)} version ${String(
    port.version,
  )}`;
  return {
    upstream: {
      path: at,
      value:
        product && upstreamPort ? { product, port: upstreamPort } : undefined,
      missing:
        'DPDS input ports do not name the upstream data product; add x-product (entity reference of the upstream DataProduct) and x-port (its output port) to the port',
    },
    description: text ? `${text} (${details})` : details,
  };
}
