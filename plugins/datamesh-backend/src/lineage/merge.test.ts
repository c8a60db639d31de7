import { datasetNameKey, datasetNameSpellings } from './merge';

describe('dataset names', () => {
  it('gives one key to the spellings of one dataset, and another to a name whose quoted part holds a dot', () => {
    const key = datasetNameKey('db.schema.table');
    expect(datasetNameKey('"db"."schema"."Table"')).toBe(key);
    expect(datasetNameKey('[DB].`schema`.table')).toBe(key);
    expect(datasetNameKey(' db.schema."TABLE" ')).toBe(key);
    expect(datasetNameKey('"db.schema".table')).not.toBe(key);
    expect(datasetNameKey('db.schema')).not.toBe(key);
  });

  it('lists the spellings an event may give a name, each with the same key', () => {
    const spellings = datasetNameSpellings('DB.Schema.Table');
    expect(spellings).toEqual(
      expect.arrayContaining([
        'db.schema.table',
        '"db"."schema"."table"',
        'db.schema."table"',
        '`db`.schema.`table`',
        '[db].[schema].[table]',
      ]),
    );
    // bare, then each of the 7 quoted ones per style
    expect(spellings).toHaveLength(1 + 3 * 7);
    for (const spelling of spellings) {
      expect(spelling).toBe(spelling.toLowerCase());
      expect(datasetNameKey(spelling)).toBe(datasetNameKey('db.schema.table'));
    }
  });

  it('keeps a part that holds a dot quoted, and bounds the spellings of long names', () => {
    expect(datasetNameSpellings('"my.db".t')).toEqual(
      expect.arrayContaining(['"my.db".t', '"my.db"."t"', '[my.db].t']),
    );
    expect(datasetNameSpellings('"my.db".t')).not.toContain('my.db.t');
    const long = datasetNameSpellings('a.b.c.d.e.f');
    expect(long).toEqual(
      expect.arrayContaining(['a.b.c.d.e.f', '"a"."b"."c"."d"."e"."f"']),
    );
    expect(long.length).toBeLessThanOrEqual(1 + 3 * 2);
  });
});
