import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import type {
  LineageDrift,
  LineageJobName,
} from '@backstage-datamesh/plugin-datamesh-common';
import { Since } from '../Since';

/** How many findings a drift has. */
export function countDriftFindings(drift: LineageDrift): number {
  return (
    drift.undeclaredInputs.length +
    drift.unobservedInputs.length +
    drift.undeclaredConsumers.length
  );
}

const useStyles = makeStyles(theme => ({
  list: { margin: 0, paddingLeft: theme.spacing(2) },
  item: { marginTop: theme.spacing(0.5) },
  code: { fontFamily: 'monospace', wordBreak: 'break-word' },
}));

function Job(props: { job: LineageJobName }) {
  const classes = useStyles();
  return (
    <span className={classes.code}>
      {props.job.namespace}/{props.job.name}
    </span>
  );
}

function Port(props: { name: string }) {
  const classes = useStyles();
  return <span className={classes.code}>{props.name}</span>;
}

/**
 * What disagrees between a product's declared input ports and its observed lineage, one line
 * per finding, each naming the other product (linked) and the port: the inputs its jobs read
 * without declaring them, the declared inputs no job read in the window, and the consumers that
 * read its ports without declaring them.
 */
export function DriftFindings(props: { drift: LineageDrift }) {
  const { drift } = props;
  const classes = useStyles();
  return (
    <ul className={classes.list}>
      {drift.undeclaredInputs.map(input => (
        <li
          key={`input:${input.entityRef}#${input.port}:${input.job.namespace}/${input.job.name}`}
          className={classes.item}
        >
          <Typography variant="body2">
            Undeclared input: reads port <Port name={input.port} /> of{' '}
            <EntityRefLink entityRef={input.entityRef} /> without an input port
            for it (job <Job job={input.job} />,{' '}
            <Since at={input.lastSeenAt} prefix="last seen" />)
          </Typography>
        </li>
      ))}
      {drift.unobservedInputs.map(input => (
        <li key={`unobserved:${input.inputPort}`} className={classes.item}>
          <Typography variant="body2">
            Declared input not observed: input port{' '}
            <Port name={input.inputPort} /> (port <Port name={input.port} /> of{' '}
            <EntityRefLink entityRef={input.entityRef} />) was not read by any
            job of this product in the last {drift.windowDays} days (
            {input.lastSeenAt ? (
              <Since at={input.lastSeenAt} prefix="last read" />
            ) : (
              'never read'
            )}
            )
          </Typography>
        </li>
      ))}
      {drift.undeclaredConsumers.map(consumer => (
        <li
          key={`consumer:${consumer.entityRef}#${consumer.port}:${consumer.job.namespace}/${consumer.job.name}`}
          className={classes.item}
        >
          <Typography variant="body2">
            Undeclared consumer:{' '}
            <EntityRefLink entityRef={consumer.entityRef} /> reads port{' '}
            <Port name={consumer.port} /> without declaring it as an input port
            (job <Job job={consumer.job} />,{' '}
            <Since at={consumer.lastSeenAt} prefix="last seen" />)
          </Typography>
        </li>
      ))}
    </ul>
  );
}
