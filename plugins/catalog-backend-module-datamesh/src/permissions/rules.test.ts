import { Entity } from '@backstage/catalog-model';
import { catalogConditions } from '@backstage/plugin-catalog-backend/alpha';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { catalogEntityReadPermission } from '@backstage/plugin-catalog-common/alpha';
import {
  createDataMeshCatalogConditionalDecision,
  dataMeshCatalogConditions,
} from './conditions';
import { hasSensitivity, sensitivityLevelsFrom } from './rules';

const product = (sensitivity?: unknown, kind = 'DataProduct'): Entity => ({
  apiVersion: 'datamesh.io/v1alpha1',
  kind,
  metadata: { name: 'customer-360' },
  spec: {
    owner: 'group:default/customer-domain-team',
    ...(sensitivity !== undefined && { sensitivity }),
  },
});

describe('hasSensitivity', () => {
  it('matches a DataProduct whose spec.sensitivity is one of the levels', () => {
    expect(
      hasSensitivity.apply(product('restricted'), { levels: ['restricted'] }),
    ).toBe(true);
    expect(
      hasSensitivity.apply(product('confidential'), {
        levels: ['confidential', 'restricted'],
      }),
    ).toBe(true);
  });

  it('compares kind and level without regard to case, as the catalog does', () => {
    expect(
      hasSensitivity.apply(product('Restricted', 'dataproduct'), {
        levels: ['restricted'],
      }),
    ).toBe(true);
  });

  it('does not match other levels, undeclared sensitivity, or other kinds', () => {
    expect(
      hasSensitivity.apply(product('internal'), { levels: ['restricted'] }),
    ).toBe(false);
    expect(
      hasSensitivity.apply(product(undefined), { levels: ['restricted'] }),
    ).toBe(false);
    expect(
      hasSensitivity.apply(product(['restricted']), { levels: ['restricted'] }),
    ).toBe(false);
    expect(
      hasSensitivity.apply(product('restricted', 'Component'), {
        levels: ['restricted'],
      }),
    ).toBe(false);
  });

  it('filters on the search table keys of kind and spec.sensitivity', () => {
    expect(
      hasSensitivity.toQuery({ levels: ['confidential', 'restricted'] }),
    ).toEqual({
      allOf: [
        { key: 'kind', values: ['dataproduct'] },
        { key: 'spec.sensitivity', values: ['confidential', 'restricted'] },
      ],
    });
  });

  it('takes only known levels, at least one', () => {
    const validate = (params: unknown) =>
      hasSensitivity.paramsSchema?.['~standard'].validate(params);
    expect(validate({ levels: ['restricted'] })).toEqual({
      value: { levels: ['restricted'] },
    });
    expect(validate({ levels: ['secret'] })).toMatchObject({
      issues: [expect.objectContaining({ path: ['levels', 0] })],
    });
    expect(validate({ levels: [] })).toMatchObject({
      issues: [expect.objectContaining({ path: ['levels'] })],
    });
  });
});

describe('sensitivityLevelsFrom', () => {
  it('lists the level and the more sensitive ones', () => {
    expect(sensitivityLevelsFrom('public')).toEqual([
      'public',
      'internal',
      'confidential',
      'restricted',
    ]);
    expect(sensitivityLevelsFrom('confidential')).toEqual([
      'confidential',
      'restricted',
    ]);
  });

  it('names an unknown level', () => {
    expect(() => sensitivityLevelsFrom('secret' as any)).toThrow(
      "Unknown sensitivity level 'secret'",
    );
  });
});

describe('dataMeshCatalogConditions', () => {
  it('builds conditions for catalog entity permissions', () => {
    const condition = dataMeshCatalogConditions.hasSensitivity({
      levels: ['restricted'],
    });
    expect(condition).toEqual({
      rule: 'DATAMESH_HAS_SENSITIVITY',
      resourceType: 'catalog-entity',
      params: { levels: ['restricted'] },
    });
    expect(
      createDataMeshCatalogConditionalDecision(catalogEntityReadPermission, {
        anyOf: [
          { not: condition },
          catalogConditions.isEntityOwner({
            claims: ['group:default/customer-domain-team'],
          }),
        ],
      }),
    ).toEqual({
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'catalog',
      resourceType: 'catalog-entity',
      conditions: {
        anyOf: [
          { not: condition },
          {
            rule: 'IS_ENTITY_OWNER',
            resourceType: 'catalog-entity',
            params: { claims: ['group:default/customer-domain-team'] },
          },
        ],
      },
    });
  });
});
