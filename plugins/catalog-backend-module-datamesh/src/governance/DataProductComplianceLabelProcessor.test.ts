import type { Entity } from '@backstage/catalog-model';
import {
  DATA_PRODUCT_COMPLIANCE_LABEL,
  DATA_PRODUCT_POLICY_FAILURES_ANNOTATION,
} from '@backstage-datamesh/plugin-datamesh-common';
import { ComplianceLabelSnapshot } from './ComplianceLabelSnapshot';
import { DataProductComplianceLabelProcessor } from './DataProductComplianceLabelProcessor';

function product(
  name: string,
  metadata: {
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  } = {},
): Entity {
  return {
    apiVersion: 'datamesh.io/v1alpha1',
    kind: 'DataProduct',
    metadata: { name, ...metadata },
    spec: { owner: 'sales-team', domain: 'sales' },
  };
}

const change = (
  id: number,
  name: string,
  requiredPolicyFailures: string[],
) => ({
  id,
  entityRef: `dataproduct:default/${name}`,
  compliant: requiredPolicyFailures.length === 0,
  requiredPolicyFailures,
  evaluatedAt: '2026-12-01T10:00:00.000Z',
});

describe('DataProductComplianceLabelProcessor', () => {
  const snapshot = new ComplianceLabelSnapshot();
  snapshot.replace([
    change(1, 'orders', ['encryption-at-rest', 'retention-policy']),
    change(2, 'customers', []),
  ]);
  const processor = new DataProductComplianceLabelProcessor(snapshot);
  const preProcess = (entity: Entity) => processor.preProcessEntity(entity);

  it('labels a product with its compliance and annotates the required policies it fails, keeping the rest', async () => {
    const entity = product('orders', {
      labels: { tier: 'gold' },
      annotations: { 'example.com/x': 'y' },
    });
    const labelled = await preProcess(entity);
    expect(labelled.metadata.labels).toEqual({
      tier: 'gold',
      [DATA_PRODUCT_COMPLIANCE_LABEL]: 'non-compliant',
    });
    expect(labelled.metadata.annotations).toEqual({
      'example.com/x': 'y',
      [DATA_PRODUCT_POLICY_FAILURES_ANNOTATION]:
        'encryption-at-rest,retention-policy',
    });
    // the entity read from its location is not changed in place
    expect(entity.metadata.labels).toEqual({ tier: 'gold' });

    const compliant = await preProcess(
      product('customers', {
        annotations: { [DATA_PRODUCT_POLICY_FAILURES_ANNOTATION]: 'stale' },
      }),
    );
    expect(compliant.metadata.labels).toEqual({
      [DATA_PRODUCT_COMPLIANCE_LABEL]: 'compliant',
    });
    expect(compliant.metadata.annotations).toEqual({});
  });

  it('leaves a product not evaluated without either, dropping what its file sets, and other kinds alone', async () => {
    const unknown = product('new-product');
    expect(await preProcess(unknown)).toBe(unknown);
    const declared = await preProcess(
      product('new-product', {
        labels: { [DATA_PRODUCT_COMPLIANCE_LABEL]: 'compliant', tier: 'gold' },
        annotations: { [DATA_PRODUCT_POLICY_FAILURES_ANNOTATION]: 'x' },
      }),
    );
    expect(declared.metadata.labels).toEqual({ tier: 'gold' });
    expect(declared.metadata.annotations).toEqual({});
    const component: Entity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name: 'orders',
        labels: { [DATA_PRODUCT_COMPLIANCE_LABEL]: 'compliant' },
      },
    };
    expect(await preProcess(component)).toBe(component);
  });
});

describe('ComplianceLabelSnapshot', () => {
  it('answers the products whose labels change: those processed before the first load, then changes of the feed and of a resync', () => {
    const snapshot = new ComplianceLabelSnapshot();
    expect(snapshot.complianceOf('dataproduct:default/orders')).toBeUndefined();
    expect(snapshot.complianceOf('dataproduct:default/gone')).toBeUndefined();
    expect(
      snapshot.replace([
        change(1, 'orders', ['retention-policy']),
        change(2, 'accounts', []),
      ]),
    ).toEqual(['dataproduct:default/orders']);
    expect(snapshot.complianceOf('DataProduct:default/Orders')).toEqual({
      label: 'non-compliant',
      requiredPolicyFailures: ['retention-policy'],
    });
    // another failing policy is another annotation; the same again changes nothing
    expect(
      snapshot.apply([
        change(3, 'orders', ['retention-policy', 'audit-logging']),
        change(4, 'accounts', []),
      ]),
    ).toEqual(['dataproduct:default/orders']);
    // an older item than the one held is skipped
    expect(snapshot.apply([change(2, 'orders', [])])).toEqual([]);
    expect(
      snapshot.replace([change(5, 'orders', []), change(4, 'accounts', [])]),
    ).toEqual(['dataproduct:default/orders']);
    expect(snapshot.replace([change(5, 'orders', [])])).toEqual([
      'dataproduct:default/accounts',
    ]);
  });
});
