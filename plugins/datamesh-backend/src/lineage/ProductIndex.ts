import { AuthService } from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  DataProductEntityV1alpha1,
  QualityDataset,
  isDataProductEntity,
  matchesDatasetLocation,
} from '@backstage-datamesh/plugin-datamesh-common';
import { datasetNameKey } from './merge';

/** An output port a dataset is. */
export interface ProductPort {
  entity: DataProductEntityV1alpha1;
  port: string;
}

/** The products by entity ref, as last read, and the answers of `match` for them. */
interface Loaded {
  byRef: Map<string, DataProductEntityV1alpha1>;
  matches: Map<string, ProductPort[]>;
}

/** How long the products read from the catalog are used before they are read again. */
const DEFAULT_TTL_MS = 60_000;

/** The index key of a dataset name (candidates only; the rule decides). */
const nameKey = datasetNameKey;

/**
 * The DataProducts of the catalog indexed by the datasets of their output ports, read with the
 * plugin's own credentials and kept for a minute (then read again in the background, the products
 * read before answering meanwhile): an event names datasets of many products, and is matched
 * without a catalog query per dataset. Matching is `matchesDatasetLocation`'s rule,
 * the one the quality results use; the index only narrows the candidates by name.
 */
export class ProductIndex {
  private loaded?: { at: number; byName: Map<string, ProductPort[]> } & Loaded;
  private loading?: Promise<Loaded & { byName: Map<string, ProductPort[]> }>;

  constructor(
    private readonly options: {
      catalog: CatalogService;
      auth: AuthService;
      ttlMs?: number;
      now?: () => number;
    },
  ) {}

  private now() {
    return this.options.now?.() ?? Date.now();
  }

  private async load(): Promise<
    Loaded & { byName: Map<string, ProductPort[]> }
  > {
    const ttl = this.options.ttlMs ?? DEFAULT_TTL_MS;
    if (this.loaded && this.now() - this.loaded.at < ttl) {
      return this.loaded;
    }
    const stale = this.loaded;
    if (!this.loading) {
      this.loading = (async () => {
        try {
          const { items } = await this.options.catalog.getEntities(
            { filter: { kind: 'DataProduct' } },
            { credentials: await this.options.auth.getOwnServiceCredentials() },
          );
          const byName = new Map<string, ProductPort[]>();
          const byRef = new Map<string, DataProductEntityV1alpha1>();
          for (const entity of items) {
            if (!isDataProductEntity(entity)) {
              continue;
            }
            byRef.set(stringifyEntityRef(entity), entity);
            for (const port of entity.spec.outputPorts ?? []) {
              const key = nameKey(port.location.name);
              byName.set(key, [
                ...(byName.get(key) ?? []),
                { entity, port: port.name },
              ]);
            }
          }
          this.loaded = { at: this.now(), byName, byRef, matches: new Map() };
          return this.loaded;
        } finally {
          this.loading = undefined;
        }
      })();
    }
    if (stale) {
      // past its time: answered from the products read before while they are read again, so
      // no request waits for the whole catalog (a failed read keeps them, and is tried again)
      this.loading.catch(() => undefined);
      return stale;
    }
    return this.loading;
  }

  /**
   * The output ports whose location is the dataset; none for a dataset no product declares.
   * Each dataset's answer is kept until the products are read again: a walk matches every
   * dataset it reaches, and the next walks reach most of them again.
   */
  async match(dataset: QualityDataset): Promise<ProductPort[]> {
    const loaded = await this.load();
    const key = JSON.stringify([dataset.namespace ?? null, dataset.name]);
    let ports = loaded.matches.get(key);
    if (!ports) {
      ports = (loaded.byName.get(nameKey(dataset.name)) ?? []).filter(
        ({ entity, port }) =>
          (entity.spec.outputPorts ?? []).some(
            p => p.name === port && matchesDatasetLocation(dataset, p.location),
          ),
      );
      loaded.matches.set(key, ports);
    }
    return ports;
  }

  /** Every DataProduct of the catalog, by entity ref (as the plugin sees them). */
  async products(): Promise<Map<string, DataProductEntityV1alpha1>> {
    return (await this.load()).byRef;
  }
}
