import {
  Entity,
  KindValidator,
  makeValidator,
  parseEntityRef,
} from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import dataProductSchema from '../../schema/data-product.v1alpha1.schema.json';
import {
  DATA_PRODUCT_KIND,
  OWNERSHIP_ROLES,
  isDataProductEntity,
} from '../types';
import { createSchemaValidator, ValidationProblem } from './schemaValidator';
import { governancePolicySchema } from '../governance/schema';
import { checkGovernancePolicies } from '../governance/check';
import type { GovernancePolicy } from '../governance/types';

const refValidator = makeValidator();

/**
 * The JSON schema of the DataProduct kind (self-contained, usable by editors' YAML language servers).
 * @public
 */
export const dataProductEntitySchema: Record<string, unknown> =
  dataProductSchema;

const productSchemaValidator = createSchemaValidator(dataProductSchema, {
  root: '(entity)',
  strict: true,
});

const specProperties = (
  dataProductSchema as {
    properties: { spec: { properties: Record<string, unknown> } };
  }
).properties.spec.properties;

/** A policy as an item of a Domain's `spec.datamesh.policies` (the policy schema without its root keywords). */
const {
  $schema: _policySchemaDraft,
  $id: _policySchemaId,
  ...domainPolicySchema
} = governancePolicySchema;

/**
 * What the suite adds to a Domain (`spec.datamesh`), with the kind's SLA and its definitions, and
 * the domain's governance policies.
 */
const domainSchemaValidator = createSchemaValidator(
  {
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
              sla: specProperties.sla,
              policies: { type: 'array', items: domainPolicySchema },
            },
          },
        },
      },
    },
    definitions: (dataProductSchema as { definitions: object }).definitions,
  },
  { root: '(entity)', strict: true },
);

function describe(value: unknown): string {
  return JSON.stringify(value) ?? String(value);
}

/** Reports a value that is not an entity reference of one of `allowedKinds`. */
function checkRef(
  value: unknown,
  path: string,
  defaultKind: string,
  allowedKinds: string[],
  defaultNamespace: string,
  errors: ValidationProblem[],
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

/** Reports a value that is not an entity reference of a Group or User (a Group by default). */
export function checkOwnerRef(
  value: unknown,
  path: string,
  namespace: string,
  errors: ValidationProblem[],
) {
  checkRef(value, path, 'group', ['group', 'user'], namespace, errors);
}

/** Reports a value that is not an entity reference of a Domain. */
export function checkDomainRef(
  value: unknown,
  path: string,
  namespace: string,
  errors: ValidationProblem[],
) {
  checkRef(value, path, 'domain', ['domain'], namespace, errors);
}

function checkUnique(
  items: unknown,
  path: string,
  errors: ValidationProblem[],
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
): ValidationProblem[] {
  const errors = productSchemaValidator.validate(entity);
  const e = entity as Partial<Entity> | undefined;
  const spec = (e?.spec ?? {}) as Record<string, unknown>;
  const ns = e?.metadata?.namespace ?? 'default';
  checkOwnerRef(spec.owner, 'spec.owner', ns, errors);
  checkDomainRef(spec.domain, 'spec.domain', ns, errors);
  const ownership = spec.ownership as Record<string, unknown> | undefined;
  if (ownership && typeof ownership === 'object') {
    for (const { key } of OWNERSHIP_ROLES) {
      checkOwnerRef(ownership[key], `spec.ownership.${key}`, ns, errors);
    }
    if (Array.isArray(ownership.escalationPath)) {
      ownership.escalationPath.forEach((ref, i) =>
        checkOwnerRef(ref, `spec.ownership.escalationPath[${i}]`, ns, errors),
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
export function validateDataMeshDomain(entity: unknown): ValidationProblem[] {
  const errors = domainSchemaValidator.validate(entity);
  const e = entity as Partial<Entity> | undefined;
  const datamesh = (
    e?.spec as
      | { datamesh?: { steward?: unknown; policies?: unknown } }
      | undefined
  )?.datamesh;
  if (datamesh && typeof datamesh === 'object') {
    checkOwnerRef(
      datamesh.steward,
      'spec.datamesh.steward',
      e?.metadata?.namespace ?? 'default',
      errors,
    );
    const policiesPath = 'spec.datamesh.policies';
    if (
      Array.isArray(datamesh.policies) &&
      !errors.some(p => p.path.startsWith(policiesPath))
    ) {
      errors.push(
        ...checkGovernancePolicies(
          datamesh.policies as GovernancePolicy[],
          policiesPath,
        ),
      );
    }
  }
  return errors;
}

/**
 * The validator of the DataProduct kind: a catalog `KindValidator` (as `@backstage/catalog-model`
 * has one per kind) that also lists every problem, so that the catalog processor, scaffolder
 * actions and command-line tools validate a DataProduct exactly alike.
 * @public
 */
export interface DataProductKindValidator extends KindValidator {
  /**
   * Resolves to false for an entity of another kind, to true for a valid DataProduct, and
   * rejects with an `InputError` listing every problem of an invalid one. The kind is claimed as
   * {@link isDataProductEntity} claims it.
   */
  check(entity: Entity): Promise<boolean>;
  /** Every problem of a DataProduct entity, each naming its field; empty when it is valid. */
  validate(entity: unknown): ValidationProblem[];
}

/**
 * The {@link DataProductKindValidator} of `datamesh.io/v1alpha1` DataProduct entities.
 * @public
 */
export const dataProductEntityV1alpha1Validator: DataProductKindValidator = {
  async check(entity: Entity): Promise<boolean> {
    if (!isDataProductEntity(entity)) {
      return false;
    }
    const problems = validateDataProductEntity(entity);
    if (problems.length > 0) {
      throw new InputError(
        `Invalid ${DATA_PRODUCT_KIND} entity: ${problems
          .map(p => p.message)
          .join('; ')}`,
      );
    }
    return true;
  },
  validate: validateDataProductEntity,
};
