import { pathToFileURL } from 'node:url';
import { createMockDirectory } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { mockServices } from '@backstage/backend-test-utils';
import { LocalRepositoryUrlReader } from './LocalRepositoryUrlReader';

describe('LocalRepositoryUrlReader', () => {
  const mockDir = createMockDirectory({
    content: {
      repositories: {
        'orders-feed': {
          'catalog-info.yaml': 'kind: DataProduct\n',
          'contracts/orders.odcs.yaml': 'kind: DataContract\n',
          '.git/HEAD': 'ref: refs/heads/main\n',
        },
      },
      'outside.yaml': 'secret: true\n',
    },
  });
  const url = (p: string) => pathToFileURL(mockDir.resolve(p)).toString();

  const [{ reader, predicate }] = LocalRepositoryUrlReader.factory({
    config: new ConfigReader({
      datamesh: {
        scaffolder: {
          localPublisher: { directory: mockDir.resolve('repositories') },
        },
      },
    }),
    logger: mockServices.logger.mock(),
    // reads every stream it is given, as the real factory does, before answering
    treeResponseFactory: {
      fromReadableArray: async (
        files: Array<{ path: string; data: NodeJS.ReadableStream }>,
      ) => {
        const read = await Promise.all(
          files.map(async f => {
            const chunks: Buffer[] = [];
            for await (const chunk of f.data) {
              chunks.push(Buffer.from(chunk));
            }
            return { path: f.path, content: Buffer.concat(chunks).toString() };
          }),
        );
        return { files: async () => read } as any;
      },
    } as any,
  });

  it('handles file: URLs inside its folder only', () => {
    expect(
      predicate(new URL(url('repositories/orders-feed/catalog-info.yaml'))),
    ).toBe(true);
    expect(predicate(new URL(url('outside.yaml')))).toBe(false);
    expect(predicate(new URL('https://github.com/x/y'))).toBe(false);
  });

  it('reads a file, and answers NotModified for the same etag', async () => {
    const target = url('repositories/orders-feed/catalog-info.yaml');
    const response = await reader.readUrl(target);
    expect((await response.buffer()).toString()).toBe('kind: DataProduct\n');
    await expect(
      reader.readUrl(target, { etag: response.etag }),
    ).rejects.toMatchObject({ name: 'NotModifiedError' });
    await expect(reader.readUrl(url('outside.yaml'))).rejects.toMatchObject({
      name: 'NotFoundError',
    });
  });

  it('searches a catalog file as the catalog does, plain or with a glob', async () => {
    const plain = await reader.search(
      url('repositories/orders-feed/catalog-info.yaml'),
    );
    expect(plain.files.map(f => f.url)).toEqual([
      url('repositories/orders-feed/catalog-info.yaml'),
    ]);
    const missing = await reader.search(
      url('repositories/nope/catalog-info.yaml'),
    );
    expect(missing.files).toEqual([]);
    const glob = await reader.search(url('repositories/*/catalog-info.yaml'));
    expect(glob.files.map(f => f.url)).toEqual([
      url('repositories/orders-feed/catalog-info.yaml'),
    ]);
  });

  it('reads a repository as a tree, without its .git folder', async () => {
    const tree = await reader.readTree(url('repositories/orders-feed'));
    const files = await tree.files();
    expect(files.map((f: any) => `${f.path}: ${f.content}`).sort()).toEqual([
      'catalog-info.yaml: kind: DataProduct\n',
      'contracts/orders.odcs.yaml: kind: DataContract\n',
    ]);
  });
});
