import { QUALITY_CHECK_STATUSES, QUALITY_DIMENSIONS } from './types';
import {
  NATIVE_QUALITY_RESULTS_FORMAT,
  qualityResultsSchema,
  validateQualityResults,
} from './validateQualityResults';

const valid = {
  format: NATIVE_QUALITY_RESULTS_FORMAT,
  finishedAt: '2024-05-06T10:15:00Z',
  checks: [{ name: 'orders have rows', status: 'pass' }],
};

describe('the quality results v1 schema', () => {
  it('has an $id, and the one list of statuses and dimensions', () => {
    expect(qualityResultsSchema.$id).toBe(
      'https://datamesh.io/schema/quality-results.v1.schema.json',
    );
    const check = (
      qualityResultsSchema as {
        definitions: {
          check: { properties: Record<string, { enum?: string[] }> };
        };
      }
    ).definitions.check;
    expect(check.properties.status.enum).toEqual([...QUALITY_CHECK_STATUSES]);
    expect(check.properties.dimension.enum).toEqual([...QUALITY_DIMENSIONS]);
  });

  it('accepts a minimal document', () => {
    expect(validateQualityResults(valid)).toEqual([]);
  });

  it('names each wrong field', () => {
    expect(
      validateQualityResults({
        ...valid,
        finishedAt: '2024-05-06 10:15',
        checks: [
          {
            name: 'x',
            status: 'ok',
            unexpectedPercent: 120,
            observedValue: [],
          },
          {},
        ],
      }).map(p => p.message),
    ).toEqual([
      'finishedAt must be a time with a time zone, such as 2024-05-06T10:15:00Z, not "2024-05-06 10:15"',
      'checks[0].status must be one of pass, warn, fail, error, skipped, not "ok"',
      'checks[0].observedValue must be a number or a string, not []',
      'checks[0].unexpectedPercent must be <= 100',
      'checks[1].name is required by the quality results v1 schema',
      'checks[1].status is required by the quality results v1 schema',
    ]);
  });

  it('refuses a document of another format', () => {
    expect(validateQualityResults({ checks: [] }).map(p => p.path)).toEqual([
      'format',
      'finishedAt',
    ]);
  });
});
