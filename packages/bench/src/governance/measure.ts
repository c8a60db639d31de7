/**
 * One measurement of `yarn bench:governance`: N generated data products (with their contracts and
 * infrastructure descriptors) ingested by a fresh catalog, timed as `yarn bench:catalog` times it;
 * their quality, health and observed lineage seeded into the data mesh backend's stores; then the
 * governance's evaluation of every default policy over every product, timed as the portal runs
 * it (`GovernanceService.evaluateAll`: the catalog read, each product's facts from its files and
 * the stores, the rules, the results stored), and in its parts.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  AuthService,
  BackendFeature,
  LoggerService,
  RootConfigService,
  UrlReaderService,
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  CatalogService,
  catalogServiceRef,
} from '@backstage/plugin-catalog-node';
import {
  DataProductEntityV1alpha1,
  PolicyFacts,
  ProductCompliance,
  compilePolicies,
  evaluateCompliance,
  isDataProductEntity,
  resolveEffectivePolicies,
} from '@backstage-datamesh/plugin-datamesh-common';
import { DataContractReader } from '@backstage-datamesh/plugin-datamesh-node';
// The benchmark runs from its sources (tsx) and times the governance service and stores
// themselves, which the plugin does not export
// eslint-disable-next-line @backstage/no-forbidden-package-imports, @backstage/no-mixed-plugin-imports
import {
  GovernanceService,
  LineageEdgeIndex,
} from '@backstage-datamesh/plugin-datamesh-backend/src/governance/GovernanceService';
// eslint-disable-next-line @backstage/no-forbidden-package-imports, @backstage/no-mixed-plugin-imports
import { DatabaseGovernanceStore } from '@backstage-datamesh/plugin-datamesh-backend/src/governance/DatabaseGovernanceStore';
// eslint-disable-next-line @backstage/no-forbidden-package-imports, @backstage/no-mixed-plugin-imports
import { DatabaseQualityStore } from '@backstage-datamesh/plugin-datamesh-backend/src/database/DatabaseQualityStore';
// eslint-disable-next-line @backstage/no-forbidden-package-imports, @backstage/no-mixed-plugin-imports
import { DatabaseHealthStore } from '@backstage-datamesh/plugin-datamesh-backend/src/database/DatabaseHealthStore';
// eslint-disable-next-line @backstage/no-forbidden-package-imports, @backstage/no-mixed-plugin-imports
import { DatabaseLineageStore } from '@backstage-datamesh/plugin-datamesh-backend/src/database/DatabaseLineageStore';
import { generateEntities, writeSet } from '../catalog/generate';
import { BenchDatabase, openDatabase, scalar } from '../catalog/measure';
import { openBenchDatabases, startIngestedBackend } from '../quality/backend';
import { governanceDocuments } from './documents';
import { seedFacts } from './facts';

/** Where the governance evaluates: not production, so that the PII rule reads every contract. */
export const BENCH_ENVIRONMENT = { name: 'staging', production: false };

/** What a measurement is asked for. */
export interface GovernanceMeasureOptions {
  products: number;
  database: BenchDatabase;
  /** Full evaluation passes (`evaluateAll`): the first on an empty store, the others after it. */
  passes: number;
  timeoutMs: number;
  /** Keep the generated files (in a temporary directory, printed). */
  keep?: boolean;
  onProgress?: (line: string) => void;
}

/** A timing: wall time and the CPU time of the process (catalog included) over it. */
export interface Timed {
  ms: number;
  cpuMs: number;
}

/** The figures of one measurement. */
export interface GovernanceMeasurement {
  products: number;
  database: BenchDatabase;
  /** The catalog's ingestion, from the start of the backend until every entity was stitched. */
  catalog: { processedMs: number; totalMs: number; cpuMs: number };
  /** Rows seeded per table, and how long seeding took. */
  seed: { rows: Record<string, number>; ms: number };
  /** Each full evaluation pass, in order. */
  passes: Array<Timed & { evaluated: number; failed: number; changed: number }>;
  /**
   * One pass in parts, after the full passes: the catalog read, the policies compiled, every
   * product's facts, the rules alone, and the results stored on a fresh database (as the first
   * pass stores them).
   */
  parts: {
    catalogRead: Timed;
    compile: Timed;
    facts: Timed;
    rules: Timed;
    store: Timed;
  };
  /**
   * The facts' reads in the parts run by source (wall time summed over the calls, which run one
   * after the other): each reader and store method the governance calls; `parse` is the rest of
   * the facts' time (the contracts' and descriptors' YAML and the descriptors' schema check).
   */
  factSources: Record<string, { ms: number; calls: number }>;
  /** Products per outcome of each policy, and compliant products. */
  outcomes: Record<string, Record<'pass' | 'fail' | 'not-applicable', number>>;
  compliant: number;
  peakRssMiB: number;
}

/** Runs `fn` and returns its result with its wall and CPU time. */
async function time<T>(
  fn: () => Promise<T> | T,
): Promise<Timed & { value: T }> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const value = await fn();
  const used = process.cpuUsage(cpu);
  return {
    ms: performance.now() - started,
    cpuMs: (used.user + used.system) / 1000,
    value,
  };
}

/** What the benchmark's module takes from the data mesh plugin's services. */
interface PluginServices {
  auth: AuthService;
  catalog: CatalogService;
  logger: LoggerService;
  config: RootConfigService;
  urlReader: UrlReaderService;
}

/**
 * A module of the data mesh plugin that hands the benchmark the plugin's own services, so that
 * the governance it builds reads the catalog and files as the plugin's does.
 */
function pluginServices(): {
  feature: BackendFeature;
  get: () => PluginServices;
} {
  let services: PluginServices | undefined;
  const feature = createBackendModule({
    pluginId: 'datamesh',
    moduleId: 'bench-governance',
    register(reg) {
      reg.registerInit({
        deps: {
          auth: coreServices.auth,
          catalog: catalogServiceRef,
          logger: coreServices.logger,
          config: coreServices.rootConfig,
          urlReader: coreServices.urlReader,
        },
        async init(deps) {
          services = deps;
        },
      });
    },
  });
  return {
    feature,
    get: () => {
      if (!services) {
        throw new Error('The data mesh plugin did not start the bench module');
      }
      return services;
    },
  };
}

/**
 * The object with each method's calls timed into `sums`, under `label` and the method's name (or
 * the name `key` gives from the call's arguments).
 */
function timedCalls<T extends object>(
  target: T,
  label: string,
  sums: Record<string, { ms: number; calls: number }>,
  key: (method: string, args: unknown[]) => string = method =>
    `${label}.${method}`,
): T {
  return new Proxy(target, {
    get(object, property, receiver) {
      const value = Reflect.get(object, property, receiver);
      if (typeof value !== 'function' || typeof property !== 'string') {
        return value;
      }
      return (...args: unknown[]) => {
        const started = performance.now();
        const done = () => {
          const name = key(property, args);
          const sum = (sums[name] ??= { ms: 0, calls: 0 });
          sum.ms += performance.now() - started;
          sum.calls += 1;
        };
        let result: unknown;
        try {
          result = value.apply(object, args);
        } catch (error) {
          done();
          throw error;
        }
        if (result instanceof Promise) {
          return result.finally(done);
        }
        done();
        return result;
      };
    },
  });
}

/** The data mesh plugin's migrations, as the plugin runs them on its database. */
const MIGRATIONS = path.join(
  path.dirname(
    require.resolve('@backstage-datamesh/plugin-datamesh-backend/package.json'),
  ),
  'migrations',
);

/** Measures one size; see the file's comment. */
export async function measureGovernance(
  options: GovernanceMeasureOptions,
): Promise<GovernanceMeasurement> {
  const progress = options.onProgress ?? (() => {});
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-governance-'));
  const databases = await openBenchDatabases(options.database, {
    sqlite: 'memory',
    dir,
  });
  let stop: (() => Promise<void>) | undefined;
  let peakRss = process.memoryUsage().rss;
  const sample = () => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  };
  try {
    const set = writeSet(dir, 'dataproduct', options.products, {
      documents: governanceDocuments,
    });
    progress(
      `  ${options.products} data products, their contracts and descriptors in ${dir}`,
    );
    const services = pluginServices();
    const ingestionCpu = process.cpuUsage();
    const backend = await startIngestedBackend(databases, set.files, {
      expectedEntities: set.expectedEntities,
      timeoutMs: options.timeoutMs,
      pollMs: 250,
      onProgress: progress,
      extraFeatures: [services.feature],
    });
    stop = backend.stop;
    const { ingestion } = backend;
    const ingestionCpuUsed = process.cpuUsage(ingestionCpu);
    const catalogCpuMs =
      (ingestionCpuUsed.user + ingestionCpuUsed.system) / 1000;
    progress(
      `  catalog: processed and stitched in ${(
        ingestion.totalMs / 1000
      ).toFixed(1)} s`,
    );
    sample();

    const knex = databases.datamesh.knex;
    const now = Date.now();
    const products = generateEntities(
      'dataproduct',
      options.products,
    ) as DataProductEntityV1alpha1[];
    const seeded = await time(() => seedFacts(knex, products, now, progress));
    progress(
      `  facts seeded in ${(seeded.ms / 1000).toFixed(1)} s (${Object.entries(
        seeded.value.rows,
      )
        .map(([table, n]) => `${table} ${n}`)
        .join(', ')})`,
    );

    const { auth, catalog, logger, config, urlReader } = services.get();
    const contracts = DataContractReader.fromConfig(config, {
      reader: urlReader,
    });
    const stores = {
      quality: new DatabaseQualityStore(knex),
      health: new DatabaseHealthStore(knex),
      lineage: new DatabaseLineageStore(knex),
    };
    // as setupGovernance builds it
    const service = new GovernanceService({
      auth,
      catalog,
      logger,
      contracts,
      store: new DatabaseGovernanceStore(knex),
      ...stores,
      environment: BENCH_ENVIRONMENT,
    });

    const passes: GovernanceMeasurement['passes'] = [];
    for (let k = 0; k < options.passes; k++) {
      const before = await scalar(
        knex('governance_evaluations').count({ n: '*' }),
      );
      let pass: Timed & { value: { evaluated: number; failed: number } };
      try {
        pass = await time(() => service.evaluateAll());
      } catch (error) {
        // a catalog request of a pass can meet a keep-alive connection the backend has just
        // closed after minutes of other work (ECONNRESET): the pass is run again, once
        if (!String(error).includes('ECONNRESET')) {
          throw error;
        }
        progress(`  evaluation pass ${k + 1} met ${error}; running it again`);
        pass = await time(() => service.evaluateAll());
      }
      const after = await scalar(
        knex('governance_evaluations').count({ n: '*' }),
      );
      sample();
      passes.push({
        ms: pass.ms,
        cpuMs: pass.cpuMs,
        evaluated: pass.value.evaluated,
        failed: pass.value.failed,
        changed: after - before,
      });
      progress(
        `  evaluation pass ${k + 1}: ${pass.value.evaluated} products in ${(
          pass.ms / 1000
        ).toFixed(2)} s (${after - before} results stored)`,
      );
    }

    // the same pass in parts (its results stored on a fresh database, as the first pass stores
    // them)
    const credentials = await auth.getOwnServiceCredentials();
    const catalogRead = await time(async () => {
      const entities: DataProductEntityV1alpha1[] = [];
      let cursor: string | undefined;
      do {
        const page = await catalog.queryEntities(
          cursor
            ? { cursor, limit: 200 }
            : {
                filter: { kind: 'DataProduct' },
                fields: ['kind', 'apiVersion', 'metadata', 'spec'],
                limit: 200,
              },
          { credentials },
        );
        entities.push(...page.items.filter(isDataProductEntity));
        cursor = page.pageInfo.nextCursor;
      } while (cursor);
      return entities;
    });
    const compile = await time(() =>
      compilePolicies(resolveEffectivePolicies({ domains: [] }).policies),
    );
    const domainOf = (entity: DataProductEntityV1alpha1) =>
      `domain:default/${String(entity.spec.domain)}`.toLocaleLowerCase('en-US');
    // the same service with each read timed by source
    const factSources: GovernanceMeasurement['factSources'] = {};
    const timedLineage = timedCalls(stores.lineage, 'lineage', factSources);
    const timedQuality = timedCalls(stores.quality, 'quality', factSources);
    const timedHealth = timedCalls(stores.health, 'health', factSources);
    const timedService = new GovernanceService({
      auth,
      catalog,
      logger,
      contracts: timedCalls(contracts, 'contracts', factSources, (m, args) =>
        m === 'readDocument' ? `read ${String(args[2])}` : `contracts.${m}`,
      ),
      store: new DatabaseGovernanceStore(knex),
      quality: timedQuality,
      health: timedHealth,
      lineage: timedLineage,
      environment: BENCH_ENVIRONMENT,
    });
    const facts = await time(async () => {
      // as a full pass reads them: the lineage edges once, the checks, health and datasets of
      // each page of 200 together, every product's documents parsed (the service is new: none is parsed
      // yet); the products one after the other
      const edges = new LineageEdgeIndex(await timedLineage.listEdges());
      const all: PolicyFacts[] = [];
      for (let i = 0; i < catalogRead.value.length; i += 200) {
        const page = catalogRead.value.slice(i, i + 200);
        const known = { ...(await timedService.readPageFacts(page)), edges };
        for (const entity of page) {
          all.push(
            await timedService.factsFor(entity, [domainOf(entity)], known),
          );
        }
      }
      return all;
    });
    const read = Object.values(factSources).reduce((sum, f) => sum + f.ms, 0);
    factSources.parse = {
      ms: facts.ms - read,
      calls: catalogRead.value.length,
    };
    const at = new Date();
    const rules = await time(() =>
      facts.value.map(f => evaluateCompliance(compile.value.policies, f, at)),
    );
    const results = rules.value.map((compliance: ProductCompliance, i) => {
      const domain = domainOf(catalogRead.value[i]);
      return { compliance, domain, domains: [domain] };
    });
    const fresh = await openDatabase(options.database);
    let stored: Timed;
    try {
      await fresh.knex.migrate.latest({ directory: MIGRATIONS });
      const freshStore = new DatabaseGovernanceStore(fresh.knex);
      stored = await time(() =>
        freshStore.recordCompliance(results, at.getTime()),
      );
    } finally {
      await fresh.close();
    }
    sample();

    const outcomes: GovernanceMeasurement['outcomes'] = {};
    for (const { compliance } of results) {
      for (const e of compliance.evaluations) {
        const o = (outcomes[e.policyId] ??= {
          pass: 0,
          fail: 0,
          'not-applicable': 0,
        });
        o[e.status] += 1;
      }
    }
    const strip = ({ ms, cpuMs }: Timed): Timed => ({ ms, cpuMs });
    return {
      products: options.products,
      database: options.database,
      catalog: {
        processedMs: ingestion.processedMs,
        totalMs: ingestion.totalMs,
        cpuMs: catalogCpuMs,
      },
      seed: { rows: seeded.value.rows, ms: seeded.ms },
      passes,
      parts: {
        catalogRead: strip(catalogRead),
        compile: strip(compile),
        facts: strip(facts),
        rules: strip(rules),
        store: strip(stored),
      },
      factSources,
      outcomes,
      compliant: results.filter(r => r.compliance.compliant).length,
      peakRssMiB: Math.round(peakRss / 1024 / 1024),
    };
  } finally {
    await stop?.();
    await databases.close();
    if (!options.keep) {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
}
