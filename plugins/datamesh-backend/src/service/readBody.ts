import type { NextFunction, Request, Response } from 'express';
import busboy from 'busboy';
import {
  CustomErrorBase,
  InputError,
  ServiceUnavailableError,
} from '@backstage/errors';

/**
 * A request body over the configured limit: answered 413.
 * @internal
 */
export class PayloadTooLargeError extends CustomErrorBase {
  name = 'PayloadTooLargeError' as const;
  /** Read by the backend's error middleware. */
  status = 413;
}

/** A document of the body, parsed, with its text as received. */
export interface BodyDocument {
  value: unknown;
  text: string;
}

function tooLarge(limit: number): PayloadTooLargeError {
  return new PayloadTooLargeError(
    `The request body is larger than the limit of ${limit} bytes (datamesh.quality.maxBodySize)`,
  );
}

/**
 * Parses JSON text; text that is not JSON is refused (400) naming what it is.
 * @internal
 */
export function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new InputError(`${what} is not valid JSON: ${(e as Error).message}`);
  }
}

/**
 * Reads a stream whole, refusing more than `limit` bytes with `tooLargeError` (413).
 * @internal
 */
export async function readStream(
  stream: NodeJS.ReadableStream,
  limit: number,
  tooLargeError: () => Error = () => tooLarge(limit),
): Promise<Buffer> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    size += buffer.length;
    if (size > limit) {
      throw tooLargeError();
    }
    parts.push(buffer);
  }
  return Buffer.concat(parts);
}

/**
 * Reads the JSON documents of a request whose body is either one JSON document, or a
 * `multipart/form-data` form whose parts are named documents (as `curl -F name=@file` sends them).
 * Each document is parsed as JSON; a part that is not, or a body over `limit` bytes, is refused with
 * the part's name (400) or 413.
 *
 * @param allowedParts - the part names a form may carry; the first is the main document's
 * @internal
 */
export async function readJsonDocuments(
  req: Request,
  options: { limit: number; allowedParts: Record<string, string[]> },
): Promise<Record<string, BodyDocument>> {
  const { limit } = options;
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    throw tooLarge(limit);
  }
  const contentType = req.headers['content-type'] ?? '';
  const mainPart = Object.keys(options.allowedParts)[0];
  if (!/^multipart\/form-data/i.test(contentType)) {
    if (contentType && !/json/i.test(contentType)) {
      throw new InputError(
        `Send the document as application/json or as multipart/form-data, not ${contentType}`,
      );
    }
    const text = (await readStream(req, limit)).toString('utf8');
    if (!text.trim()) {
      throw new InputError('The request body is empty');
    }
    return { [mainPart]: { text, value: parseJson(text, 'The request body') } };
  }

  const aliases = new Map<string, string>();
  for (const [name, names] of Object.entries(options.allowedParts)) {
    for (const alias of [name, ...names]) {
      aliases.set(alias, name);
    }
  }
  const texts = new Map<string, string>();
  await new Promise<void>((resolve, reject) => {
    let total = 0;
    let failed = false;
    const fail = (error: Error) => {
      if (!failed) {
        failed = true;
        req.unpipe();
        reject(error);
      }
    };
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: req.headers,
        limits: { fileSize: limit, fieldSize: limit, files: 5, fields: 5 },
      });
    } catch (e) {
      throw new InputError(`The form cannot be read: ${(e as Error).message}`);
    }
    const accept = (name: string, text: string) => {
      const canonical = aliases.get(name);
      if (!canonical) {
        fail(
          new InputError(
            `Unknown form part ${JSON.stringify(name)}; the parts are ${[
              ...aliases.keys(),
            ].join(', ')}`,
          ),
        );
        return;
      }
      total += Buffer.byteLength(text);
      if (total > limit) {
        fail(tooLarge(limit));
        return;
      }
      texts.set(canonical, text);
    };
    parser.on('file', (name, file) => {
      const parts: Buffer[] = [];
      file.on('data', (data: Buffer) => parts.push(data));
      file.on('limit', () => fail(tooLarge(limit)));
      file.on('end', () => {
        if (!failed) {
          accept(name, Buffer.concat(parts).toString('utf8'));
        }
      });
    });
    parser.on('field', (name, value, info) => {
      if (info.valueTruncated) {
        fail(tooLarge(limit));
        return;
      }
      accept(name, value);
    });
    parser.on('error', (e: Error) =>
      fail(new InputError(`The form cannot be read: ${e.message}`)),
    );
    parser.on('close', () => {
      if (!failed) {
        resolve();
      }
    });
    req.pipe(parser);
  });
  if (!texts.has(mainPart)) {
    throw new InputError(
      `The form has no ${mainPart} part (send it with -F ${mainPart}=@file)`,
    );
  }
  const documents: Record<string, BodyDocument> = {};
  for (const [name, text] of texts) {
    documents[name] = { text, value: parseJson(text, `Form part ${name}`) };
  }
  return documents;
}

const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
  '08000', // connection_exception
  '08001', // sqlclient_unable_to_establish_sqlconnection
  '08003', // connection_does_not_exist
  '08006', // connection_failure
  '53300', // too_many_connections
  'SQLITE_BUSY',
]);

/**
 * Whether an error means the database cannot be reached for now (stopped, restarting, out of
 * connections, a pool that timed out): the request can be retried.
 * @internal
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  const e = error as { code?: string; message?: string; name?: string };
  if (e?.code && UNAVAILABLE_CODES.has(e.code)) {
    return true;
  }
  return (
    e?.name === 'KnexTimeoutError' ||
    /Connection terminated|terminating connection|connection error and is not queryable|Timeout acquiring a connection|the database system is (starting up|shutting down|in recovery mode)|ECONNREFUSED/i.test(
      e?.message ?? '',
    )
  );
}

/**
 * The error middleware of the versioned routes: a database that is down or restarting is no bad
 * input, it is answered 503 with `Retry-After`, which clients retry (nothing of the request was
 * stored: each write is one transaction). Other errors go on to the backend's error middleware.
 * @internal
 */
export function databaseUnavailableHandler(retryAfterSeconds: number) {
  return (error: Error, _req: Request, res: Response, next: NextFunction) => {
    if (isDatabaseUnavailable(error)) {
      res.setHeader('Retry-After', String(retryAfterSeconds));
      next(
        new ServiceUnavailableError(
          'The data mesh store is unavailable for now; retry later',
          error,
        ),
      );
      return;
    }
    next(error);
  };
}
