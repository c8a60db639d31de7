import {
  AuthService,
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  CompiledPolicy,
  DataMeshDomainSpec,
  DataProductEntityV1alpha1,
  DomainPolicies,
  EffectivePolicy,
  EnvironmentFacts,
  LineageDataset,
  LineageDatasetName,
  LineageEdge,
  PolicyFacts,
  PolicyProblem,
  ProductCompliance,
  ProductHealth,
  StoredCheckResult,
  compilePolicies,
  evaluateCompliance,
  isDataProductEntity,
  lineageFacts,
  resolveEffectivePolicies,
} from '@backstage-datamesh/plugin-datamesh-common';
import {
  DataContractReader,
  GovernanceStore,
  HealthStore,
  LineageStore,
  QualityStore,
  parseInfrastructureDescriptor,
} from '@backstage-datamesh/plugin-datamesh-node';
import { createHash } from 'node:crypto';
import { parse } from 'yaml';
import { datasetMatchKey } from '../lineage/merge';
import type { ProductChangeListener } from './ProductChangeListener';

const PAGE_SIZE = 200;

/**
 * How many products of a page have their facts read at once: the file reads and the stores'
 * statements of some overlap while another's documents are parsed.
 */
const CONCURRENCY = 8;

/** Maps items with at most `limit` calls in flight; the results keep the items' order. */
async function mapConcurrently<T, R>(
  items: T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]);
    }
  };
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, worker),
  );
  return results;
}

/**
 * The lineage edges of a whole evaluation pass, read once, by dataset and by job.
 * @internal
 */
export class LineageEdgeIndex {
  private readonly byDataset = new Map<string, LineageEdge[]>();
  private readonly byJob = new Map<string, LineageEdge[]>();

  constructor(edges: LineageEdge[]) {
    const add = (
      map: Map<string, LineageEdge[]>,
      key: string,
      edge: LineageEdge,
    ) => {
      const list = map.get(key);
      if (list) {
        list.push(edge);
      } else {
        map.set(key, [edge]);
      }
    };
    for (const edge of edges) {
      add(
        this.byDataset,
        `${edge.dataset.namespace}\n${edge.dataset.name}`,
        edge,
      );
      add(this.byJob, `${edge.job.namespace}\n${edge.job.name}`, edge);
    }
  }

  /** What `LineageStore.getEdges` answers, from the pass's edges. */
  edgesOf(
    of:
      | { job: { namespace: string; name: string } }
      | { dataset: { namespace: string; name: string } },
  ): LineageEdge[] {
    return 'job' in of
      ? this.byJob.get(`${of.job.namespace}\n${of.job.name}`) ?? []
      : this.byDataset.get(`${of.dataset.namespace}\n${of.dataset.name}`) ?? [];
  }
}

/**
 * Facts read once for many products (a pass, a page of the catalog), which
 * {@link GovernanceService.factsFor} takes instead of reading them product by product.
 * @internal
 */
export type KnownFacts = {
  /** The lineage edges, when the pass reads them all at once. */
  edges?: LineageEdgeIndex;
  /** The latest checks of the page's products (a product with none absent). */
  checks?: Map<string, StoredCheckResult[]>;
  /** The health of the page's products (a product never evaluated absent). */
  health?: Map<string, ProductHealth>;
  /**
   * The stored datasets of the page's output ports, by {@link datasetMatchKey} of a port's
   * location (what `LineageStore.findDatasets` matches).
   */
  datasets?: Map<string, LineageDataset[]>;
};

/** What one evaluation (of every product, or of some) reads once for all of its products. */
type EvaluationPass = {
  domains: Map<string, DomainNode>;
  cache: Map<string, DomainPolicySet> | undefined;
  at: number;
  /** The lineage edges, when the pass reads them all at once. */
  edges?: LineageEdgeIndex;
};

/** How long a change waits for others before its products are evaluated, by default. */
export const DEFAULT_CHANGE_DELAY_MS = 2_000;

/** The most products evaluated together after changes; the others wait for the next batch. */
const CHANGE_BATCH_SIZE = 500;

/** A Domain as the governance reads it: its parent and its policies. */
type DomainNode = {
  ref: string;
  /** Its `metadata.etag`, which changes with any change of the entity. */
  etag?: string;
  parent?: string;
  policies: DomainPolicies['policies'];
};

/** The effective and compiled policies of one domain (or of none). */
type DomainPolicySet = {
  policies: EffectivePolicy[];
  compiled: CompiledPolicy[];
  problems: PolicyProblem[];
};

function domainRefOf(value: unknown, namespace: string): string | undefined {
  if (typeof value !== 'string' || !value) {
    return undefined;
  }
  try {
    return stringifyEntityRef(
      parseEntityRef(value, {
        defaultKind: 'domain',
        defaultNamespace: namespace,
      }),
    ).toLocaleLowerCase('en-US');
  } catch {
    return undefined;
  }
}

function toDomainNode(entity: Entity): DomainNode {
  const namespace = entity.metadata.namespace ?? 'default';
  const spec = (entity.spec ?? {}) as {
    subdomainOf?: unknown;
    datamesh?: DataMeshDomainSpec;
  };
  const policies = spec.datamesh?.policies;
  return {
    ref: stringifyEntityRef(entity).toLocaleLowerCase('en-US'),
    etag: entity.metadata.etag,
    parent: domainRefOf(spec.subdomainOf, namespace),
    policies: Array.isArray(policies) ? policies : [],
  };
}

/**
 * What a product is evaluated from in the catalog, in one value: a hash of its entity's etag and
 * those of its domain and the domains above it (whose policies apply to it). Any change of one
 * of them changes it.
 */
export function entityHashOf(
  entity: Pick<Entity, 'metadata'>,
  chain: Array<Pick<DomainNode, 'ref' | 'etag'>>,
): string {
  return createHash('sha256')
    .update(
      JSON.stringify([
        entity.metadata.etag ?? '',
        ...chain.map(d => [d.ref, d.etag ?? '']),
      ]),
    )
    .digest('hex');
}

/** The UTC day of a time, `YYYY-MM-DD`. */
export function dayOf(at: number): string {
  return new Date(at).toISOString().slice(0, 10);
}

/**
 * What the governance evaluates with: the portal's policies (the defaults changed by
 * `datamesh.governance.policies`) and the domains' own, each product's facts gathered from the
 * catalog, its contracts and descriptor, and the quality, health and lineage stores.
 */
export class GovernanceService implements ProductChangeListener {
  private readonly global: DomainPolicySet;
  /** Products told changed, waiting for their evaluation. */
  private readonly changed = new Set<string>();
  private changeTimer?: ReturnType<typeof setTimeout>;
  private evaluatingChanges?: Promise<unknown>;
  private stopped = false;
  /**
   * The documents (contracts, descriptors) parsed, by where they were read, with their text:
   * a document is parsed again only when its text changed. A full pass forgets those it did not
   * read.
   */
  private readonly documents = new Map<
    string,
    { text: string; value: unknown }
  >();
  private documentsRead?: Set<string>;

  constructor(
    private readonly options: {
      auth: AuthService;
      catalog: CatalogService;
      logger: LoggerService;
      contracts: DataContractReader;
      store: GovernanceStore;
      quality?: QualityStore;
      health?: HealthStore;
      lineage?: LineageStore;
      /** `datamesh.governance.policies`. */
      overrides?: unknown;
      /** Where the portal evaluates, for rules such as "PII masked outside production". */
      environment: EnvironmentFacts;
      /** The current time; `Date.now` by default. */
      now?: () => number;
      /**
       * How long a change of a product waits for others before the products changed are
       * evaluated together, ms; {@link DEFAULT_CHANGE_DELAY_MS} by default.
       */
      changeDelayMs?: number;
    },
  ) {
    this.global = this.policySet([]);
  }

  /**
   * Asks for a product to be evaluated again soon (its entity, or a fact about it, changed).
   * Changes are coalesced: those told within the delay, or while an evaluation of changes runs,
   * are evaluated together in the next one, each product once.
   */
  notifyProductChanged(entityRef: string): void {
    if (this.stopped) {
      return;
    }
    this.changed.add(entityRef.toLocaleLowerCase('en-US'));
    this.scheduleChanges();
  }

  /** Stops evaluating changes (the backend stops); those waiting are left to the schedule. */
  stop(): void {
    this.stopped = true;
    this.changed.clear();
    if (this.changeTimer) {
      clearTimeout(this.changeTimer);
      this.changeTimer = undefined;
    }
  }

  private scheduleChanges() {
    if (this.changeTimer || this.evaluatingChanges || this.stopped) {
      return;
    }
    this.changeTimer = setTimeout(() => {
      this.changeTimer = undefined;
      const refs = [...this.changed].slice(0, CHANGE_BATCH_SIZE);
      for (const ref of refs) {
        this.changed.delete(ref);
      }
      this.evaluatingChanges = this.evaluateProducts(refs)
        .catch(error =>
          this.options.logger.warn(
            `Governance could not evaluate ${refs.length} changed data products: ${error}`,
          ),
        )
        .finally(() => {
          this.evaluatingChanges = undefined;
          if (this.changed.size > 0) {
            this.scheduleChanges();
          }
        });
    }, this.options.changeDelayMs ?? DEFAULT_CHANGE_DELAY_MS);
    this.changeTimer.unref?.();
  }

  /**
   * Finds the products whose entity, or a domain of whose chain, changed in the catalog since
   * their latest evaluation (their entity hash differs from the stored one), and those never
   * evaluated, reading only the etags, names and domains of the catalog's DataProducts and the
   * Domains; tells each as changed. Resolves to how many.
   */
  async findCatalogChanges(): Promise<number> {
    const credentials = await this.options.auth.getOwnServiceCredentials();
    const [domains, stored] = await Promise.all([
      this.readDomains(credentials),
      this.options.store.listEntityHashes(),
    ]);
    const hashes = new Map(stored.map(s => [s.entityRef, s.entityHash]));
    let found = 0;
    let cursor: string | undefined;
    do {
      const page = await this.options.catalog.queryEntities(
        cursor
          ? { cursor, limit: 1000 }
          : {
              filter: { kind: 'DataProduct' },
              fields: [
                'kind',
                'metadata.name',
                'metadata.namespace',
                'metadata.etag',
                'spec.domain',
              ],
              limit: 1000,
            },
        { credentials },
      );
      for (const entity of page.items) {
        const ref = stringifyEntityRef(entity).toLocaleLowerCase('en-US');
        const chain = this.chain(
          domainRefOf(
            (entity.spec as { domain?: unknown } | undefined)?.domain,
            entity.metadata.namespace ?? 'default',
          ),
          domains,
        );
        if (hashes.get(ref) !== entityHashOf(entity, chain)) {
          found += 1;
          this.notifyProductChanged(ref);
        }
      }
      cursor = page.pageInfo.nextCursor;
    } while (cursor);
    return found;
  }

  /**
   * Evaluates some products now (entity refs) and stores their results; those no longer in the
   * catalog are skipped (the scheduled evaluation forgets them).
   */
  async evaluateProducts(
    entityRefs: string[],
  ): Promise<{ evaluated: number; failed: number }> {
    if (entityRefs.length === 0) {
      return { evaluated: 0, failed: 0 };
    }
    const at = this.options.now?.() ?? Date.now();
    const credentials = await this.options.auth.getOwnServiceCredentials();
    const pass: EvaluationPass = {
      domains: await this.readDomains(credentials),
      cache: new Map(),
      at,
    };
    const results: EvaluatedProduct[] = [];
    let failed = 0;
    for (let i = 0; i < entityRefs.length; i += PAGE_SIZE) {
      const { items } = await this.options.catalog.getEntitiesByRefs(
        {
          entityRefs: entityRefs.slice(i, i + PAGE_SIZE),
          fields: ['kind', 'apiVersion', 'metadata', 'spec'],
        },
        { credentials },
      );
      const page = await this.evaluatePage(items, pass);
      results.push(...page.results);
      failed += page.failed;
    }
    await this.options.store.recordCompliance(results, at);
    return { evaluated: results.length, failed };
  }

  /**
   * Evaluates the data products of a page of the catalog, some at once; one that cannot be
   * evaluated is logged and counted, and keeps no other from it.
   */
  private async evaluatePage(
    items: Array<Entity | undefined | null>,
    pass: EvaluationPass,
  ): Promise<{ results: EvaluatedProduct[]; failed: number }> {
    const products = items.filter(
      (e): e is DataProductEntityV1alpha1 => !!e && isDataProductEntity(e),
    );
    const known = await this.readPageFacts(products);
    known.edges = pass.edges;
    const outcomes = await mapConcurrently(products, CONCURRENCY, entity =>
      this.evaluateWith(entity, pass, known).catch(error => {
        this.options.logger.warn(
          `Governance could not evaluate ${stringifyEntityRef(
            entity,
          )}: ${error}`,
        );
        return undefined;
      }),
    );
    const results = outcomes.filter((r): r is EvaluatedProduct => !!r);
    return { results, failed: outcomes.length - results.length };
  }

  /**
   * The latest checks, the health and the stored datasets of a page's products, one read each
   * (two for the datasets); a read that fails leaves them to be read product by product.
   */
  async readPageFacts(
    products: DataProductEntityV1alpha1[],
  ): Promise<KnownFacts> {
    const refs = products.map(p =>
      stringifyEntityRef(p).toLocaleLowerCase('en-US'),
    );
    const known: KnownFacts = {};
    if (refs.length === 0) {
      return known;
    }
    const { quality, health, lineage, logger } = this.options;
    const readDatasets = async (store: LineageStore) => {
      const found = await store.findDatasets(
        products.flatMap(p => (p.spec.outputPorts ?? []).map(o => o.location)),
      );
      const byKey = new Map<string, LineageDataset[]>();
      for (const dataset of await store.getDatasets(found)) {
        const key = datasetMatchKey(dataset);
        const list = byKey.get(key);
        if (list) {
          list.push(dataset);
        } else {
          byKey.set(key, [dataset]);
        }
      }
      return byKey;
    };
    await Promise.all([
      lineage &&
        readDatasets(lineage)
          .then(datasets => {
            known.datasets = datasets;
          })
          .catch(error =>
            logger.debug(
              `Governance: could not read a page's datasets: ${error}`,
            ),
          ),
      quality
        ?.getLatestChecksOf(refs)
        .then(checks => {
          known.checks = checks;
        })
        .catch(error =>
          logger.debug(`Governance: could not read a page's checks: ${error}`),
        ),
      health
        ?.listHealth({ entityRefs: refs })
        .then(list => {
          known.health = new Map(list.map(h => [h.entityRef, h]));
        })
        .catch(error =>
          logger.debug(`Governance: could not read a page's health: ${error}`),
        ),
    ]);
    return known;
  }

  private async evaluateWith(
    entity: DataProductEntityV1alpha1,
    pass: EvaluationPass,
    known?: KnownFacts,
  ): Promise<EvaluatedProduct> {
    const namespace = entity.metadata.namespace ?? 'default';
    const chain = this.chain(
      domainRefOf(entity.spec.domain, namespace),
      pass.domains,
    );
    const set = this.policySetFor(chain, pass.cache);
    const facts = await this.factsFor(
      entity,
      chain.map(d => d.ref),
      known ?? { edges: pass.edges },
    );
    return {
      compliance: evaluateCompliance(set.compiled, facts, new Date(pass.at)),
      domain: chain[0]?.ref,
      domains: chain.map(d => d.ref),
      entityHash: entityHashOf(entity, chain),
    };
  }

  /** The problems of the portal's own policies, as found when it started. */
  get globalProblems(): PolicyProblem[] {
    return this.global.problems;
  }

  /**
   * Reports the portal's policies that cannot be used (each with its id and the error); the
   * others are evaluated. Called once when the backend starts.
   */
  reportProblems(): void {
    for (const problem of this.global.problems) {
      this.options.logger.error(
        `Governance policy ${problem.policyId} is not evaluated: ${problem.message}`,
        { policyId: problem.policyId },
      );
    }
    this.options.logger.info(
      `Governance evaluates ${this.global.compiled.length} portal policies`,
      { policies: this.global.compiled.map(p => p.policy.id).join(',') },
    );
  }

  private policySet(domains: DomainPolicies[]): DomainPolicySet {
    const { policies, problems } = resolveEffectivePolicies({
      overrides: this.options.overrides,
      domains,
    });
    const compiled = compilePolicies(policies);
    return {
      policies,
      compiled: compiled.policies,
      problems: [...problems, ...compiled.problems],
    };
  }

  /** The domain and those above it, nearest first (a cycle is cut). */
  private chain(
    domainRef: string | undefined,
    domains: Map<string, DomainNode>,
  ): DomainNode[] {
    const chain: DomainNode[] = [];
    const seen = new Set<string>();
    let ref = domainRef;
    while (ref && !seen.has(ref)) {
      seen.add(ref);
      const node = domains.get(ref);
      if (!node) {
        chain.push({ ref, policies: [] });
        break;
      }
      chain.push(node);
      ref = node.parent;
    }
    return chain;
  }

  private policySetFor(
    chain: DomainNode[],
    cache?: Map<string, DomainPolicySet>,
  ): DomainPolicySet {
    const declared = chain.filter(d => d.policies.length > 0);
    if (declared.length === 0) {
      return this.global;
    }
    const key = chain.map(d => d.ref).join('>');
    const cached = cache?.get(key);
    if (cached) {
      return cached;
    }
    const set = this.policySet(
      declared.map(d => ({ domain: d.ref, policies: d.policies })),
    );
    cache?.set(key, set);
    return set;
  }

  private async readDomains(
    credentials: BackstageCredentials,
  ): Promise<Map<string, DomainNode>> {
    const domains = new Map<string, DomainNode>();
    let cursor: string | undefined;
    do {
      const page = await this.options.catalog.queryEntities(
        cursor
          ? { cursor, limit: PAGE_SIZE }
          : {
              filter: { kind: 'Domain' },
              fields: [
                'kind',
                'metadata.name',
                'metadata.namespace',
                'metadata.etag',
                'spec',
              ],
              limit: PAGE_SIZE,
            },
        { credentials },
      );
      for (const entity of page.items) {
        const node = toDomainNode(entity);
        domains.set(node.ref, node);
      }
      cursor = page.pageInfo.nextCursor;
    } while (cursor);
    return domains;
  }

  /**
   * The policies that apply to the products of a domain (the portal's alone without a domain),
   * with the problems of those that cannot be used and the domain's chain (the domain, then
   * those above it), read with the caller's credentials.
   */
  async policiesFor(
    domain: string | undefined,
    credentials: BackstageCredentials,
  ): Promise<{
    policies: EffectivePolicy[];
    problems: PolicyProblem[];
    domains: string[];
  }> {
    if (!domain) {
      return {
        policies: this.global.policies,
        problems: this.global.problems,
        domains: [],
      };
    }
    const domains = await this.readDomains(credentials);
    const chain = this.chain(domain, domains);
    const set = this.policySetFor(chain);
    return {
      policies: set.policies,
      problems: set.problems,
      domains: chain.map(d => d.ref),
    };
  }

  /**
   * A domain and every domain below it (entity refs), as the caller sees the catalog; empty when
   * the domain is not in the catalog.
   */
  async domainTree(
    domain: string,
    credentials: BackstageCredentials,
  ): Promise<string[]> {
    const domains = await this.readDomains(credentials);
    if (!domains.has(domain)) {
      return [];
    }
    const tree = [domain];
    for (let i = 0; i < tree.length; i++) {
      for (const node of domains.values()) {
        if (node.parent === tree[i] && !tree.includes(node.ref)) {
          tree.push(node.ref);
        }
      }
    }
    return tree;
  }

  /** A document's parsed value: parsed again only when its text is not the one last parsed. */
  private parsedOnce<T>(where: string, text: string, parseText: () => T): T {
    this.documentsRead?.add(where);
    const known = this.documents.get(where);
    if (known && known.text === text) {
      return known.value as T;
    }
    const value = parseText();
    this.documents.set(where, { text, value });
    return value;
  }

  /** Everything the rules read about a product; a fact that cannot be read is left out. */
  async factsFor(
    entity: DataProductEntityV1alpha1,
    domains: string[],
    known: KnownFacts = {},
  ): Promise<PolicyFacts> {
    const entityRef = stringifyEntityRef(entity).toLocaleLowerCase('en-US');
    const now = this.options.now?.() ?? Date.now();
    const warn = (what: string, error: unknown) =>
      this.options.logger.debug(
        `Governance: could not read the ${what} of ${entityRef}: ${error}`,
      );

    const contracts: unknown[] = [];
    for (const port of entity.spec.outputPorts ?? []) {
      if (!port.contract) {
        continue;
      }
      const document = await this.options.contracts.readDocument(
        entity,
        port.contract,
        'data contract',
      );
      if (!document.ok) {
        continue;
      }
      try {
        const value = this.parsedOnce(
          document.location.target,
          document.text,
          () => parse(document.text) as unknown,
        );
        if (value && typeof value === 'object') {
          contracts.push(value);
        }
      } catch (error) {
        warn(`contract of port ${port.name}`, error);
      }
    }

    let infrastructure: Record<string, unknown> | undefined;
    if (entity.spec.infrastructure) {
      try {
        const document = await this.options.contracts.readDocument(
          entity,
          entity.spec.infrastructure,
          'infrastructure descriptor',
        );
        const result = document.ok
          ? this.parsedOnce(document.location.target, document.text, () =>
              parseInfrastructureDescriptor(
                document.text,
                document.location.target,
              ),
            )
          : undefined;
        if (result?.status === 'valid') {
          infrastructure = result.infrastructure as unknown as Record<
            string,
            unknown
          >;
        }
      } catch (error) {
        warn('infrastructure descriptor', error);
      }
    }

    const facts: PolicyFacts = {
      product: entity,
      domains,
      contracts,
      infrastructure,
      environment: this.options.environment,
    };

    if (this.options.quality) {
      try {
        const checks = known.checks
          ? known.checks.get(entityRef) ?? []
          : await this.options.quality.getLatestChecks(entityRef);
        const lastRun = checks.reduce<string | undefined>(
          (latest, c) =>
            !latest || c.executedAt > latest ? c.executedAt : latest,
          undefined,
        );
        facts.quality = {
          evaluated: checks.length > 0,
          checks: checks.length,
          failing: checks.filter(
            c => c.status === 'fail' || c.status === 'error',
          ).length,
          ...(lastRun ? { lastRunAt: lastRun } : {}),
        };
      } catch (error) {
        warn('quality', error);
      }
    }
    if (this.options.health) {
      try {
        const health = known.health
          ? known.health.get(entityRef)
          : await this.options.health.getHealth(entityRef);
        facts.health = health
          ? { state: health.health, reasons: health.reasons }
          : { state: 'unknown', reasons: [] };
      } catch (error) {
        warn('health', error);
      }
    }
    if (this.options.lineage) {
      try {
        facts.lineage = await this.lineageOf(entity, new Date(now), known);
      } catch (error) {
        warn('lineage', error);
      }
    }
    return facts;
  }

  /**
   * The lineage observed of a product's output ports: when any was last seen, how many datasets
   * the jobs writing them read (upstream) and how many jobs read them (downstream).
   */
  private async lineageOf(
    entity: DataProductEntityV1alpha1,
    now: Date,
    known: KnownFacts,
  ): Promise<PolicyFacts['lineage']> {
    const store = this.options.lineage!;
    const { edges } = known;
    const edgesOf = async (
      of: Parameters<LineageStore['getEdges']>[0],
    ): Promise<LineageEdge[]> =>
      edges ? edges.edgesOf(of) : store.getEdges(of);
    const locations = (entity.spec.outputPorts ?? []).map(p => p.location);
    if (locations.length === 0) {
      return lineageFacts({}, now);
    }
    // the stored datasets of its ports: from those the page read, or read now
    const pageDatasets = known.datasets;
    const datasets: Array<LineageDatasetName & { lastSeenAt?: string }> =
      pageDatasets
        ? [
            ...new Map(
              locations
                .flatMap(l => pageDatasets.get(datasetMatchKey(l)) ?? [])
                .map(d => [`${d.namespace}\n${d.name}`, d]),
            ).values(),
          ]
        : await store.findDatasets(locations);
    let lastSeen: string | undefined;
    const upstream = new Set<string>();
    const downstream = new Set<string>();
    const own = new Set(datasets.map(d => `${d.namespace}\n${d.name}`));
    for (const dataset of datasets) {
      const found = pageDatasets ? dataset : await store.getDataset(dataset);
      if (found?.lastSeenAt && (!lastSeen || found.lastSeenAt > lastSeen)) {
        lastSeen = found.lastSeenAt;
      }
      for (const edge of await edgesOf({ dataset })) {
        if (edge.lastSeenAt > (lastSeen ?? '')) {
          lastSeen = edge.lastSeenAt;
        }
        if (edge.direction === 'input') {
          downstream.add(`${edge.job.namespace}\n${edge.job.name}`);
          continue;
        }
        for (const jobEdge of await edgesOf({ job: edge.job })) {
          const key = `${jobEdge.dataset.namespace}\n${jobEdge.dataset.name}`;
          if (jobEdge.direction === 'input' && !own.has(key)) {
            upstream.add(key);
          }
        }
      }
    }
    return lineageFacts(
      {
        lastSeenAt: lastSeen,
        upstream: upstream.size,
        downstream: downstream.size,
      },
      now,
    );
  }

  /** Evaluates one product now (with the caller's credentials for the catalog reads). */
  async evaluate(
    entity: DataProductEntityV1alpha1,
    credentials: BackstageCredentials,
  ): Promise<EvaluatedProduct> {
    return this.evaluateWith(entity, {
      domains: await this.readDomains(credentials),
      cache: undefined,
      at: this.options.now?.() ?? Date.now(),
    });
  }

  /**
   * Evaluates every data product of the catalog, stores the results (history on change) and
   * today's trend, forgets products that left the catalog. One product that cannot be evaluated
   * keeps no other from it; a domain's policy that cannot be used is reported once per run.
   */
  async evaluateAll(): Promise<{ evaluated: number; failed: number }> {
    const credentials = await this.options.auth.getOwnServiceCredentials();
    const cache = new Map<string, DomainPolicySet>();
    const now = this.options.now?.() ?? Date.now();
    const pass: EvaluationPass = {
      domains: await this.readDomains(credentials),
      cache,
      at: now,
      // the whole mesh is evaluated: its lineage edges are read once, not per product
      edges: this.options.lineage
        ? new LineageEdgeIndex(await this.options.lineage.listEdges())
        : undefined,
    };
    const documentsRead = new Set<string>();
    this.documentsRead = documentsRead;
    const results: EvaluatedProduct[] = [];
    let failed = 0;
    let cursor: string | undefined;
    do {
      const page = await this.options.catalog.queryEntities(
        cursor
          ? { cursor, limit: PAGE_SIZE }
          : {
              filter: { kind: 'DataProduct' },
              fields: ['kind', 'apiVersion', 'metadata', 'spec'],
              limit: PAGE_SIZE,
            },
        { credentials },
      );
      const evaluated = await this.evaluatePage(page.items, pass);
      results.push(...evaluated.results);
      failed += evaluated.failed;
      cursor = page.pageInfo.nextCursor;
    } while (cursor);
    if (this.documentsRead === documentsRead) {
      this.documentsRead = undefined;
      for (const where of this.documents.keys()) {
        if (!documentsRead.has(where)) {
          this.documents.delete(where);
        }
      }
    }

    const reported = new Set(this.global.problems.map(p => p.message));
    for (const set of cache.values()) {
      for (const problem of set.problems) {
        if (!reported.has(problem.message)) {
          reported.add(problem.message);
          this.options.logger.warn(
            `Governance policy ${problem.policyId} is not evaluated: ${problem.message}`,
            { policyId: problem.policyId },
          );
        }
      }
    }

    await this.options.store.recordCompliance(results, now);
    await this.options.store.retainProducts(
      results.map(r => r.compliance.entityRef),
    );
    return { evaluated: results.length, failed };
  }
}

/** A product evaluated, with its domain and the domains above it (nearest first). */
export type EvaluatedProduct = {
  compliance: ProductCompliance;
  domain?: string;
  domains: string[];
  /** What it was evaluated from in the catalog ({@link entityHashOf}). */
  entityHash: string;
};
