import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogProcessor } from '@backstage/plugin-catalog-node';
import {
  DATA_PRODUCT_HEALTH_LABEL,
  isDataProductEntity,
} from '@backstage-datamesh/plugin-datamesh-common';
import { HealthLabelSnapshot } from './HealthLabelSnapshot';

/**
 * Sets the `datamesh.io/health` label ({@link DATA_PRODUCT_HEALTH_LABEL}) of each DataProduct
 * to its current health, from the {@link HealthLabelSnapshot} this replica keeps: a Map lookup,
 * with no call to any other system. A product whose health is not known gets no label, and a
 * value written in the entity's own file is dropped: the label says what the portal measured.
 * @public
 */
export class DataProductHealthLabelProcessor implements CatalogProcessor {
  constructor(private readonly snapshot: HealthLabelSnapshot) {}

  getProcessorName(): string {
    return 'DataProductHealthLabelProcessor';
  }

  async preProcessEntity(entity: Entity): Promise<Entity> {
    if (!isDataProductEntity(entity)) {
      return entity;
    }
    const health = this.snapshot.healthOf(stringifyEntityRef(entity));
    const { [DATA_PRODUCT_HEALTH_LABEL]: declared, ...labels } =
      entity.metadata.labels ?? {};
    if (health === undefined && declared === undefined) {
      return entity;
    }
    return {
      ...entity,
      metadata: {
        ...entity.metadata,
        labels: health
          ? { ...labels, [DATA_PRODUCT_HEALTH_LABEL]: health }
          : labels,
      },
    };
  }
}
