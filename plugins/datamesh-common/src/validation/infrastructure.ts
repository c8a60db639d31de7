import infrastructureSchema from '../../schema/data-product-infrastructure.v1.schema.json';
import { createSchemaValidator, ValidationProblem } from './schemaValidator';

/**
 * The kind of a data product's infrastructure descriptor.
 * @public
 */
export const DATA_PRODUCT_INFRASTRUCTURE_KIND = 'DataProductInfrastructure';

/**
 * The JSON schema of the `DataProductInfrastructure` descriptor.
 * @public
 */
export const dataProductInfrastructureSchema: Record<string, unknown> =
  infrastructureSchema;

/**
 * A data product's infrastructure descriptor (the data mesh guide's `DataProductInfrastructure`):
 * what a domain team provisions for one product, in one file.
 * @public
 */
export type DataProductInfrastructure = {
  apiVersion: 'platform/v1' | 'datamesh.io/v1alpha1';
  kind: typeof DATA_PRODUCT_INFRASTRUCTURE_KIND;
  metadata: { name: string; namespace?: string; description?: string };
  spec: {
    storage: {
      type: string;
      format?: string;
      location: string;
      retention?: string;
      encryption?: string;
    };
    processing: {
      engine: string;
      version?: string;
      auto_scaling?: boolean;
      min_workers?: number;
      max_workers?: number;
    };
    orchestration: { tool: string; schedule?: string; timeout?: string };
    quality: {
      framework: 'dbt' | 'great-expectations' | 'soda';
      checks?: Array<{ name: string; column?: string; threshold?: string }>;
    };
    discovery: {
      catalog?: string;
      publish_schema?: boolean;
      generate_docs?: boolean;
    };
    security: {
      access_control: 'rbac' | 'abac' | 'acl' | 'none';
      encryption_at_rest: boolean;
      audit_logging: boolean;
    };
  };
};

/**
 * The outcome of reading and validating a data product's infrastructure descriptor, as
 * `DataContractResult` is for contracts.
 * @public
 */
export type DataProductInfrastructureResult =
  | {
      status: 'valid';
      source: string;
      infrastructure: DataProductInfrastructure;
    }
  | {
      status: 'invalid';
      source: string;
      message: string;
      errors: ValidationProblem[];
    }
  | { status: 'unreachable'; source: string; message: string };

const validator = createSchemaValidator(infrastructureSchema, {
  root: '(descriptor)',
  strict: true,
});

/**
 * Validates a `DataProductInfrastructure` descriptor against its JSON schema and the rules a
 * schema cannot express (`processing.min_workers` not above `max_workers`). Returns every
 * problem, each naming its field; an empty list means the descriptor is valid.
 * @public
 */
export function validateDataProductInfrastructure(
  document: unknown,
): ValidationProblem[] {
  const problems = validator.validate(document);
  const processing = (
    document as { spec?: { processing?: Record<string, unknown> } } | undefined
  )?.spec?.processing;
  const min = processing?.min_workers;
  const max = processing?.max_workers;
  if (typeof min === 'number' && typeof max === 'number' && min > max) {
    problems.push({
      path: 'spec.processing.min_workers',
      message: `spec.processing.min_workers (${min}) must not be above spec.processing.max_workers (${max})`,
    });
  }
  return problems;
}
