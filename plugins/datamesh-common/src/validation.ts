import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import {
  Entity,
  makeValidator,
  parseEntityRef,
} from '@backstage/catalog-model';

const refValidator = makeValidator();
import { jsonPointerToPath } from './jsonPointer';
import dataProductSchema from '../schema/data-product.v1alpha1.schema.json';

/**
 * One problem found in an entity, with the path of the field in the entity
 * (for example `spec.outputPorts[1].type`).
 * @public
 */
export interface DataMeshValidationError {
  /** The field, as a path into the entity, such as `spec.sla.freshness`. */
  path: string;
  /** What is wrong, starting with the path, such as `spec.sla.freshness must be a duration such as 15m, 1h or 1d`. */
  message: string;
}

/**
 * The JSON schema of the DataProduct kind (self-contained, usable by editors' YAML language servers).
 * @public
 */
export const dataProductEntitySchema: Record<string, unknown> =
  dataProductSchema;

let compiled:
  | { product: ValidateFunction; domain: ValidateFunction }
  | undefined;

function validators() {
  if (!compiled) {
    const ajv = new Ajv({ allErrors: true, verbose: true, strict: true });
    ajv.addKeyword({ keyword: 'x-message', schemaType: 'string' });
    const product = ajv.compile(dataProductSchema);
    const defs = (dataProductSchema as { definitions: Record<string, unknown> })
      .definitions;
    const specProps = (
      dataProductSchema as {
        properties: { spec: { properties: Record<string, unknown> } };
      }
    ).properties.spec.properties;
    const domain = ajv.compile({
      type: 'object',
      properties: {
        spec: {
          type: 'object',
          properties: {
            datamesh: {
              type: 'object',
              additionalProperties: false,
              properties: {
                communicationChannel: { type: 'string', minLength: 1 },
                steward: { type: 'string', minLength: 1 },
                sla: specProps.sla,
              },
            },
          },
        },
      },
      definitions: defs,
    });
    compiled = { product, domain };
  }
  return compiled;
}

function toPath(pointer: string, child?: string): string {
  return jsonPointerToPath(pointer, child, '(entity)');
}

function describe(value: unknown): string {
  return JSON.stringify(value) ?? String(value);
}

function formatAjvErrors(errors: ErrorObject[]): DataMeshValidationError[] {
  const result: DataMeshValidationError[] = [];
  // oneOf failures report each branch; the oneOf entry itself carries the readable message
  const oneOfPaths = new Set(
    errors.filter(e => e.keyword === 'oneOf').map(e => e.instancePath),
  );
  for (const error of errors) {
    if (error.keyword !== 'oneOf' && oneOfPaths.has(error.instancePath)) {
      continue;
    }
    const custom = (
      error.parentSchema as { 'x-message'?: string } | undefined
    )?.['x-message'];
    let path = toPath(error.instancePath);
    let message: string;
    switch (error.keyword) {
      case 'required': {
        const missing = (error.params as { missingProperty: string })
          .missingProperty;
        path = toPath(error.instancePath, missing);
        message = `${path} is required`;
        break;
      }
      case 'additionalProperties': {
        const extra = (error.params as { additionalProperty: string })
          .additionalProperty;
        const known = Object.keys(
          (error.parentSchema as { properties?: object }).properties ?? {},
        );
        path = toPath(error.instancePath, extra);
        message = `${path} is not a known field; known fields are ${known.join(
          ', ',
        )}`;
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
      default:
        message = custom
          ? `${path} ${custom}, not ${describe(error.data)}`
          : `${path} ${error.message ?? 'is invalid'}`;
    }
    result.push({ path, message });
  }
  return result;
}

function checkRef(
  value: unknown,
  path: string,
  defaultKind: string,
  allowedKinds: string[],
  defaultNamespace: string,
  errors: DataMeshValidationError[],
) {
  if (typeof value !== 'string' || !value) {
    return;
  }
  try {
    const ref = parseEntityRef(value, { defaultKind, defaultNamespace });
    if (
      !refValidator.isValidNamespace(ref.namespace) ||
      !refValidator.isValidEntityName(ref.name)
    ) {
      throw new TypeError('invalid name or namespace');
    }
    if (!allowedKinds.includes(ref.kind.toLocaleLowerCase('en-US'))) {
      errors.push({
        path,
        message: `${path} must refer to a ${allowedKinds.join(
          ' or ',
        )} entity, not ${describe(value)} (kind ${ref.kind})`,
      });
    }
  } catch (e) {
    errors.push({
      path,
      message: `${path} is not a valid entity reference: ${describe(value)}`,
    });
  }
}

function checkUnique(
  items: unknown,
  path: string,
  errors: DataMeshValidationError[],
) {
  if (!Array.isArray(items)) {
    return;
  }
  const seen = new Map<string, number>();
  items.forEach((item, index) => {
    const name = (item as { name?: unknown })?.name;
    if (typeof name !== 'string') {
      return;
    }
    const first = seen.get(name);
    if (first !== undefined) {
      errors.push({
        path: `${path}[${index}].name`,
        message: `${path}[${index}].name ${describe(
          name,
        )} is already used by ${path}[${first}]`,
      });
    } else {
      seen.set(name, index);
    }
  });
}

/**
 * Validates a DataProduct entity against the kind's schema and the rules a schema cannot
 * express (entity references, unique port names). Returns every problem found, each naming
 * its field; an empty list means the entity is valid.
 * @public
 */
export function validateDataProductEntity(
  entity: unknown,
): DataMeshValidationError[] {
  const { product } = validators();
  const errors: DataMeshValidationError[] = [];
  if (!product(entity)) {
    errors.push(...formatAjvErrors(product.errors ?? []));
  }
  const e = entity as Partial<Entity> | undefined;
  const spec = (e?.spec ?? {}) as Record<string, unknown>;
  const ns = e?.metadata?.namespace ?? 'default';
  const people = ['group', 'user'];
  checkRef(spec.owner, 'spec.owner', 'group', people, ns, errors);
  checkRef(spec.domain, 'spec.domain', 'domain', ['domain'], ns, errors);
  const ownership = spec.ownership as Record<string, unknown> | undefined;
  if (ownership && typeof ownership === 'object') {
    for (const role of [
      'technicalOwner',
      'developer',
      'businessOwner',
      'steward',
      'onCallRotation',
    ]) {
      checkRef(
        ownership[role],
        `spec.ownership.${role}`,
        'group',
        people,
        ns,
        errors,
      );
    }
    if (Array.isArray(ownership.escalationPath)) {
      ownership.escalationPath.forEach((ref, i) =>
        checkRef(
          ref,
          `spec.ownership.escalationPath[${i}]`,
          'group',
          people,
          ns,
          errors,
        ),
      );
    }
  }
  checkUnique(spec.outputPorts, 'spec.outputPorts', errors);
  checkUnique(spec.inputPorts, 'spec.inputPorts', errors);
  if (Array.isArray(spec.inputPorts)) {
    spec.inputPorts.forEach((port, i) =>
      checkRef(
        (port as { product?: unknown })?.product,
        `spec.inputPorts[${i}].product`,
        'dataproduct',
        ['dataproduct'],
        ns,
        errors,
      ),
    );
  }
  return errors;
}

/**
 * Validates what the suite adds to a Domain entity (`spec.datamesh`). The rest of the Domain is
 * the catalog's own kind and is validated by the catalog.
 * @public
 */
export function validateDataMeshDomain(
  entity: unknown,
): DataMeshValidationError[] {
  const { domain } = validators();
  const errors: DataMeshValidationError[] = [];
  if (!domain(entity)) {
    errors.push(...formatAjvErrors(domain.errors ?? []));
  }
  const e = entity as Partial<Entity> | undefined;
  const datamesh = (e?.spec as { datamesh?: { steward?: unknown } } | undefined)
    ?.datamesh;
  if (datamesh && typeof datamesh === 'object') {
    checkRef(
      datamesh.steward,
      'spec.datamesh.steward',
      'group',
      ['group', 'user'],
      e?.metadata?.namespace ?? 'default',
      errors,
    );
  }
  return errors;
}
