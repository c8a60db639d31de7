export { TableHeaderRow, useTableStyles } from './TableParts';
