import Box from '@material-ui/core/Box';
import MuiTable from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import type {
  DataContractObject,
  DataContractProperty,
} from '@backstage-datamesh/plugin-datamesh-common';

const useStyles = makeStyles(theme => ({
  scroll: { overflowX: 'auto' },
  table: {
    // names, types and flags stay on one line; the description takes the rest and wraps by word
    '& th, & td': { wordBreak: 'normal', overflowWrap: 'normal' },
    '& th:not(:last-child), & td:not(:last-child)': { whiteSpace: 'nowrap' },
    '& td:last-child': { minWidth: theme.spacing(25) },
  },
}));

type FlatProperty = {
  property: DataContractProperty;
  depth: number;
  key: string;
};

function flatten(
  properties: DataContractProperty[],
  depth = 0,
  parentKey = '',
): FlatProperty[] {
  return properties.flatMap((property, index) => {
    const key = `${parentKey}${index}:${property.name}`;
    return [
      { property, depth, key },
      ...flatten(property.properties ?? [], depth + 1, `${key}/`),
    ];
  });
}

function yesNo(value: boolean | undefined): string {
  if (value === undefined) {
    return '';
  }
  return value ? 'Yes' : 'No';
}

/** Props of {@link ContractSchemaTable}. */
export interface ContractSchemaTableProps {
  /** One object (table, topic, file) of the contract's schema. */
  object: DataContractObject;
}

/**
 * One object of a data contract's schema as a table of its properties; nested properties are
 * indented below their parent.
 */
export function ContractSchemaTable(props: ContractSchemaTableProps) {
  const { object } = props;
  const classes = useStyles();
  const rows = flatten(object.properties);
  const physical =
    object.physicalName && object.physicalName !== object.name
      ? ` (${object.physicalName})`
      : '';
  return (
    <Box mt={2}>
      <Typography variant="subtitle2" component="h4">
        {object.name}
        {physical}
        {object.physicalType ? ` · ${object.physicalType}` : ''}
      </Typography>
      {object.description && (
        <Typography variant="body2" color="textSecondary">
          {object.description}
        </Typography>
      )}
      <Box className={classes.scroll}>
        <MuiTable
          size="small"
          className={classes.table}
          aria-label={`Schema of ${object.name}`}
        >
          <TableHead>
            <TableRow>
              <TableCell>Name</TableCell>
              <TableCell>Logical type</TableCell>
              <TableCell>Physical type</TableCell>
              <TableCell>Required</TableCell>
              <TableCell>Primary key</TableCell>
              <TableCell>Classification</TableCell>
              <TableCell>Description</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {rows.length === 0 && (
              <TableRow>
                <TableCell colSpan={7}>
                  The contract declares no properties for this object.
                </TableCell>
              </TableRow>
            )}
            {rows.map(({ property, depth, key }) => (
              <TableRow key={key}>
                <TableCell component="th" scope="row">
                  <Box
                    component="span"
                    pl={depth * 3}
                    fontFamily="monospace"
                    data-depth={depth}
                  >
                    {depth > 0 ? '↳ ' : ''}
                    {property.name}
                  </Box>
                </TableCell>
                <TableCell>{property.logicalType ?? ''}</TableCell>
                <TableCell>{property.physicalType ?? ''}</TableCell>
                <TableCell>{yesNo(property.required)}</TableCell>
                <TableCell>{yesNo(property.primaryKey)}</TableCell>
                <TableCell>{property.classification ?? ''}</TableCell>
                <TableCell>{property.description ?? ''}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </MuiTable>
      </Box>
    </Box>
  );
}
