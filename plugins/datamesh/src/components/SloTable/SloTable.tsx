import MuiTable from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
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

/** Props of {@link SloTable}. */
export interface SloTableProps {
  /** The service level objectives, as written in the entity. */
  sla?: DataProductSla;
}

/**
 * The service level objectives of a data product or domain, parsed and human readable.
 * Values that do not parse are shown as written, marked as not understood.
 */
export function SloTable(props: SloTableProps) {
  const rows = describeSla(props.sla);
  if (rows.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        No service level objectives declared.
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
            <TableCell component="th" scope="row">
              {row.label}
            </TableCell>
            <TableCell>
              {row.value ?? (
                <Typography variant="body2" color="error" component="span">
                  {row.raw} (not understood)
                </Typography>
              )}
            </TableCell>
            <TableCell>{row.meaning ?? ''}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </MuiTable>
  );
}
