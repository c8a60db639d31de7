import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import type AjvCore from 'ajv/dist/core';
import Ajv2019 from 'ajv/dist/2019';
import Ajv2020 from 'ajv/dist/2020';
import AjvDraft04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import draft06MetaSchema from 'ajv/dist/refs/json-schema-draft-06.json';
import { InputError } from '@backstage/errors';
import { jsonPointerToPath } from '../jsonPointer';

/**
 * One problem in a document, naming its field.
 * @public
 */
export interface ValidationProblem {
  /** The field, as a path into the document, such as `spec.outputPorts[1].type`. */
  path: string;
  /** What is wrong, starting with the path, such as `spec.outputPorts[1].type is required`. */
  message: string;
}

/**
 * How {@link createSchemaValidator} validates and words its problems.
 * @public
 */
export interface SchemaValidatorOptions {
  /** Named in messages, e.g. 'ODPS' → "x is required by the ODPS schema". */
  standard?: string;
  /** What to call the document root in paths; '(document)' by default. */
  root?: string;
  /** Other schemas the main one references by $id. */
  references?: object[];
  /**
   * Whether `format` keywords are checked (with the formats of `ajv-formats`); true by default.
   * Official schemas that use formats they do not define (DPDS's `fqn`, for example) are read
   * with `false`, which makes `format` an annotation, as draft 2019-09 and later specify.
   */
  validateFormats?: boolean;
  /**
   * Ajv's strict mode, which refuses unknown keywords and formats in the schema; false by default
   * so that official schemas compile as published. The suite's own schemas turn it on.
   */
  strict?: boolean;
}

/**
 * Validates documents against one JSON schema; compiled once.
 * @public
 */
export interface SchemaValidator {
  /** Every problem of the document, each naming its field; an empty list means it is valid. */
  validate(document: unknown): ValidationProblem[];
}

/**
 * The keyword with which a schema says, in words, what a value must be (for example
 * `"x-message": "must be a duration such as 15m, 1h or 1d"`); it replaces the validator's own
 * wording of a failed `pattern`, `oneOf` or other keyword of that schema.
 */
const MESSAGE_KEYWORD = 'x-message';

type Draft = 'draft-04' | 'draft-06' | 'draft-07' | '2019-09' | '2020-12';

function draftOf(schema: object): Draft {
  const uri = (schema as { $schema?: unknown }).$schema;
  if (uri === undefined) {
    return 'draft-07';
  }
  const drafts: Array<[RegExp, Draft]> = [
    [/^https?:\/\/json-schema\.org\/draft-04\/schema#?$/, 'draft-04'],
    [/^https?:\/\/json-schema\.org\/draft-06\/schema#?$/, 'draft-06'],
    [/^https?:\/\/json-schema\.org\/draft-07\/schema#?$/, 'draft-07'],
    [/^https?:\/\/json-schema\.org\/draft\/2019-09\/schema#?$/, '2019-09'],
    [/^https?:\/\/json-schema\.org\/draft\/2020-12\/schema#?$/, '2020-12'],
  ];
  const found = drafts.find(([pattern]) => pattern.test(String(uri)));
  if (!found) {
    const id = (schema as { $id?: unknown }).$id;
    throw new InputError(
      `The JSON schema${
        typeof id === 'string' ? ` ${id}` : ''
      } uses $schema ${JSON.stringify(
        uri,
      )}, which is not a supported draft; supported: draft-04, draft-06, draft-07, 2019-09, 2020-12`,
    );
  }
  return found[1];
}

function createAjv(
  draft: Draft,
  options: Required<Pick<SchemaValidatorOptions, 'strict' | 'validateFormats'>>,
): AjvCore {
  const ajvOptions = {
    allErrors: true,
    verbose: true,
    strict: options.strict,
    validateFormats: options.validateFormats,
  };
  let ajv: AjvCore;
  switch (draft) {
    case 'draft-04':
      ajv = new AjvDraft04(ajvOptions);
      break;
    case '2019-09':
      ajv = new Ajv2019(ajvOptions);
      break;
    case '2020-12':
      ajv = new Ajv2020(ajvOptions);
      break;
    default:
      ajv = new Ajv(ajvOptions);
      if (draft === 'draft-06') {
        ajv.addMetaSchema(draft06MetaSchema);
      }
  }
  addFormats(ajv);
  ajv.addKeyword({ keyword: MESSAGE_KEYWORD, schemaType: 'string' });
  return ajv;
}

interface CompiledSchema {
  references: object[];
  strict: boolean;
  validateFormats: boolean;
  validate: ValidateFunction;
}

/** Compiled schemas, by schema object and then by the options that change compilation. */
const compiledSchemas = new WeakMap<object, CompiledSchema[]>();

function compile(
  schema: object,
  references: object[],
  strict: boolean,
  validateFormats: boolean,
): ValidateFunction {
  const entries = compiledSchemas.get(schema) ?? [];
  const cached = entries.find(
    e =>
      e.strict === strict &&
      e.validateFormats === validateFormats &&
      e.references.length === references.length &&
      e.references.every((r, i) => r === references[i]),
  );
  if (cached) {
    return cached.validate;
  }
  const ajv = createAjv(draftOf(schema), { strict, validateFormats });
  for (const reference of references) {
    ajv.addSchema(reference);
  }
  const validate = ajv.compile(schema);
  entries.push({ references, strict, validateFormats, validate });
  compiledSchemas.set(schema, entries);
  return validate;
}

function describe(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** The message of a value that is not one of the allowed ones, as every validator of the suite words it. */
export function notOneOfMessage(
  path: string,
  allowed: readonly unknown[],
  value: unknown,
): string {
  return `${path} must be one of ${allowed
    .map(v => String(v))
    .join(', ')}, not ${describe(value)}`;
}

const COMPOSITE_KEYWORDS = new Set(['oneOf', 'anyOf', 'if']);

function isAtOrBelow(pointer: string, ancestor: string): boolean {
  return pointer === ancestor || pointer.startsWith(`${ancestor}/`);
}

function customMessage(error: ErrorObject): string | undefined {
  const message = (error.parentSchema as Record<string, unknown> | undefined)?.[
    MESSAGE_KEYWORD
  ];
  return typeof message === 'string' ? message : undefined;
}

/**
 * Keeps the errors that explain a problem. The `$ref` branch of the standards' "reference or
 * inline object" choices is left out; a composite keyword (`oneOf`, `anyOf`, `if`) is left out
 * when errors of its branches explain it, except when its schema words the problem itself
 * (`x-message`), in which case its branches' errors are left out instead.
 */
function explainingErrors(errors: ErrorObject[]): {
  kept: ErrorObject[];
  refBranches: Set<string>;
} {
  const refBranches = new Set<string>();
  const relevant = errors.filter(e => {
    const isRefBranch =
      e.keyword === 'required' &&
      (e.params as { missingProperty?: string }).missingProperty === '$ref';
    if (isRefBranch) {
      refBranches.add(e.instancePath);
    }
    return !isRefBranch;
  });
  const worded = relevant.filter(
    e => COMPOSITE_KEYWORDS.has(e.keyword) && customMessage(e) !== undefined,
  );
  const isBranchOfWorded = (e: ErrorObject) =>
    worded.some(
      w =>
        w !== e &&
        (e.instancePath === w.instancePath ||
          e.schemaPath.startsWith(`${w.schemaPath}/`)),
    );
  const kept = relevant.filter(e => {
    if (isBranchOfWorded(e)) {
      return false;
    }
    if (COMPOSITE_KEYWORDS.has(e.keyword) && customMessage(e) === undefined) {
      return !relevant.some(
        other =>
          other !== e &&
          other.keyword !== e.keyword &&
          isAtOrBelow(other.instancePath, e.instancePath),
      );
    }
    return true;
  });
  return { kept, refBranches };
}

/**
 * Words the errors of a JSON schema validator as problems naming the document's fields, without
 * the noise of composite keywords and without repeating a message.
 */
function formatErrors(
  errors: ErrorObject[],
  options: SchemaValidatorOptions,
): ValidationProblem[] {
  const root = options.root ?? '(document)';
  const bySchema = options.standard ? ` by the ${options.standard} schema` : '';
  const toPath = (pointer: string, child?: string) =>
    jsonPointerToPath(pointer, child, root);
  const { kept, refBranches } = explainingErrors(errors);
  const problems: ValidationProblem[] = [];
  const seen = new Set<string>();
  for (const error of kept) {
    const params = error.params as Record<string, unknown>;
    const custom = customMessage(error);
    let path = toPath(error.instancePath);
    let message: string;
    switch (error.keyword) {
      case 'required':
        path = toPath(error.instancePath, String(params.missingProperty));
        message = `${path} is required${bySchema}`;
        break;
      case 'additionalProperties':
      case 'unevaluatedProperties': {
        const extra = params.additionalProperty ?? params.unevaluatedProperty;
        path = toPath(error.instancePath, String(extra));
        if (options.standard) {
          message = `${path} is not a field of the ${options.standard} schema`;
        } else {
          const known = Object.keys(
            (error.parentSchema as { properties?: object } | undefined)
              ?.properties ?? {},
          );
          message = known.length
            ? `${path} is not a known field; known fields are ${known.join(
                ', ',
              )}`
            : `${path} is not a known field`;
        }
        break;
      }
      case 'enum':
        message = notOneOfMessage(
          path,
          params.allowedValues as unknown[],
          error.data,
        );
        break;
      case 'const':
        message = `${path} must be ${describe(
          params.allowedValue,
        )}, not ${describe(error.data)}`;
        break;
      case 'type':
        message = `${path} must be of type ${params.type}, not ${describe(
          error.data,
        )}`;
        break;
      default:
        if (custom) {
          message = `${path} ${custom}, not ${describe(error.data)}`;
        } else if (
          (error.keyword === 'oneOf' || error.keyword === 'anyOf') &&
          refBranches.has(error.instancePath)
        ) {
          message = `${path} is neither a reference ($ref) nor a valid inline object of the ${
            options.standard ?? 'JSON'
          } schema`;
        } else {
          message = `${path} ${error.message ?? 'is invalid'}`;
        }
    }
    if (!seen.has(message)) {
      seen.add(message);
      problems.push({ path, message });
    }
  }
  return problems;
}

/**
 * Creates a validator of documents against one JSON schema, for the suite's kinds, the open
 * standards' descriptors and contracts, and any other format with a JSON schema.
 *
 * The draft is read from the schema's `$schema` (draft-04, draft-06, draft-07, 2019-09 or
 * 2020-12; draft-07 when absent). The schema is compiled on first use, once per schema object
 * (and set of references), however many validators are created for it. Each problem names its
 * field as a path such as `spec.outputPorts[1].type`, and its message starts with that path.
 *
 * @param schema - the JSON schema
 * @param options - how to word problems, and the schemas the main one references by `$id`
 * @public
 */
export function createSchemaValidator(
  schema: object,
  options: SchemaValidatorOptions = {},
): SchemaValidator {
  // Refuses an unsupported draft at once, not at the first document.
  draftOf(schema);
  let validate: ValidateFunction | undefined;
  return {
    validate(document: unknown): ValidationProblem[] {
      if (!validate) {
        validate = compile(
          schema,
          options.references ?? [],
          options.strict ?? false,
          options.validateFormats ?? true,
        );
      }
      if (validate(document)) {
        return [];
      }
      return formatErrors(validate.errors ?? [], options);
    },
  };
}
