import { ReactNode } from 'react';
import Box from '@material-ui/core/Box';
import IconButton from '@material-ui/core/IconButton';
import Typography from '@material-ui/core/Typography';
import ChevronLeft from '@material-ui/icons/ChevronLeft';
import ChevronRight from '@material-ui/icons/ChevronRight';
import MuiTable from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableRow from '@material-ui/core/TableRow';
import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import type { Entity } from '@backstage/catalog-model';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { healthOfEntity } from '../../lib/health';
import { getDomainRef, getOwnerRef } from '../../lib/refs';
import { ComplianceChip } from '../ComplianceStatus';
import { HealthChip } from '../StatusChip';
import { TableHeaderRow, useTableStyles } from '../TableParts';
import type { DataProductPage } from './useDataProductQuery';

/** A column of the data product tables. */
export type DataProductColumn =
  | 'name'
  | 'health'
  | 'compliance'
  | 'domain'
  | 'owner'
  | 'type'
  | 'lifecycle'
  | 'sensitivity'
  | 'version';

function specText(entity: Entity, key: string): string {
  const value = entity.spec?.[key];
  return typeof value === 'string' || typeof value === 'number'
    ? String(value)
    : '';
}

/** A column that the table's user defines, such as one relative to the page's entity. */
export interface CustomDataProductColumn {
  /** Unique among the table's columns. */
  id: string;
  /** The column header. */
  title: string;
  /** The cell of one product. */
  render: (entity: Entity) => ReactNode;
  /** Keeps the cell on one line: for short values such as "production". */
  noWrap?: boolean;
}

type Column = Omit<CustomDataProductColumn, 'id'>;

const COLUMNS: Record<DataProductColumn, Column> = {
  name: {
    title: 'Name',
    render: entity => (
      <EntityRefLink entityRef={entity} hideIcon>
        {entity.metadata.title ?? entity.metadata.name}
      </EntityRefLink>
    ),
  },
  health: {
    title: 'Health',
    // from the catalog's health label: a product without one shows as unknown
    render: entity => <HealthChip health={healthOfEntity(entity)} />,
    noWrap: true,
  },
  compliance: {
    title: 'Compliance',
    // from the catalog's compliance label and failing-policies annotation, linking to the
    // product's Compliance card; a product without the label is not evaluated yet
    render: entity => <ComplianceChip entity={entity} />,
    noWrap: true,
  },
  domain: {
    title: 'Domain',
    render: entity => {
      const ref = getDomainRef(entity);
      return ref ? <EntityRefLink entityRef={ref} hideIcon /> : null;
    },
  },
  owner: {
    title: 'Owner',
    render: entity => {
      const ref = getOwnerRef(entity);
      return ref ? (
        <EntityRefLink entityRef={ref} defaultKind="group" hideIcon />
      ) : null;
    },
  },
  type: {
    title: 'Type',
    render: entity => specText(entity, 'type'),
    noWrap: true,
  },
  lifecycle: {
    title: 'Lifecycle',
    render: entity => specText(entity, 'lifecycle'),
    noWrap: true,
  },
  sensitivity: {
    title: 'Sensitivity',
    render: entity => specText(entity, 'sensitivity'),
    noWrap: true,
  },
  version: {
    title: 'Version',
    render: entity => specText(entity, 'version'),
    noWrap: true,
  },
};

/** Props of {@link DataProductTable}. */
export interface DataProductTableProps {
  /** The page of products to show, from `useDataProductQuery`. */
  page: DataProductPage;
  /** The columns to show, in order: built-in ones by name, or custom ones. */
  columns: Array<DataProductColumn | CustomDataProductColumn>;
  /** What to show when the query matches no product. */
  emptyContent?: ReactNode;
  /** Accessible name of the table. */
  label: string;
}

/**
 * A server-paged table of data products with previous and next page buttons.
 */
export function DataProductTable(props: DataProductTableProps) {
  const { page, emptyContent, label } = props;
  const classes = useTableStyles();
  const columns = props.columns.map(column =>
    typeof column === 'string' ? { id: column, ...COLUMNS[column] } : column,
  );
  if (page.error) {
    return <ResponseErrorPanel error={page.error} />;
  }
  const first = page.pageIndex * page.pageSize + 1;
  const last = page.pageIndex * page.pageSize + page.items.length;
  let range = '';
  if (page.totalItems !== undefined && !page.loading) {
    range =
      page.items.length === 0
        ? `0 of ${page.totalItems}`
        : `${first}–${last} of ${page.totalItems}`;
  }
  return (
    <>
      {page.loading && <Progress />}
      <div className={classes.scroll}>
        <MuiTable size="small" aria-label={label} aria-busy={page.loading}>
          <TableHeaderRow titles={columns.map(column => column.title)} />
          <TableBody>
            {!page.loading && page.items.length === 0 && (
              <TableRow>
                <TableCell colSpan={columns.length}>{emptyContent}</TableCell>
              </TableRow>
            )}
            {page.items.map(entity => (
              <TableRow
                key={`${entity.metadata.namespace ?? 'default'}/${
                  entity.metadata.name
                }`}
              >
                {columns.map(column => (
                  <TableCell
                    key={column.id}
                    className={
                      column.noWrap
                        ? `${classes.cell} ${classes.short}`
                        : classes.cell
                    }
                  >
                    {column.render(entity)}
                  </TableCell>
                ))}
              </TableRow>
            ))}
          </TableBody>
        </MuiTable>
      </div>
      <Box
        display="flex"
        alignItems="center"
        justifyContent="flex-end"
        mt={1}
        data-testid="datamesh-pagination"
      >
        <Typography variant="body2" color="textSecondary">
          {range}
        </Typography>
        <IconButton
          aria-label="Previous page"
          disabled={!page.hasPrevious}
          onClick={page.previous}
          size="small"
        >
          <ChevronLeft />
        </IconButton>
        <IconButton
          aria-label="Next page"
          disabled={!page.hasNext}
          onClick={page.next}
          size="small"
        >
          <ChevronRight />
        </IconButton>
      </Box>
    </>
  );
}
