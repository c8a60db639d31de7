import {
  DATA_PRODUCT_TYPES,
  POLICY_ENFORCEMENTS,
  SENSITIVITY_LEVELS,
} from '../types';
import {
  createSchemaValidator,
  ValidationProblem,
} from '../validation/schemaValidator';

const stringList = {
  type: 'array',
  items: { type: 'string', minLength: 1 },
  minItems: 1,
};

const policyProperties = {
  id: {
    type: 'string',
    pattern: '^[a-z0-9]+(?:-[a-z0-9]+)*$',
    'x-message':
      'must be lowercase letters and digits in words separated by hyphens, such as encryption-at-rest',
  },
  title: { type: 'string', minLength: 1 },
  description: { type: 'string', minLength: 1 },
  enforcement: { enum: [...POLICY_ENFORCEMENTS] },
  scope: {
    type: 'object',
    additionalProperties: false,
    properties: {
      domains: stringList,
      types: {
        type: 'array',
        items: { enum: [...DATA_PRODUCT_TYPES] },
        minItems: 1,
      },
      sensitivities: {
        type: 'array',
        items: { enum: [...SENSITIVITY_LEVELS] },
        minItems: 1,
      },
      lifecycles: stringList,
      tags: stringList,
    },
  },
  rule: { type: 'string', minLength: 1 },
  message: { type: 'string', minLength: 1 },
  parameters: { type: 'object' },
  enabled: { type: 'boolean' },
};

/**
 * The JSON schema of a governance policy ({@link GovernancePolicy}), as written in a Domain
 * entity's `spec.datamesh.policies`, in a policy file of the command-line tool, or in full in the
 * portal's config.
 * @public
 */
export const governancePolicySchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://datamesh.io/schemas/governance-policy.v1.json',
  title: 'Governance policy',
  type: 'object',
  required: ['id', 'description', 'enforcement', 'rule'],
  additionalProperties: false,
  properties: policyProperties,
} as const;

/**
 * The JSON schema of an entry of `datamesh.governance.policies` in the portal's config: a new
 * policy in full, or changes to a default policy named by its id (only the fields that change,
 * `enabled: false` to switch it off).
 * @public
 */
export const governancePolicyOverrideSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://datamesh.io/schemas/governance-policy-override.v1.json',
  title: 'Governance policy or change to a default policy',
  type: 'object',
  required: ['id'],
  additionalProperties: false,
  properties: policyProperties,
} as const;

/**
 * The JSON schema of a policy file of the command-line tool: `policies`, a list of policies.
 * @public
 */
export const governancePolicyFileSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://datamesh.io/schemas/governance-policy-file.v1.json',
  title: 'Governance policy file',
  type: 'object',
  required: ['policies'],
  additionalProperties: false,
  properties: {
    policies: { type: 'array', items: governancePolicySchema },
  },
} as const;

const policyValidator = createSchemaValidator(governancePolicySchema, {
  root: '(policy)',
  strict: true,
});
const overrideValidator = createSchemaValidator(
  governancePolicyOverrideSchema,
  { root: '(policy)', strict: true },
);
const fileValidator = createSchemaValidator(governancePolicyFileSchema, {
  root: '(policy file)',
  strict: true,
});

function prefixed(
  problems: ValidationProblem[],
  prefix: string,
): ValidationProblem[] {
  if (!prefix) {
    return problems;
  }
  return problems.map(p => {
    const path =
      p.path === '(policy)'
        ? prefix
        : `${prefix}${p.path.startsWith('[') ? '' : '.'}${p.path}`;
    return {
      path,
      message:
        p.path === '(policy)'
          ? p.message
          : `${path}${p.message.slice(p.path.length)}`,
    };
  });
}

/**
 * Every problem of a list of policies, each naming its field below `path` (for example
 * `datamesh.governance.policies[2].enforcement`), and the ids given twice.
 *
 * @param policies - the list
 * @param path - where the list is, for the messages
 * @param options - `overrides: true` for the config's list, whose entries may name a default
 *   policy by id and change some of its fields only
 * @public
 */
export function validateGovernancePolicies(
  policies: unknown,
  path: string,
  options: { overrides?: boolean } = {},
): ValidationProblem[] {
  if (!Array.isArray(policies)) {
    return [{ path, message: `${path} must be a list of policies` }];
  }
  const validator = options.overrides ? overrideValidator : policyValidator;
  const problems: ValidationProblem[] = [];
  const seen = new Map<string, number>();
  policies.forEach((policy, index) => {
    const at = `${path}[${index}]`;
    problems.push(...prefixed(validator.validate(policy), at));
    const id = (policy as { id?: unknown } | null)?.id;
    if (typeof id === 'string') {
      const first = seen.get(id);
      if (first !== undefined) {
        problems.push({
          path: `${at}.id`,
          message: `${at}.id ${JSON.stringify(
            id,
          )} is already the id of ${path}[${first}]`,
        });
      } else {
        seen.set(id, index);
      }
    }
  });
  return problems;
}

/**
 * Every problem of a policy file of the command-line tool (`policies:` and a list), each naming
 * its field, such as `policies[1].rule is required`.
 * @public
 */
export function validateGovernancePolicyFile(
  document: unknown,
): ValidationProblem[] {
  const problems = fileValidator.validate(document);
  if (problems.length) {
    return problems;
  }
  return validateGovernancePolicies(
    (document as { policies: unknown }).policies,
    'policies',
  );
}
