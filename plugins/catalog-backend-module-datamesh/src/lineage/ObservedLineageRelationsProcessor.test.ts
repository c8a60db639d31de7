import type { Entity } from '@backstage/catalog-model';
import type { CatalogProcessorResult } from '@backstage/plugin-catalog-node';
import {
  RELATION_OBSERVED_DEPENDENCY_OF,
  RELATION_OBSERVED_DEPENDS_ON,
} from '@backstage-datamesh/plugin-datamesh-common';
import { ObservedLineageRelationsProcessor } from './ObservedLineageRelationsProcessor';
import { ObservedLineageSnapshot } from './ObservedLineageSnapshot';

const location = { type: 'file', target: '/mesh.yaml' };

function product(name: string): Entity {
  return {
    apiVersion: 'datamesh.io/v1alpha1',
    kind: 'DataProduct',
    metadata: { name, namespace: 'default' },
    spec: { owner: 'sales-team', domain: 'sales' },
  };
}

/** The relations a processing emits, as `source type target`, sorted. */
async function relationsOf(
  processor: ObservedLineageRelationsProcessor,
  entity: Entity,
): Promise<string[]> {
  const emitted: CatalogProcessorResult[] = [];
  const result = await processor.postProcessEntity(entity, location, r =>
    emitted.push(r),
  );
  expect(result).toBe(entity);
  return emitted
    .map(r => {
      if (r.type !== 'relation') {
        throw new Error(`unexpected ${r.type}`);
      }
      const { source, type, target } = r.relation;
      return `${source.kind}:${source.namespace}/${source.name} ${type} ${target.kind}:${target.namespace}/${target.name}`;
    })
    .sort();
}

describe('ObservedLineageRelationsProcessor', () => {
  const snapshot = new ObservedLineageSnapshot();
  snapshot.replace([
    {
      from: 'dataproduct:default/crm-accounts',
      to: 'dataproduct:default/customer-360',
    },
    {
      from: 'dataproduct:default/customer-360',
      to: 'dataproduct:default/churn-features',
    },
  ]);
  const processor = new ObservedLineageRelationsProcessor(snapshot);

  it('emits both directions of each observed edge, from either end', async () => {
    expect(await relationsOf(processor, product('customer-360'))).toEqual(
      [
        `dataproduct:default/churn-features ${RELATION_OBSERVED_DEPENDS_ON} dataproduct:default/customer-360`,
        `dataproduct:default/crm-accounts ${RELATION_OBSERVED_DEPENDENCY_OF} dataproduct:default/customer-360`,
        `dataproduct:default/customer-360 ${RELATION_OBSERVED_DEPENDENCY_OF} dataproduct:default/churn-features`,
        `dataproduct:default/customer-360 ${RELATION_OBSERVED_DEPENDS_ON} dataproduct:default/crm-accounts`,
      ].sort(),
    );
    expect(await relationsOf(processor, product('crm-accounts'))).toEqual([
      'dataproduct:default/crm-accounts observedDependencyOf dataproduct:default/customer-360',
      'dataproduct:default/customer-360 observedDependsOn dataproduct:default/crm-accounts',
    ]);
  });

  it('emits nothing for a product without observed lineage, or for other kinds', async () => {
    expect(await relationsOf(processor, product('orders'))).toEqual([]);
    const component: Entity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name: 'customer-360' },
      spec: {},
    };
    expect(await relationsOf(processor, component)).toEqual([]);
  });
});
