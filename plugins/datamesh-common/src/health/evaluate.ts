import type { DataProductSla } from '../types';
import { formatPercentage, parseDuration, parsePercentage } from '../sla';
import type {
  HealthFailingCheck,
  ProductHealthState,
  SloEvaluation,
  SloKind,
  SloStatus,
} from './types';

/**
 * The share of a freshness objective past which freshness is `at-risk` (80 %: a 15-minute
 * objective is at risk once the newest data is 12 minutes old).
 * @public
 */
export const FRESHNESS_AT_RISK_SHARE = 0.8;

/**
 * The window availability is measured over, in days.
 * @public
 */
export const AVAILABILITY_WINDOW_DAYS = 30;

/**
 * The quality dimensions each ratio objective is measured from. Completeness is measured from
 * completeness checks (missing values, row counts); accuracy from the checks that tell whether
 * records are correct (accuracy, validity, uniqueness, consistency).
 * @public
 */
export const SLO_DIMENSIONS: Record<'completeness' | 'accuracy', string[]> = {
  completeness: ['completeness'],
  accuracy: ['accuracy', 'validity', 'uniqueness', 'consistency'],
};

/**
 * A check result as health evaluation reads it: the latest result of one check.
 * @public
 */
export interface HealthCheckInput {
  checkId: string;
  name: string;
  status: string;
  port?: string;
  dimension?: string;
  unexpectedCount?: number;
  unexpectedPercent?: number;
  rowsEvaluated?: number;
}

/**
 * What health is evaluated from.
 * @public
 */
export interface HealthEvaluationInput {
  /** The time of the evaluation, epoch milliseconds. */
  now: number;
  /** The product's own objectives (`spec.sla`). */
  sla?: DataProductSla;
  /** The baseline objectives of the product's domain (`spec.datamesh.sla`), used where the product sets none. */
  domainSla?: DataProductSla;
  /** The product's output ports. */
  ports: string[];
  /** The last successful update of each output port that has one, epoch milliseconds. */
  lastUpdates: Record<string, number>;
  /** Share of the availability window in which the freshness objective was met (see {@link measureAvailability}). */
  availability?: number;
  /** The latest result of each check of the product. */
  checks: HealthCheckInput[];
}

/**
 * The result of {@link evaluateProductHealth}.
 * @public
 */
export interface HealthEvaluation {
  health: ProductHealthState;
  reasons: string[];
  slos: SloEvaluation[];
  failingChecks: HealthFailingCheck[];
}

/**
 * Formats a lag the way on-call reads it: `45s`, `12m`, `3h 12m`, `2d 4h`.
 * @public
 */
export function formatLag(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d > 0) {
    return h ? `${d}d ${h}h` : `${d}d`;
  }
  if (h > 0) {
    return m ? `${h}h ${m}m` : `${h}h`;
  }
  if (m > 0) {
    return `${m}m`;
  }
  return `${s}s`;
}

/**
 * Measures availability as the share of a window in which the product met its freshness
 * objective: between two successful updates the data is fresh until the objective's age, then
 * stale until the next update (or until `now`). The window starts at the first update when the
 * history is shorter than the window.
 *
 * @param updates - epoch milliseconds of the successful updates, in any order
 * @param freshnessMs - the freshness objective
 * @param now - the end of the window
 * @param windowMs - the length of the window; {@link AVAILABILITY_WINDOW_DAYS} days by default
 * @returns a ratio between 0 and 1, or undefined without any update
 * @public
 */
export function measureAvailability(
  updates: number[],
  freshnessMs: number,
  now: number,
  windowMs = AVAILABILITY_WINDOW_DAYS * 86_400_000,
): number | undefined {
  const sorted = [...updates].filter(u => u <= now).sort((a, b) => a - b);
  if (sorted.length === 0) {
    return undefined;
  }
  const windowStart = now - windowMs;
  // the newest update at or before the window's start decides whether its beginning was fresh
  let firstIndex = 0;
  for (let i = 0; i < sorted.length; i++) {
    if (sorted[i] <= windowStart) {
      firstIndex = i;
    }
  }
  const relevant = sorted.slice(firstIndex);
  const start = Math.max(windowStart, relevant[0]);
  const length = now - start;
  if (length <= 0) {
    return 1;
  }
  let stale = 0;
  for (let i = 0; i < relevant.length; i++) {
    const freshUntil = relevant[i] + freshnessMs;
    const next = i + 1 < relevant.length ? relevant[i + 1] : now;
    const staleFrom = Math.max(freshUntil, start);
    if (next > staleFrom) {
      stale += next - staleFrom;
    }
  }
  return Math.max(0, Math.min(1, 1 - stale / length));
}

function objective(
  key: keyof DataProductSla,
  input: HealthEvaluationInput,
):
  | { value: string | number; text: string; source: 'product' | 'domain' }
  | undefined {
  const own = input.sla?.[key];
  if (own !== undefined && own !== null) {
    return { value: own, text: String(own), source: 'product' };
  }
  const baseline = input.domainSla?.[key];
  if (baseline !== undefined && baseline !== null) {
    return { value: baseline, text: String(baseline), source: 'domain' };
  }
  return undefined;
}

function sourceNote(source: 'product' | 'domain'): string {
  return source === 'domain' ? ' (domain baseline)' : '';
}

function evaluateFreshness(input: HealthEvaluationInput): SloEvaluation {
  const goal = objective('freshness', input);
  if (!goal) {
    return {
      slo: 'freshness',
      status: 'unknown',
      reason: 'freshness: no objective set',
    };
  }
  const limit = parseDuration(goal.text);
  const base = {
    slo: 'freshness' as const,
    objective: goal.text,
    objectiveSource: goal.source,
  };
  if (limit === undefined) {
    return {
      ...base,
      status: 'unknown',
      reason: `freshness: objective ${goal.text} is not a duration`,
    };
  }
  let worst: { port: string; lag: number } | undefined;
  for (const port of input.ports) {
    const at = input.lastUpdates[port];
    if (at !== undefined) {
      const lag = Math.max(0, input.now - at);
      if (!worst || lag > worst.lag) {
        worst = { port, lag };
      }
    }
  }
  if (!worst) {
    return {
      ...base,
      status: 'unknown',
      reason: 'freshness: no successful update of an output port recorded yet',
    };
  }
  let status: SloStatus = 'met';
  if (worst.lag > limit) {
    status = 'breached';
  } else if (worst.lag > limit * FRESHNESS_AT_RISK_SHARE) {
    status = 'at-risk';
  }
  return {
    ...base,
    measured: worst.lag,
    status,
    reason: `freshness ${formatLag(worst.lag)} against ${goal.text}${sourceNote(
      goal.source,
    )} (port ${worst.port})`,
  };
}

function evaluateAvailability(
  input: HealthEvaluationInput,
  freshness: SloEvaluation,
): SloEvaluation {
  const goal = objective('availability', input);
  if (!goal) {
    return {
      slo: 'availability',
      status: 'unknown',
      reason: 'availability: no objective set',
    };
  }
  const target = parsePercentage(goal.value);
  const base = {
    slo: 'availability' as const,
    objective: goal.text,
    objectiveSource: goal.source,
  };
  if (target === undefined) {
    return {
      ...base,
      status: 'unknown',
      reason: `availability: objective ${goal.text} is not a percentage`,
    };
  }
  if (freshness.objective === undefined) {
    return {
      ...base,
      status: 'unknown',
      reason:
        'availability: measured against the freshness objective, which is not set',
    };
  }
  if (input.availability === undefined) {
    return {
      ...base,
      status: 'unknown',
      reason: 'availability: no successful update recorded yet',
    };
  }
  const measured = input.availability;
  return {
    ...base,
    measured,
    status: measured >= target ? 'met' : 'breached',
    reason: `availability ${formatPercentage(
      Math.floor(measured * 10000) / 10000,
    )} of the last ${AVAILABILITY_WINDOW_DAYS} days against ${
      goal.text
    }${sourceNote(goal.source)}`,
  };
}

function evaluateRatio(
  slo: 'completeness' | 'accuracy',
  input: HealthEvaluationInput,
): SloEvaluation {
  const goal = objective(slo, input);
  if (!goal) {
    return { slo, status: 'unknown', reason: `${slo}: no objective set` };
  }
  const target = parsePercentage(goal.value);
  const base = { slo, objective: goal.text, objectiveSource: goal.source };
  if (target === undefined) {
    return {
      ...base,
      status: 'unknown',
      reason: `${slo}: objective ${goal.text} is not a percentage`,
    };
  }
  const dimensions = SLO_DIMENSIONS[slo];
  const relevant = input.checks.filter(
    c =>
      c.dimension !== undefined &&
      dimensions.includes(c.dimension) &&
      c.status !== 'skipped' &&
      c.status !== 'error',
  );
  if (relevant.length === 0) {
    return {
      ...base,
      status: 'unknown',
      reason: `${slo}: no ${dimensions.join(' or ')} check reported`,
    };
  }
  // Rows are weighed where the tools counted them; checks without counts weigh as pass or fail.
  let good = 0;
  let total = 0;
  for (const check of relevant) {
    if (
      check.rowsEvaluated !== undefined &&
      check.rowsEvaluated > 0 &&
      check.unexpectedCount !== undefined
    ) {
      total += check.rowsEvaluated;
      good += Math.max(0, check.rowsEvaluated - check.unexpectedCount);
    } else if (check.unexpectedPercent !== undefined) {
      total += 1;
      good += Math.max(0, 1 - check.unexpectedPercent / 100);
    } else {
      total += 1;
      good += check.status === 'fail' ? 0 : 1;
    }
  }
  const measured = total > 0 ? good / total : 1;
  return {
    ...base,
    measured,
    status: measured >= target ? 'met' : 'breached',
    reason: `${slo} ${formatPercentage(
      Math.floor(measured * 10000) / 10000,
    )} against ${goal.text}${sourceNote(goal.source)} (${
      relevant.length
    } check${relevant.length === 1 ? '' : 's'})`,
  };
}

function evaluateChecks(input: HealthEvaluationInput): {
  slo: SloEvaluation;
  failing: HealthFailingCheck[];
} {
  const counted = input.checks.filter(c => c.status !== 'skipped');
  const failing = counted
    .filter(c => c.status !== 'pass')
    .map(c => ({
      checkId: c.checkId,
      name: c.name,
      status: c.status,
      ...(c.port ? { port: c.port } : {}),
    }));
  if (counted.length === 0) {
    return {
      slo: {
        slo: 'checks',
        status: 'unknown',
        reason: 'checks: none reported',
      },
      failing,
    };
  }
  const passed = counted.length - failing.length;
  const measured = passed / counted.length;
  const names = failing
    .slice(0, 3)
    .map(c => `${c.name} (${c.status})`)
    .join(', ');
  return {
    slo: {
      slo: 'checks',
      measured,
      status: failing.length ? 'at-risk' : 'met',
      reason: failing.length
        ? `checks: ${failing.length} of ${
            counted.length
          } do not pass: ${names}${failing.length > 3 ? ', …' : ''}`
        : `checks: all ${counted.length} pass`,
    },
    failing,
  };
}

const ORDER: Record<SloStatus, number> = {
  breached: 0,
  'at-risk': 1,
  unknown: 2,
  met: 3,
};

/**
 * Evaluates a product's health from its objectives (the product's own, else its domain's
 * baseline) and its latest checks:
 *
 * - `breaching`: at least one objective is not met;
 * - `degraded`: every measured objective is met, but one is close to its limit (freshness past
 *   {@link FRESHNESS_AT_RISK_SHARE} of its objective) or a latest check warns, fails or errors;
 * - `healthy`: something was measured, and every measured objective is met and every check passes;
 * - `unknown`: nothing could be measured.
 *
 * Freshness is the age of the stalest output port's last successful update; availability the share
 * of the last {@link AVAILABILITY_WINDOW_DAYS} days in which freshness was met; completeness and
 * accuracy the share of rows (or checks, where the tool counted no rows) that passed the checks of
 * their dimensions ({@link SLO_DIMENSIONS}).
 * @public
 */
export function evaluateProductHealth(
  input: HealthEvaluationInput,
): HealthEvaluation {
  const freshness = evaluateFreshness(input);
  const availability = evaluateAvailability(input, freshness);
  const completeness = evaluateRatio('completeness', input);
  const accuracy = evaluateRatio('accuracy', input);
  const checks = evaluateChecks(input);
  const slos = [freshness, availability, completeness, accuracy, checks.slo];
  const measured = slos.filter(s => s.status !== 'unknown');
  let health: ProductHealthState;
  if (measured.length === 0) {
    health = 'unknown';
  } else if (measured.some(s => s.status === 'breached')) {
    health = 'breaching';
  } else if (measured.some(s => s.status === 'at-risk')) {
    health = 'degraded';
  } else {
    health = 'healthy';
  }
  const reasons = [...slos]
    .filter(s => s.status !== 'met' && !s.reason.endsWith('no objective set'))
    .sort((a, b) => ORDER[a.status] - ORDER[b.status])
    .map(s => s.reason);
  if (health === 'healthy') {
    reasons.unshift(
      `all ${measured.length} measured objective${
        measured.length === 1 ? '' : 's'
      } met`,
    );
  }
  return { health, reasons, slos, failingChecks: checks.failing };
}

/**
 * The objectives a product is held to, by kind, for display: its own or its domain's.
 * @public
 */
export function effectiveSla(
  sla: DataProductSla | undefined,
  domainSla: DataProductSla | undefined,
): Partial<Record<SloKind, string>> {
  const result: Partial<Record<SloKind, string>> = {};
  for (const key of [
    'freshness',
    'availability',
    'completeness',
    'accuracy',
  ] as const) {
    const value = sla?.[key] ?? domainSla?.[key];
    if (value !== undefined) {
      result[key] = String(value);
    }
  }
  return result;
}
