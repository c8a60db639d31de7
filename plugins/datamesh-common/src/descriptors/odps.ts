import type { Entity } from '@backstage/catalog-model';
import { DATA_PRODUCT_TYPES, OUTPUT_PORT_TYPES } from '../types';
import { createSchemaValidator, ValidationProblem } from '../validation';
import odpsSchemaV090 from './schemas/odps-json-schema-v0.9.0.json';
import odpsSchemaV100 from './schemas/odps-json-schema-v1.0.0.json';
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
  str,
  toEntityName,
  toOutputPortType,
  toTags,
} from './shared';

/**
 * How ODPS `status` values map to the catalog's lifecycle. Other values are kept, lowercased.
 * @public
 */
export const ODPS_STATUS_TO_LIFECYCLE: Readonly<Record<string, string>> = {
  proposed: 'experimental',
  draft: 'experimental',
  active: 'production',
  deprecated: 'deprecated',
  retired: 'retired',
};

// The official schemas are used as published: unknown keywords are not an error, and `format` is
// an annotation (the 2019-09 default).
const odpsV090 = createSchemaValidator(odpsSchemaV090, {
  standard: 'ODPS',
  validateFormats: false,
});
const odpsV100 = createSchemaValidator(odpsSchemaV100, {
  standard: 'ODPS',
  validateFormats: false,
});

/**
 * Validates a parsed ODPS document against the official schema of its `apiVersion`. The v1.0.0
 * schema accepts `apiVersion: v0.9.0` as well; a v0.9.0 document is valid when either official
 * schema accepts it, and problems are reported from the v1.0.0 schema.
 * @public
 */
export function validateOdpsDescriptor(doc: unknown): ValidationProblem[] {
  const problems = odpsV100.validate(doc);
  if (
    problems.length === 0 ||
    (isRecord(doc) &&
      doc.apiVersion === 'v0.9.0' &&
      odpsV090.validate(doc).length === 0)
  ) {
    return [];
  }
  return problems;
}

type CustomProperties = Map<string, unknown>;

function customProperties(node: unknown): CustomProperties {
  const result = new Map<string, unknown>();
  const list = isRecord(node) ? node.customProperties : undefined;
  if (Array.isArray(list)) {
    for (const item of list) {
      if (isRecord(item) && typeof item.property === 'string') {
        result.set(item.property, item.value);
      }
    }
  }
  return result;
}

function describeOdps(description: unknown): string | undefined {
  if (!isRecord(description)) {
    return undefined;
  }
  const parts = [str(description.purpose)];
  const limitations = str(description.limitations);
  const usage = str(description.usage);
  if (limitations) parts.push(`Limitations: ${limitations}`);
  if (usage) parts.push(`Usage: ${usage}`);
  const text = parts.filter(Boolean).join('\n\n');
  return text || undefined;
}

function linksOf(doc: Record<string, unknown>): Entity['metadata']['links'] {
  const links: NonNullable<Entity['metadata']['links']> = [];
  const definitions = [
    ...(Array.isArray(doc.authoritativeDefinitions)
      ? doc.authoritativeDefinitions
      : []),
    ...(isRecord(doc.description) &&
    Array.isArray(doc.description.authoritativeDefinitions)
      ? doc.description.authoritativeDefinitions
      : []),
  ];
  for (const def of definitions) {
    if (isRecord(def) && str(def.url)) {
      links.push({
        url: str(def.url)!,
        title: str(def.description) ?? str(def.type),
        type: str(def.type),
      });
    }
  }
  if (Array.isArray(doc.support)) {
    for (const channel of doc.support) {
      if (isRecord(channel) && str(channel.url)) {
        links.push({
          url: str(channel.url)!,
          title: str(channel.channel),
          type: str(channel.tool) ? `support:${str(channel.tool)}` : 'support',
        });
      }
    }
  }
  const cleaned = links.map(
    l =>
      Object.fromEntries(
        Object.entries(l).filter(([, v]) => v !== undefined),
      ) as { url: string },
  );
  return cleaned.length ? cleaned : undefined;
}

/**
 * Converts a parsed Bitol Open Data Product Standard (ODPS v0.9.0 or v1.0.0) document into a
 * DataProduct entity. The document is first validated against the official schema; what the
 * kind requires and the document does not say is reported as a problem naming the field, or
 * taken from `options` when the caller gives a default. See the package README for the mapping.
 * @public
 */
export function dataProductFromOdps(
  doc: unknown,
  options: DescriptorConversionOptions = {},
): DescriptorConversionResult {
  const invalid = validateOdpsDescriptor(doc);
  if (invalid.length > 0 || !isRecord(doc)) {
    return { problems: invalid };
  }
  const custom = customProperties(doc);
  const name =
    (str(doc.name) && toEntityName(str(doc.name)!)) ??
    toEntityName(String(doc.id));
  // owner: the team's name (a Group)
  const teamName = isRecord(doc.team) ? str(doc.team.name) : undefined;
  const teamGroup = teamName ? toEntityName(teamName) : undefined;
  const domainText = str(doc.domain);
  const status = String(doc.status);
  const lifecycle =
    lookup(ODPS_STATUS_TO_LIFECYCLE, status.toLocaleLowerCase('en-US')) ??
    status.trim().toLocaleLowerCase('en-US');

  return convertDescriptor(
    {
      source: `odps/${doc.apiVersion}`,
      id: String(doc.id),
      status,
      name: {
        path: 'name',
        value: name,
        invalid: `name: neither name nor id ${JSON.stringify(
          doc.id,
        )} yields a valid entity name (letters, digits, '-', '_' or '.')`,
      },
      title: str(doc.name),
      description: describeOdps(doc.description),
      tags: toTags(doc.tags),
      links: linksOf(doc),
      owner: {
        path: 'team.name',
        value: teamGroup ? `group:${teamGroup}` : undefined,
        invalid: teamName
          ? `team.name ${JSON.stringify(
              teamName,
            )} yields no valid Group name; rename the team`
          : undefined,
        missing:
          'the ODPS descriptor names no team to own the product; add team.name (a Group of the catalog)',
      },
      domain: {
        path: 'domain',
        value: domainText ? toEntityName(domainText) : undefined,
        invalid: domainText
          ? `domain ${JSON.stringify(domainText)} yields no valid Domain name`
          : undefined,
        missing:
          'the ODPS descriptor names no domain; add domain (a Domain of the catalog)',
      },
      type: {
        path: 'customProperties[dataProductType]',
        written: custom.get('dataProductType'),
        missing: `ODPS has no data product type; add a custom property dataProductType (${listOf(
          DATA_PRODUCT_TYPES,
        )})`,
      },
      lifecycle: {
        path: 'status',
        value: lifecycle || undefined,
        invalid: lifecycle ? undefined : 'status must not be empty',
      },
      version: doc.version,
      outputPorts: {
        list: doc.outputPorts,
        path: 'outputPorts',
        read: (port, at) => readOutputPort(port, at),
      },
      inputPorts: {
        list: doc.inputPorts,
        path: 'inputPorts',
        read: (port, at) => readInputPort(port, at),
      },
    },
    options,
  );
}

function readOutputPort(
  port: Record<string, unknown>,
  at: string,
): OutputPortReading {
  const props = customProperties(port);
  const declaredLocation = props.get('location');
  const details = [
    `ODPS output port ${String(port.name)} version ${String(port.version)}`,
    str(port.contractId) ? `contractId ${str(port.contractId)}` : undefined,
  ]
    .filter(Boolean)
    .join(', ');
  return {
    type: {
      path: `${at}.type`,
      value: toOutputPortType(props.get('portType') ?? port.type),
      invalid:
        port.type === undefined
          ? undefined
          : `${at}.type ${JSON.stringify(
              port.type,
            )} has no DataProduct port type; use one of ${OUTPUT_PORT_TYPES.join(
              ', ',
            )} (or their plurals)`,
      missing: `the ODPS output port has no type; set type to one of ${OUTPUT_PORT_TYPES.join(
        ', ',
      )}`,
    },
    location: locationReading(at, declaredLocation, {
      field: `${at}.customProperties[location]`,
      add: 'a custom property location',
      absent: 'ODPS output ports have no dataset location',
    }),
    format: str(props.get('format')),
    contract: str(props.get('contract')),
    description: str(port.description)
      ? `${str(port.description)} (${details})`
      : details,
  };
}

function readInputPort(
  port: Record<string, unknown>,
  at: string,
): InputPortReading {
  const props = customProperties(port);
  const product = str(props.get('product'));
  const upstreamPort = str(props.get('port'));
  return {
    upstream: {
      path: at,
      value:
        product && upstreamPort ? { product, port: upstreamPort } : undefined,
      missing: `ODPS input ports name a contract (contractId ${String(
        port.contractId,
      )}), not the upstream data product; add custom properties product (entity reference of the upstream DataProduct) and port (its output port)`,
    },
    description: `ODPS input port ${String(port.name)} version ${String(
      port.version,
    )}, contractId ${String(port.contractId)}`,
  };
}
