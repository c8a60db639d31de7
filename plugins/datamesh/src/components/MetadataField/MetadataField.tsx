import { ReactNode } from 'react';
import Grid, { GridSize } from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';

const useStyles = makeStyles(theme => ({
  label: {
    color: theme.palette.text.secondary,
    textTransform: 'uppercase',
    fontSize: '10px',
    fontWeight: 'bold',
    letterSpacing: 0.5,
    overflow: 'hidden',
    whiteSpace: 'nowrap',
  },
  value: {
    fontWeight: 'bold',
    overflow: 'hidden',
    lineHeight: '24px',
    wordBreak: 'break-word',
  },
  empty: {
    color: theme.palette.text.secondary,
    lineHeight: '24px',
  },
}));

/** Props of {@link MetadataField}. */
export interface MetadataFieldProps {
  /** What the value is. */
  label: string;
  /** The value; nothing (or an empty array) shows a placeholder. */
  children?: ReactNode;
  /** Grid width on medium screens and up (12 columns). */
  md?: GridSize;
}

/**
 * A labelled value in an entity card, in the style of the catalog's About card.
 */
export function MetadataField(props: MetadataFieldProps) {
  const { label, children, md = 6 } = props;
  const classes = useStyles();
  const empty =
    children === undefined ||
    children === null ||
    children === '' ||
    (Array.isArray(children) && children.length === 0);
  return (
    <Grid item xs={12} sm={6} md={md}>
      <Typography variant="h2" component="div" className={classes.label}>
        {label}
      </Typography>
      {empty ? (
        <Typography variant="body2" className={classes.empty}>
          unknown
        </Typography>
      ) : (
        <Typography variant="body2" component="div" className={classes.value}>
          {children}
        </Typography>
      )}
    </Grid>
  );
}
