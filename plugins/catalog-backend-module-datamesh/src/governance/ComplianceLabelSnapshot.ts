import type {
  ComplianceLabelValue,
  GovernanceChange,
} from '@backstage-datamesh/plugin-datamesh-common';
import { LabelSnapshot } from '../labels/LabelSnapshot';

/** What a product's compliance labels say. */
export interface KnownCompliance {
  label: ComplianceLabelValue;
  /** The ids of the required policies it fails, in evaluation order. */
  requiredPolicyFailures: string[];
}

interface Known extends KnownCompliance {
  /** The feed position it was read at. */
  id: number;
}

const same = (a?: KnownCompliance, b?: KnownCompliance) =>
  a?.label === b?.label &&
  a?.requiredPolicyFailures.join(',') === b?.requiredPolicyFailures.join(',');

function toKnown(change: GovernanceChange): Known {
  return {
    id: change.id,
    label: change.compliant ? 'compliant' : 'non-compliant',
    requiredPolicyFailures: change.requiredPolicyFailures,
  };
}

/**
 * What this replica knows of each product's latest compliance, in memory: filled from the data
 * mesh backend's compliance feed from its start, then kept current from the feed (a
 * {@link LabelSnapshot}).
 * @public
 */
export class ComplianceLabelSnapshot extends LabelSnapshot<Known> {
  constructor() {
    super({ same, isOlder: (value, current) => value.id < current.id });
  }

  /**
   * The compliance of a product, when it is known. Before the first load nothing is, and the
   * product is remembered, to be processed again once its compliance is known.
   */
  complianceOf(entityRef: string): KnownCompliance | undefined {
    const known = this.lookup(entityRef);
    return known
      ? {
          label: known.label,
          requiredPolicyFailures: known.requiredPolicyFailures,
        }
      : undefined;
  }

  /** Replaces the snapshot with the compliance of every evaluated product (see `replaceAll`). */
  replace(items: ReadonlyArray<GovernanceChange>): string[] {
    return this.replaceAll(items.map(item => [item.entityRef, toKnown(item)]));
  }

  /** Applies a page of the feed, oldest first (see `applyAll`). */
  apply(items: ReadonlyArray<GovernanceChange>): string[] {
    return this.applyAll(items.map(item => [item.entityRef, toKnown(item)]));
  }
}
