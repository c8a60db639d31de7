import Ajv2019 from 'ajv/dist/2019';
import type { ValidateFunction } from 'ajv';
import type { Entity } from '@backstage/catalog-model';
import { DataProductInputPort, DataProductOutputPort } from '../types';
import odpsSchemaV090 from './schemas/odps-json-schema-v0.9.0.json';
import odpsSchemaV100 from './schemas/odps-json-schema-v1.0.0.json';
import {
  ANNOTATION_SOURCE_ID,
  ANNOTATION_SOURCE_STANDARD,
  ANNOTATION_SOURCE_STATUS,
  ANNOTATION_SOURCE_VERSION,
  DescriptorConversionOptions,
  DescriptorConversionProblem,
  DescriptorConversionResult,
  finish,
  formatSchemaErrors,
  isDataProductType,
  isRecord,
  str,
  toEntityName,
  toLocation,
  toOutputPortType,
  toSemver,
  toTags,
  assembleDataProduct,
  namedPorts,
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

let validators: { v090: ValidateFunction; v100: ValidateFunction } | undefined;

function odpsValidators() {
  if (!validators) {
    // The official schemas are used as published: unknown keywords are not an error, and
    // `format` is an annotation (the 2019-09 default).
    const make = () =>
      new Ajv2019({
        allErrors: true,
        verbose: true,
        strict: false,
        validateFormats: false,
      });
    validators = {
      v090: make().compile(odpsSchemaV090),
      v100: make().compile(odpsSchemaV100),
    };
  }
  return validators;
}

/**
 * Validates a parsed ODPS document against the official schema of its `apiVersion`. The v1.0.0
 * schema accepts `apiVersion: v0.9.0` as well; a v0.9.0 document is valid when either official
 * schema accepts it, and problems are reported from the v1.0.0 schema.
 * @public
 */
export function validateOdpsDescriptor(
  doc: unknown,
): DescriptorConversionProblem[] {
  const { v090, v100 } = odpsValidators();
  const valid: boolean = v100(doc);
  if (valid) {
    return [];
  }
  const errors = v100.errors ?? [];
  if (isRecord(doc) && doc.apiVersion === 'v0.9.0' && v090(doc)) {
    return [];
  }
  return formatSchemaErrors(errors, 'ODPS');
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
  const problems: DescriptorConversionProblem[] = [];
  const custom = customProperties(doc);

  const name =
    (str(doc.name) && toEntityName(str(doc.name)!)) ??
    toEntityName(String(doc.id));
  if (!name) {
    problems.push({
      path: 'name',
      message: `name: neither name nor id ${JSON.stringify(
        doc.id,
      )} yields a valid entity name (letters, digits, '-', '_' or '.')`,
    });
  }

  // owner: the team's name (a Group), else the caller's default
  const team = doc.team;
  const teamName = isRecord(team) ? str(team.name) : undefined;
  const teamGroup = teamName ? toEntityName(teamName) : undefined;
  const owner = teamGroup ? `group:${teamGroup}` : options.defaultOwner;
  if (!owner) {
    problems.push({
      path: 'team.name',
      message: teamName
        ? `team.name ${JSON.stringify(
            teamName,
          )} yields no valid Group name; rename the team or pass a default owner`
        : 'team.name: the ODPS descriptor names no team to own the product; add team.name (a Group of the catalog) or configure a default owner',
    });
  }

  const domainText = str(doc.domain);
  const domain = domainText ? toEntityName(domainText) : options.defaultDomain;
  if (!domain) {
    problems.push({
      path: 'domain',
      message: domainText
        ? `domain ${JSON.stringify(domainText)} yields no valid Domain name`
        : 'domain: the ODPS descriptor names no domain; add domain (a Domain of the catalog) or configure a default domain',
    });
  }

  const declaredType = custom.get('dataProductType');
  const type = declaredType ?? options.defaultType;
  if (!isDataProductType(type)) {
    problems.push({
      path: 'customProperties[dataProductType]',
      message:
        declaredType === undefined
          ? 'customProperties[dataProductType]: ODPS has no data product type; add a custom property dataProductType (source-aligned, aggregate or consumer-aligned) or configure a default type'
          : `customProperties[dataProductType] must be one of source-aligned, aggregate, consumer-aligned, not ${JSON.stringify(
              declaredType,
            )}`,
    });
  }

  const status = String(doc.status);
  const lifecycle =
    ODPS_STATUS_TO_LIFECYCLE[status.toLocaleLowerCase('en-US')] ??
    status.trim().toLocaleLowerCase('en-US');
  if (!lifecycle) {
    problems.push({ path: 'status', message: 'status must not be empty' });
  }

  const annotations: Record<string, string> = {
    [ANNOTATION_SOURCE_STANDARD]: `odps/${doc.apiVersion}`,
    [ANNOTATION_SOURCE_ID]: String(doc.id),
    [ANNOTATION_SOURCE_STATUS]: status,
  };
  const version = toSemver(doc.version);
  if (str(doc.version) && !version) {
    annotations[ANNOTATION_SOURCE_VERSION] = str(doc.version)!;
  }

  // output ports
  const outputPorts: DataProductOutputPort[] = [];
  for (const { port, at, name: portName } of namedPorts(
    doc.outputPorts,
    'outputPorts',
    problems,
  )) {
    const props = customProperties(port);
    const portType = toOutputPortType(props.get('portType') ?? port.type);
    if (!portType) {
      problems.push({
        path: `${at}.type`,
        message:
          port.type === undefined
            ? `${at}.type: the ODPS output port has no type; set type to one of table, view, topic, api, file`
            : `${at}.type ${JSON.stringify(
                port.type,
              )} has no DataProduct port type; use one of table(s), view(s), topic(s), api, file(s)`,
      });
    }
    const location = toLocation(props.get('location'));
    if (!location) {
      problems.push({
        path: at,
        message:
          props.get('location') === undefined
            ? `${at}: ODPS output ports have no dataset location; add a custom property location with { namespace, name } as OpenLineage names the dataset`
            : `${at}.customProperties[location] must be an object with a namespace and a name, as OpenLineage names the dataset`,
      });
    }
    const details = [
      `ODPS output port ${String(port.name)} version ${String(port.version)}`,
      str(port.contractId) ? `contractId ${str(port.contractId)}` : undefined,
    ]
      .filter(Boolean)
      .join(', ');
    if (portName && portType && location) {
      const format = str(props.get('format'));
      const contract = str(props.get('contract'));
      outputPorts.push({
        name: portName,
        type: portType,
        location,
        ...(format ? { format } : {}),
        ...(contract ? { contract } : {}),
        description: str(port.description)
          ? `${str(port.description)} (${details})`
          : details,
      });
    }
  }

  // input ports
  const inputPorts: DataProductInputPort[] = [];
  for (const { port, at, name: portName } of namedPorts(
    doc.inputPorts,
    'inputPorts',
    problems,
  )) {
    const props = customProperties(port);
    const product = str(props.get('product'));
    const upstreamPort = str(props.get('port'));
    if (!product || !upstreamPort) {
      problems.push({
        path: at,
        message: `${at}: ODPS input ports name a contract (contractId ${String(
          port.contractId,
        )}), not the upstream data product; add custom properties product (entity reference of the upstream DataProduct) and port (its output port)`,
      });
    }
    if (portName && product && upstreamPort) {
      inputPorts.push({
        name: portName,
        product,
        port: upstreamPort,
        description: `ODPS input port ${String(port.name)} version ${String(
          port.version,
        )}, contractId ${String(port.contractId)}`,
      });
    }
  }

  const entity = assembleDataProduct({
    name,
    namespace: options.namespace,
    title: str(doc.name),
    description: describeOdps(doc.description),
    tags: toTags(doc.tags),
    links: linksOf(doc),
    annotations,
    owner,
    domain,
    type,
    lifecycle,
    version,
    outputPorts,
    inputPorts,
  });
  return finish(entity, problems);
}
