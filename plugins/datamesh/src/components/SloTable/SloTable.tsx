import { Fragment } from 'react';
import MuiTable from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import {
  DataProductSla,
  formatDuration,
  formatPercentage,
  parseSla,
} from '@backstage-datamesh/plugin-datamesh-common';

type SloRow = {
  label: string;
  raw: string;
  value?: string;
  meaning?: string;
};

/** Turns the SLOs of a product or domain into rows that people read. */
export function describeSla(sla: DataProductSla | undefined): SloRow[] {
  if (!sla) {
    return [];
  }
  const parsed = parseSla(sla);
  const rows: SloRow[] = [];
  if (sla.freshness !== undefined) {
    const value =
      parsed.freshnessMs === undefined
        ? undefined
        : formatDuration(parsed.freshnessMs);
    rows.push({
      label: 'Freshness',
      raw: String(sla.freshness),
      value,
      meaning: value && `The newest data is at most ${value} old`,
    });
  }
  const ratios = [
    [
      'availability',
      'Availability',
      'of the time the output ports are available',
    ],
    ['accuracy', 'Accuracy', 'of the records are correct'],
    [
      'completeness',
      'Completeness',
      'of the expected records and values are present',
    ],
  ] as const;
  for (const [key, label, what] of ratios) {
    if (sla[key] === undefined) {
      continue;
    }
    const ratio = parsed[key];
    const value = ratio === undefined ? undefined : formatPercentage(ratio);
    rows.push({
      label,
      raw: String(sla[key]),
      value,
      meaning: value && `${value} ${what}`,
    });
  }
  return rows;
}

const useStyles = makeStyles(theme => ({
  // short labels and targets never wrap: "Freshness" and "99.95%" read as one word
  short: { whiteSpace: 'nowrap' },
  list: {
    margin: 0,
    display: 'grid',
    gridTemplateColumns: 'max-content minmax(0, 1fr)',
    columnGap: theme.spacing(2),
    rowGap: theme.spacing(0.5),
    alignItems: 'baseline',
  },
  label: {
    whiteSpace: 'nowrap',
    fontWeight: theme.typography.fontWeightBold as number,
  },
  target: { margin: 0 },
  // what an entity holds as written can be a long word
  raw: { overflowWrap: 'anywhere' },
  meaning: {
    gridColumn: '1 / -1',
    margin: 0,
    marginBottom: theme.spacing(1),
    color: theme.palette.text.secondary,
  },
}));

/** Props of {@link SloTable}. */
export interface SloTableProps {
  /** The service level objectives, as written in the entity. */
  sla?: DataProductSla;
  /**
   * `table` (the default) for a wide card: objective, target and meaning side by side. `list`
   * for a narrow one (the entity page's info column): each objective with its target on one line
   * and the meaning below.
   */
  layout?: 'table' | 'list';
}

/** A target as parsed, or as written and marked when it does not parse. */
function Target(props: { row: SloRow }) {
  const { row } = props;
  const classes = useStyles();
  return row.value ? (
    <span className={classes.short}>{row.value}</span>
  ) : (
    <Typography
      variant="body2"
      color="error"
      component="span"
      className={classes.raw}
    >
      {row.raw} (not understood)
    </Typography>
  );
}

/**
 * The service level objectives of a data product or domain, parsed and human readable.
 * Values that do not parse are shown as written, marked as not understood.
 */
export function SloTable(props: SloTableProps) {
  const { layout = 'table' } = props;
  const classes = useStyles();
  const rows = describeSla(props.sla);
  if (rows.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        No service level objectives declared.
      </Typography>
    );
  }
  if (layout === 'list') {
    return (
      <Typography variant="body2" component="dl" className={classes.list}>
        {rows.map(row => (
          <Fragment key={row.label}>
            <dt className={classes.label}>{row.label}</dt>
            <dd className={classes.target}>
              <Target row={row} />
            </dd>
            {row.meaning && <dd className={classes.meaning}>{row.meaning}</dd>}
          </Fragment>
        ))}
      </Typography>
    );
  }
  return (
    <MuiTable size="small" aria-label="Service level objectives">
      <TableHead>
        <TableRow>
          <TableCell>Objective</TableCell>
          <TableCell>Target</TableCell>
          <TableCell>Meaning</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {rows.map(row => (
          <TableRow key={row.label}>
            <TableCell component="th" scope="row" className={classes.short}>
              {row.label}
            </TableCell>
            <TableCell>
              <Target row={row} />
            </TableCell>
            <TableCell>{row.meaning ?? ''}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </MuiTable>
  );
}
