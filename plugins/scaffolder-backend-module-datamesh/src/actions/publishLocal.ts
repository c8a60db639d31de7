import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import { ConflictError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import git from 'isomorphic-git';
import { readLocalRepositoriesDirectory } from '../localRepositories/config';
import { workspacePath } from './workspaceFiles';

const ID = 'publish:datamesh:local';
const REPO_NAME = /^[a-z0-9]([-_.a-z0-9]*[a-z0-9])?$/;

async function isEmptyOrMissing(dir: string): Promise<boolean> {
  try {
    return (await fs.promises.readdir(dir)).length === 0;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return true;
    }
    throw error;
  }
}

/**
 * Creates the `publish:datamesh:local` action, the golden paths' offline publisher: commits the
 * workspace into a new git repository in the configured folder
 * (`datamesh.scaffolder.localPublisher.directory`) and outputs `file:` URLs of it, which
 * `catalog:register` registers and the module's `LocalRepositoryUrlReader` reads. No
 * network, no account. An existing repository of the same name is never overwritten; a failed
 * publish leaves no repository behind.
 * @public
 */
export function createPublishLocalAction(options: { config: Config }) {
  const directory = readLocalRepositoriesDirectory(options.config);
  const author = {
    name:
      options.config.getOptionalString(
        'datamesh.scaffolder.localPublisher.author.name',
      ) ?? 'Backstage Scaffolder',
    email:
      options.config.getOptionalString(
        'datamesh.scaffolder.localPublisher.author.email',
      ) ?? 'scaffolder@backstage.local',
  };
  return createTemplateAction({
    id: ID,
    description:
      'Publishes the workspace as a new git repository in a folder of the backend (datamesh.scaffolder.localPublisher.directory), for local use with no network; outputs file: URLs that catalog:register accepts.',
    supportsDryRun: true,
    examples: [
      {
        description: 'Publish the generated product and register it',
        example: [
          'steps:',
          '  - id: publish',
          `    action: ${ID}`,
          '    input:',
          '      repoName: ${{ parameters.name }}',
          '  - id: register',
          '    action: catalog:register',
          '    input:',
          "      catalogInfoUrl: ${{ steps['publish'].output.catalogInfoUrl }}",
        ].join('\n'),
      },
      {
        description: 'Publish a subfolder of the workspace on another branch',
        example: [
          'steps:',
          '  - id: publish',
          `    action: ${ID}`,
          '    input:',
          '      repoName: orders-feed',
          '      sourcePath: product',
          '      defaultBranch: trunk',
          '      commitMessage: Orders feed, from the batch golden path',
        ].join('\n'),
      },
    ],
    schema: {
      input: {
        repoName: z =>
          z
            .string({
              description:
                'The repository name: lowercase letters, digits, -, _ or ., starting and ending with a letter or digit',
            })
            .max(63)
            .regex(
              REPO_NAME,
              "repoName must be lowercase letters, digits, '-', '_' or '.', starting and ending with a letter or digit",
            ),
        sourcePath: z =>
          z
            .string({
              description:
                'The folder of the workspace to publish; the whole workspace by default',
            })
            .optional(),
        defaultBranch: z =>
          z
            .string({ description: 'The branch; main by default' })
            .regex(/^[A-Za-z0-9][-_./A-Za-z0-9]*$/)
            .optional(),
        commitMessage: z =>
          z
            .string({ description: 'The message of the first commit' })
            .optional(),
        catalogInfoPath: z =>
          z
            .string({
              description:
                'The catalog file in the repository; catalog-info.yaml by default',
            })
            .optional(),
      },
      output: {
        remoteUrl: z =>
          z.string({ description: 'The repository, as a file: URL' }),
        repoContentsUrl: z =>
          z.string({ description: "The repository's folder, as a file: URL" }),
        catalogInfoUrl: z =>
          z.string({
            description:
              'The catalog file, as a file: URL for catalog:register',
          }),
        commitHash: z =>
          z.string({ description: 'The first commit (empty in a dry run)' }),
      },
    },
    async handler(ctx) {
      const {
        repoName,
        defaultBranch = 'main',
        commitMessage = 'Initial commit from the data mesh golden path',
        catalogInfoPath = 'catalog-info.yaml',
      } = ctx.input;
      const source = workspacePath(
        ctx.workspacePath,
        ctx.input.sourcePath ?? '.',
        'sourcePath',
      );
      const repoDir = resolveSafeChildPath(directory, repoName);
      const catalogInfoFile = workspacePath(
        repoDir,
        catalogInfoPath,
        'catalogInfoPath',
      );
      const repoContentsUrl = pathToFileURL(`${repoDir}${path.sep}`).toString();
      ctx.output('remoteUrl', pathToFileURL(repoDir).toString());
      ctx.output('repoContentsUrl', repoContentsUrl);
      ctx.output('catalogInfoUrl', pathToFileURL(catalogInfoFile).toString());

      const commitHash = await ctx.checkpoint({
        key: `datamesh.publish.local.${repoName}`,
        fn: async () => {
          if (!(await isEmptyOrMissing(repoDir))) {
            throw new ConflictError(
              `A local repository named ${repoName} already exists in ${directory}; choose another name`,
            );
          }
          if (ctx.isDryRun) {
            ctx.logger.info(
              `Dry run: would publish ${source} as the repository ${repoDir}`,
            );
            return '';
          }
          try {
            await fs.promises.mkdir(repoDir, { recursive: true });
            await fs.promises.cp(source, repoDir, {
              recursive: true,
              filter: file => path.basename(file) !== '.git',
            });
            await git.init({ fs, dir: repoDir, defaultBranch });
            const files = await git.statusMatrix({ fs, dir: repoDir });
            for (const [filepath] of files) {
              await git.add({ fs, dir: repoDir, filepath });
            }
            const hash = await git.commit({
              fs,
              dir: repoDir,
              message: commitMessage,
              author,
            });
            ctx.logger.info(
              `Published ${files.length} files as ${repoDir} (${defaultBranch} at ${hash})`,
            );
            return hash;
          } catch (error) {
            // nothing half-published: a later run with the same name starts clean
            await fs.promises.rm(repoDir, { recursive: true, force: true });
            throw error;
          }
        },
      });
      ctx.output('commitHash', commitHash);
    },
  });
}
