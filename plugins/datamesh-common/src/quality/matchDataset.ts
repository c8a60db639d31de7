import type { DatasetLocation } from '../types';
import type { QualityDataset } from './types';

const QUOTES: Record<string, string> = { '"': '"', '`': '`', '[': ']' };

/**
 * Splits a dataset name into its dot-separated parts, keeping the dots inside quoted identifiers
 * (`"my.schema".orders` has two parts), each part without its surrounding whitespace and quotes
 * (`"…"`, `` `…` ``, `[…]`): `"jaffle_shop"."main"."customers"` gives `jaffle_shop`, `main`,
 * `customers`.
 *
 * @param name - a dataset or relation name, as a tool or a warehouse writes it
 * @public
 */
export function splitDatasetName(name: string): string[] {
  const parts: string[] = [];
  let current = '';
  let closing: string | undefined;
  for (const char of name.trim()) {
    if (closing) {
      current += char;
      if (char === closing) {
        closing = undefined;
      }
    } else if (char === '.') {
      parts.push(current);
      current = '';
    } else {
      if (QUOTES[char] && current.trim() === '') {
        closing = QUOTES[char];
      }
      current += char;
    }
  }
  parts.push(current);
  return parts.map(part => {
    const p = part.trim();
    const close = QUOTES[p[0]];
    return close && p.length >= 2 && p.endsWith(close) ? p.slice(1, -1) : p;
  });
}

function normaliseNamespace(namespace: string): string {
  return namespace.trim().replace(/\/+$/, '').toLowerCase();
}

/**
 * Whether a dataset a quality tool tested is the dataset at an output port's location.
 *
 * The rule:
 *
 * - names are compared part by part (parts are separated by dots outside quotes), each part
 *   case-insensitively and without its quotes: `"jaffle_shop"."main"."customers"` matches
 *   `JAFFLE_SHOP.main.customers`;
 * - a dataset with a namespace matches only a location with the same namespace (compared
 *   case-insensitively, without a trailing slash); a dataset without one (dbt artefacts, Soda and
 *   Great Expectations results do not know the OpenLineage namespace) matches on its name alone;
 * - the names must have the same parts: a dbt relation `database.schema.identifier` does not match
 *   a port named `schema.identifier`, nor a table `orders` a port named `public.orders`. The parts
 *   a shorter name leaves out are what tells environments apart (`dev.public.orders` and
 *   `prod.public.orders`), so matching on the trailing parts would tie a development run to the
 *   production port. OpenLineage names are fully qualified (`database.schema.table` for
 *   PostgreSQL and Snowflake, `project.dataset.table` for BigQuery), which is what dbt's
 *   `database.schema.alias` gives; results that name a dataset less fully are tied to their port
 *   by the URL they are posted to.
 *
 * @param dataset - the dataset as the tool named it
 * @param location - the output port's location
 * @public
 */
export function matchesDatasetLocation(
  dataset: QualityDataset,
  location: DatasetLocation,
): boolean {
  if (
    dataset.namespace !== undefined &&
    normaliseNamespace(dataset.namespace) !==
      normaliseNamespace(location.namespace)
  ) {
    return false;
  }
  const a = splitDatasetName(dataset.name).map(p => p.toLowerCase());
  const b = splitDatasetName(location.name).map(p => p.toLowerCase());
  return a.length === b.length && a.every((part, i) => part === b[i]);
}
