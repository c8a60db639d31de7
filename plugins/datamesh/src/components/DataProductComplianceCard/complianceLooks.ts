import type {
  PolicyEnforcement,
  PolicyEvaluation,
  PolicySource,
  PolicyStatus,
} from '@backstage-datamesh/plugin-datamesh-common';
import { POLICY_ENFORCEMENTS } from '@backstage-datamesh/plugin-datamesh-common';
import type { StatusTone } from '../StatusChip';

/** How each policy outcome looks. */
export const POLICY_STATUS_LOOKS: Record<
  PolicyStatus,
  { label: string; tone: StatusTone }
> = {
  pass: { label: 'Pass', tone: 'ok' },
  fail: { label: 'Fail', tone: 'error' },
  'not-applicable': { label: 'Not applicable', tone: 'aborted' },
};

/** How a failure of each enforcement looks: a required failure is an error, others warnings. */
export const ENFORCEMENT_LOOKS: Record<
  PolicyEnforcement,
  { label: string; tone: StatusTone }
> = {
  required: { label: 'Required', tone: 'error' },
  recommended: { label: 'Recommended', tone: 'warning' },
  optional: { label: 'Optional', tone: 'pending' },
};

/** The rank of an enforcement, most binding first (the order of `POLICY_ENFORCEMENTS`). */
function enforcementRank(enforcement: string): number {
  const rank = (POLICY_ENFORCEMENTS as readonly string[]).indexOf(enforcement);
  return rank < 0 ? POLICY_ENFORCEMENTS.length : rank;
}

/**
 * The order the card lists the policies that apply in: failures first, most binding first
 * (required failures on top), then passes, most binding first; by title within each.
 */
export function compareEvaluations(
  a: PolicyEvaluation,
  b: PolicyEvaluation,
): number {
  const failed = (e: PolicyEvaluation) => (e.status === 'fail' ? 0 : 1);
  return (
    failed(a) - failed(b) ||
    enforcementRank(a.enforcement) - enforcementRank(b.enforcement) ||
    a.title.localeCompare(b.title)
  );
}

/** Where a policy comes from, as people read it. */
export function sourceLabel(source: PolicySource): string {
  switch (source.type) {
    case 'default':
      return 'Global default';
    case 'config':
      return 'Portal config';
    case 'domain':
      return `Domain ${source.domain.replace(/^domain:(default\/)?/, '')}`;
    default:
      return 'Unknown source';
  }
}
