import { mockCredentials } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { ProductVisibility } from './visibility';

const product = (name: string) => ({
  apiVersion: 'datamesh.io/v1alpha1',
  kind: 'DataProduct',
  metadata: { name, namespace: 'default' },
  spec: { owner: 'group:default/team', domain: 'sales' },
});

function setup() {
  const catalog = catalogServiceMock({
    entities: [
      product('Orders'),
      product('payroll'),
      {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: { name: 'api', namespace: 'default' },
        spec: {},
      },
    ],
  });
  const getEntities = jest.spyOn(catalog, 'getEntities');
  let now = 0;
  const visibility = new ProductVisibility({
    catalog,
    ttlMs: 1000,
    now: () => now,
  });
  return {
    catalog,
    getEntities,
    visibility,
    tick: (ms: number) => (now += ms),
  };
}

describe('ProductVisibility', () => {
  const jane = mockCredentials.user('user:default/jane');
  const joe = mockCredentials.user('user:default/joe');

  it("reads the caller's DataProduct refs with its credentials, refs only", async () => {
    const { getEntities, visibility } = setup();
    const refs = await visibility.visibleRefs(jane);
    expect([...refs!].sort()).toEqual([
      'dataproduct:default/orders',
      'dataproduct:default/payroll',
    ]);
    expect(getEntities).toHaveBeenCalledWith(
      {
        filter: { kind: 'DataProduct' },
        fields: ['kind', 'metadata.namespace', 'metadata.name'],
      },
      { credentials: jane },
    );
    const canSee = await visibility.canSee(jane);
    // compared as the catalog compares refs
    expect(canSee('DataProduct:default/Orders')).toBe(true);
    expect(canSee('dataproduct:default/unknown')).toBe(false);
    expect(canSee('component:default/api')).toBe(false);
    expect((await visibility.storeFilter(jane))?.sort()).toEqual([
      'dataproduct:default/orders',
      'dataproduct:default/payroll',
    ]);
  });

  it('keeps each principal’s answer for its time, then reads it again', async () => {
    const { getEntities, visibility, tick } = setup();
    await Promise.all([
      visibility.visibleRefs(jane),
      visibility.visibleRefs(jane),
    ]);
    expect(getEntities).toHaveBeenCalledTimes(1);
    await visibility.visibleRefs(joe);
    expect(getEntities).toHaveBeenCalledTimes(2);
    tick(999);
    await visibility.visibleRefs(jane);
    expect(getEntities).toHaveBeenCalledTimes(2);
    tick(1);
    await visibility.visibleRefs(jane);
    expect(getEntities).toHaveBeenCalledTimes(3);
  });

  it('lets a service see every product without asking the catalog', async () => {
    const { getEntities, visibility } = setup();
    const service = mockCredentials.service();
    expect(await visibility.visibleRefs(service)).toBeUndefined();
    expect(await visibility.storeFilter(service)).toBeUndefined();
    expect((await visibility.canSee(service))('dataproduct:default/x')).toBe(
      true,
    );
    expect(getEntities).not.toHaveBeenCalled();
  });

  it('does not keep a failed read', async () => {
    const { getEntities, visibility } = setup();
    getEntities.mockRejectedValueOnce(new Error('catalog down'));
    await expect(visibility.visibleRefs(jane)).rejects.toThrow('catalog down');
    expect((await visibility.visibleRefs(jane))?.size).toBe(2);
    expect(getEntities).toHaveBeenCalledTimes(2);
  });
});
