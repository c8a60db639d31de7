/**
 * The documents every generated data product of `yarn bench:governance` references: a data
 * contract per output port (ODCS, with a PII column) and an infrastructure descriptor, varied
 * by the product's index so that each default policy both passes and fails somewhere.
 */
import YAML from 'yaml';
import type {
  GeneratedDocument,
  GeneratedProduct,
  ProductDocuments,
} from '../catalog/generate';

/** What product `index` declares, and so which default policies it fails. */
export interface ProductProfile {
  /** No infrastructure descriptor at all (fails encryption-at-rest and audit-logging). */
  noDescriptor: boolean;
  /** A descriptor without encryption at rest (fails encryption-at-rest). */
  unencrypted: boolean;
  /** A descriptor without audit logging (fails audit-logging). */
  noAuditLogging: boolean;
  /** Its first contract has a PII column that is not masked (fails pii-masking outside production). */
  unmaskedPii: boolean;
}

/** The profile of product `index`: 4 %, 10 %, 12.5 % and 5 % of the products, spread evenly. */
export function productProfile(index: number): ProductProfile {
  const noDescriptor = index % 25 === 24;
  return {
    noDescriptor,
    unencrypted: !noDescriptor && index % 10 === 3,
    noAuditLogging: !noDescriptor && index % 8 === 5,
    unmaskedPii: index % 20 === 7,
  };
}

/** An output port's data contract: one object, an id column, a masked (or unmasked) PII column. */
export function contractDocument(
  product: GeneratedProduct,
  port: GeneratedProduct['spec']['outputPorts'][number],
  masked: boolean,
): string {
  return YAML.stringify({
    apiVersion: 'v3.1.0',
    kind: 'DataContract',
    id: `${product.metadata.name}-${port.name}`,
    version: '1.0.0',
    status: 'active',
    schema: [
      {
        name: port.location.name.split('.').pop() ?? port.name,
        properties: [
          {
            name: 'id',
            logicalType: 'string',
            classification: 'internal',
            required: true,
          },
          {
            name: 'customer_email',
            logicalType: 'string',
            classification: 'pii',
            ...(masked ? { tags: ['masked'] } : {}),
          },
          {
            name: 'amount',
            logicalType: 'number',
            classification: 'internal',
          },
          {
            name: 'updated_at',
            logicalType: 'timestamp',
            classification: 'internal',
          },
        ],
      },
    ],
  });
}

/** A `DataProductInfrastructure` descriptor (the guide's example, as the governance fixture). */
export function infrastructureDocument(
  product: GeneratedProduct,
  profile: ProductProfile,
): string {
  return YAML.stringify({
    apiVersion: 'platform/v1',
    kind: 'DataProductInfrastructure',
    metadata: { name: product.metadata.name, namespace: 'bench' },
    spec: {
      storage: {
        type: 'data-lake',
        format: 'delta-lake',
        location: `s3://bench-datalake/${product.metadata.name}/`,
        retention: '90 days',
        encryption: profile.unencrypted ? 'none' : 'AES-256',
      },
      processing: {
        engine: 'spark',
        version: '3.4',
        auto_scaling: true,
        min_workers: 2,
        max_workers: 20,
      },
      orchestration: {
        tool: 'airflow',
        schedule: '0 */6 * * *',
        timeout: '4 hours',
      },
      quality: {
        framework: 'great-expectations',
        checks: [
          { name: 'row_count', threshold: '> 1000' },
          { name: 'freshness', threshold: '< 24 hours' },
        ],
      },
      discovery: {
        catalog: 'backstage',
        publish_schema: true,
        generate_docs: true,
      },
      security: {
        access_control: 'rbac',
        encryption_at_rest: !profile.unencrypted,
        audit_logging: !profile.noAuditLogging,
      },
    },
  });
}

/** The documents of each product, for `writeSet`'s `documents` option. */
export const governanceDocuments: ProductDocuments = (product, index) => {
  const profile = productProfile(index);
  const files: GeneratedDocument[] = product.spec.outputPorts.map(
    (port, p) => ({
      // the contract path the generated port names, relative to the entity files
      path: port.contract.replace(/^\.\//, ''),
      text: contractDocument(product, port, !(profile.unmaskedPii && p === 0)),
    }),
  );
  if (profile.noDescriptor) {
    return { files };
  }
  const descriptor = `infrastructure/${product.metadata.name}.yaml`;
  files.push({
    path: descriptor,
    text: infrastructureDocument(product, profile),
  });
  return { infrastructure: `./${descriptor}`, files };
};
