import {
  Entity,
  getCompoundEntityRef,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  CatalogProcessor,
  CatalogProcessorEmit,
  LocationSpec,
  processingResult,
} from '@backstage/plugin-catalog-node';
import {
  RELATION_OBSERVED_DEPENDENCY_OF,
  RELATION_OBSERVED_DEPENDS_ON,
  isDataProductEntity,
} from '@backstage-datamesh/plugin-datamesh-common';
import { ObservedLineageSnapshot } from './ObservedLineageSnapshot';

/**
 * Emits the observed lineage of each DataProduct as catalog relations, from the
 * {@link ObservedLineageSnapshot} this replica keeps: a Map lookup, with no call to any other
 * system, so catalog processing never waits for the data mesh backend.
 *
 * For each product its jobs were observed reading, the product `observedDependsOn` it and it
 * `observedDependencyOf` the product; for each product observed reading it, the reverse. Both
 * ends of an edge emit both directions, so the relations are right as soon as either end is
 * processed with the current snapshot. They sit beside the declared `dependsOn` and
 * `dependencyOf` from `spec.inputPorts`, which say what the product owners declared.
 * @public
 */
export class ObservedLineageRelationsProcessor implements CatalogProcessor {
  constructor(private readonly snapshot: ObservedLineageSnapshot) {}

  getProcessorName(): string {
    return 'ObservedLineageRelationsProcessor';
  }

  async postProcessEntity(
    entity: Entity,
    _location: LocationSpec,
    emit: CatalogProcessorEmit,
  ): Promise<Entity> {
    if (!isDataProductEntity(entity)) {
      return entity;
    }
    const self = getCompoundEntityRef(entity);
    const { upstream, downstream } = this.snapshot.neighboursOf(
      stringifyEntityRef(self),
    );
    const edge = (from: string, to: string) => {
      const source = parseEntityRef(from);
      const target = parseEntityRef(to);
      emit(
        processingResult.relation({
          source: target,
          type: RELATION_OBSERVED_DEPENDS_ON,
          target: source,
        }),
      );
      emit(
        processingResult.relation({
          source,
          type: RELATION_OBSERVED_DEPENDENCY_OF,
          target,
        }),
      );
    };
    const selfRef = stringifyEntityRef(self);
    for (const ref of upstream) {
      edge(ref, selfRef);
    }
    for (const ref of downstream) {
      edge(selfRef, ref);
    }
    return entity;
  }
}
