/*
 * The suite's one validator facility: JSON schemas of every draft the standards use, compiled
 * once, with problems naming their fields; and the validators of the suite's kinds built on it.
 */
export { createSchemaValidator } from './schemaValidator';
export type {
  SchemaValidator,
  SchemaValidatorOptions,
  ValidationProblem,
} from './schemaValidator';
export {
  dataProductEntitySchema,
  dataProductEntityV1alpha1Validator,
  validateDataMeshDomain,
  validateDataProductEntity,
} from './dataProduct';
export type { DataProductKindValidator } from './dataProduct';
export {
  DATA_PRODUCT_INFRASTRUCTURE_KIND,
  dataProductInfrastructureSchema,
  validateDataProductInfrastructure,
} from './infrastructure';
export type {
  DataProductInfrastructure,
  DataProductInfrastructureResult,
} from './infrastructure';
