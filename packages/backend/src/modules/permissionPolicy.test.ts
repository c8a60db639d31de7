import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { catalogEntityReadPermission } from '@backstage/plugin-catalog-common/alpha';
import {
  dataMeshIncidentUpdatePermission,
  dataMeshQualityWritePermission,
} from '@backstage-datamesh/plugin-datamesh-common';
import { DataMeshPortalPolicy } from './permissionPolicy';

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

  it('allows everything else', async () => {
    expect(
      await policy.handle({ permission: catalogEntityReadPermission }, user),
    ).toEqual({ result: AuthorizeResult.ALLOW });
  });
});
