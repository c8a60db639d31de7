/**
 * The difference between two versions of an output port's data contract (Open Data Contract
 * Standard v3), as a consumer of the port sees it: what a change removes, retypes or tightens
 * breaks consumers; what it adds or relaxes does not.
 */

/**
 * What changed between two versions of a port's contract.
 *
 * - `port-removed`, `port-added`: the output port itself (compared by the caller, see
 *   {@link diffPortContracts}).
 * - `contract-removed`, `contract-added`: the port keeps existing but loses or gains its contract.
 * - `object-removed`, `object-added`: a schema object (table, topic, file).
 * - `property-removed`, `property-added`: a property (column, field), nested ones by dotted path.
 * - `type-narrowed`, `type-changed`, `type-widened`: its `logicalType` or `physicalType`.
 * - `constraint-tightened`, `constraint-relaxed`: `required`, `unique`, `primaryKey`,
 *   `primaryKeyPosition` or a `logicalTypeOptions` limit (maxLength, minimum, pattern, enum...).
 * - `quality-tightened`, `quality-relaxed`: a quality rule added, removed, or its threshold or
 *   valid values changed.
 * @public
 */
export type ContractChangeKind =
  | 'port-removed'
  | 'port-added'
  | 'contract-removed'
  | 'contract-added'
  | 'object-removed'
  | 'object-added'
  | 'property-removed'
  | 'property-added'
  | 'type-narrowed'
  | 'type-changed'
  | 'type-widened'
  | 'constraint-tightened'
  | 'constraint-relaxed'
  | 'quality-tightened'
  | 'quality-relaxed';

/**
 * One change between two versions of a port's contract.
 * @public
 */
export type ContractChange = {
  kind: ContractChangeKind;
  /** Whether the change can break the port's consumers. */
  breaking: boolean;
  /** The output port. */
  port: string;
  /** The schema object (table, topic), when the change is within one. */
  object?: string;
  /** The property, nested ones as a dotted path (`address.city`), when the change is about one. */
  property?: string;
  /**
   * The names a consumer's observed column lineage may use for the property: its `name` and
   * its `physicalName` (the last segment of a nested path).
   */
  columns?: string[];
  /** What changed on the object or property: `logicalType`, `logicalTypeOptions.maxLength`, `quality[nullValues].mustBe`... */
  attribute?: string;
  /** The value before the change (absent when the attribute was not set). */
  old?: unknown;
  /** The value after it (absent when the attribute is no longer set). */
  new?: unknown;
  /** One line saying what changed: port, object, property, old → new. */
  message: string;
};

/**
 * A property of a contract's schema as {@link diffContracts} compares it.
 * @public
 */
export type ContractSchemaProperty = {
  name: string;
  physicalName?: string;
  logicalType?: string;
  physicalType?: string;
  required?: boolean;
  unique?: boolean;
  primaryKey?: boolean;
  primaryKeyPosition?: number;
  logicalTypeOptions?: Record<string, unknown>;
  quality?: Array<Record<string, unknown>>;
  properties?: ContractSchemaProperty[];
};

/**
 * A schema object of a contract as {@link diffContracts} compares it.
 * @public
 */
export type ContractSchemaObject = {
  name: string;
  physicalName?: string;
  physicalType?: string;
  quality?: Array<Record<string, unknown>>;
  properties: ContractSchemaProperty[];
};

/**
 * A problem that keeps a document from being compared, naming its field.
 * @public
 */
export type ContractDiffProblem = {
  /** The field, such as `schema[0].properties[2].name`. */
  path: string;
  message: string;
};

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function readProperties(
  value: unknown,
  path: string,
  problems: ContractDiffProblem[],
): ContractSchemaProperty[] {
  if (value === undefined) {
    return [];
  }
  if (!Array.isArray(value)) {
    problems.push({ path, message: `${path} must be a list of properties` });
    return [];
  }
  return value.flatMap((raw, index): ContractSchemaProperty[] => {
    const at = `${path}[${index}]`;
    if (!isRecord(raw)) {
      problems.push({ path: at, message: `${at} must be a mapping` });
      return [];
    }
    if (typeof raw.name !== 'string' || raw.name === '') {
      problems.push({
        path: `${at}.name`,
        message: `${at}.name is required: the property's name`,
      });
      return [];
    }
    const items = isRecord(raw.items) ? raw.items : undefined;
    const nested = raw.properties ?? items?.properties;
    const logicalType =
      raw.logicalType === 'array' && typeof items?.logicalType === 'string'
        ? `array<${items.logicalType}>`
        : raw.logicalType;
    return [
      {
        name: raw.name,
        physicalName:
          typeof raw.physicalName === 'string' ? raw.physicalName : undefined,
        logicalType: typeof logicalType === 'string' ? logicalType : undefined,
        physicalType:
          typeof raw.physicalType === 'string' ? raw.physicalType : undefined,
        required: typeof raw.required === 'boolean' ? raw.required : undefined,
        unique: typeof raw.unique === 'boolean' ? raw.unique : undefined,
        primaryKey:
          typeof raw.primaryKey === 'boolean' ? raw.primaryKey : undefined,
        primaryKeyPosition:
          typeof raw.primaryKeyPosition === 'number'
            ? raw.primaryKeyPosition
            : undefined,
        logicalTypeOptions: isRecord(raw.logicalTypeOptions)
          ? raw.logicalTypeOptions
          : undefined,
        quality: Array.isArray(raw.quality)
          ? raw.quality.filter(isRecord)
          : undefined,
        properties:
          nested === undefined
            ? undefined
            : readProperties(
                nested,
                raw.properties !== undefined
                  ? `${at}.properties`
                  : `${at}.items.properties`,
                problems,
              ),
      },
    ];
  });
}

/**
 * Reads the schema of a data contract for {@link diffContracts}: an ODCS v3 document as written,
 * or the summary the portal's contracts route answers (`DataContractSummary`); both carry
 * `schema: [{ name, properties: [...] }]`.
 *
 * @returns the schema objects, and the problems (each naming its field) that keep the document
 * from being compared: a schema that is not a list, an object or property without a name.
 * @public
 */
export function readContractSchema(document: unknown): {
  objects: ContractSchemaObject[];
  problems: ContractDiffProblem[];
} {
  const problems: ContractDiffProblem[] = [];
  if (!isRecord(document)) {
    problems.push({
      path: '(document)',
      message: 'the data contract must be a mapping (an ODCS document)',
    });
    return { objects: [], problems };
  }
  const schema = document.schema;
  if (schema === undefined) {
    return { objects: [], problems };
  }
  if (!Array.isArray(schema)) {
    problems.push({
      path: 'schema',
      message: 'schema must be a list of schema objects',
    });
    return { objects: [], problems };
  }
  const objects = schema.flatMap((raw, index): ContractSchemaObject[] => {
    const at = `schema[${index}]`;
    if (!isRecord(raw)) {
      problems.push({ path: at, message: `${at} must be a mapping` });
      return [];
    }
    if (typeof raw.name !== 'string' || raw.name === '') {
      problems.push({
        path: `${at}.name`,
        message: `${at}.name is required: the schema object's name`,
      });
      return [];
    }
    return [
      {
        name: raw.name,
        physicalName:
          typeof raw.physicalName === 'string' ? raw.physicalName : undefined,
        physicalType:
          typeof raw.physicalType === 'string' ? raw.physicalType : undefined,
        quality: Array.isArray(raw.quality)
          ? raw.quality.filter(isRecord)
          : undefined,
        properties: readProperties(
          raw.properties,
          `${at}.properties`,
          problems,
        ),
      },
    ];
  });
  return { objects, problems };
}

const show = (value: unknown) =>
  value === undefined ? '(unset)' : JSON.stringify(value);

/** A physical type read as its base name and its size arguments: `varchar(20)`, `numeric(12,2)`. */
function parsePhysicalType(type: string) {
  const match = /^\s*([a-z][a-z0-9_ ]*?)\s*(?:\(\s*([\d\s,]+)\s*\))?\s*$/i.exec(
    type,
  );
  if (!match) {
    return { base: type.trim().toLocaleLowerCase('en-US'), sizes: [] };
  }
  return {
    base: match[1].toLocaleLowerCase('en-US'),
    sizes: (match[2] ?? '')
      .split(',')
      .map(s => s.trim())
      .filter(Boolean)
      .map(Number),
  };
}

/** Physical types each of which holds every value of the ones before it. */
const PHYSICAL_WIDENINGS: string[][] = [
  ['tinyint', 'smallint', 'int2', 'integer', 'int', 'int4', 'bigint', 'int8'],
  ['real', 'float4', 'float', 'double', 'double precision', 'float8'],
  ['char', 'character', 'varchar', 'character varying', 'string', 'text'],
  ['timestamp', 'timestamp without time zone'],
  ['date', 'timestamp'],
];

/** Logical types each of which holds every value of the ones before it. */
const LOGICAL_WIDENINGS: string[][] = [['integer', 'number']];

function widens(chains: string[][], from: string, to: string) {
  return chains.some(chain => {
    const a = chain.indexOf(from);
    const b = chain.indexOf(to);
    return a >= 0 && b >= 0 && a < b;
  });
}

/** How a type changes for a reader: widened (still reads), narrowed, or changed. */
function compareTypes(
  attribute: 'logicalType' | 'physicalType',
  from: string,
  to: string,
): 'type-widened' | 'type-narrowed' | 'type-changed' {
  if (attribute === 'logicalType') {
    const a = from.toLocaleLowerCase('en-US');
    const b = to.toLocaleLowerCase('en-US');
    if (widens(LOGICAL_WIDENINGS, a, b)) {
      return 'type-widened';
    }
    if (widens(LOGICAL_WIDENINGS, b, a)) {
      return 'type-narrowed';
    }
    return 'type-changed';
  }
  const a = parsePhysicalType(from);
  const b = parsePhysicalType(to);
  if (a.base === b.base) {
    // varchar(20) → varchar(16), numeric(12,2) → numeric(10,2): fewer values fit
    if (a.sizes.length === 0 && b.sizes.length > 0) {
      return 'type-narrowed';
    }
    if (b.sizes.length === 0 && a.sizes.length > 0) {
      return 'type-widened';
    }
    const narrower = b.sizes.some((size, i) => size < (a.sizes[i] ?? size));
    return narrower ? 'type-narrowed' : 'type-widened';
  }
  if (widens(PHYSICAL_WIDENINGS, a.base, b.base)) {
    return b.sizes.length > 0 && a.sizes.length > 0 && b.sizes[0] < a.sizes[0]
      ? 'type-narrowed'
      : 'type-widened';
  }
  if (widens(PHYSICAL_WIDENINGS, b.base, a.base)) {
    return 'type-narrowed';
  }
  return 'type-changed';
}

/** Options whose larger value admits fewer values, and the reverse. */
const UPPER_LIMITS = [
  'maxLength',
  'maximum',
  'exclusiveMaximum',
  'maxItems',
  'maxProperties',
];
const LOWER_LIMITS = [
  'minLength',
  'minimum',
  'exclusiveMinimum',
  'minItems',
  'minProperties',
];

function compareLimit(a: unknown, b: unknown): number | undefined {
  if (typeof a === 'number' && typeof b === 'number') {
    return Math.sign(b - a);
  }
  if (typeof a === 'string' && typeof b === 'string') {
    // dates and timestamps as ODCS writes them compare as text
    return a === b ? 0 : Math.sign(b.localeCompare(a));
  }
  return undefined;
}

/** Values of a list that the other does not hold, compared as JSON. */
function missingFrom(list: unknown[], other: unknown[]) {
  const keys = new Set(other.map(v => JSON.stringify(v)));
  return list.filter(v => !keys.has(JSON.stringify(v)));
}

type Place = {
  port: string;
  object?: string;
  property?: string;
  columns?: string[];
};

function where(place: Place) {
  return [place.port, place.object, place.property].filter(Boolean).join('.');
}

function change(
  place: Place,
  kind: ContractChangeKind,
  breaking: boolean,
  attribute: string | undefined,
  old: unknown,
  next: unknown,
  what: string,
): ContractChange {
  return {
    kind,
    breaking,
    ...place,
    ...(attribute ? { attribute } : {}),
    ...(old !== undefined ? { old } : {}),
    ...(next !== undefined ? { new: next } : {}),
    message: `${where(place)}: ${what}${
      attribute ? ` (${attribute} ${show(old)} → ${show(next)})` : ''
    }`,
  };
}

function diffOptions(
  place: Place,
  old: Record<string, unknown> = {},
  next: Record<string, unknown> = {},
): ContractChange[] {
  const changes: ContractChange[] = [];
  const keys = [...new Set([...Object.keys(old), ...Object.keys(next)])];
  for (const key of keys) {
    const a = old[key];
    const b = next[key];
    if (JSON.stringify(a) === JSON.stringify(b)) {
      continue;
    }
    const attribute = `logicalTypeOptions.${key}`;
    const tightened = (what: string) =>
      change(place, 'constraint-tightened', true, attribute, a, b, what);
    const relaxed = (what: string) =>
      change(place, 'constraint-relaxed', false, attribute, a, b, what);
    if (UPPER_LIMITS.includes(key) || LOWER_LIMITS.includes(key)) {
      if (a === undefined) {
        changes.push(tightened(`${key} added`));
        continue;
      }
      if (b === undefined) {
        changes.push(relaxed(`${key} removed`));
        continue;
      }
      const direction = compareLimit(a, b);
      const upper = UPPER_LIMITS.includes(key);
      if (direction === undefined) {
        changes.push(tightened(`${key} changed`));
      } else if ((upper && direction < 0) || (!upper && direction > 0)) {
        changes.push(tightened(`${key} ${upper ? 'lowered' : 'raised'}`));
      } else {
        changes.push(relaxed(`${key} ${upper ? 'raised' : 'lowered'}`));
      }
      continue;
    }
    if (key === 'enum' && Array.isArray(a) && Array.isArray(b)) {
      const removed = missingFrom(a, b);
      changes.push(
        removed.length
          ? tightened(`enum values removed: ${show(removed)}`)
          : relaxed('enum values added'),
      );
      continue;
    }
    if (key === 'uniqueItems' || key === 'required') {
      // an object's required fields, unique array items
      const on = (v: unknown): unknown[] => {
        if (Array.isArray(v)) {
          return v;
        }
        return v === true ? [true] : [];
      };
      const wasOn = on(a);
      const isOn = on(b);
      changes.push(
        missingFrom(isOn, wasOn).length
          ? tightened(`${key} tightened`)
          : relaxed(`${key} relaxed`),
      );
      continue;
    }
    if (key === 'timezone' || key === 'defaultTimezone') {
      changes.push(
        change(place, 'type-changed', true, attribute, a, b, `${key} changed`),
      );
      continue;
    }
    if (key === 'format' || key === 'pattern') {
      if (b === undefined) {
        changes.push(relaxed(`${key} removed`));
      } else {
        changes.push(
          tightened(`${key} ${a === undefined ? 'added' : 'changed'}`),
        );
      }
      continue;
    }
    // an option the diff does not know: a change a consumer may rely on
    changes.push(
      a === undefined ? tightened(`${key} added`) : tightened(`${key} changed`),
    );
  }
  return changes;
}

/** How a quality rule is told apart from the others of its property or object. */
function ruleKey(rule: Record<string, unknown>, index: number): string {
  for (const field of ['id', 'name']) {
    if (typeof rule[field] === 'string' && rule[field]) {
      return `${field}:${rule[field]}`;
    }
  }
  const what = rule.metric ?? rule.rule ?? rule.query ?? rule.engine;
  if (typeof what === 'string') {
    return `${String(rule.type ?? 'library')}:${what}`;
  }
  return `#${index}`;
}

function ruleLabel(rule: Record<string, unknown>, key: string) {
  const label = rule.name ?? rule.metric ?? rule.rule ?? rule.id;
  return typeof label === 'string' ? label : key;
}

/** Operators whose threshold is an upper bound of the measured value, and the lower bounds. */
const UPPER_OPERATORS = ['mustBeLessThan', 'mustBeLessOrEqualTo'];
const LOWER_OPERATORS = ['mustBeGreaterThan', 'mustBeGreaterOrEqualTo'];
const OPERATORS = [
  'mustBe',
  'mustNotBe',
  ...UPPER_OPERATORS,
  ...LOWER_OPERATORS,
  'mustBeBetween',
  'mustNotBeBetween',
];

function diffQuality(
  place: Place,
  old: Array<Record<string, unknown>> = [],
  next: Array<Record<string, unknown>> = [],
): ContractChange[] {
  const changes: ContractChange[] = [];
  const before = new Map(old.map((r, i) => [ruleKey(r, i), r]));
  const after = new Map(next.map((r, i) => [ruleKey(r, i), r]));
  for (const [key, rule] of before) {
    if (!after.has(key)) {
      changes.push(
        change(
          place,
          'quality-relaxed',
          false,
          undefined,
          undefined,
          undefined,
          `quality rule ${ruleLabel(rule, key)} removed`,
        ),
      );
    }
  }
  for (const [key, rule] of after) {
    const was = before.get(key);
    const label = ruleLabel(rule, key);
    if (!was) {
      changes.push(
        change(
          place,
          'quality-tightened',
          true,
          undefined,
          undefined,
          undefined,
          `quality rule ${label} added`,
        ),
      );
      continue;
    }
    const attribute = (field: string) => `quality[${label}].${field}`;
    for (const op of OPERATORS) {
      const a = was[op];
      const b = rule[op];
      if (JSON.stringify(a) === JSON.stringify(b)) {
        continue;
      }
      let stricter: boolean;
      if (a === undefined || b === undefined) {
        stricter = a === undefined;
      } else if (UPPER_OPERATORS.includes(op) || LOWER_OPERATORS.includes(op)) {
        const direction = compareLimit(a, b) ?? -1;
        stricter = UPPER_OPERATORS.includes(op) ? direction < 0 : direction > 0;
      } else if (
        op === 'mustBeBetween' &&
        Array.isArray(a) &&
        Array.isArray(b) &&
        a.length === 2 &&
        b.length === 2
      ) {
        stricter =
          (compareLimit(a[0], b[0]) ?? 1) > 0 ||
          (compareLimit(a[1], b[1]) ?? -1) < 0;
      } else {
        // mustBe, mustNotBe, mustNotBeBetween moved: not a loosening one can tell
        stricter = true;
      }
      changes.push(
        change(
          place,
          stricter ? 'quality-tightened' : 'quality-relaxed',
          stricter,
          attribute(op),
          a,
          b,
          `quality rule ${label} made ${stricter ? 'stricter' : 'looser'}`,
        ),
      );
    }
    const args = (r: Record<string, unknown>) =>
      isRecord(r.arguments) ? r.arguments : {};
    const validBefore = args(was).validValues;
    const validAfter = args(rule).validValues;
    if (Array.isArray(validBefore) && Array.isArray(validAfter)) {
      const removed = missingFrom(validBefore, validAfter);
      const added = missingFrom(validAfter, validBefore);
      if (removed.length) {
        changes.push(
          change(
            place,
            'quality-tightened',
            true,
            attribute('arguments.validValues'),
            validBefore,
            validAfter,
            `valid values removed: ${show(removed)}`,
          ),
        );
      } else if (added.length) {
        changes.push(
          change(
            place,
            'quality-relaxed',
            false,
            attribute('arguments.validValues'),
            validBefore,
            validAfter,
            'valid values added',
          ),
        );
      }
    }
  }
  return changes;
}

const TYPE_CHANGES = {
  'type-widened': 'type widened',
  'type-narrowed': 'type narrowed',
  'type-changed': 'retyped',
};

function columnsOf(property: ContractSchemaProperty) {
  return [
    ...new Set(
      [property.name, property.physicalName].filter(
        (n): n is string => typeof n === 'string' && n !== '',
      ),
    ),
  ];
}

function diffProperties(
  base: Place,
  prefix: string,
  old: ContractSchemaProperty[],
  next: ContractSchemaProperty[],
): ContractChange[] {
  const changes: ContractChange[] = [];
  const after = new Map(next.map(p => [p.name, p]));
  const before = new Map(old.map(p => [p.name, p]));
  for (const was of old) {
    const path = `${prefix}${was.name}`;
    const place = { ...base, property: path, columns: columnsOf(was) };
    const is = after.get(was.name);
    if (!is) {
      changes.push(
        change(
          place,
          'property-removed',
          true,
          undefined,
          undefined,
          undefined,
          `column removed (${[was.logicalType, was.physicalType]
            .filter(Boolean)
            .join(' ')})`.replace(' ()', ''),
        ),
      );
      continue;
    }
    for (const attribute of ['logicalType', 'physicalType'] as const) {
      const a = was[attribute];
      const b = is[attribute];
      if (a === b || (a === undefined && b === undefined)) {
        continue;
      }
      if (a === undefined) {
        // a type stated where none was: what it promised does not change
        continue;
      }
      const kind =
        b === undefined ? 'type-changed' : compareTypes(attribute, a, b);
      changes.push(
        change(
          place,
          kind,
          kind !== 'type-widened',
          attribute,
          a,
          b,
          TYPE_CHANGES[kind],
        ),
      );
    }
    if (Boolean(was.required) !== Boolean(is.required)) {
      changes.push(
        change(
          place,
          is.required ? 'constraint-tightened' : 'constraint-relaxed',
          Boolean(is.required),
          'required',
          was.required,
          is.required,
          is.required ? 'made required' : 'made optional',
        ),
      );
    }
    if (Boolean(was.unique) !== Boolean(is.unique)) {
      changes.push(
        change(
          place,
          is.unique ? 'constraint-tightened' : 'constraint-relaxed',
          Boolean(is.unique),
          'unique',
          was.unique,
          is.unique,
          is.unique ? 'made unique' : 'no longer unique',
        ),
      );
    }
    if (
      Boolean(was.primaryKey) !== Boolean(is.primaryKey) ||
      (was.primaryKey &&
        is.primaryKey &&
        was.primaryKeyPosition !== is.primaryKeyPosition)
    ) {
      const attribute =
        Boolean(was.primaryKey) !== Boolean(is.primaryKey)
          ? 'primaryKey'
          : 'primaryKeyPosition';
      changes.push(
        change(
          place,
          'constraint-tightened',
          true,
          attribute,
          was[attribute],
          is[attribute],
          'primary key changed',
        ),
      );
    }
    changes.push(
      ...diffOptions(place, was.logicalTypeOptions, is.logicalTypeOptions),
      ...diffQuality(place, was.quality, is.quality),
      ...diffProperties(
        base,
        `${path}.`,
        was.properties ?? [],
        is.properties ?? [],
      ),
    );
  }
  for (const is of next) {
    if (!before.has(is.name)) {
      const path = `${prefix}${is.name}`;
      changes.push(
        change(
          { ...base, property: path, columns: columnsOf(is) },
          'property-added',
          false,
          undefined,
          undefined,
          undefined,
          `column added${is.required ? ' (required)' : ''}`,
        ),
      );
    }
  }
  return changes;
}

/**
 * Compares two versions of an output port's data contract, each an ODCS v3 document as written
 * or the summary of one the portal answers (see {@link readContractSchema}).
 *
 * Breaking: a removed schema object or property, a retyped or narrowed one (`logicalType`
 * integer → number and `physicalType` varchar(16) → varchar(32) widen, and do not break), a
 * tightened constraint (made required or unique, a primary key change, a `logicalTypeOptions`
 * limit made stricter such as maxLength lowered, enum values removed, a pattern or format
 * changed), a quality rule added or made stricter (a threshold, fewer valid values).
 * Not breaking: additions, relaxed constraints, removed quality rules. Properties and objects are
 * matched by name: a renamed one is removed and added.
 *
 * @param old - the contract consumers read (the portal's)
 * @param next - the changed contract
 * @param options - the port, named in each change
 * @throws TypeError when a document cannot be read (use {@link readContractSchema} first to
 * name the field)
 * @public
 */
export function diffContracts(
  old: unknown,
  next: unknown,
  options: { port: string },
): ContractChange[] {
  const a = readContractSchema(old);
  const b = readContractSchema(next);
  const problems = [...a.problems, ...b.problems];
  if (problems.length) {
    throw new TypeError(
      `The data contracts cannot be compared: ${problems
        .map(p => p.message)
        .join('; ')}`,
    );
  }
  const changes: ContractChange[] = [];
  const after = new Map(b.objects.map(o => [o.name, o]));
  const before = new Set(a.objects.map(o => o.name));
  for (const was of a.objects) {
    const place = { port: options.port, object: was.name };
    const is = after.get(was.name);
    if (!is) {
      changes.push(
        change(
          place,
          'object-removed',
          true,
          undefined,
          undefined,
          undefined,
          `schema object removed (${was.properties.length} column${
            was.properties.length === 1 ? '' : 's'
          })`,
        ),
      );
      continue;
    }
    if (
      was.physicalType &&
      is.physicalType &&
      was.physicalType !== is.physicalType
    ) {
      changes.push(
        change(
          place,
          'type-changed',
          true,
          'physicalType',
          was.physicalType,
          is.physicalType,
          'schema object retyped',
        ),
      );
    }
    changes.push(
      ...diffQuality(place, was.quality, is.quality),
      ...diffProperties(place, '', was.properties, is.properties),
    );
  }
  for (const is of b.objects) {
    if (!before.has(is.name)) {
      changes.push(
        change(
          { port: options.port, object: is.name },
          'object-added',
          false,
          undefined,
          undefined,
          undefined,
          'schema object added',
        ),
      );
    }
  }
  return changes;
}

/**
 * Compares the output ports of two versions of a data product, each as a map from port name to
 * its contract (an ODCS document or summary) or `undefined` when the port has no contract: a
 * removed port or contract breaks, an added one does not, and the contracts of the ports both
 * have are compared with {@link diffContracts}.
 * @public
 */
export function diffPortContracts(
  old: Map<string, unknown>,
  next: Map<string, unknown>,
): ContractChange[] {
  const changes: ContractChange[] = [];
  for (const [port, contract] of old) {
    if (!next.has(port)) {
      changes.push(
        change(
          { port },
          'port-removed',
          true,
          undefined,
          undefined,
          undefined,
          'output port removed',
        ),
      );
      continue;
    }
    const changed = next.get(port);
    if (contract === undefined && changed === undefined) {
      continue;
    }
    if (contract === undefined) {
      changes.push(
        change(
          { port },
          'contract-added',
          false,
          undefined,
          undefined,
          undefined,
          'data contract added',
        ),
      );
    } else if (changed === undefined) {
      changes.push(
        change(
          { port },
          'contract-removed',
          true,
          undefined,
          undefined,
          undefined,
          'data contract removed',
        ),
      );
    } else {
      changes.push(...diffContracts(contract, changed, { port }));
    }
  }
  for (const port of next.keys()) {
    if (!old.has(port)) {
      changes.push(
        change(
          { port },
          'port-added',
          false,
          undefined,
          undefined,
          undefined,
          'output port added',
        ),
      );
    }
  }
  return changes;
}
