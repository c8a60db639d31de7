import {
  Entity,
  RELATION_DEPENDENCY_OF,
  RELATION_DEPENDS_ON,
  RELATION_HAS_PART,
  RELATION_OWNED_BY,
  RELATION_OWNER_OF,
  RELATION_PART_OF,
  getCompoundEntityRef,
} from '@backstage/catalog-model';
import {
  CatalogProcessor,
  CatalogProcessorEmit,
  LocationSpec,
  processingResult,
} from '@backstage/plugin-catalog-node';
import {
  dataProductEntityV1alpha1Validator,
  isDataProductEntity,
  isDomainEntity,
  resolveDataProductRefs,
  validateDataMeshDomain,
} from '@backstage-datamesh/plugin-datamesh-common';

/**
 * Gives the catalog the data mesh model: recognises `DataProduct` entities
 * (`datamesh.io/v1alpha1`), validates them field by field and what the suite adds to the catalog's
 * `Domain` kind (`spec.datamesh`), and emits both directions of each relation of a product:
 * ownership (`ownedBy`/`ownerOf`), domain membership (`partOf`/`hasPart`) and upstream/downstream
 * products from input ports (`dependsOn`/`dependencyOf`).
 *
 * Each problem is reported as its own processing error naming the field, for example
 * `spec.outputPorts[1].type must be one of table, view, topic, api, file, not "tabel"`; an invalid
 * entity is not written to the catalog and blocks no other entity.
 *
 * The processor reads nothing outside the entity: whether an input port's upstream product and
 * port exist is shown on the product's page, where it is always current (see the README).
 * @public
 */
export class DataMeshEntitiesProcessor implements CatalogProcessor {
  getProcessorName(): string {
    return 'DataMeshEntitiesProcessor';
  }

  async validateEntityKind(entity: Entity): Promise<boolean> {
    // Claims the kind by its envelope; the fields are checked in postProcessEntity, where each
    // problem can be reported as its own error naming the field.
    return isDataProductEntity(entity);
  }

  async postProcessEntity(
    entity: Entity,
    location: LocationSpec,
    emit: CatalogProcessorEmit,
  ): Promise<Entity> {
    if (isDataProductEntity(entity)) {
      // the same validator scaffolder actions and command-line tools use
      const errors = dataProductEntityV1alpha1Validator.validate(entity);
      if (errors.length > 0) {
        for (const error of errors) {
          emit(processingResult.inputError(location, error.message));
        }
        return entity;
      }
      const self = getCompoundEntityRef(entity);
      const refs = resolveDataProductRefs(entity);
      const both = (target: typeof self, forward: string, backward: string) => {
        emit(
          processingResult.relation({ source: self, type: forward, target }),
        );
        emit(
          processingResult.relation({
            source: target,
            type: backward,
            target: self,
          }),
        );
      };
      both(refs.owner, RELATION_OWNED_BY, RELATION_OWNER_OF);
      both(refs.domain, RELATION_PART_OF, RELATION_HAS_PART);
      const upstream = new Set<string>();
      for (const port of refs.inputPorts) {
        if (!upstream.has(port.productRef)) {
          upstream.add(port.productRef);
          both(port.product, RELATION_DEPENDS_ON, RELATION_DEPENDENCY_OF);
        }
      }
    } else if (isDomainEntity(entity)) {
      for (const error of validateDataMeshDomain(entity)) {
        emit(processingResult.inputError(location, error.message));
      }
    }
    return entity;
  }
}
