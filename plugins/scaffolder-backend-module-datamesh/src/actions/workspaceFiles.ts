import fs from 'node:fs/promises';
import path from 'node:path';
import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';

/**
 * Resolves a path from a template's parameters inside the workspace, refusing one that leaves it.
 * @param field - the action input the path comes from, named in the error
 */
export function workspacePath(
  workspace: string,
  relative: string,
  field: string,
): string {
  try {
    return resolveSafeChildPath(workspace, relative);
  } catch {
    throw new InputError(
      `${field} ${JSON.stringify(relative)} is outside the workspace`,
    );
  }
}

/** Reads a text file, or undefined when it does not exist. */
export async function readOptionalFile(
  file: string,
): Promise<string | undefined> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return undefined;
    }
    throw error;
  }
}

/** A path relative to the workspace, with forward slashes, for messages. */
export function relativeToWorkspace(workspace: string, file: string): string {
  return path.relative(workspace, file).split(path.sep).join('/');
}
