/**
 * The JSON text of a value with the keys of every object sorted: two values that are equal as
 * JSON give the same text, whatever the order of their keys. Used to hash documents and events
 * so that the same content is recognised however it was written.
 *
 * @param value - a JSON value
 * @public
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) {
    return `[${value.map(canonicalJson).join(',')}]`;
  }
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map(
        key =>
          `${JSON.stringify(key)}:${canonicalJson(
            (value as Record<string, unknown>)[key],
          )}`,
      )
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
