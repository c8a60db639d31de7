import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { catalogEntityReadPermission } from '@backstage/plugin-catalog-common/alpha';
import {
  dataMeshIncidentUpdatePermission,
  dataMeshQualityWritePermission,
} from '@backstage-datamesh/plugin-datamesh-common';
import { ConfigReader } from '@backstage/config';
import { DataMeshPortalPolicy, readPlatformTeams } from './permissionPolicy';

const user = {
  identity: {
    type: 'user' as const,
    userEntityRef: 'user:default/ada',
    ownershipEntityRefs: [
      'user:default/ada',
      'group:default/customer-domain-team',
    ],
  },
  info: {
    userEntityRef: 'user:default/ada',
    ownershipEntityRefs: [
      'user:default/ada',
      'group:default/customer-domain-team',
    ],
  },
  token: 'token',
  credentials: {
    $$type: '@backstage/BackstageCredentials' as const,
    principal: { type: 'user' as const, userEntityRef: 'user:default/ada' },
  },
};

describe('DataMeshPortalPolicy', () => {
  const policy = new DataMeshPortalPolicy();

  it.each([dataMeshQualityWritePermission, dataMeshIncidentUpdatePermission])(
    'allows $name to the owners of the product only',
    async permission => {
      expect(await policy.handle({ permission }, user)).toEqual({
        result: AuthorizeResult.CONDITIONAL,
        pluginId: 'catalog',
        resourceType: 'catalog-entity',
        conditions: {
          rule: 'IS_ENTITY_OWNER',
          resourceType: 'catalog-entity',
          params: {
            claims: ['user:default/ada', 'group:default/customer-domain-team'],
          },
        },
      });
    },
  );

  it('leaves a caller without claims nothing to own', async () => {
    const decision = await policy.handle({
      permission: dataMeshQualityWritePermission,
    });
    expect(decision).toMatchObject({
      result: AuthorizeResult.CONDITIONAL,
      conditions: { params: { claims: [] } },
    });
  });

  it('lets only owners read restricted products', async () => {
    expect(
      await policy.handle({ permission: catalogEntityReadPermission }, user),
    ).toEqual({
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'catalog',
      resourceType: 'catalog-entity',
      conditions: {
        anyOf: [
          {
            not: {
              rule: 'DATAMESH_HAS_SENSITIVITY',
              resourceType: 'catalog-entity',
              params: { levels: ['restricted'] },
            },
          },
          {
            rule: 'IS_ENTITY_OWNER',
            resourceType: 'catalog-entity',
            params: {
              claims: [
                'user:default/ada',
                'group:default/customer-domain-team',
              ],
            },
          },
        ],
      },
    });
  });

  it('lets the platform teams read every product', async () => {
    const platform = new DataMeshPortalPolicy({
      platformTeams: ['Group:default/Customer-Domain-Team'],
    });
    expect(
      await platform.handle({ permission: catalogEntityReadPermission }, user),
    ).toEqual({ result: AuthorizeResult.ALLOW });
    // and no more than that: writes stay with the owners
    expect(
      await platform.handle({ permission: dataMeshQualityWritePermission }),
    ).toMatchObject({ result: AuthorizeResult.CONDITIONAL });
  });

  it('allows everything else', async () => {
    expect(
      await policy.handle(
        {
          permission: {
            type: 'basic',
            name: 'catalog.location.read',
            attributes: { action: 'read' },
          },
        },
        user,
      ),
    ).toEqual({ result: AuthorizeResult.ALLOW });
  });
});

describe('readPlatformTeams', () => {
  it('reads entity refs, groups in the default namespace unless said', () => {
    expect(
      readPlatformTeams(
        new ConfigReader({
          datamesh: {
            access: {
              platformTeams: ['data-platform-team', 'user:ops/Sam'],
            },
          },
        }),
      ),
    ).toEqual(['group:default/data-platform-team', 'user:ops/sam']);
    expect(readPlatformTeams(new ConfigReader({}))).toEqual([]);
  });

  it('names the key of a value it cannot read', () => {
    expect(() =>
      readPlatformTeams(
        new ConfigReader({
          datamesh: { access: { platformTeams: ['group:'] } },
        }),
      ),
    ).toThrow(/datamesh\.access\.platformTeams\[0\]/);
  });
});
