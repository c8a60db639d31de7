import fs from 'fs';
import path from 'path';
import AjvCore from 'ajv/dist/core';
import { parse } from 'yaml';
import { createSchemaValidator } from './schemaValidator';

const fixtures = path.resolve(__dirname, '../../../../fixtures');

function fixture(file: string): object {
  return JSON.parse(fs.readFileSync(path.join(fixtures, file), 'utf8'));
}

const person = (uri?: string) => ({
  ...(uri ? { $schema: uri } : {}),
  type: 'object',
  required: ['name'],
  additionalProperties: false,
  properties: {
    name: { type: 'string' },
    role: { enum: ['owner', 'steward'] },
    tags: { type: 'array', items: { type: 'string' } },
  },
});

describe('createSchemaValidator', () => {
  it.each([
    [undefined],
    ['http://json-schema.org/draft-04/schema#'],
    ['http://json-schema.org/draft-06/schema#'],
    ['http://json-schema.org/draft-07/schema#'],
    ['https://json-schema.org/draft/2019-09/schema'],
    ['https://json-schema.org/draft/2020-12/schema'],
  ])('validates with the draft of $schema %s', uri => {
    const validator = createSchemaValidator(person(uri));
    expect(validator.validate({ name: 'Ada', role: 'owner' })).toEqual([]);
    expect(
      validator.validate({ role: 'chief', tags: ['a', 3], age: 36 }),
    ).toEqual([
      { path: 'name', message: 'name is required' },
      {
        path: 'age',
        message: 'age is not a known field; known fields are name, role, tags',
      },
      {
        path: 'role',
        message: 'role must be one of owner, steward, not "chief"',
      },
      { path: 'tags[1]', message: 'tags[1] must be of type string, not 3' },
    ]);
  });

  it('refuses a schema of an unsupported draft, naming it', () => {
    expect(() =>
      createSchemaValidator({
        $id: 'https://example.com/x.json',
        $schema: 'http://json-schema.org/draft-03/schema#',
      }),
    ).toThrow(
      'The JSON schema https://example.com/x.json uses $schema "http://json-schema.org/draft-03/schema#", which is not a supported draft',
    );
  });

  it('names the standard and the root as told', () => {
    const validator = createSchemaValidator(person(), {
      standard: 'ODPS',
      root: '(descriptor)',
    });
    expect(validator.validate({ name: 'Ada', extra: 1 })).toEqual([
      { path: 'extra', message: 'extra is not a field of the ODPS schema' },
    ]);
    expect(validator.validate([])).toEqual([
      {
        path: '(descriptor)',
        message: '(descriptor) must be of type object, not []',
      },
    ]);
    expect(validator.validate({})).toEqual([
      { path: 'name', message: 'name is required by the ODPS schema' },
    ]);
  });

  it('leaves out the noise of oneOf, anyOf and if when their branches explain the problem', () => {
    const validator = createSchemaValidator({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'object',
      properties: {
        port: {
          oneOf: [
            {
              type: 'object',
              required: ['$ref'],
              properties: { $ref: { type: 'string' } },
            },
            {
              type: 'object',
              required: ['name'],
              properties: { name: { type: 'string' } },
            },
          ],
        },
        kind: { anyOf: [{ const: 'a' }, { const: 'b' }] },
        check: {
          type: 'object',
          if: { properties: { type: { const: 'range' } } },
          then: { required: ['min'] },
        },
      },
    });
    expect(
      validator.validate({
        port: { description: 'no name' },
        kind: 'c',
        check: { type: 'range' },
      }),
    ).toEqual([
      { path: 'port.name', message: 'port.name is required' },
      { path: 'kind', message: 'kind must be "a", not "c"' },
      { path: 'kind', message: 'kind must be "b", not "c"' },
      { path: 'check.min', message: 'check.min is required' },
    ]);
  });

  it('words a failed value with the x-message of its schema, in place of its branches', () => {
    const validator = createSchemaValidator(
      {
        type: 'object',
        properties: {
          ratio: {
            oneOf: [
              { type: 'string', pattern: '^[0-9]+%$' },
              { type: 'number', maximum: 1 },
            ],
            'x-message': 'must be a percentage such as 99% or a ratio',
          },
          slug: {
            type: 'string',
            pattern: '^[a-z]+$',
            'x-message': 'must be lowercase letters',
          },
        },
      },
      { strict: true },
    );
    expect(validator.validate({ ratio: 'high', slug: 'Big' })).toEqual([
      {
        path: 'ratio',
        message:
          'ratio must be a percentage such as 99% or a ratio, not "high"',
      },
      { path: 'slug', message: 'slug must be lowercase letters, not "Big"' },
    ]);
  });

  it('checks formats unless told to treat them as annotations', () => {
    const schema = {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      properties: { at: { type: 'string', format: 'date-time' } },
    };
    expect(createSchemaValidator(schema).validate({ at: 'yesterday' })).toEqual(
      [{ path: 'at', message: 'at must match format "date-time"' }],
    );
    expect(
      createSchemaValidator(schema, { validateFormats: false }).validate({
        at: 'yesterday',
      }),
    ).toEqual([]);
  });

  it('resolves $refs to the schemas registered by $id (OpenLineage facets)', () => {
    const core = fixture('openlineage/OpenLineage.json');
    const facet = fixture('openlineage/SchemaDatasetFacet.json');
    const validator = createSchemaValidator(facet, { references: [core] });
    const fragment = JSON.parse(
      fs.readFileSync(
        path.join(fixtures, 'openlineage/spec-tests_SchemaDatasetFacet_1.json'),
        'utf8',
      ),
    );
    expect(validator.validate(fragment)).toEqual([]);
    const { _producer, ...withoutProducer } = fragment.schema;
    expect(_producer).toBeDefined();
    expect(
      validator.validate({
        schema: { ...withoutProducer, fields: [{ type: 'INT' }] },
      }),
    ).toEqual([
      // required by the core schema's BaseFacet, reached through the registered reference
      { path: 'schema._producer', message: 'schema._producer is required' },
      {
        path: 'schema.fields[0].name',
        message: 'schema.fields[0].name is required',
      },
    ]);
    expect(() => createSchemaValidator(facet).validate({})).toThrow(
      "can't resolve reference https://openlineage.io/spec/2-0-2/OpenLineage.json",
    );
  });

  it('validates with the draft-04 schema of Soda data contracts', () => {
    const validator = createSchemaValidator(
      fixture('soda/soda_data_contract_json_schema_1_0_0.json'),
      { standard: 'Soda data contract' },
    );
    const contract = parse(
      fs.readFileSync(
        path.join(fixtures, 'soda/customers.contract.yml'),
        'utf8',
      ),
    );
    expect(validator.validate(contract)).toEqual([]);
    const { dataset, ...withoutDataset } = contract;
    expect(dataset).toBe('CUSTOMERS');
    expect(validator.validate(withoutDataset)).toEqual([
      {
        path: 'dataset',
        message: 'dataset is required by the Soda data contract schema',
      },
    ]);
  });

  it('compiles a schema once however many validators use it', () => {
    const compile = jest.spyOn(AjvCore.prototype, 'compile');
    try {
      const schema = person();
      const first = createSchemaValidator(schema);
      const second = createSchemaValidator(schema);
      expect(first.validate({ name: 'Ada' })).toEqual([]);
      expect(first.validate({ name: 'Grace' })).toEqual([]);
      expect(second.validate({})).toEqual([
        { path: 'name', message: 'name is required' },
      ]);
      expect(compile).toHaveBeenCalledTimes(1);
      createSchemaValidator(schema, { strict: true }).validate({});
      expect(compile).toHaveBeenCalledTimes(2);
    } finally {
      compile.mockRestore();
    }
  });

  it('does not repeat a message', () => {
    const validator = createSchemaValidator({
      $schema: 'https://json-schema.org/draft/2019-09/schema',
      type: 'object',
      allOf: [{ required: ['id'] }, { required: ['id'] }],
    });
    expect(validator.validate({})).toEqual([
      { path: 'id', message: 'id is required' },
    ]);
  });
});
