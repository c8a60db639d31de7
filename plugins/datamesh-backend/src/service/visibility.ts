import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';

/** How long a caller's visible products are used before they are read again, by default. */
const DEFAULT_TTL_MS = 5_000;

/** Callers whose visible products are kept at once; the oldest are dropped past it. */
const MAX_CACHED_PRINCIPALS = 1_000;

/** The cache key of a caller: its principal type and who it is. */
function principalKey(credentials: BackstageCredentials): string {
  const principal = credentials.principal as {
    type?: string;
    userEntityRef?: string;
    subject?: string;
  };
  return `${principal.type}:${principal.userEntityRef ?? principal.subject}`;
}

/**
 * Which DataProducts a caller may see, as the catalog answers it with the caller's credentials,
 * for the suite's list routes and actions: what they list and count comes from the suite's own
 * stores, and must leave out the products the catalog hides from the caller (the `restricted`
 * products of other teams, with the example permission policy).
 *
 * One catalog query per caller (`kind: DataProduct`, refs only), kept a few seconds per principal
 * so a page's requests share it. A service principal sees every product (the permission framework
 * allows services every permission), and is not asked about.
 * @internal
 */
export class ProductVisibility {
  private readonly cache = new Map<
    string,
    { at: number; refs: Promise<ReadonlySet<string>> }
  >();

  constructor(
    private readonly options: {
      catalog: CatalogService;
      /** How long a caller's answer is kept, in ms; 5 seconds by default. */
      ttlMs?: number;
      now?: () => number;
    },
  ) {}

  private now() {
    return this.options.now?.() ?? Date.now();
  }

  /**
   * The entity refs (`dataproduct:namespace/name`, as `stringifyEntityRef` writes them) of the
   * DataProducts the caller may see; `undefined` when it may see every product (a service).
   */
  async visibleRefs(
    credentials: BackstageCredentials,
  ): Promise<ReadonlySet<string> | undefined> {
    if ((credentials.principal as { type?: string }).type === 'service') {
      return undefined;
    }
    const key = principalKey(credentials);
    const ttl = this.options.ttlMs ?? DEFAULT_TTL_MS;
    const now = this.now();
    const hit = this.cache.get(key);
    if (hit && now - hit.at < ttl) {
      return hit.refs;
    }
    const refs = this.read(credentials);
    this.cache.delete(key);
    this.cache.set(key, { at: now, refs });
    // a failed read is not kept
    refs.catch(() => {
      if (this.cache.get(key)?.refs === refs) {
        this.cache.delete(key);
      }
    });
    while (this.cache.size > MAX_CACHED_PRINCIPALS) {
      this.cache.delete(this.cache.keys().next().value!);
    }
    return refs;
  }

  private async read(
    credentials: BackstageCredentials,
  ): Promise<ReadonlySet<string>> {
    const { items } = await this.options.catalog.getEntities(
      {
        filter: { kind: 'DataProduct' },
        fields: ['kind', 'metadata.namespace', 'metadata.name'],
      },
      { credentials },
    );
    return new Set(items.map(e => stringifyEntityRef(e)));
  }

  /**
   * A predicate telling whether the caller may see a product, by entity ref (compared as the
   * catalog does, case-insensitively; refs of other kinds are answered false); always true for a
   * service.
   */
  async canSee(
    credentials: BackstageCredentials,
  ): Promise<(entityRef: string) => boolean> {
    const refs = await this.visibleRefs(credentials);
    return refs ? ref => refs.has(ref.toLowerCase()) : () => true;
  }

  /**
   * The store filter restricting a list to the caller's products: `undefined` for a service,
   * otherwise the caller's visible refs as a list.
   */
  async storeFilter(
    credentials: BackstageCredentials,
  ): Promise<string[] | undefined> {
    const refs = await this.visibleRefs(credentials);
    return refs ? [...refs] : undefined;
  }
}
