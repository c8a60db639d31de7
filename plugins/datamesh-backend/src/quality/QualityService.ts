import {
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import {
  Entity,
  RELATION_OWNED_BY,
  RELATION_PART_OF,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  DataMeshDomainSpec,
  DataProductEntityV1alpha1,
  HealthEvaluation,
  ProductHealth,
  QualityDataset,
  QualityRun,
  evaluateProductHealth,
  isDataProductEntity,
  matchesDatasetLocation,
  measureAvailability,
  parseDuration,
  AVAILABILITY_WINDOW_DAYS,
} from '@backstage-datamesh/plugin-datamesh-common';
import type {
  HealthStore,
  QualityStore,
  RecordEvaluationResult,
} from '@backstage-datamesh/plugin-datamesh-node';
import type { QualityRunSource } from '@backstage-datamesh/plugin-datamesh-common';
import type { ProductChangeListener } from '../governance/ProductChangeListener';

/** Why a product that was never evaluated has an unknown health. */
export const NOT_EVALUATED_REASON = 'no quality result or update reported yet';

/** A domain's baseline objectives, when it sets any. */
export type DomainSla = DataMeshDomainSpec['sla'];

/** What posting a run answers. */
export interface IngestResult {
  runId: number;
  created: boolean;
  checks: number;
  /** The product's health after the run. */
  health: HealthEvaluation['health'];
}

/**
 * Listens to what an evaluation changed: the notifier sends notifications for health moves.
 */
export type EvaluationListener = (
  entity: DataProductEntityV1alpha1,
  result: RecordEvaluationResult,
) => Promise<void>;

/** How long a product or a domain read from the catalog is used again, by default. */
export const DEFAULT_CATALOG_CACHE_TTL_MS = 30_000;

/** The most entries each catalog cache keeps; the oldest goes first. */
const CATALOG_CACHE_SIZE = 2_000;

/**
 * Catalog reads kept for a short time: a pipeline posts many runs in a row, each of which would
 * otherwise read its product and its domain again.
 */
class TtlCache<T> {
  private readonly entries = new Map<
    string,
    { at: number; value: Promise<T> }
  >();

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number,
  ) {}

  get(key: string, read: () => Promise<T>): Promise<T> {
    const hit = this.entries.get(key);
    if (hit && this.now() - hit.at < this.ttlMs) {
      return hit.value;
    }
    const value = read();
    this.entries.delete(key);
    this.entries.set(key, { at: this.now(), value });
    // a failed read is not kept
    value.catch(() => {
      if (this.entries.get(key)?.value === value) {
        this.entries.delete(key);
      }
    });
    if (this.entries.size > CATALOG_CACHE_SIZE) {
      this.entries.delete(this.entries.keys().next().value as string);
    }
    return value;
  }

  delete(key: string) {
    this.entries.delete(key);
  }
}

/** Who is asking, as the key of what the catalog showed them. */
function principalKey(credentials: BackstageCredentials): string {
  const principal = credentials.principal as {
    type?: string;
    userEntityRef?: string;
    subject?: string;
  };
  return `${principal.type}:${principal.userEntityRef ?? principal.subject}`;
}

/** A product's domain: its `partOf` relation to a Domain, or else its `spec.domain`. */
export function domainRefOf(
  entity: DataProductEntityV1alpha1,
): string | undefined {
  const related = entity.relations?.find(
    r => r.type === RELATION_PART_OF && r.targetRef.startsWith('domain:'),
  )?.targetRef;
  return related ?? refOf(entity.spec.domain, 'domain', entity);
}

/** A product's owner: its `ownedBy` relation, or else its `spec.owner`. */
export function ownerRefOf(
  entity: DataProductEntityV1alpha1,
): string | undefined {
  const related = entity.relations?.find(
    r => r.type === RELATION_OWNED_BY,
  )?.targetRef;
  return related ?? refOf(entity.spec.owner, 'group', entity);
}

function refOf(
  value: unknown,
  defaultKind: string,
  entity: Entity,
): string | undefined {
  if (typeof value !== 'string' || !value) {
    return undefined;
  }
  try {
    return stringifyEntityRef(
      parseEntityRef(value, {
        defaultKind,
        defaultNamespace: entity.metadata.namespace ?? 'default',
      }),
    );
  } catch {
    return undefined;
  }
}

/** The evaluations of one product: the one running and the one queued behind it. */
interface PendingEvaluations {
  running: Promise<HealthEvaluation>;
  queued?: {
    entity: DataProductEntityV1alpha1;
    credentials: BackstageCredentials;
    promise: Promise<HealthEvaluation>;
    start: () => void;
  };
}

/**
 * Ties quality runs to data products and keeps their health: stores a run with the output port
 * of each check, then evaluates the product's health against its objectives (and its domain's
 * baseline) and records it.
 */
export class QualityService {
  constructor(
    private readonly options: {
      quality: QualityStore;
      health: HealthStore;
      catalog: CatalogService;
      logger: LoggerService;
      onEvaluation?: EvaluationListener;
      /** Told each product whose quality runs or health changed (the governance re-evaluates it). */
      changes?: ProductChangeListener;
      /** How long catalog reads of the write path are used again; 30 seconds by default. */
      catalogCacheTtlMs?: number;
      /** The clock of the caches, for tests. */
      now?: () => number;
    },
  ) {
    const ttl = options.catalogCacheTtlMs ?? DEFAULT_CATALOG_CACHE_TTL_MS;
    const now = options.now ?? Date.now;
    this.products = new TtlCache(ttl, now);
    this.domains = new TtlCache(ttl, now);
  }

  private readonly products: TtlCache<Entity | undefined>;
  private readonly domains: TtlCache<DomainSla>;
  private readonly pending = new Map<string, PendingEvaluations>();

  /**
   * Reads a DataProduct with the caller's credentials; 404 when it does not exist or is hidden.
   * With `cached`, what the catalog answered the same caller for the same product in the last
   * seconds is used again (the write path: a pipeline posts many runs in a row); the permission
   * to write is decided on each request all the same.
   */
  async getProduct(
    ref: { namespace: string; name: string },
    credentials: BackstageCredentials,
    options?: { cached?: boolean },
  ): Promise<DataProductEntityV1alpha1> {
    const entityRef = {
      kind: 'DataProduct',
      namespace: ref.namespace,
      name: ref.name,
    };
    const read = () =>
      this.options.catalog.getEntityByRef(entityRef, { credentials });
    const key = `${principalKey(credentials)}\u0000${stringifyEntityRef(
      entityRef,
    )}`;
    const entity = options?.cached
      ? await this.products.get(key, read)
      : await read();
    if (!entity && options?.cached) {
      // a product not there yet is asked for again: it may be registered in a moment
      this.products.delete(key);
    }
    if (!entity || !isDataProductEntity(entity)) {
      throw new NotFoundError(
        `No data product dataproduct:${ref.namespace}/${ref.name} in the catalog`,
      );
    }
    return entity;
  }

  /**
   * A product's current health; `unknown`, with the reason, before its first evaluation.
   */
  async getHealth(
    entityRef: string,
  ): Promise<
    Omit<ProductHealth, 'since' | 'evaluatedAt'> &
      Partial<Pick<ProductHealth, 'since' | 'evaluatedAt'>>
  > {
    return (
      (await this.options.health.getHealth(entityRef)) ?? {
        entityRef,
        health: 'unknown',
        reasons: [NOT_EVALUATED_REASON],
        slos: [],
        failingChecks: [],
      }
    );
  }

  /** Checks that a product has an output port; 404 otherwise. */
  requirePort(entity: DataProductEntityV1alpha1, port: string) {
    if (!(entity.spec.outputPorts ?? []).some(p => p.name === port)) {
      const known = (entity.spec.outputPorts ?? []).map(p => p.name);
      throw new NotFoundError(
        `Data product ${stringifyEntityRef(
          entity,
        )} has no output port ${JSON.stringify(port)}; its ports are ${
          known.length ? known.join(', ') : 'none'
        }`,
      );
    }
  }

  private portOf(
    entity: DataProductEntityV1alpha1,
    dataset: QualityDataset | undefined,
    fallback: string | undefined,
  ): string | undefined {
    if (fallback) {
      return fallback;
    }
    if (!dataset) {
      return undefined;
    }
    return (entity.spec.outputPorts ?? []).find(port =>
      matchesDatasetLocation(dataset, port.location),
    )?.name;
  }

  /** Stores a run of a product (one transaction) and evaluates the product's health. */
  async ingest(options: {
    entity: DataProductEntityV1alpha1;
    port?: string;
    run: QualityRun;
    raw: { body: string; contentType: string };
    source: QualityRunSource;
    credentials: BackstageCredentials;
  }): Promise<IngestResult> {
    const { entity, port, run } = options;
    const entityRef = stringifyEntityRef(entity);
    const stored = await this.options.quality.addRun({
      entityRef,
      port,
      run,
      checkPorts: run.checks.map(c => this.portOf(entity, c.dataset, port)),
      metricPorts: run.metrics.map(m => this.portOf(entity, m.dataset, port)),
      updatePorts: run.updates.map(u => this.portOf(entity, u.dataset, port)),
      raw: options.raw,
      source: options.source,
    });
    let evaluation: HealthEvaluation;
    try {
      evaluation = await this.evaluateCoalesced(entity, options.credentials);
    } finally {
      this.options.changes?.notifyProductChanged(entityRef);
    }
    return {
      runId: stored.runId,
      created: stored.created,
      checks: run.checks.length,
      health: evaluation.health,
    };
  }

  /**
   * Evaluates a product's health after a write, coalesced per product: while an evaluation of
   * the product runs, the writes that arrive share one evaluation queued behind it, which reads
   * what they all stored (a burst of N posts for a product makes two evaluations, not N). Each
   * caller gets an evaluation that started after its write.
   */
  evaluateCoalesced(
    entity: DataProductEntityV1alpha1,
    credentials: BackstageCredentials,
  ): Promise<HealthEvaluation> {
    const entityRef = stringifyEntityRef(entity);
    const pending = this.pending.get(entityRef);
    if (!pending) {
      const running = this.evaluate(entity, credentials);
      const state: PendingEvaluations = { running };
      this.pending.set(entityRef, state);
      const next = () => {
        if (state.queued) {
          const queued = state.queued;
          state.queued = undefined;
          state.running = queued.promise;
          queued.start();
          queued.promise.then(next, next);
        } else {
          this.pending.delete(entityRef);
        }
      };
      running.then(next, next);
      return running;
    }
    if (pending.queued) {
      // the latest entity read is evaluated
      pending.queued.entity = entity;
      pending.queued.credentials = credentials;
      return pending.queued.promise;
    }
    let start!: () => void;
    const queued = {
      entity,
      credentials,
      start: () => start(),
      promise: new Promise<HealthEvaluation>((resolve, reject) => {
        start = () =>
          this.evaluate(queued.entity, queued.credentials).then(
            resolve,
            reject,
          );
      }),
    };
    pending.queued = queued;
    return queued.promise;
  }

  /** Evaluates a product's health now, records it and tells the listener what changed. */
  async evaluate(
    entity: DataProductEntityV1alpha1,
    credentials: BackstageCredentials,
    options?: { now?: number; domains?: Map<string, DomainSla> },
  ): Promise<HealthEvaluation> {
    const now = options?.now ?? Date.now();
    const entityRef = stringifyEntityRef(entity);
    const domainSla = await this.domainSla(
      entity,
      credentials,
      options?.domains,
    );
    const [checks, lastUpdates] = await Promise.all([
      this.options.quality.getLatestChecks(entityRef),
      this.options.quality.getLastUpdates(entityRef),
    ]);
    const freshness = entity.spec.sla?.freshness ?? domainSla?.freshness;
    const freshnessMs = freshness ? parseDuration(freshness) : undefined;
    let availability: number | undefined;
    if (freshnessMs !== undefined && Object.keys(lastUpdates).length) {
      const windowMs = AVAILABILITY_WINDOW_DAYS * 86_400_000;
      const updates = await this.options.quality.getUpdates(entityRef, {
        from: now - 2 * windowMs,
        to: now,
      });
      // the stalest port decides, as it does for freshness
      for (const port of Object.keys(lastUpdates)) {
        const measured = measureAvailability(
          updates.filter(u => u.port === port).map(u => u.updatedAt),
          freshnessMs,
          now,
          windowMs,
        );
        if (
          measured !== undefined &&
          (availability === undefined || measured < availability)
        ) {
          availability = measured;
        }
      }
    }
    const evaluation = evaluateProductHealth({
      now,
      sla: entity.spec.sla,
      domainSla,
      ports: (entity.spec.outputPorts ?? []).map(p => p.name),
      lastUpdates,
      availability,
      checks: checks.map(c => ({
        checkId: c.checkId,
        name: c.name,
        status: c.status,
        port: c.port,
        dimension: c.dimension,
        unexpectedCount: c.unexpectedCount,
        unexpectedPercent: c.unexpectedPercent,
        rowsEvaluated: c.rowsEvaluated,
      })),
    });
    const result = await this.options.health.recordEvaluation(
      {
        entityRef,
        title: entity.metadata.title ?? entity.metadata.name,
        lifecycle: entity.spec.lifecycle,
        domainRef: domainRefOf(entity),
        ownerRef: ownerRefOf(entity),
      },
      evaluation,
      now,
    );
    if (result.change) {
      this.options.logger.info(
        `Health of ${entityRef} moved from ${
          result.change.from ?? 'nothing'
        } to ${result.change.to}`,
        { entityRef, reasons: evaluation.reasons.join('; ') },
      );
    }
    if (result.change) {
      this.options.changes?.notifyProductChanged(entityRef);
    }
    if (this.options.onEvaluation && result.change) {
      await this.options.onEvaluation(entity, result);
    }
    return evaluation;
  }

  private async domainSla(
    entity: DataProductEntityV1alpha1,
    credentials: BackstageCredentials,
    cache?: Map<string, DomainSla>,
  ): Promise<DomainSla> {
    const domain = domainRefOf(entity);
    if (!domain) {
      return undefined;
    }
    if (cache?.has(domain)) {
      return cache.get(domain);
    }
    const sla = await this.domains.get(
      `${principalKey(credentials)}\u0000${domain}`,
      async () => {
        const entityOfDomain: Entity | undefined =
          await this.options.catalog.getEntityByRef(domain, { credentials });
        return (
          entityOfDomain?.spec as { datamesh?: DataMeshDomainSpec } | undefined
        )?.datamesh?.sla;
      },
    );
    cache?.set(domain, sla);
    return sla;
  }
}
