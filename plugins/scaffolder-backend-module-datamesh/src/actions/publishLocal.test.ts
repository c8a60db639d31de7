import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createMockDirectory } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import git from 'isomorphic-git';
import nodeFs from 'node:fs';
import { createPublishLocalAction } from './publishLocal';
import { mockContext } from '../__testUtils__/context';

describe('publish:datamesh:local', () => {
  const mockDir = createMockDirectory();
  const repositories = () => mockDir.resolve('repositories');
  const workspace = () => mockDir.resolve('workspace');

  beforeEach(() => {
    mockDir.clear();
    mockDir.setContent({
      workspace: {
        'catalog-info.yaml': 'kind: DataProduct\n',
        'docs/index.md': '# Orders feed\n',
      },
    });
  });

  const action = () =>
    createPublishLocalAction({
      config: new ConfigReader({
        datamesh: {
          scaffolder: { localPublisher: { directory: repositories() } },
        },
      }),
    });

  const run = (
    input: Partial<{
      repoName: string;
      sourcePath: string;
      defaultBranch: string;
    }> = {},
    isDryRun = false,
  ) => {
    const ctx = mockContext({
      input: {
        repoName: 'orders-feed',
        defaultBranch: 'main',
        commitMessage: 'Initial commit',
        catalogInfoPath: 'catalog-info.yaml',
        ...input,
      },
      workspacePath: workspace(),
      isDryRun,
    });
    return action()
      .handler(ctx)
      .then(() => ctx);
  };

  const outputs = (ctx: { output: unknown }) =>
    Object.fromEntries((ctx.output as jest.Mock).mock.calls);

  it('commits the workspace into a new repository and outputs file: URLs', async () => {
    const ctx = await run();
    const out = outputs(ctx);
    const repoDir = path.join(repositories(), 'orders-feed');
    expect(out.catalogInfoUrl).toBe(
      `file://${path.join(repoDir, 'catalog-info.yaml')}`,
    );
    expect(fileURLToPath(out.repoContentsUrl)).toBe(`${repoDir}/`);
    expect(out.commitHash).toMatch(/^[0-9a-f]{40}$/);
    const log = await git.log({ fs: nodeFs, dir: repoDir });
    expect(log).toHaveLength(1);
    expect(log[0].oid).toBe(out.commitHash);
    const files = await git.listFiles({
      fs: nodeFs,
      dir: repoDir,
      ref: 'main',
    });
    expect(files.sort()).toEqual(['catalog-info.yaml', 'docs/index.md']);
  });

  it('writes nothing in a dry run', async () => {
    const ctx = await run({}, true);
    expect(outputs(ctx)).toMatchObject({
      commitHash: '',
      catalogInfoUrl: expect.stringMatching(/^file:\/\//),
    });
    await expect(fs.readdir(repositories())).rejects.toThrow(/ENOENT/);
  });

  it('never overwrites a repository and refuses paths outside the workspace', async () => {
    await run();
    await expect(run()).rejects.toThrow(
      `A local repository named orders-feed already exists in ${repositories()}; choose another name`,
    );
    await expect(run({}, true)).rejects.toThrow(/already exists/);
    await expect(
      run({ repoName: 'other', sourcePath: '../..' }),
    ).rejects.toThrow('sourcePath "../.." is outside the workspace');
    await expect(fs.readdir(repositories())).resolves.toEqual(['orders-feed']);
  });

  it('leaves no repository behind when the publish fails', async () => {
    await expect(
      run({ repoName: 'missing-source', sourcePath: 'nope' }),
    ).rejects.toThrow(/ENOENT/);
    await expect(fs.readdir(repositories())).resolves.toEqual([]);
  });
});
