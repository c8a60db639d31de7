import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogProcessor } from '@backstage/plugin-catalog-node';
import {
  DATA_PRODUCT_COMPLIANCE_LABEL,
  DATA_PRODUCT_POLICY_FAILURES_ANNOTATION,
  isDataProductEntity,
} from '@backstage-datamesh/plugin-datamesh-common';
import { ComplianceLabelSnapshot } from './ComplianceLabelSnapshot';

/**
 * Sets the `datamesh.io/compliance` label ({@link DATA_PRODUCT_COMPLIANCE_LABEL}) of each
 * DataProduct to `compliant` or `non-compliant`, and its `datamesh.io/required-policy-failures`
 * annotation ({@link DATA_PRODUCT_POLICY_FAILURES_ANNOTATION}) to the ids of the required policies
 * it fails, comma-separated (absent when it fails none), from the {@link ComplianceLabelSnapshot}
 * this replica keeps: a Map lookup, with no call to any other system, so that a failure never
 * blocks processing. A product whose compliance is not known gets neither, and values written in
 * the entity's own file are dropped: they say what the portal evaluated.
 * @public
 */
export class DataProductComplianceLabelProcessor implements CatalogProcessor {
  constructor(private readonly snapshot: ComplianceLabelSnapshot) {}

  getProcessorName(): string {
    return 'DataProductComplianceLabelProcessor';
  }

  async preProcessEntity(entity: Entity): Promise<Entity> {
    if (!isDataProductEntity(entity)) {
      return entity;
    }
    const compliance = this.snapshot.complianceOf(stringifyEntityRef(entity));
    const { [DATA_PRODUCT_COMPLIANCE_LABEL]: declaredLabel, ...labels } =
      entity.metadata.labels ?? {};
    const {
      [DATA_PRODUCT_POLICY_FAILURES_ANNOTATION]: declaredFailures,
      ...annotations
    } = entity.metadata.annotations ?? {};
    if (
      compliance === undefined &&
      declaredLabel === undefined &&
      declaredFailures === undefined
    ) {
      return entity;
    }
    const failures = compliance?.requiredPolicyFailures ?? [];
    return {
      ...entity,
      metadata: {
        ...entity.metadata,
        labels: compliance
          ? { ...labels, [DATA_PRODUCT_COMPLIANCE_LABEL]: compliance.label }
          : labels,
        annotations:
          failures.length > 0
            ? {
                ...annotations,
                [DATA_PRODUCT_POLICY_FAILURES_ANNOTATION]: failures.join(','),
              }
            : annotations,
      },
    };
  }
}
