/*
 * Converters from open data product standards to the DataProduct kind: Bitol ODPS and
 * Open Data Mesh DPDS descriptors.
 */
export {
  ANNOTATION_SOURCE_ID,
  ANNOTATION_SOURCE_STANDARD,
  ANNOTATION_SOURCE_STATUS,
  ANNOTATION_SOURCE_VERSION,
  DESCRIPTOR_DEFAULT_FIELDS,
  validateDescriptorDefaults,
} from './shared';
export type {
  DescriptorConversionOptions,
  DescriptorConversionResult,
  DescriptorDefaultField,
} from './shared';
export {
  ODPS_STATUS_TO_LIFECYCLE,
  dataProductFromOdps,
  validateOdpsDescriptor,
} from './odps';
export {
  DPDS_SERVICES_TYPE_TO_PORT_TYPE,
  dataProductFromDpds,
  resolveDpdsReferences,
  validateDpdsDescriptor,
} from './dpds';
export type {
  DpdsConversionOptions,
  DpdsDocumentReader,
  DpdsResolvedReference,
} from './dpds';
