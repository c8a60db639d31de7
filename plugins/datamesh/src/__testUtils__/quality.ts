import type {
  Incident,
  ProductHealth,
  ProductHistory,
  StoredCheckResult,
} from '@backstage-datamesh/plugin-datamesh-common';

/** Times relative to the test's start, as ISO 8601. */
export function minutesAgo(minutes: number): string {
  return new Date(Date.now() - minutes * 60_000).toISOString();
}

/** The health of customer-360 as the backend answers it when a completeness check fails. */
export function breachingHealth(
  overrides: Partial<ProductHealth> = {},
): ProductHealth {
  return {
    entityRef: 'dataproduct:default/customer-360',
    health: 'breaching',
    reasons: [
      'completeness 97.5% against 0.98 (2 checks)',
      'checks: 1 of 4 do not pass: not_null_customer_360_email (fail)',
    ],
    slos: [
      {
        slo: 'freshness',
        objective: '15m',
        objectiveSource: 'product',
        measured: 5 * 60_000,
        status: 'met',
        reason: 'freshness 5m against 15m (port customer-profile)',
      },
      {
        slo: 'availability',
        objective: '99.95%',
        objectiveSource: 'product',
        measured: 0.9999,
        status: 'met',
        reason: 'availability 99.99% of the last 30 days against 99.95%',
      },
      {
        slo: 'completeness',
        objective: '0.98',
        objectiveSource: 'product',
        measured: 0.975,
        status: 'breached',
        reason: 'completeness 97.5% against 0.98 (2 checks)',
      },
      {
        slo: 'accuracy',
        objective: '99%',
        objectiveSource: 'domain',
        status: 'unknown',
        reason:
          'accuracy: no accuracy or validity or uniqueness or consistency check reported',
      },
      {
        slo: 'checks',
        measured: 0.75,
        status: 'at-risk',
        reason:
          'checks: 1 of 4 do not pass: not_null_customer_360_email (fail)',
      },
    ],
    failingChecks: [
      {
        checkId: 'test.shop.not_null_customer_360_email.1a2b',
        name: 'not_null_customer_360_email',
        status: 'fail',
        port: 'customer-profile',
      },
    ],
    since: minutesAgo(192),
    evaluatedAt: minutesAgo(1),
    ...overrides,
  };
}

/** An incident of customer-360, open since the product started breaching. */
export function openIncident(overrides: Partial<Incident> = {}): Incident {
  return {
    id: '6f1c2b9e-8a47-4a5e-9d0b-3c2f1e0a9b7d',
    entityRef: 'dataproduct:default/customer-360',
    state: 'new',
    severity: 'high',
    title: 'Customer 360 View breaches completeness',
    reasons: ['completeness 97.5% against 0.98 (2 checks)'],
    openedAt: minutesAgo(192),
    events: [
      {
        at: minutesAgo(192),
        type: 'opened',
        reasons: ['completeness 97.5% against 0.98 (2 checks)'],
      },
    ],
    ...overrides,
  };
}

/** A check result as the latest-checks route answers it. */
export function storedCheck(
  overrides: Partial<StoredCheckResult> = {},
): StoredCheckResult {
  return {
    entityRef: 'dataproduct:default/customer-360',
    port: 'customer-profile',
    runId: 17,
    checkId: 'test.shop.unique_customer_360_customer_id.9f8e',
    name: 'unique_customer_360_customer_id',
    status: 'pass',
    format: 'dbt',
    tool: { name: 'dbt', version: '1.8.5' },
    dataset: { name: 'analytics.customer.customer_360' },
    column: 'customer_id',
    checkType: 'unique',
    dimension: 'uniqueness',
    observedValue: 0,
    threshold: 'fail if != 0',
    unexpectedCount: 0,
    executedAt: minutesAgo(12),
    rawPointer: '/results/1',
    ...overrides,
  };
}

/** 30 days of history of customer-360: pass rates, freshness of one port, a row count. */
export function history(days: 7 | 30 | 90 = 30): ProductHistory {
  const to = Date.now();
  const from = to - days * 86_400_000;
  const day = (n: number) =>
    new Date(to - n * 86_400_000).toISOString().slice(0, 10);
  return {
    entityRef: 'dataproduct:default/customer-360',
    days,
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
    checks: [
      {
        day: day(2),
        counts: { pass: 4, warn: 0, fail: 0, error: 0, skipped: 0 },
        passRate: 1,
      },
      {
        day: day(1),
        counts: { pass: 3, warn: 0, fail: 1, error: 0, skipped: 1 },
        passRate: 0.75,
      },
    ],
    freshness: [
      { port: 'customer-profile', at: minutesAgo(65), lagSeconds: 300 },
      { port: 'customer-profile', at: minutesAgo(5), lagSeconds: 3600 },
      {
        port: 'customer-profile',
        at: new Date(to).toISOString(),
        lagSeconds: 300,
      },
    ],
    metrics: [
      {
        metric: 'nullCount',
        port: 'customer-profile',
        column: 'email',
        points: [{ at: minutesAgo(1440), value: 12 }],
      },
      {
        metric: 'rowCount',
        port: 'customer-profile',
        points: [
          { at: minutesAgo(2 * 1440), value: 249000, min: 248000, max: 250000 },
          { at: minutesAgo(1440), value: 250000, min: 249500, max: 250500 },
        ],
      },
    ],
  };
}
