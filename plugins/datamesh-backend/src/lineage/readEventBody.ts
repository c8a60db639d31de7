import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import type { Request } from 'express';
import { InputError } from '@backstage/errors';
import {
  PayloadTooLargeError,
  parseJson,
  readStream,
} from '../service/readBody';

const gunzipAsync = promisify(gunzip);

function tooLarge(limit: number, what = 'The request body') {
  return new PayloadTooLargeError(
    `${what} is larger than the limit of ${limit} bytes (datamesh.lineage.maxBodySize)`,
  );
}

/**
 * Reads the JSON body of an OpenLineage request as the official clients send it: JSON
 * (`Content-Type: application/json`, with or without a charset), gzip-compressed when the
 * client's `compression: gzip` is set (`Content-Encoding: gzip`). The limit holds for the body as
 * sent and as decompressed (413 past it); a body that is not gzip or not JSON is refused (400).
 *
 * @returns the decompressed text and its parsed value
 */
export async function readLineageBody(
  req: Request,
  limit: number,
): Promise<{ text: string; value: unknown }> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    throw tooLarge(limit);
  }
  const contentType = req.headers['content-type'];
  if (contentType && !/^application\/([\w.+-]+\+)?json\b/i.test(contentType)) {
    throw new InputError(
      `Send OpenLineage events as application/json, not ${contentType}`,
    );
  }
  const encoding = (req.headers['content-encoding'] ?? 'identity')
    .trim()
    .toLowerCase();
  if (!['identity', 'gzip', 'x-gzip'].includes(encoding)) {
    throw new InputError(
      `Content-Encoding ${encoding} is not supported; send the body as it is or gzip-compressed`,
    );
  }
  let body = await readStream(req, limit, () => tooLarge(limit));
  if (encoding !== 'identity') {
    try {
      body = await gunzipAsync(body, { maxOutputLength: limit });
    } catch (error) {
      if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
        throw tooLarge(limit, 'The decompressed request body');
      }
      throw new InputError(
        `The request body is not valid gzip (Content-Encoding: ${encoding}): ${
          (error as Error).message
        }`,
      );
    }
  }
  const text = body.toString('utf8');
  if (!text.trim()) {
    throw new InputError('The request body is empty');
  }
  return { text, value: parseJson(text, 'The request body') };
}
