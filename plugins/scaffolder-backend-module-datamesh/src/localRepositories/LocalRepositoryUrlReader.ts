import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  createServiceFactory,
  UrlReaderService,
  UrlReaderServiceReadTreeOptions,
  UrlReaderServiceReadTreeResponse,
  UrlReaderServiceReadUrlOptions,
  UrlReaderServiceReadUrlResponse,
  UrlReaderServiceSearchOptions,
  UrlReaderServiceSearchResponse,
} from '@backstage/backend-plugin-api';
import {
  ReaderFactory,
  ReadTreeResponseFactory,
  urlReaderFactoriesServiceRef,
} from '@backstage/backend-defaults/urlReader';
import { NotFoundError, NotModifiedError } from '@backstage/errors';
import { readLocalRepositoriesDirectory } from './config';

const GLOB_CHARACTERS = /[*?[\]{}]/;

function isInside(directory: string, target: string): boolean {
  const relative = path.relative(directory, target);
  return (
    relative === '' ||
    (!relative.startsWith('..') && !path.isAbsolute(relative))
  );
}

type WalkedFile = { file: string; mtime: Date; size: number };

async function walk(directory: string): Promise<WalkedFile[]> {
  const found: WalkedFile[] = [];
  const entries = await fs.readdir(directory, { withFileTypes: true });
  for (const entry of entries) {
    if (entry.name === '.git') {
      continue;
    }
    const full = path.join(directory, entry.name);
    if (entry.isDirectory()) {
      found.push(...(await walk(full)));
    } else if (entry.isFile()) {
      const stat = await fs.stat(full);
      found.push({ file: full, mtime: stat.mtime, size: stat.size });
    }
  }
  return found;
}

/** Changes when a file is added, removed or modified. */
function etagOf(
  files: Array<{ file: string; mtime: Date; size: number }>,
): string {
  const hash = createHash('sha1');
  for (const f of [...files].sort((a, b) => a.file.localeCompare(b.file))) {
    hash.update(`${f.file}\0${f.mtime.getTime()}\0${f.size}\n`);
  }
  return hash.digest('hex');
}

/**
 * Reads `file:` URLs inside the offline publisher's folder
 * (`datamesh.scaffolder.localPublisher.directory`), so that the catalog registers and refreshes
 * the products `publish:datamesh:local` wrote, and the data mesh backend reads their contracts and
 * infrastructure descriptors, as it reads any repository. No URL outside that folder is read.
 * @public
 */
export class LocalRepositoryUrlReader implements UrlReaderService {
  /** The reader factory, for `urlReaderFactoriesServiceRef`. */
  static factory: ReaderFactory = ({ config, treeResponseFactory }) => {
    const directory = readLocalRepositoriesDirectory(config);
    const reader = new LocalRepositoryUrlReader(directory, treeResponseFactory);
    return [{ reader, predicate: url => reader.handles(url) }];
  };

  constructor(
    private readonly directory: string,
    private readonly treeResponseFactory: ReadTreeResponseFactory,
  ) {}

  /** Whether a URL is a `file:` URL inside the folder. */
  handles(url: URL): boolean {
    return (
      url.protocol === 'file:' && isInside(this.directory, fileURLToPath(url))
    );
  }

  private toPath(url: string): string {
    const parsed = new URL(url);
    if (!this.handles(parsed)) {
      throw new NotFoundError(
        `${url} is not inside the local repositories folder ${this.directory}`,
      );
    }
    return fileURLToPath(parsed);
  }

  async readUrl(
    url: string,
    options?: UrlReaderServiceReadUrlOptions,
  ): Promise<UrlReaderServiceReadUrlResponse> {
    const file = this.toPath(url);
    let stat;
    try {
      stat = await fs.stat(file);
    } catch {
      throw new NotFoundError(`${url} does not exist`);
    }
    if (!stat.isFile()) {
      throw new NotFoundError(`${url} is not a file`);
    }
    const etag = etagOf([{ file, mtime: stat.mtime, size: stat.size }]);
    if (options?.etag === etag) {
      throw new NotModifiedError();
    }
    if (options?.lastModifiedAfter && stat.mtime <= options.lastModifiedAfter) {
      throw new NotModifiedError();
    }
    return {
      buffer: () => fs.readFile(file),
      stream: () => createReadStream(file),
      etag,
      lastModifiedAt: stat.mtime,
    };
  }

  async readTree(
    url: string,
    options?: UrlReaderServiceReadTreeOptions,
  ): Promise<UrlReaderServiceReadTreeResponse> {
    const root = this.toPath(url);
    let files;
    try {
      files = await walk(root);
    } catch {
      throw new NotFoundError(`${url} is not a folder`);
    }
    const etag = etagOf(files);
    if (options?.etag === etag) {
      throw new NotModifiedError();
    }
    const selected = files.filter(f =>
      options?.filter
        ? options.filter(path.relative(root, f.file), { size: f.size })
        : true,
    );
    const response = await this.treeResponseFactory.fromReadableArray(
      selected.map(f => ({
        data: createReadStream(f.file),
        path: path.relative(root, f.file),
        lastModifiedAt: f.mtime,
      })),
    );
    return { ...response, etag };
  }

  async search(
    url: string,
    options?: UrlReaderServiceSearchOptions,
  ): Promise<UrlReaderServiceSearchResponse> {
    const target = this.toPath(url);
    if (!GLOB_CHARACTERS.test(target)) {
      try {
        const response = await this.readUrl(url, options);
        return {
          etag: response.etag ?? '',
          files: [
            {
              url,
              content: response.buffer,
              lastModifiedAt: response.lastModifiedAt,
            },
          ],
        };
      } catch (error) {
        if ((error as Error).name === 'NotFoundError') {
          return { etag: '', files: [] };
        }
        throw error;
      }
    }
    const segments = target.split(path.sep);
    const firstGlob = segments.findIndex(s => GLOB_CHARACTERS.test(s));
    const base = segments.slice(0, firstGlob).join(path.sep) || path.sep;
    let files: WalkedFile[] = [];
    try {
      files = (await walk(base)).filter(f => path.matchesGlob(f.file, target));
    } catch {
      return { etag: '', files: [] };
    }
    const etag = etagOf(files);
    if (options?.etag === etag) {
      throw new NotModifiedError();
    }
    return {
      etag,
      files: files.map(f => ({
        url: pathToFileURL(f.file).toString(),
        content: () => fs.readFile(f.file),
        lastModifiedAt: f.mtime,
      })),
    };
  }

  toString() {
    return `datamesh-local-repositories{directory=${this.directory}}`;
  }
}

/**
 * Adds the {@link LocalRepositoryUrlReader} to the backend's URL reading: add it to the backend
 * next to the module when the golden paths publish with `publish:datamesh:local`.
 * @public
 */
export const localRepositoryUrlReaderFactory = createServiceFactory({
  service: urlReaderFactoriesServiceRef,
  deps: {},
  async factory() {
    return LocalRepositoryUrlReader.factory;
  },
});
