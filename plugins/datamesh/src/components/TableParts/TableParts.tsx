import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import { makeStyles } from '@material-ui/core/styles';

/**
 * The styles of the plugin's tables: at a width too small for the columns' words the table
 * scrolls instead of breaking them; cells break between words only (the Backstage theme gives
 * table cells `word-break: break-word`, which squeezes a column to one letter, "productio n");
 * short values and headers stay on one line.
 */
export const useTableStyles = makeStyles({
  scroll: { overflowX: 'auto' },
  cell: { wordBreak: 'normal', overflowWrap: 'normal' },
  short: { whiteSpace: 'nowrap' },
});

/** A table's header row: each title on one line. */
export function TableHeaderRow(props: { titles: string[] }) {
  const classes = useTableStyles();
  return (
    <TableHead>
      <TableRow>
        {props.titles.map(title => (
          <TableCell key={title} className={`${classes.cell} ${classes.short}`}>
            {title}
          </TableCell>
        ))}
      </TableRow>
    </TableHead>
  );
}
