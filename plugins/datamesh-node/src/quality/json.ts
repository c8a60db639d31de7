import { InputError } from '@backstage/errors';
import { jsonPointerToPath } from '@backstage-datamesh/plugin-datamesh-common';

/** A JSON object read from a posted document. */
export type JsonObject = Record<string, unknown>;

/** Appends a key or index to a JSON pointer, escaping it as RFC 6901 says. */
export function childPointer(pointer: string, key: string | number): string {
  return `${pointer}/${String(key).replace(/~/g, '~0').replace(/\//g, '~1')}`;
}

/** The path people read (`results[3].status`) of a JSON pointer (`/results/3/status`). */
export function pathOf(pointer: string): string {
  return jsonPointerToPath(pointer);
}

function describe(value: unknown): string {
  if (value === null) {
    return 'null';
  }
  if (Array.isArray(value)) {
    return 'an array';
  }
  if (typeof value === 'object') {
    return 'an object';
  }
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

const isString = (value: unknown): value is string => typeof value === 'string';
const isNumber = (value: unknown): value is number =>
  typeof value === 'number' && Number.isFinite(value);
const isBoolean = (value: unknown): value is boolean =>
  typeof value === 'boolean';

/**
 * Reads the fields of one kind of document, throwing an `InputError` that names the document and
 * the JSON path of the field for anything missing or of the wrong type.
 */
export class DocumentReader {
  /** @param label - the document, as messages name it, such as `dbt run_results` */
  constructor(readonly label: string) {}

  /** Throws an `InputError` about the field at the pointer. */
  fail(pointer: string, problem: string): never {
    throw new InputError(
      `Invalid ${this.label}: ${pathOf(pointer)} ${problem}`,
    );
  }

  /** The value as an object, or an error naming its path. */
  object(value: unknown, pointer: string): JsonObject {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      return this.fail(pointer, `must be an object, not ${describe(value)}`);
    }
    return value as JsonObject;
  }

  /** A required object field. */
  requiredObject(parent: JsonObject, pointer: string, key: string) {
    return this.object(
      this.required(parent, pointer, key),
      childPointer(pointer, key),
    );
  }

  /** An optional object field (absent or null gives undefined). */
  optionalObject(
    parent: JsonObject,
    pointer: string,
    key: string,
  ): JsonObject | undefined {
    const value = parent[key];
    return value === undefined || value === null
      ? undefined
      : this.object(value, childPointer(pointer, key));
  }

  /** A required array field. */
  requiredArray(parent: JsonObject, pointer: string, key: string): unknown[] {
    const value = this.required(parent, pointer, key);
    if (!Array.isArray(value)) {
      return this.fail(
        childPointer(pointer, key),
        `must be an array, not ${describe(value)}`,
      );
    }
    return value;
  }

  /** An optional array field (absent or null gives an empty array). */
  optionalArray(parent: JsonObject, pointer: string, key: string): unknown[] {
    const value = parent[key];
    if (value === undefined || value === null) {
      return [];
    }
    if (!Array.isArray(value)) {
      return this.fail(
        childPointer(pointer, key),
        `must be an array, not ${describe(value)}`,
      );
    }
    return value;
  }

  /** A required string field. */
  requiredString(parent: JsonObject, pointer: string, key: string): string {
    return (
      this.optional(parent, pointer, key, isString, 'a string') ??
      this.fail(childPointer(pointer, key), 'is required')
    );
  }

  /** An optional string field (absent or null gives undefined). */
  optionalString(parent: JsonObject, pointer: string, key: string) {
    return this.optional(parent, pointer, key, isString, 'a string');
  }

  /** An optional number field (absent or null gives undefined). */
  optionalNumber(parent: JsonObject, pointer: string, key: string) {
    return this.optional(parent, pointer, key, isNumber, 'a number');
  }

  /** An optional boolean field (absent or null gives undefined). */
  optionalBoolean(parent: JsonObject, pointer: string, key: string) {
    return this.optional(parent, pointer, key, isBoolean, 'true or false');
  }

  /**
   * A required time field with a time zone, as an ISO 8601 UTC string (see {@link toIsoTime}).
   */
  requiredTime(parent: JsonObject, pointer: string, key: string): string {
    return this.time(
      this.requiredString(parent, pointer, key),
      childPointer(pointer, key),
    );
  }

  /** An optional time field with a time zone (absent or null gives undefined). */
  optionalTime(
    parent: JsonObject,
    pointer: string,
    key: string,
  ): string | undefined {
    const value = this.optionalString(parent, pointer, key);
    return value === undefined
      ? undefined
      : this.time(value, childPointer(pointer, key));
  }

  /** The text as an ISO 8601 UTC time, or an error naming its path. */
  time(text: string, pointer: string): string {
    const iso = toIsoTime(text);
    if (!iso) {
      return this.fail(
        pointer,
        `must be a time with a time zone, such as 2024-05-06T10:15:00Z, not ${describe(
          text,
        )}`,
      );
    }
    return iso;
  }

  private optional<T>(
    parent: JsonObject,
    pointer: string,
    key: string,
    is: (value: unknown) => value is T,
    what: string,
  ): T | undefined {
    const value = parent[key];
    if (value === undefined || value === null) {
      return undefined;
    }
    if (!is(value)) {
      return this.fail(
        childPointer(pointer, key),
        `must be ${what}, not ${describe(value)}`,
      );
    }
    return value;
  }

  private required(parent: JsonObject, pointer: string, key: string) {
    const value = parent[key];
    if (value === undefined || value === null) {
      return this.fail(childPointer(pointer, key), 'is required');
    }
    return value;
  }
}

const ISO_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(Z|[+-]\d{2}:?\d{2})$/i;
const COMPACT_TIME =
  /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:?\d{2})$/i;

/**
 * Reads a time with a time zone, as the tools write it, into an ISO 8601 UTC string with
 * milliseconds (`2021-07-05T11:43:16.146Z`): RFC 3339 times (`2021-07-05T11:43:16.146647Z`,
 * `2026-01-20T13:57:48.977036+01:00`), with a space for the `T` as Python's `str(datetime)`
 * writes them (`2024-05-06 08:00:00+00:00`), and Great Expectations' compact form
 * (`20200727T171932.962507Z`). A time without a time zone, or one that is not a real date, is not
 * read (undefined).
 */
export function toIsoTime(text: string): string | undefined {
  const match = ISO_TIME.exec(text.trim()) ?? COMPACT_TIME.exec(text.trim());
  if (!match) {
    return undefined;
  }
  const [, year, month, day, hour, minute, second, fraction, zone] = match;
  const millis = (fraction ?? '').padEnd(3, '0').slice(0, 3);
  const offset =
    zone.toUpperCase() === 'Z' ? 'Z' : `${zone.slice(0, 3)}:${zone.slice(-2)}`;
  const date = new Date(
    `${year}-${month}-${day}T${hour}:${minute}:${
      second ?? '00'
    }.${millis}${offset}`,
  );
  if (
    Number.isNaN(date.getTime()) ||
    Number(month) > 12 ||
    Number(day) > 31 ||
    Number(hour) > 23
  ) {
    return undefined;
  }
  return date.toISOString();
}
