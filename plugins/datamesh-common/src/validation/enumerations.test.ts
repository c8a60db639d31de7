import {
  DATAMESH_API_VERSION,
  DATA_PRODUCT_KIND,
  DATA_PRODUCT_TYPES,
  DataProductOwnership,
  OUTPUT_PORT_TYPES,
  OWNERSHIP_FIELDS,
  OWNERSHIP_ROLES,
  SENSITIVITY_LEVELS,
} from '../types';
import { dataProductEntitySchema } from './dataProduct';

/**
 * The committed JSON schema of the kind (which editors' YAML language servers read) must say what
 * the TypeScript constants say: the constants are the one source, this test guards the copy.
 */

/** Every `enum` of a schema, by the JSON pointer of the schema that holds it. */
function enumsOf(node: unknown, pointer = ''): Record<string, unknown[]> {
  if (Array.isArray(node)) {
    return Object.assign(
      {},
      ...node.map((item, i) => enumsOf(item, `${pointer}/${i}`)),
    );
  }
  if (typeof node !== 'object' || node === null) {
    return {};
  }
  const found: Record<string, unknown[]> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'enum') {
      found[pointer] = value as unknown[];
    } else if (key !== 'examples') {
      Object.assign(found, enumsOf(value, `${pointer}/${key}`));
    }
  }
  return found;
}

type Exact<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

describe('the DataProduct JSON schema and the TypeScript constants', () => {
  it('have the same enumerations, and the schema no other', () => {
    expect(enumsOf(dataProductEntitySchema)).toEqual({
      '/properties/apiVersion': [DATAMESH_API_VERSION],
      '/properties/kind': [DATA_PRODUCT_KIND],
      '/properties/spec/properties/type': [...DATA_PRODUCT_TYPES],
      '/properties/spec/properties/sensitivity': [...SENSITIVITY_LEVELS],
      '/properties/spec/properties/outputPorts/items/properties/type': [
        ...OUTPUT_PORT_TYPES,
      ],
    });
  });

  it('have the same ownership fields: the roles name one Group or User, the escalation path several', () => {
    const ownership = (
      dataProductEntitySchema as {
        properties: {
          spec: {
            properties: {
              ownership: {
                additionalProperties: unknown;
                properties: Record<
                  string,
                  { type: string; items?: { type: string } }
                >;
              };
            };
          };
        };
      }
    ).properties.spec.properties.ownership;
    expect(ownership.additionalProperties).toBe(false);
    expect(Object.keys(ownership.properties)).toEqual(
      OWNERSHIP_FIELDS.map(f => f.key),
    );
    for (const { key } of OWNERSHIP_ROLES) {
      expect({ key, type: ownership.properties[key].type }).toEqual({
        key,
        type: 'string',
      });
    }
    expect(ownership.properties.escalationPath).toMatchObject({
      type: 'array',
      items: { type: 'string' },
    });
    expect(ownership.properties.communicationChannel.type).toBe('string');
  });

  it('lists every field of the ownership type', () => {
    const complete: Exact<
      (typeof OWNERSHIP_FIELDS)[number]['key'],
      keyof DataProductOwnership
    > = true;
    expect(complete).toBe(true);
    expect(new Set(OWNERSHIP_FIELDS.map(f => f.label)).size).toBe(
      OWNERSHIP_FIELDS.length,
    );
  });
});
