/**
 * Turns a JSON pointer, as JSON schema validators report it (`/spec/outputPorts/1/type`), into the
 * field path people read (`spec.outputPorts[1].type`), optionally naming a child field.
 *
 * @param pointer - the JSON pointer
 * @param child - a field below the pointer, such as a missing required property
 * @param root - what to call the document itself when the path is empty
 * @public
 */
export function jsonPointerToPath(
  pointer: string,
  child?: string,
  root = '(document)',
): string {
  const parts = pointer
    .split('/')
    .slice(1)
    .map(p => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (child !== undefined) {
    parts.push(child);
  }
  let path = '';
  for (const part of parts) {
    if (/^[0-9]+$/.test(part)) {
      path += `[${part}]`;
    } else if (/^[A-Za-z_$][\w$]*$/.test(part)) {
      path += path ? `.${part}` : part;
    } else {
      path += `[${JSON.stringify(part)}]`;
    }
  }
  return path || root;
}
