/**
 * The value a JSON pointer (RFC 6901, such as `/results/3`) points at in a document, or undefined
 * when nothing is there. The empty pointer is the document itself.
 */
export function resolveJsonPointer(
  document: unknown,
  pointer: string,
): unknown {
  if (pointer === '') {
    return document;
  }
  if (!pointer.startsWith('/')) {
    return undefined;
  }
  let current: unknown = document;
  for (const raw of pointer.slice(1).split('/')) {
    const token = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(current)) {
      if (!/^(0|[1-9][0-9]*)$/.test(token)) {
        return undefined;
      }
      current = current[Number(token)];
    } else if (current !== null && typeof current === 'object') {
      current = Object.prototype.hasOwnProperty.call(current, token)
        ? (current as Record<string, unknown>)[token]
        : undefined;
    } else {
      return undefined;
    }
    if (current === undefined) {
      return undefined;
    }
  }
  return current;
}
