import type {
  ComplianceLabelValue,
  GovernanceChange,
} from '@backstage-datamesh/plugin-datamesh-common';
import { entityRefKey as keyOf } from '../entityRefKey';

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
 * mesh backend's compliance feed from its start, then kept current from the feed. The label
 * processor reads it with a Map lookup; every method that changes it answers the products whose
 * labels change, for the catalog to process them again.
 * @public
 */
export class ComplianceLabelSnapshot {
  private known = new Map<string, Known>();
  private loaded = false;
  /** Products processed before the first load, which got no label for want of one. */
  private readonly processedUnloaded = new Set<string>();

  /** Whether the snapshot has been filled once. */
  get isLoaded(): boolean {
    return this.loaded;
  }

  /**
   * The compliance of a product, when it is known. Before the first load nothing is, and the
   * product is remembered, to be processed again once its compliance is known.
   */
  complianceOf(entityRef: string): KnownCompliance | undefined {
    const key = keyOf(entityRef);
    if (!this.loaded) {
      this.processedUnloaded.add(key);
      return undefined;
    }
    const known = this.known.get(key);
    return known
      ? {
          label: known.label,
          requiredPolicyFailures: known.requiredPolicyFailures,
        }
      : undefined;
  }

  /**
   * Replaces the snapshot with the compliance of every evaluated product. Answers the products
   * whose labels change: at the first load, those processed before it that have a compliance;
   * later (a resynchronisation), those whose compliance differs from what the snapshot held.
   */
  replace(items: ReadonlyArray<GovernanceChange>): string[] {
    const next = new Map<string, Known>();
    for (const item of items) {
      next.set(keyOf(item.entityRef), toKnown(item));
    }
    const changed: string[] = [];
    if (this.loaded) {
      for (const key of new Set([...this.known.keys(), ...next.keys()])) {
        if (!same(this.known.get(key), next.get(key))) {
          changed.push(key);
        }
      }
    } else {
      changed.push(...[...this.processedUnloaded].filter(key => next.has(key)));
      this.processedUnloaded.clear();
    }
    this.known = next;
    this.loaded = true;
    return changed;
  }

  /**
   * Applies a page of the feed, oldest first. An item older than what the snapshot holds for
   * its product (read at a later position) is skipped, so that reading the feed twice changes
   * nothing. Answers the products whose labels change.
   */
  apply(items: ReadonlyArray<GovernanceChange>): string[] {
    const before = new Map<string, KnownCompliance | undefined>();
    for (const item of items) {
      const key = keyOf(item.entityRef);
      const current = this.known.get(key);
      if (current && item.id < current.id) {
        continue;
      }
      if (!before.has(key)) {
        before.set(key, current);
      }
      this.known.set(key, toKnown(item));
    }
    return [...before]
      .filter(([key, previous]) => !same(this.known.get(key), previous))
      .map(([key]) => key);
  }
}
