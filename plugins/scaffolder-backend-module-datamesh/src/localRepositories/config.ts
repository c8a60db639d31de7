import path from 'node:path';
import type { Config } from '@backstage/config';

/** The folder `publish:datamesh:local` writes repositories into, when not configured. */
export const DEFAULT_LOCAL_REPOSITORIES_DIRECTORY = 'datamesh-repositories';

/**
 * The absolute folder of the offline publisher's repositories:
 * `datamesh.scaffolder.localPublisher.directory`, resolved against the backend's working
 * directory, or `datamesh-repositories` under it.
 * @public
 */
export function readLocalRepositoriesDirectory(config: Config): string {
  return path.resolve(
    config.getOptionalString('datamesh.scaffolder.localPublisher.directory') ??
      DEFAULT_LOCAL_REPOSITORIES_DIRECTORY,
  );
}
