import fs from 'node:fs';
import path from 'node:path';
import type { DataContractResult } from '@backstage-datamesh/plugin-datamesh-common';
import { parseDataContract } from './parseDataContract';

function expectStatus<S extends DataContractResult['status']>(
  result: DataContractResult,
  status: S,
): Extract<DataContractResult, { status: S }> {
  if (result.status !== status) {
    throw new Error(`expected ${status}, got ${JSON.stringify(result)}`);
  }
  return result as Extract<DataContractResult, { status: S }>;
}

/** The public fixtures copied into the repository (fixtures/, with their sources). */
const fixtures = path.resolve(__dirname, '../../../../fixtures/odcs');

function read(file: string) {
  return parseDataContract(
    fs.readFileSync(path.join(fixtures, file), 'utf8'),
    file,
  );
}

describe('parseDataContract with the ODCS fixtures', () => {
  it('finds the fixtures', () => {
    expect(
      fs.readdirSync(fixtures).filter(f => f.endsWith('.yaml')).length,
    ).toBeGreaterThanOrEqual(20);
  });

  it.each([
    ['full-example.odcs.yaml', 2],
    ['postgresql-adventureworks-contract.odcs.yaml', 68],
    ['all-data-types.odcs.yaml', 1],
    ['all-schema-types.odcs.yaml', 3],
    ['kafka-schema.odcs.yaml', 1],
    ['table-columns-with-partition.odcs.yaml', 1],
    ['column-completeness.odcs.yaml', 1],
    ['column-validity.odcs.yaml', 1],
    ['column-accuracy.odcs.yaml', 1],
    ['column-custom.odcs.yaml', 1],
    ['database-table-sla.odcs.yaml', 0],
    ['basic-four-dpo.odcs.yaml', 0],
    ['service-and-operational-roles.odcs.yaml', 0],
    ['dccli_odcs-datacontract-cities-version-1.yaml', 1],
    ['dccli_sodacl_datacontract.odcs.yaml', 2],
  ])(
    'accepts the valid v3 contract %s with %i schema objects',
    (file, objects) => {
      const result = expectStatus(read(file), 'valid');
      expect(result.source).toBe(file);
      expect(result.contract.schema).toHaveLength(objects);
      expect(result.contract.apiVersion).toMatch(/^v3\./);
    },
  );

  it('summarises the schema of the full example', () => {
    const result = expectStatus(read('full-example.odcs.yaml'), 'valid');
    const [first] = result.contract.schema;
    expect(first.name).toBe('tbl');
    expect(first.properties.length).toBeGreaterThan(0);
    expect(first.physicalName).toBe('tbl_1');
    expect(first.properties[0]).toMatchObject({
      name: 'transaction_reference_date',
      physicalName: 'txn_ref_dt',
      logicalType: 'date',
      physicalType: 'date',
      required: false,
      description: 'Reference date for transaction',
    });
  });

  it.each([
    ['dccli_invalid.odcs.yaml', ['status is required']],
    [
      'dccli_invalid_multiple_schema_errors.odcs.yaml',
      ['schema[0].description must be of type string, not null'],
    ],
    [
      'dccli_odcs-datacontract-cities-version-2.yaml',
      ['servers[8].delimiter is not a known field; known fields are '],
    ],
    [
      'strict-schema-test-invalid.odcs.yaml',
      [
        'servers[0].undefinedServerProperty is not a known field; known fields are ',
      ],
    ],
  ])('rejects the invalid contract %s naming the fields', (file, messages) => {
    const result = expectStatus(read(file), 'invalid');
    expect(result.message).toContain(
      'does not conform to the ODCS v3.1.0 schema',
    );
    expect(result.errors.map(e => e.message)).toEqual(
      expect.arrayContaining(messages.map(m => expect.stringContaining(m))),
    );
  });

  it('answers a v2 contract with an unsupported version', () => {
    expect(read('v2.2.2_full-example.yaml')).toEqual({
      status: 'unsupported-version',
      source: 'v2.2.2_full-example.yaml',
      apiVersion: 'v2.2.2',
      message:
        'ODCS v2.2.2 is not supported: the data contract must use ODCS v3.0.x and v3.1.x (v2 documents must be migrated to v3)',
    });
  });

  it('reports YAML syntax errors with their line', () => {
    const result = expectStatus(
      parseDataContract('apiVersion: v3.1.0\nkind: [DataContract\n', 'x.yaml'),
      'invalid',
    );
    expect(result.message).toBe('The data contract is not valid YAML');
    expect(result.errors[0].path).toMatch(/^line \d+$/);
  });

  it('reports a document without apiVersion or that is not a mapping', () => {
    expect(parseDataContract('kind: DataContract\n', 'x')).toMatchObject({
      status: 'invalid',
      errors: [{ path: 'apiVersion' }],
    });
    expect(parseDataContract('- a\n- b\n', 'x')).toMatchObject({
      status: 'invalid',
    });
    expect(parseDataContract('apiVersion: v4.0.0\n', 'x')).toMatchObject({
      status: 'unsupported-version',
      apiVersion: 'v4.0.0',
    });
  });
});
