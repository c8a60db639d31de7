export { SloTable, describeSla } from './SloTable';
export type { SloTableProps } from './SloTable';
