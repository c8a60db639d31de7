import { CatalogClient } from '@backstage/catalog-client';
import {
  Entity,
  RELATION_DEPENDENCY_OF,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
import {
  ContractChange,
  DataContractResult,
  DataMeshLineageClient,
  LineageImpact,
  diffPortContracts,
  isDataProductEntity,
  readContractSchema,
  resolveDataProductRefs,
} from '@backstage-datamesh/plugin-datamesh-common';
import { InputProblem, RepositoryProduct } from './readProduct';
import { PortalClient } from './portal';

/** The lifecycles whose consumers fail the run when a change breaks them, by default. */
export const DEFAULT_REQUIRED_LIFECYCLES = ['production'];

/** How a consumer reads one output port of the changed product. */
type PortRead = {
  /** The consumer's input ports that declare the port. */
  declaredBy: string[];
  /** The consumer's jobs observed reading the port (`namespace/name`). */
  observedJobs: string[];
  /**
   * The consumer's columns that the observed column lineage derives from the port's columns:
   * source column → `consumerPort.column (transformation)`. Empty when no event of the consumer
   * carried column lineage from the port: it may read any column.
   */
  columns: Map<string, string[]>;
};

/** A product that reads the changed product's ports. */
export type BreakingConsumer = {
  entityRef: string;
  title?: string;
  owner?: string;
  onCall?: string;
  lifecycle?: string;
  /** Whether a break of this consumer fails the run (its lifecycle is a required one). */
  required: boolean;
};

/** A consumer a breaking change hits, and why the command says so. */
export type BreakingHit = {
  entityRef: string;
  required: boolean;
  /** The declared input port, the observed job, the columns the lineage derives from the change. */
  reasons: string[];
};

/** A change between the portal's contracts and the repository's, with whom it breaks. */
export type BreakingReportChange = ContractChange & { hits: BreakingHit[] };

/** What `datamesh breaking` found for one data product of the repository. */
export type BreakingReport = {
  file: string;
  entityRef: string;
  /** `new` when the portal does not have the product yet: it has no consumer to break. */
  status: 'compared' | 'new';
  changes: BreakingReportChange[];
  consumers: BreakingConsumer[];
  notes: string[];
};

function portalError(portal: PortalClient, error: unknown): never {
  if (error instanceof ResponseError) {
    throw new InputProblem([
      `the portal at ${portal.base} answered ${error.statusCode} to ${
        error.response.url || 'a request'
      }: ${error.body?.error?.message ?? error.message}`,
    ]);
  }
  throw error;
}

/** The portal's contract of each output port of its version of the product. */
async function portalContracts(
  portal: PortalClient,
  entity: Entity & {
    spec: { outputPorts?: Array<{ name: string; contract?: string }> };
  },
  repository: RepositoryProduct,
  notes: string[],
): Promise<{ before: Map<string, unknown>; after: Map<string, unknown> }> {
  const before = new Map<string, unknown>();
  const after = new Map(repository.portContracts);
  const repositoryPorts = new Set(
    (repository.entity.spec.outputPorts ?? []).map(p => p.name),
  );
  const { namespace = 'default', name } = entity.metadata;
  for (const port of entity.spec.outputPorts ?? []) {
    if (!port.contract) {
      before.set(port.name, undefined);
      continue;
    }
    const result = await portal.get<DataContractResult>(
      `/api/datamesh/contracts/${encodeURIComponent(
        namespace,
      )}/${encodeURIComponent(name)}/${encodeURIComponent(port.name)}`,
      `the data contract of output port ${port.name}`,
    );
    if (result?.status === 'valid') {
      before.set(port.name, result.contract);
      continue;
    }
    // a port whose portal contract cannot be read is compared only for its removal
    before.set(port.name, undefined);
    if (repositoryPorts.has(port.name)) {
      before.delete(port.name);
      after.delete(port.name);
      notes.push(
        `the portal's data contract of output port ${port.name} is ${
          result?.status ?? 'missing'
        }${
          result && 'message' in result ? ` (${result.message})` : ''
        }: its columns are not compared`,
      );
    }
  }
  // a port whose repository contract is a URL is not read offline
  for (const port of repository.entity.spec.outputPorts ?? []) {
    if (!after.has(port.name) && before.has(port.name)) {
      before.delete(port.name);
      notes.push(
        `output port ${port.name}: its contract is a URL, not read here: not compared`,
      );
    }
  }
  for (const [port, contract] of after) {
    if (contract === undefined) {
      continue;
    }
    const { problems } = readContractSchema(contract);
    if (problems.length) {
      throw new InputProblem(
        problems.map(
          p =>
            `${repository.file}: the data contract of output port ${port} (spec.outputPorts[].contract): ${p.message}`,
        ),
      );
    }
  }
  return { before, after };
}

/**
 * Compares the contracts of a repository's data product with those the portal holds, and names
 * each consumer a breaking change hits: the products that declare the changed port as an input
 * port, and those whose jobs the lineage saw reading it. A change to a column hits a consumer
 * whose observed column lineage derives a column from it, and a consumer of the port that no
 * column lineage describes (it may read any column); a removed port, contract or schema object
 * hits every consumer of the port.
 *
 * @throws InputProblem when the portal cannot be asked or a contract cannot be compared
 */
export async function findBreakingChanges(options: {
  portal: PortalClient;
  product: RepositoryProduct;
  requiredLifecycles: string[];
}): Promise<BreakingReport> {
  const { portal, product } = options;
  const catalog = new CatalogClient(portal);
  const lineage = new DataMeshLineageClient(portal);
  const self = product.entityRef;
  const { namespace = 'default', name } = product.entity.metadata;
  const notes: string[] = [];
  const report: BreakingReport = {
    file: product.file,
    entityRef: self,
    status: 'compared',
    changes: [],
    consumers: [],
    notes,
  };

  const held = await catalog
    .getEntityByRef(self)
    .catch(error => portalError(portal, error));
  if (!held || !isDataProductEntity(held)) {
    report.status = 'new';
    notes.push(
      `the portal has no ${self} yet: a new product has no consumer to break`,
    );
    return report;
  }
  const { before, after } = await portalContracts(portal, held, product, notes);
  const changes = diffPortContracts(before, after);
  const changedPorts = new Set(
    changes.filter(c => c.breaking).map(c => c.port),
  );
  if (changedPorts.size === 0) {
    report.changes = changes.map(c => ({ ...c, hits: [] }));
    return report;
  }

  // who reads the changed ports: declared input ports, then the observed lineage
  const reads = new Map<string, Map<string, PortRead>>();
  const readOf = (consumer: string, port: string): PortRead => {
    const ports = reads.get(consumer) ?? new Map<string, PortRead>();
    reads.set(consumer, ports);
    const read = ports.get(port) ?? {
      declaredBy: [],
      observedJobs: [],
      columns: new Map(),
    };
    ports.set(port, read);
    return read;
  };
  const impact: LineageImpact = await lineage
    .getImpact({ namespace, name }, { depth: 1 })
    .catch(error => portalError(portal, error));
  const direct = impact.products.filter(p => p.distance === 1);
  for (const consumer of direct) {
    for (const via of consumer.via) {
      if (via.fromEntityRef === self && changedPorts.has(via.fromPort)) {
        readOf(consumer.entityRef, via.fromPort).observedJobs.push(
          `${via.job.namespace}/${via.job.name}`,
        );
      }
    }
  }
  const declaredRefs = (held.relations ?? [])
    .filter(r => r.type === RELATION_DEPENDENCY_OF)
    .map(r => r.targetRef);
  const consumerRefs = [
    ...new Set([...declaredRefs, ...direct.map(p => p.entityRef)]),
  ].sort();
  const { items } = await catalog
    .getEntitiesByRefs({ entityRefs: consumerRefs })
    .catch(error => portalError(portal, error));
  const entities = new Map<string, Entity>();
  items.forEach((entity, index) => {
    if (entity) {
      entities.set(consumerRefs[index], entity);
    }
  });
  for (const [ref, entity] of entities) {
    if (!isDataProductEntity(entity)) {
      continue;
    }
    for (const input of resolveDataProductRefs(entity).inputPorts) {
      if (
        input.productRef.toLocaleLowerCase('en-US') === self &&
        changedPorts.has(input.port)
      ) {
        readOf(ref, input.port).declaredBy.push(input.name);
      }
    }
  }
  // the observed column lineage of each consumer's ports, from the changed ports' columns
  for (const ref of reads.keys()) {
    const entity = entities.get(ref);
    if (
      !entity ||
      !isDataProductEntity(entity) ||
      !direct.some(p => p.entityRef === ref)
    ) {
      continue;
    }
    for (const port of entity.spec.outputPorts ?? []) {
      const columnLineage = await lineage
        .getColumnLineage(
          {
            namespace: entity.metadata.namespace ?? 'default',
            name: entity.metadata.name,
          },
          port.name,
        )
        .catch(error => portalError(portal, error));
      const derivations = [
        ...columnLineage.columns.flatMap(column =>
          column.sources.map(source => ({
            source,
            target: `${port.name}.${column.name}`,
          })),
        ),
        // filters, joins, sorts: the port's rows depend on the column
        ...columnLineage.datasetDependencies.map(source => ({
          source,
          target: `${port.name} (dataset dependency)`,
        })),
      ];
      for (const { source, target } of derivations) {
        const read =
          source.entityRef === self && source.port
            ? reads.get(ref)?.get(source.port)
            : undefined;
        if (!read) {
          continue;
        }
        const how = [source.transformationType, source.transformationSubtype]
          .filter(Boolean)
          .join(' ');
        const derived = read.columns.get(source.column) ?? [];
        derived.push(`${target}${how ? ` ${how}` : ''}`);
        read.columns.set(source.column, derived);
      }
    }
  }

  const everyLifecycle = options.requiredLifecycles.includes('*');
  const consumers = new Map<string, BreakingConsumer>();
  for (const ref of [...reads.keys()].sort()) {
    const entity = entities.get(ref);
    const observed = direct.find(p => p.entityRef === ref);
    const spec =
      entity && isDataProductEntity(entity) ? entity.spec : undefined;
    const lifecycle = spec?.lifecycle;
    if (!lifecycle) {
      notes.push(
        `${ref}: its lifecycle is not known here: counted as a required consumer`,
      );
    }
    consumers.set(ref, {
      entityRef: ref,
      title: entity?.metadata.title ?? observed?.title,
      owner:
        observed?.owner ??
        (entity && isDataProductEntity(entity)
          ? stringifyEntityRef(resolveDataProductRefs(entity).owner)
          : undefined),
      onCall: observed?.onCall ?? spec?.ownership?.onCallRotation,
      lifecycle,
      required:
        everyLifecycle ||
        !lifecycle ||
        options.requiredLifecycles.includes(lifecycle),
    });
  }
  report.consumers = [...consumers.values()];

  report.changes = changes.map(change => {
    if (!change.breaking) {
      return { ...change, hits: [] };
    }
    const hits: BreakingHit[] = [];
    for (const [ref, ports] of reads) {
      const read = ports.get(change.port);
      if (!read) {
        continue;
      }
      const how = [
        ...read.declaredBy.map(p => `declares it as input port ${p}`),
        ...read.observedJobs.map(j => `job ${j} reads ${change.port}`),
      ];
      const reasons: string[] = [];
      if (!change.property) {
        reasons.push(...how);
      } else if (read.columns.size === 0) {
        reasons.push(
          ...how,
          `no column lineage says which columns of ${change.port} it reads`,
        );
      } else {
        for (const column of change.columns ?? [change.property]) {
          for (const derived of read.columns.get(column) ?? []) {
            reasons.push(`column lineage: ${derived} ← ${column}`);
          }
        }
      }
      if (reasons.length) {
        hits.push({
          entityRef: ref,
          required: consumers.get(ref)?.required ?? true,
          reasons,
        });
      }
    }
    return { ...change, hits };
  });
  return report;
}
