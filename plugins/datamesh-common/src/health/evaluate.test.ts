import {
  evaluateProductHealth,
  formatLag,
  measureAvailability,
  HealthEvaluationInput,
} from './evaluate';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const now = Date.UTC(2026, 11, 1, 12, 0, 0);

function input(
  overrides: Partial<HealthEvaluationInput>,
): HealthEvaluationInput {
  return {
    now,
    ports: ['profile'],
    lastUpdates: {},
    checks: [],
    ...overrides,
  };
}

describe('formatLag', () => {
  it.each([
    [45_000, '45s'],
    [12 * MIN, '12m'],
    [3 * HOUR + 12 * MIN, '3h 12m'],
    [2 * HOUR, '2h'],
    [2 * DAY + 4 * HOUR, '2d 4h'],
  ])('%d ms is %s', (ms, text) => expect(formatLag(ms)).toBe(text));
});

describe('measureAvailability', () => {
  it('is 1 when every update came within the objective', () => {
    const updates = Array.from({ length: 48 }, (_, i) => now - i * HOUR);
    expect(measureAvailability(updates, 2 * HOUR, now, DAY)).toBe(1);
  });

  it('counts the time past the objective until the next update as stale', () => {
    // updates at -24h and -12h with a 6h objective: stale from -18h to -12h and from -6h to now
    const availability = measureAvailability(
      [now - 24 * HOUR, now - 12 * HOUR],
      6 * HOUR,
      now,
      DAY,
    );
    expect(availability).toBeCloseTo(0.5, 6);
  });

  it('starts the window at the first update when history is shorter', () => {
    expect(
      measureAvailability([now - 2 * HOUR], HOUR, now, 30 * DAY),
    ).toBeCloseTo(0.5, 6);
  });

  it('decides the start of the window by the update before it', () => {
    // one update 40 days ago, 1 day objective: the whole 30-day window is stale
    expect(measureAvailability([now - 40 * DAY], DAY, now, 30 * DAY)).toBe(0);
  });

  it('is undefined without updates', () => {
    expect(measureAvailability([], HOUR, now)).toBeUndefined();
  });
});

describe('evaluateProductHealth', () => {
  it('is unknown when nothing can be measured', () => {
    const result = evaluateProductHealth(input({ sla: { freshness: '15m' } }));
    expect(result.health).toBe('unknown');
    expect(result.reasons).toContain(
      'freshness: no successful update of an output port recorded yet',
    );
  });

  it('breaches freshness with the lag against the objective and the port', () => {
    const result = evaluateProductHealth(
      input({
        sla: { freshness: '15m' },
        lastUpdates: { profile: now - (3 * HOUR + 12 * MIN) },
      }),
    );
    expect(result.health).toBe('breaching');
    expect(result.reasons[0]).toBe(
      'freshness 3h 12m against 15m (port profile)',
    );
  });

  it('is degraded when freshness is past 80 % of its objective', () => {
    const result = evaluateProductHealth(
      input({
        sla: { freshness: '15m' },
        lastUpdates: { profile: now - 13 * MIN },
      }),
    );
    expect(result.health).toBe('degraded');
    expect(result.slos.find(s => s.slo === 'freshness')?.status).toBe(
      'at-risk',
    );
  });

  it("uses the domain's baseline where the product sets no objective", () => {
    const result = evaluateProductHealth(
      input({
        domainSla: { freshness: '1h' },
        lastUpdates: { profile: now - 2 * HOUR },
      }),
    );
    expect(result.health).toBe('breaching');
    expect(result.reasons[0]).toBe(
      'freshness 2h against 1h (domain baseline) (port profile)',
    );
  });

  it('is healthy when every measured objective is met and every check passes', () => {
    const result = evaluateProductHealth(
      input({
        sla: { freshness: '1h', completeness: '99%' },
        lastUpdates: { profile: now - 10 * MIN },
        checks: [
          {
            checkId: 'a',
            name: 'not_null_id',
            status: 'pass',
            dimension: 'completeness',
            rowsEvaluated: 1000,
            unexpectedCount: 0,
          },
        ],
      }),
    );
    expect(result.health).toBe('healthy');
    expect(result.reasons[0]).toBe('all 3 measured objectives met');
  });

  it('weighs completeness by rows and breaches below the objective', () => {
    const result = evaluateProductHealth(
      input({
        sla: { completeness: '99%' },
        checks: [
          {
            checkId: 'a',
            name: 'not_null_email',
            status: 'fail',
            dimension: 'completeness',
            rowsEvaluated: 1000,
            unexpectedCount: 50,
          },
          {
            checkId: 'b',
            name: 'not_null_id',
            status: 'pass',
            dimension: 'completeness',
            rowsEvaluated: 1000,
            unexpectedCount: 0,
          },
        ],
      }),
    );
    expect(result.health).toBe('breaching');
    expect(result.reasons[0]).toBe('completeness 97.5% against 99% (2 checks)');
    expect(result.failingChecks).toEqual([
      { checkId: 'a', name: 'not_null_email', status: 'fail' },
    ]);
  });

  it('measures accuracy from validity and uniqueness checks', () => {
    const result = evaluateProductHealth(
      input({
        sla: { accuracy: 0.9 },
        checks: [
          {
            checkId: 'u',
            name: 'unique_id',
            status: 'pass',
            dimension: 'uniqueness',
          },
          {
            checkId: 'v',
            name: 'accepted_values',
            status: 'fail',
            dimension: 'validity',
          },
        ],
      }),
    );
    expect(result.slos.find(s => s.slo === 'accuracy')).toMatchObject({
      measured: 0.5,
      status: 'breached',
    });
  });

  it('is degraded, not breaching, when a check fails that no objective measures', () => {
    const result = evaluateProductHealth(
      input({
        checks: [
          { checkId: 'x', name: 'row_count', status: 'warn' },
          { checkId: 'y', name: 'schema', status: 'pass' },
        ],
      }),
    );
    expect(result.health).toBe('degraded');
    expect(result.reasons).toContain(
      'checks: 1 of 2 do not pass: row_count (warn)',
    );
  });

  it('breaches availability measured over the freshness objective', () => {
    const result = evaluateProductHealth(
      input({
        sla: { freshness: '1h', availability: '99.9%' },
        lastUpdates: { profile: now - 10 * MIN },
        availability: 0.95,
      }),
    );
    expect(result.health).toBe('breaching');
    expect(result.reasons[0]).toBe(
      'availability 95% of the last 30 days against 99.9%',
    );
  });

  it('cannot measure availability without a freshness objective', () => {
    const result = evaluateProductHealth(
      input({ sla: { availability: '99%' }, availability: 1 }),
    );
    expect(result.slos.find(s => s.slo === 'availability')?.status).toBe(
      'unknown',
    );
  });
});
