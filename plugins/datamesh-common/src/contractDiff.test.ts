import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import {
  ContractChange,
  diffContracts,
  diffPortContracts,
  readContractSchema,
} from './contractDiff';

const odcs = path.resolve(__dirname, '../../../fixtures/odcs');
const examples = path.resolve(__dirname, '../../../examples/data-products');

/** The parts of an ODCS document these tests read and change. */
type OdcsQualityRule = {
  metric?: string;
  arguments?: Record<string, unknown>;
  [field: string]: unknown;
};
type OdcsProperty = {
  name: string;
  logicalType?: string;
  physicalType?: string;
  logicalTypeOptions?: Record<string, unknown>;
  quality?: OdcsQualityRule[];
  [field: string]: unknown;
};
type OdcsObject = {
  name?: string;
  physicalName?: string;
  physicalType?: string;
  quality?: OdcsQualityRule[];
  properties: OdcsProperty[];
};
type OdcsDocument = {
  apiVersion?: string;
  id?: string;
  version?: string;
  schema: OdcsObject[];
  [field: string]: unknown;
};

function read(file: string): OdcsDocument {
  return parse(fs.readFileSync(file, 'utf8'));
}

/** An item of a list the test knows is there. */
function itemOf<T>(list: T[] | undefined, index: number): T {
  const item = list?.at(index);
  if (item === undefined) {
    throw new Error(`no item ${index}`);
  }
  return item;
}

/** A column of the document's first schema object, by name. */
function column(doc: OdcsDocument, name: string): OdcsProperty {
  const found = doc.schema[0].properties.find(p => p.name === name);
  if (!found) {
    throw new Error(`no column ${name} in ${doc.id}`);
  }
  return found;
}

const clone = <T>(value: T): T => structuredClone(value);

/** The changes as `kind breaking where attribute old → new`, for compact assertions. */
const brief = (changes: ContractChange[]) =>
  changes.map(c => c.message.replace(/^/, `${c.breaking ? 'B' : '-'} `));

describe('diffContracts', () => {
  const cities1 = read(
    path.join(odcs, 'dccli_odcs-datacontract-cities-version-1.yaml'),
  );
  const cities2 = read(
    path.join(odcs, 'dccli_odcs-datacontract-cities-version-2.yaml'),
  );

  it('finds nothing between a contract and itself', () => {
    for (const file of [
      'full-example.odcs.yaml',
      'all-data-types.odcs.yaml',
      'all-schema-types.odcs.yaml',
      'postgresql-adventureworks-contract.odcs.yaml',
    ]) {
      const doc = read(path.join(odcs, file));
      expect(diffContracts(doc, clone(doc), { port: 'p' })).toEqual([]);
    }
  });

  it("reports the cities contract's new optional column as an addition, and its removal as breaking", () => {
    expect(diffContracts(cities1, cities2, { port: 'cities' })).toEqual([
      {
        kind: 'property-added',
        breaking: false,
        port: 'cities',
        object: 'cities',
        property: 'population',
        columns: ['population'],
        message: 'cities.cities.population: column added',
      },
    ]);
    expect(diffContracts(cities2, cities1, { port: 'cities' })).toEqual([
      {
        kind: 'property-removed',
        breaking: true,
        port: 'cities',
        object: 'cities',
        property: 'population',
        columns: ['population'],
        message: 'cities.cities.population: column removed (integer bigint)',
      },
    ]);
  });

  it('tells a retype and a narrowing from a widening', () => {
    const orders = read(
      path.join(examples, 'sales/contracts/order-history-orders.odcs.yaml'),
    );
    const changed = clone(orders);
    column(changed, 'order_id').physicalType = 'varchar(12)';
    column(changed, 'status').physicalType = 'varchar(32)';
    column(changed, 'order_total_eur').logicalType = 'string';
    column(changed, 'ordered_at').physicalType = 'date';
    expect(brief(diffContracts(orders, changed, { port: 'orders' }))).toEqual([
      'B orders.orders.order_id: type narrowed (physicalType "varchar(20)" → "varchar(12)")',
      'B orders.orders.order_total_eur: retyped (logicalType "number" → "string")',
      '- orders.orders.status: type widened (physicalType "varchar(16)" → "varchar(32)")',
      'B orders.orders.ordered_at: retyped (physicalType "timestamptz" → "date")',
    ]);
    const widened = clone(cities2);
    widened.schema[0].properties[2].logicalType = 'number';
    widened.schema[0].properties[2].physicalType = 'double';
    expect(brief(diffContracts(cities2, widened, { port: 'cities' }))).toEqual([
      '- cities.cities.population: type widened (logicalType "integer" → "number")',
      'B cities.cities.population: retyped (physicalType "bigint" → "double")',
    ]);
    expect(brief(diffContracts(widened, cities2, { port: 'cities' }))).toEqual([
      'B cities.cities.population: type narrowed (logicalType "number" → "integer")',
      'B cities.cities.population: retyped (physicalType "double" → "bigint")',
    ]);
  });

  it('reports tightened constraints as breaking and relaxed ones as not', () => {
    const base = read(path.join(odcs, 'all-data-types.odcs.yaml'));
    const changed = clone(base);
    const options = (doc: OdcsDocument, name: string) => {
      const found = column(doc, name).logicalTypeOptions;
      if (!found) {
        throw new Error(`column ${name} has no logicalTypeOptions`);
      }
      return found;
    };
    options(changed, 'account_id').maxLength = 8;
    options(changed, 'account_id').minLength = 8;
    options(changed, 'amount').minimum = 10;
    options(changed, 'age').exclusiveMaximum = 120;
    expect(brief(diffContracts(base, changed, { port: 'txn' }))).toEqual([
      '- txn.transactions_tbl.account_id: minLength lowered (logicalTypeOptions.minLength 11 → 8)',
      'B txn.transactions_tbl.account_id: maxLength lowered (logicalTypeOptions.maxLength 11 → 8)',
      'B txn.transactions_tbl.amount: minimum raised (logicalTypeOptions.minimum 0 → 10)',
      '- txn.transactions_tbl.age: exclusiveMaximum raised (logicalTypeOptions.exclusiveMaximum 100 → 120)',
    ]);
    expect(
      diffContracts(changed, base, { port: 'txn' }).map(c => c.breaking),
    ).toEqual([true, false, false, true]);

    const schemaTypes = read(path.join(odcs, 'all-schema-types.odcs.yaml'));
    const keyed = clone(schemaTypes);
    column(keyed, 'txn_ref_dt').required = true;
    column(keyed, 'rcvr_cntry_code').unique = true;
    column(keyed, 'txn_ref_dt').primaryKey = true;
    expect(brief(diffContracts(schemaTypes, keyed, { port: 'p' }))).toEqual([
      'B p.tbl.txn_ref_dt: made required (required false → true)',
      'B p.tbl.txn_ref_dt: primary key changed (primaryKey false → true)',
      'B p.tbl.rcvr_cntry_code: made unique (unique (unset) → true)',
    ]);
    // back again: optional and no longer unique relax, the primary key still changes
    expect(
      diffContracts(keyed, schemaTypes, { port: 'p' }).map(
        c => `${c.breaking} ${c.kind} ${c.attribute}`,
      ),
    ).toEqual([
      'false constraint-relaxed required',
      'true constraint-tightened primaryKey',
      'false constraint-relaxed unique',
    ]);
  });

  it('reports an enum losing values, and a quality rule made stricter or added', () => {
    const validity = read(path.join(odcs, 'column-validity.odcs.yaml'));
    const stricter = clone(validity);
    const rule = itemOf(stricter.schema[0].properties[0].quality, 0);
    rule.mustBeLessOrEqualTo = 1;
    rule.arguments = { ...rule.arguments, validValues: ['', null] };
    expect(brief(diffContracts(validity, stricter, { port: 'air' }))).toEqual([
      'B air.Air_Quality.air_quality_status: quality rule invalidValues made stricter (quality[invalidValues].mustBeLessOrEqualTo 5 → 1)',
      'B air.Air_Quality.air_quality_status: valid values removed: ["n/a"] (quality[invalidValues].arguments.validValues ["",null,"n/a"] → ["",null])',
    ]);
    expect(
      diffContracts(stricter, validity, { port: 'air' }).map(c => c.breaking),
    ).toEqual([false, false]);

    const completeness = read(path.join(odcs, 'column-completeness.odcs.yaml'));
    const withRule = clone(completeness);
    const objectRules = (withRule.schema[0].quality ??= []);
    objectRules.push({ metric: 'rowCount', mustBeGreaterThan: 100 });
    expect(brief(diffContracts(completeness, withRule, { port: 'p' }))).toEqual(
      [`B p.${completeness.schema[0].name}: quality rule rowCount added`],
    );
    const lowered = clone(withRule);
    itemOf(lowered.schema[0].quality, -1).mustBeGreaterThan = 10;
    expect(brief(diffContracts(withRule, lowered, { port: 'p' }))).toEqual([
      `- p.${completeness.schema[0].name}: quality rule rowCount made looser (quality[rowCount].mustBeGreaterThan 100 → 10)`,
    ]);

    const withEnum = clone(cities1);
    withEnum.schema[0].properties[1].logicalTypeOptions = {
      enum: ['Berlin', 'Paris', 'Rome'],
    };
    const fewer = clone(withEnum);
    itemOf(fewer.schema[0].properties, 1).logicalTypeOptions = {
      enum: ['Berlin', 'Rome'],
    };
    expect(brief(diffContracts(withEnum, fewer, { port: 'c' }))).toEqual([
      'B c.cities.name: enum values removed: ["Paris"] (logicalTypeOptions.enum ["Berlin","Paris","Rome"] → ["Berlin","Rome"])',
    ]);
  });

  it('reports a removed schema object and nested properties by dotted path', () => {
    const full = read(path.join(odcs, 'all-schema-types.odcs.yaml'));
    const fewer = clone(full);
    const removed = itemOf(fewer.schema.splice(-1, 1), 0);
    const changes = diffContracts(full, fewer, { port: 'p' });
    expect(changes).toEqual([
      expect.objectContaining({
        kind: 'object-removed',
        breaking: true,
        object: removed.name,
      }),
    ]);

    const nested = clone(full);
    // the object's first property is an array whose items are objects with properties
    const items = itemOf(nested.schema, 2).properties[0].items as {
      properties: OdcsProperty[];
    };
    itemOf(items.properties, 0).physicalType = 'VARCHAR(36)';
    items.properties.pop();
    expect(brief(diffContracts(full, nested, { port: 'p' }))).toEqual([
      'B p.AnotherObject.x.id: type narrowed (physicalType "VARCHAR(40)" → "VARCHAR(36)")',
      expect.stringMatching(/^B p\.AnotherObject\.x\.\w+: column removed/),
    ]);
  });

  it('compares a contract with the summary the portal answers', () => {
    const orders = read(
      path.join(examples, 'sales/contracts/order-history-orders.odcs.yaml'),
    );
    // what parseDataContract keeps of a document: the schema's compared fields
    const summary = {
      apiVersion: orders.apiVersion,
      id: orders.id,
      version: orders.version,
      schema: orders.schema.map(o => ({
        name: o.name,
        physicalName: o.physicalName,
        physicalType: o.physicalType,
        quality: o.quality,
        properties: o.properties.map(p => ({
          ...p,
          description: undefined,
          businessName: undefined,
        })),
      })),
    };
    expect(diffContracts(summary, orders, { port: 'orders' })).toEqual([]);
  });

  it('names the field of a document it cannot compare', () => {
    expect(
      readContractSchema({
        schema: [{ name: 'orders', properties: [{ logicalType: 'string' }] }],
      }).problems,
    ).toEqual([
      {
        path: 'schema[0].properties[0].name',
        message:
          "schema[0].properties[0].name is required: the property's name",
      },
    ]);
    expect(readContractSchema({ schema: 'orders' }).problems).toEqual([
      { path: 'schema', message: 'schema must be a list of schema objects' },
    ]);
    expect(() => diffContracts([], cities1, { port: 'p' })).toThrow(
      'The data contracts cannot be compared: the data contract must be a mapping (an ODCS document)',
    );
  });
});

describe('diffPortContracts', () => {
  it('reports removed and added ports and contracts', () => {
    const doc = { schema: [{ name: 't', properties: [{ name: 'a' }] }] };
    const changes = diffPortContracts(
      new Map<string, unknown>([
        ['gone', doc],
        ['kept', doc],
        ['loses-contract', doc],
        ['gains-contract', undefined],
      ]),
      new Map<string, unknown>([
        ['kept', doc],
        ['loses-contract', undefined],
        ['gains-contract', doc],
        ['new', doc],
      ]),
    );
    expect(brief(changes)).toEqual([
      'B gone: output port removed',
      'B loses-contract: data contract removed',
      '- gains-contract: data contract added',
      '- new: output port added',
    ]);
  });
});
