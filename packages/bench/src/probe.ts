/**
 * Where a request's time goes: the statements the database client ran, and the calls the data
 * mesh plugin made to the catalog (the test backend runs in this process, so both pass through
 * this process's knex and `http.request`).
 */
import http from 'node:http';
import type { Knex } from 'knex';

/** What a probe recorded since it was last taken. */
export interface Recorded {
  /** Statements, or catalog requests. */
  calls: number;
  /** Their time, summed (overlapping calls each count in full). */
  ms: number;
  /** Rows the statements returned (statements only). */
  rows: number;
}

/** A running tally, read and restarted with `take`. */
function tally() {
  const empty = (): Recorded => ({ calls: 0, ms: 0, rows: 0 });
  let current = empty();
  return {
    add(ms: number, rows = 0) {
      current.calls += 1;
      current.ms += ms;
      current.rows += rows;
    },
    /** What was recorded since the last call. */
    take(): Recorded {
      const taken = current;
      current = empty();
      return taken;
    },
  };
}

type KnexQuery = { sql?: string; __knexQueryUid?: string };

/**
 * Counts and times the statements the client runs (those whose SQL `matches`, every one by
 * default), with the rows they return, through knex's query events.
 */
export function recordStatements(
  knex: Knex,
  options: { matches?: (sql: string) => boolean } = {},
) {
  const startedAt = new Map<string, number>();
  const recorded = tally();
  const onQuery = (query: KnexQuery) => {
    if (
      query.__knexQueryUid &&
      (!options.matches || options.matches(query.sql ?? ''))
    ) {
      startedAt.set(query.__knexQueryUid, performance.now());
    }
  };
  const onEnd = (result: unknown, query: KnexQuery) => {
    const uid = query?.__knexQueryUid ?? '';
    const started = startedAt.get(uid);
    if (started !== undefined) {
      startedAt.delete(uid);
      recorded.add(
        performance.now() - started,
        Array.isArray(result) ? result.length : 0,
      );
    }
  };
  const onError = (_error: unknown, query: KnexQuery) =>
    onEnd(undefined, query);
  knex.on('query', onQuery);
  knex.on('query-response', onEnd);
  knex.on('query-error', onError);
  return {
    take: recorded.take,
    restore() {
      knex.off('query', onQuery);
      knex.off('query-response', onEnd);
      knex.off('query-error', onError);
    },
  };
}

/**
 * Counts and times the requests to the catalog's API made over `http.request` (the catalog
 * client's `fetch`, node-fetch, sends each one through it), from the request until the end of
 * the response body.
 */
export function recordCatalogCalls() {
  const original = http.request;
  const recorded = tally();
  const patched = function request(this: unknown, ...args: unknown[]) {
    const req = (original as (...a: unknown[]) => http.ClientRequest).apply(
      this,
      args,
    );
    const target = args.find(
      a => typeof a === 'string' || a instanceof URL || typeof a === 'object',
    ) as string | URL | http.RequestOptions | undefined;
    let requestPath = '';
    if (typeof target === 'string') {
      requestPath = target;
    } else if (target instanceof URL) {
      requestPath = target.pathname;
    } else {
      requestPath = target?.path ?? '';
    }
    if (requestPath.includes('/api/catalog/')) {
      const started = performance.now();
      req.once('response', (res: http.IncomingMessage) => {
        res.once('end', () => recorded.add(performance.now() - started));
      });
    }
    return req;
  };
  http.request = patched as typeof http.request;
  return {
    take: recorded.take,
    restore() {
      http.request = original;
    },
  };
}
