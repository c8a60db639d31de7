export { DataProductTable } from './DataProductTable';
export type {
  CustomDataProductColumn,
  DataProductColumn,
  DataProductTableProps,
} from './DataProductTable';
export { useDataProductQuery } from './useDataProductQuery';
export type { DataProductQuery, DataProductPage } from './useDataProductQuery';
