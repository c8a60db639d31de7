export { MetadataField } from './MetadataField';
export type { MetadataFieldProps } from './MetadataField';
