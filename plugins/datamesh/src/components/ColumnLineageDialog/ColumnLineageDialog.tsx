import { Fragment } from 'react';
import Button from '@material-ui/core/Button';
import Chip from '@material-ui/core/Chip';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import MuiTable from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import useAsync from 'react-use/esm/useAsync';
import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import type {
  PortColumnLineage,
  PortColumnLineageSource,
} from '@backstage-datamesh/plugin-datamesh-common';
import { dataMeshLineageApiRef } from '../../api';
import { productRefOf } from '../../lib/health';
import { TableHeaderRow, useTableStyles } from '../TableParts';

const useStyles = makeStyles(theme => ({
  code: { fontFamily: 'monospace', wordBreak: 'break-all' },
  chips: { display: 'flex', flexWrap: 'wrap', gap: theme.spacing(0.5) },
  section: { marginTop: theme.spacing(3) },
  column: { fontFamily: 'monospace', fontWeight: 'bold' },
}));

/** Props of {@link ColumnLineageDialog}. */
export interface ColumnLineageDialogProps {
  /** The output port whose column lineage is shown; the dialog is closed without one. */
  port?: { entityRef: string; port: string };
  onClose: () => void;
}

function datasetName(source: { namespace: string; name: string }): string {
  return `${source.namespace}/${source.name}`;
}

/** Where a source column comes from: the product and port that declare it, or the dataset. */
function SourceOrigin(props: { source: PortColumnLineageSource }) {
  const classes = useStyles();
  const { source } = props;
  if (source.entityRef) {
    return (
      <>
        <EntityRefLink entityRef={source.entityRef} defaultKind="dataproduct" />
        {source.port && <> · port {source.port}</>}
      </>
    );
  }
  return (
    <span className={classes.code} title="External dataset">
      {datasetName(source.dataset)}
    </span>
  );
}

function Transformation(props: { source: PortColumnLineageSource }) {
  const classes = useStyles();
  const { source } = props;
  const kinds = [
    source.transformationType,
    source.transformationSubtype,
  ].filter((kind): kind is string => !!kind);
  return (
    <>
      <div className={classes.chips}>
        {kinds.map(kind => (
          <Chip key={kind} size="small" label={kind} />
        ))}
        {source.masking && (
          <Chip size="small" color="secondary" label="Masked" />
        )}
      </div>
      {source.description && (
        <Typography variant="body2" color="textSecondary">
          {source.description}
        </Typography>
      )}
    </>
  );
}

function SourceCells(props: { source: PortColumnLineageSource }) {
  const classes = useStyles();
  const tableClasses = useTableStyles();
  const { source } = props;
  return (
    <>
      <TableCell className={tableClasses.cell}>
        <SourceOrigin source={source} />
      </TableCell>
      <TableCell className={`${tableClasses.cell} ${classes.code}`}>
        {source.column}
      </TableCell>
      <TableCell className={tableClasses.cell}>
        <Transformation source={source} />
      </TableCell>
      <TableCell className={`${tableClasses.cell} ${classes.code}`}>
        {source.job ? datasetName(source.job) : ''}
      </TableCell>
    </>
  );
}

/** The column lineage table: a row per column and source, a column without source once. */
export function ColumnLineageTable(props: { lineage: PortColumnLineage }) {
  const classes = useStyles();
  const tableClasses = useTableStyles();
  const { lineage } = props;
  return (
    <>
      <div className={tableClasses.scroll}>
        <MuiTable size="small" aria-label="Columns and their upstream columns">
          <TableHeaderRow
            titles={[
              'Column',
              'Type',
              'Comes from',
              'Upstream column',
              'Transformation',
              'Job',
            ]}
          />
          <TableBody>
            {lineage.columns.map(column => {
              const rows = Math.max(1, column.sources.length);
              const head = (
                <>
                  <TableCell
                    rowSpan={rows}
                    className={`${tableClasses.cell} ${classes.column}`}
                  >
                    {column.name}
                  </TableCell>
                  <TableCell rowSpan={rows} className={tableClasses.short}>
                    {column.type ?? ''}
                  </TableCell>
                </>
              );
              if (column.sources.length === 0) {
                return (
                  <TableRow key={column.name} aria-label={column.name}>
                    {head}
                    <TableCell colSpan={4}>
                      <Typography variant="body2" color="textSecondary">
                        No upstream column recorded
                      </Typography>
                    </TableCell>
                  </TableRow>
                );
              }
              return (
                <Fragment key={column.name}>
                  {column.sources.map((source, index) => (
                    <TableRow
                      key={`${datasetName(source.dataset)}.${source.column}`}
                      aria-label={index === 0 ? column.name : undefined}
                    >
                      {index === 0 && head}
                      <SourceCells source={source} />
                    </TableRow>
                  ))}
                </Fragment>
              );
            })}
          </TableBody>
        </MuiTable>
      </div>
      {lineage.datasetDependencies.length > 0 && (
        <div className={classes.section}>
          <Typography variant="h6" component="h3">
            Whole-dataset dependencies
          </Typography>
          <Typography variant="body2" color="textSecondary" paragraph>
            Columns used by filters, joins, sorts or groupings: they affect
            every row of the port, not one column.
          </Typography>
          <div className={tableClasses.scroll}>
            <MuiTable size="small" aria-label="Whole-dataset dependencies">
              <TableHeaderRow
                titles={[
                  'Comes from',
                  'Upstream column',
                  'Transformation',
                  'Job',
                ]}
              />
              <TableBody>
                {lineage.datasetDependencies.map(source => (
                  <TableRow
                    key={`${datasetName(source.dataset)}.${source.column}.${
                      source.transformationSubtype ?? ''
                    }`}
                  >
                    <SourceCells source={source} />
                  </TableRow>
                ))}
              </TableBody>
            </MuiTable>
          </div>
        </div>
      )}
    </>
  );
}

function ColumnLineageContent(props: { entityRef: string; port: string }) {
  const lineageApi = useApi(dataMeshLineageApiRef);
  const { entityRef, port } = props;
  const state = useAsync(
    () => lineageApi.getColumnLineage(productRefOf(entityRef), port),
    [lineageApi, entityRef, port],
  );
  const classes = useStyles();
  if (state.error) {
    return <ResponseErrorPanel error={state.error} />;
  }
  if (!state.value) {
    return <Progress />;
  }
  const lineage = state.value;
  return (
    <>
      <Typography variant="body2" paragraph>
        Dataset{' '}
        <span className={classes.code}>{datasetName(lineage.dataset)}</span>
      </Typography>
      {lineage.columns.length === 0 &&
      lineage.datasetDependencies.length === 0 ? (
        <Typography variant="body2" color="textSecondary">
          No column lineage recorded for this port: it comes from the{' '}
          <code>columnLineage</code> facet of the OpenLineage events of the jobs
          that write it.
        </Typography>
      ) : (
        <ColumnLineageTable lineage={lineage} />
      )}
    </>
  );
}

/**
 * A dialog with the column lineage of an output port: for each of its columns, the upstream
 * columns it comes from (the product and port that declare them, or the external dataset), the
 * transformation (type, subtype, description, masking) and the job; then the columns the whole
 * dataset depends on (filters, joins, sorts).
 */
export function ColumnLineageDialog(props: ColumnLineageDialogProps) {
  const { port, onClose } = props;
  return (
    <Dialog
      open={!!port}
      onClose={onClose}
      maxWidth="lg"
      fullWidth
      aria-labelledby="column-lineage-title"
    >
      <DialogTitle id="column-lineage-title">
        Column lineage of port {port?.port}
        {port && (
          <Typography variant="body2" color="textSecondary" component="div">
            of{' '}
            <EntityRefLink
              entityRef={port.entityRef}
              defaultKind="dataproduct"
            />
          </Typography>
        )}
      </DialogTitle>
      <DialogContent dividers>
        {port && (
          <ColumnLineageContent entityRef={port.entityRef} port={port.port} />
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Close</Button>
      </DialogActions>
    </Dialog>
  );
}
