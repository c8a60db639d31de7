export { ColumnLineageDialog, ColumnLineageTable } from './ColumnLineageDialog';
export type { ColumnLineageDialogProps } from './ColumnLineageDialog';
