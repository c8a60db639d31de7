import fs from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';

/** The repository's golden paths folder. */
export const TEMPLATES_DIR = path.resolve(__dirname, '../../../../templates');

/** The example mesh, which the templates' domains, owners and upstream products come from. */
export const EXAMPLES_DIR = path.resolve(__dirname, '../../../../examples');

/** A template of the golden paths, as the catalog holds it (aliases expanded). */
export async function readTemplate(file: string) {
  return parse(await fs.readFile(path.join(TEMPLATES_DIR, file), 'utf8'), {
    maxAliasCount: -1,
  });
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { withFileTypes: true });
  const files: string[] = [];
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      files.push(...(await listFiles(full)));
    } else {
      files.push(full);
    }
  }
  return files;
}

/** The skeletons, as the dry-run API takes a template's folder (`directoryContents`). */
export async function skeletonContents() {
  const files = await listFiles(path.join(TEMPLATES_DIR, 'skeletons'));
  return Promise.all(
    files.map(async file => ({
      path: path.relative(TEMPLATES_DIR, file).split(path.sep).join('/'),
      base64Content: (await fs.readFile(file)).toString('base64'),
    })),
  );
}
