import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { useApi } from '@backstage/core-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import type { EntityPredicate } from '../../lib/health';
import { POLICY_FAILURES_FIELD } from '../ComplianceStatus/compliance';

/** The entity fields the data product tables show. */
export const DATA_PRODUCT_TABLE_FIELDS = [
  'apiVersion',
  'kind',
  'metadata.name',
  'metadata.namespace',
  'metadata.title',
  'metadata.labels',
  // the one annotation the tables show (the failing required policies), not all of them
  POLICY_FAILURES_FIELD,
  'spec.type',
  'spec.lifecycle',
  'spec.sensitivity',
  'spec.version',
  'spec.owner',
  'spec.domain',
  'relations',
];

/**
 * A server-side query for data products.
 */
export interface DataProductQuery {
  /**
   * Catalog filter; `kind: DataProduct` is always added. The catalog ORs the values of a key
   * given several.
   */
  filter: Record<string, string | string[]>;
  /**
   * A predicate query (`$all`, `$any`, `$not`, `$exists`), for what `filter` cannot say, such as
   * products without a label; the catalog ANDs it with `filter`.
   */
  query?: EntityPredicate;
  /** Free-text search term, matched by the catalog on name, title, description and tags. */
  term?: string;
  /** How many products one page holds. */
  pageSize: number;
}

/** One page of data products and the controls to move between pages. */
export interface DataProductPage {
  loading: boolean;
  error?: Error;
  items: Entity[];
  totalItems?: number;
  /** Zero-based index of the shown page. */
  pageIndex: number;
  pageSize: number;
  hasNext: boolean;
  hasPrevious: boolean;
  next(): void;
  previous(): void;
}

const FULL_TEXT_FIELDS = [
  'metadata.name',
  'metadata.title',
  'metadata.description',
  'metadata.tags',
];

type Position = { key: string; cursor?: string; pageIndex: number };

/**
 * Pages through data products on the server with the catalog's cursor-based `queryEntities`.
 * Changing the query starts again at the first page.
 */
export function useDataProductQuery(query: DataProductQuery): DataProductPage {
  const catalogApi = useApi(catalogApiRef);
  const key = JSON.stringify(query);
  const [position, setPosition] = useState<Position>({ key, pageIndex: 0 });
  const current: Position =
    position.key === key ? position : { key, pageIndex: 0 };

  const { value, loading, error } = useAsync(async () => {
    if (current.cursor) {
      return catalogApi.queryEntities({
        cursor: current.cursor,
        limit: query.pageSize,
        fields: DATA_PRODUCT_TABLE_FIELDS,
      });
    }
    const term = query.term?.trim();
    return catalogApi.queryEntities({
      filter: { ...query.filter, kind: 'DataProduct' },
      ...(query.query ? { query: query.query } : {}),
      fullTextFilter: term ? { term, fields: FULL_TEXT_FIELDS } : undefined,
      orderFields: { field: 'metadata.name', order: 'asc' },
      limit: query.pageSize,
      fields: DATA_PRODUCT_TABLE_FIELDS,
    });
    // the key stands for the query
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, current.cursor]);

  const nextCursor = value?.pageInfo.nextCursor;
  const prevCursor = value?.pageInfo.prevCursor;
  return {
    loading,
    error,
    items: value?.items ?? [],
    totalItems: value?.totalItems,
    pageIndex: current.pageIndex,
    pageSize: query.pageSize,
    hasNext: !loading && Boolean(nextCursor),
    hasPrevious: !loading && Boolean(prevCursor),
    next: () => {
      if (nextCursor) {
        setPosition({
          key,
          cursor: nextCursor,
          pageIndex: current.pageIndex + 1,
        });
      }
    },
    previous: () => {
      if (prevCursor) {
        setPosition({
          key,
          cursor: prevCursor,
          pageIndex: Math.max(0, current.pageIndex - 1),
        });
      }
    },
  };
}
