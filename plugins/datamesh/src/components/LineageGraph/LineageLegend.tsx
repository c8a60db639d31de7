import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { makeStyles, useTheme } from '@material-ui/core/styles';
import type { BackstageTheme } from '@backstage/theme';
import CallMadeIcon from '@material-ui/icons/CallMade';
import SettingsIcon from '@material-ui/icons/Settings';
import StorageIcon from '@material-ui/icons/Storage';
import TableChartIcon from '@material-ui/icons/TableChart';
import { PRODUCT_HEALTH_STATES } from '@backstage-datamesh/plugin-datamesh-common';
import { HEALTH_LOOKS } from '../StatusChip';

const useStyles = makeStyles(theme => ({
  legend: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: theme.spacing(1, 2),
    margin: theme.spacing(1, 0),
    padding: 0,
    listStyle: 'none',
  },
  item: {
    display: 'inline-flex',
    alignItems: 'center',
    gap: theme.spacing(0.5),
    whiteSpace: 'nowrap',
  },
  swatch: {
    display: 'inline-block',
    width: 14,
    height: 14,
    borderRadius: 3,
  },
}));

/**
 * The legend of the lineage graph: what each shape is, and the health colours of products and
 * ports.
 */
export function LineageLegend() {
  const classes = useStyles();
  const theme = useTheme<BackstageTheme>();
  const subtle = theme.palette.textSubtle;
  const kinds = [
    {
      label: 'Data product (click to open; ▸ shows its ports)',
      icon: <StorageIcon fontSize="small" />,
    },
    {
      label: 'Output port (click for column lineage)',
      icon: <CallMadeIcon fontSize="small" />,
    },
    {
      label: 'Job, with its last run',
      icon: <SettingsIcon fontSize="small" />,
    },
    {
      label: 'External dataset (no product declares it)',
      icon: <TableChartIcon fontSize="small" style={{ color: subtle }} />,
    },
    { label: '+N: neighbours left out', icon: null },
  ];
  return (
    <Box>
      <Typography
        variant="body2"
        component="ul"
        className={classes.legend}
        aria-label="Legend"
      >
        {kinds.map(kind => (
          <li key={kind.label} className={classes.item}>
            {kind.icon}
            {kind.label}
          </li>
        ))}
        {PRODUCT_HEALTH_STATES.map(health => (
          <li key={health} className={classes.item}>
            <span
              className={classes.swatch}
              style={{
                backgroundColor:
                  theme.palette.status[HEALTH_LOOKS[health].tone],
              }}
            />
            {HEALTH_LOOKS[health].label}
          </li>
        ))}
      </Typography>
    </Box>
  );
}
