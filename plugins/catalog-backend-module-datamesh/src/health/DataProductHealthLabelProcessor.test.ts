import type { Entity } from '@backstage/catalog-model';
import { DataProductHealthLabelProcessor } from './DataProductHealthLabelProcessor';
import { DATA_PRODUCT_HEALTH_LABEL } from '@backstage-datamesh/plugin-datamesh-common';
import { HealthLabelSnapshot } from './HealthLabelSnapshot';

function product(name: string, labels?: Record<string, string>): Entity {
  return {
    apiVersion: 'datamesh.io/v1alpha1',
    kind: 'DataProduct',
    metadata: { name, ...(labels ? { labels } : {}) },
    spec: { owner: 'sales-team', domain: 'sales' },
  };
}

describe('DataProductHealthLabelProcessor', () => {
  const snapshot = new HealthLabelSnapshot();
  snapshot.replace([
    {
      entityRef: 'dataproduct:default/orders',
      health: 'breaching',
      since: '2026-12-01T10:00:00Z',
    },
    {
      entityRef: 'dataproduct:default/customers',
      health: 'unknown',
      since: '2026-12-01T10:00:00Z',
    },
  ]);
  const processor = new DataProductHealthLabelProcessor(snapshot);
  const preProcess = (entity: Entity) => processor.preProcessEntity(entity);

  it('labels a data product with its current health, keeping its other labels', async () => {
    const entity = product('orders', { tier: 'gold' });
    const labelled = await preProcess(entity);
    expect(labelled.metadata.labels).toEqual({
      tier: 'gold',
      [DATA_PRODUCT_HEALTH_LABEL]: 'breaching',
    });
    // the entity read from its location is not changed in place
    expect(entity.metadata.labels).toEqual({ tier: 'gold' });
    expect((await preProcess(product('customers'))).metadata.labels).toEqual({
      'datamesh.io/health': 'unknown',
    });
  });

  it('leaves a product without a known health unlabelled, dropping a label its file sets', async () => {
    const unknown = product('new-product');
    expect(await preProcess(unknown)).toBe(unknown);
    expect(
      (
        await preProcess(
          product('new-product', {
            [DATA_PRODUCT_HEALTH_LABEL]: 'healthy',
            tier: 'gold',
          }),
        )
      ).metadata.labels,
    ).toEqual({ tier: 'gold' });
    // a file cannot say that a product is healthier than measured either
    expect(
      (
        await preProcess(
          product('orders', { [DATA_PRODUCT_HEALTH_LABEL]: 'healthy' }),
        )
      ).metadata.labels,
    ).toEqual({ [DATA_PRODUCT_HEALTH_LABEL]: 'breaching' });
  });

  it('leaves other kinds alone', async () => {
    const component: Entity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name: 'orders',
        labels: { [DATA_PRODUCT_HEALTH_LABEL]: 'healthy' },
      },
      spec: {},
    };
    expect(await preProcess(component)).toBe(component);
  });
});
