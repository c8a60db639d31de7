import { InputError } from '@backstage/errors';
import {
  NATIVE_QUALITY_RESULTS_FORMAT,
  QualityResultFormat,
} from '@backstage-datamesh/plugin-datamesh-common';
import {
  detectQualityFormat,
  parseQualityResults,
} from './parseQualityResults';
import { fixtureFiles, loadFixture } from './__testUtils__/fixtures';

const load = (file: string): unknown => loadFixture(file);

describe('detectQualityFormat', () => {
  it('tells the format of every fixture from its own markers', () => {
    const files = (folder: string, test: (f: string) => boolean) =>
      fixtureFiles(folder)
        .filter(test)
        .map(f => `${folder}/${f}`);
    const detected = Object.fromEntries(
      [
        ...files('dbt', f => f.endsWith('_run_results.json')),
        ...files('great-expectations', f => f.endsWith('.json')),
        ...files('soda', f => f.startsWith('soda-v3_')),
        '__fixtures__/native_full.json',
        '__fixtures__/native_malformed.json',
      ].map(file => [file, detectQualityFormat(load(file))]),
    );
    expect(detected).toEqual({
      'dbt/dbt-core_v4_run_results.json': 'dbt',
      'dbt/dbt-core_v6_run_results.json': 'dbt',
      'dbt/ol-build_run_results.json': 'dbt',
      'dbt/ol-duckdb_run_results.json': 'dbt',
      'dbt/ol-fail_run_results.json': 'dbt',
      'dbt/ol-no_test_metadata_run_results.json': 'dbt',
      'dbt/ol-singular_test_run_results.json': 'dbt',
      'dbt/ol-test_run_results.json': 'dbt',
      'great-expectations/correlator-ge_checkpoint_result_failure.json':
        'great-expectations',
      'great-expectations/correlator-ge_checkpoint_result_multiple.json':
        'great-expectations',
      'great-expectations/gx0.18_BasicDatasetProfiler_evrs.json':
        'great-expectations',
      'great-expectations/gx0.18_ValidationOperatorResult_with_multiple_validation_results.json':
        'great-expectations',
      'great-expectations/gx0.18_titanic_expected_data_asset_validate_results.json':
        'great-expectations',
      // results is empty: success and statistics tell it
      'great-expectations/gx0.18_upgrade_helper_c3b4c5df224fef4b1a056a0f3b93aba5.json':
        'great-expectations',
      'great-expectations/gx1_BasicDatasetProfiler_evrs.json':
        'great-expectations',
      'great-expectations/gx1_BasicDatasetProfiler_evrs_with_exception.json':
        'great-expectations',
      'great-expectations/gx1_datetime_column_evrs.json': 'great-expectations',
      'great-expectations/gx1_titanic_expected_data_asset_validate_results_with_exceptions.json':
        'great-expectations',
      'soda/soda-v3_get_scan_results.json': 'soda',
      'soda/soda-v3_scan_results_srf.json': 'soda',
      '__fixtures__/native_full.json': 'native',
      '__fixtures__/native_malformed.json': 'native',
    });
  });

  it('tells nothing of documents of other formats', () => {
    for (const document of [
      null,
      [],
      'dbt',
      {},
      load('dbt/ol-test_manifest.json'),
      load('openlineage/event_full.json'),
      load('openlineage/spec-tests_DataQualityAssertionsDatasetFacet_1.json'),
      { checks: [], definitionName: 'only one soda key' },
      { $schema: 'https://example.com/other.json', checks: [] },
    ]) {
      expect(detectQualityFormat(document)).toBeUndefined();
    }
    expect(
      detectQualityFormat({
        $schema: 'https://datamesh.io/schema/quality-results.v1.schema.json',
      }),
    ).toBe('native');
  });
});

describe('parseQualityResults', () => {
  it('refuses a document that is not the declared format, saying what it is', () => {
    expect(() =>
      parseQualityResults({
        document: load('soda/soda-v3_scan_results_srf.json'),
        format: 'dbt',
      }),
    ).toThrow(
      new InputError(
        'The document is not dbt run_results (metadata.dbt_schema_version naming a run-results schema): it is Soda scan results (checks, with scanEndTimestamp and the other keys of soda scan -srf)',
      ),
    );
    expect(() =>
      parseQualityResults({
        document: load('dbt/ol-test_run_results.json'),
        format: 'great-expectations',
      }),
    ).toThrow(
      new InputError(
        'The document is not Great Expectations validation results (results[].expectation_config) or checkpoint results (run_results): it is dbt run_results (metadata.dbt_schema_version naming a run-results schema)',
      ),
    );
  });

  it('reads a declared format whose markers are missing with that format parser, naming the field', () => {
    expect(() =>
      parseQualityResults({ document: { metadata: {} }, format: 'dbt' }),
    ).toThrow(
      new InputError(
        'Invalid dbt run_results: metadata.dbt_schema_version is required',
      ),
    );
    expect(() =>
      parseQualityResults({ document: { checks: [] }, format: 'soda' }),
    ).toThrow(
      new InputError('Invalid Soda scan results: scanEndTimestamp is required'),
    );
    expect(() =>
      parseQualityResults({ document: {}, format: 'great-expectations' }),
    ).toThrow(
      new InputError('Invalid Great Expectations result: results is required'),
    );
    expect(() =>
      parseQualityResults({ document: [], format: 'native' }),
    ).toThrow(
      new InputError(
        'Invalid data mesh quality results: (document) must be of type object, not []',
      ),
    );
  });

  it('refuses a document of no known format, and an unknown format name', () => {
    expect(() =>
      parseQualityResults({ document: load('openlineage/event_full.json') }),
    ).toThrow(
      new InputError(
        `The document is not quality results of a known format: expected dbt run_results (metadata.dbt_schema_version naming a run-results schema); or Great Expectations validation results (results[].expectation_config) or checkpoint results (run_results); or Soda scan results (checks, with scanEndTimestamp and the other keys of soda scan -srf); or the suite's quality results (format: ${NATIVE_QUALITY_RESULTS_FORMAT})`,
      ),
    );
    expect(() =>
      parseQualityResults({
        document: {},
        format: 'openlineage' as QualityResultFormat,
      }),
    ).toThrow(
      new InputError(
        'Unknown quality results format "openlineage": the formats are dbt, great-expectations, soda, native',
      ),
    );
  });

  it('reads a manifest only with dbt run_results', () => {
    expect(() =>
      parseQualityResults({
        document: load('soda/soda-v3_scan_results_srf.json'),
        manifest: load('dbt/ol-test_manifest.json'),
      }),
    ).toThrow(
      new InputError(
        'A manifest is read only with dbt run_results, not with Soda scan results (checks, with scanEndTimestamp and the other keys of soda scan -srf)',
      ),
    );
  });

  describe('bad input is always an InputError', () => {
    const bases: Array<[QualityResultFormat, unknown, unknown?]> = [
      [
        'dbt',
        load('dbt/ol-singular_test_run_results.json'),
        load('dbt/ol-singular_test_manifest.json'),
      ],
      [
        'great-expectations',
        load(
          'great-expectations/correlator-ge_checkpoint_result_multiple.json',
        ),
      ],
      [
        'great-expectations',
        load(
          'great-expectations/gx0.18_titanic_expected_data_asset_validate_results.json',
        ),
      ],
      ['soda', load('soda/soda-v3_scan_results_srf.json')],
      ['native', load('__fixtures__/native_full.json')],
    ];
    const replacements: unknown[] = [null, [], {}, 'x', 42, true, [null], [{}]];

    /** Every JSON pointer of a document, to a depth. */
    function pointers(value: unknown, depth: number, prefix = ''): string[][] {
      if (depth === 0 || typeof value !== 'object' || value === null) {
        return [];
      }
      const entries = Array.isArray(value)
        ? value.slice(0, 3).map((v, i) => [String(i), v] as const)
        : Object.entries(value);
      return entries.flatMap(([key, child]) => [
        [...(prefix ? prefix.split('\u0000') : []), key],
        ...pointers(child, depth - 1, prefix ? `${prefix}\u0000${key}` : key),
      ]);
    }

    function replaced(
      document: unknown,
      keys: string[],
      value: unknown,
    ): unknown {
      if (keys.length === 0) {
        return value;
      }
      const [key, ...rest] = keys;
      if (Array.isArray(document)) {
        return document.map((v, i) =>
          String(i) === key ? replaced(v, rest, value) : v,
        );
      }
      const object = document as Record<string, unknown>;
      return { ...object, [key]: replaced(object[key], rest, value) };
    }

    function outcome(run: () => unknown): string {
      try {
        run();
        return 'parsed';
      } catch (error) {
        return error instanceof InputError
          ? 'InputError'
          : `${(error as Error).name}: ${(error as Error).message}`;
      }
    }

    it.each(
      bases.map(([format, document, manifest], i) => [
        `${format} #${i}`,
        format,
        document,
        manifest,
      ]),
    )(
      '%s: null, arrays and wrong types at each level',
      (_, format, document, manifest) => {
        const outcomes = new Set<string>();
        for (const value of replacements) {
          outcomes.add(
            outcome(() =>
              parseQualityResults({
                document: value,
                format: format as QualityResultFormat,
                manifest,
              }),
            ),
          );
          outcomes.add(outcome(() => parseQualityResults({ document: value })));
          for (const keys of pointers(document, 4)) {
            const mutated = replaced(document, keys, value);
            outcomes.add(
              outcome(() =>
                parseQualityResults({
                  document: mutated,
                  format: format as QualityResultFormat,
                  manifest,
                }),
              ),
            );
            outcomes.add(
              outcome(() =>
                parseQualityResults({ document: mutated, manifest }),
              ),
            );
          }
          if (manifest !== undefined) {
            for (const keys of pointers(manifest, 4)) {
              const badManifest = replaced(manifest, keys, value);
              outcomes.add(
                outcome(() =>
                  parseQualityResults({
                    document,
                    format: 'dbt',
                    manifest: badManifest,
                  }),
                ),
              );
            }
          }
        }
        expect([...outcomes].sort()).toEqual(['InputError', 'parsed']);
      },
    );
  });
});
