import { Link } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';
import useAsync from 'react-use/esm/useAsync';
import { dataMeshApiRef } from '../../api';

const useStyles = makeStyles(theme => ({
  list: { margin: 0, paddingLeft: theme.spacing(2) },
  item: { marginTop: theme.spacing(1) },
  error: { fontFamily: 'monospace', wordBreak: 'break-word' },
  location: { wordBreak: 'break-all' },
}));

/**
 * Tells, above the data products, which DataProducts and Domains the catalog rejected and why:
 * each entity with the location it was read from and every processing error, each naming its
 * field. Shows nothing when the whole mesh is in the catalog.
 * @public
 */
export function DataMeshProblemsPanel(props: { domain?: string }) {
  const classes = useStyles();
  const dataMeshApi = useApi(dataMeshApiRef);
  const { value, error } = useAsync(
    () => dataMeshApi.getProblems(),
    [dataMeshApi],
  );

  if (error) {
    return (
      <Alert severity="info">
        Could not check the catalog for rejected data mesh entities:{' '}
        {error.message}
      </Alert>
    );
  }
  const problems = (value ?? []).filter(
    problem => !props.domain || problem.domain === props.domain,
  );
  if (problems.length === 0) {
    return null;
  }
  return (
    <Alert severity="error" aria-label="Entities the catalog rejected">
      <AlertTitle>
        {problems.length === 1
          ? '1 data mesh entity is not in the catalog'
          : `${problems.length} data mesh entities are not in the catalog`}
      </AlertTitle>
      <ul className={classes.list}>
        {problems.map(problem => (
          <li key={problem.entityRef} className={classes.item}>
            <Typography variant="body2">
              <strong>{problem.title}</strong> ({problem.entityRef})
              {problem.location && (
                <>
                  {' '}
                  from{' '}
                  {problem.location.startsWith('url:') ? (
                    <Link to={problem.location.slice(4)}>
                      {problem.location.slice(4)}
                    </Link>
                  ) : (
                    <span className={classes.location}>{problem.location}</span>
                  )}
                </>
              )}
            </Typography>
            <ul className={classes.list}>
              {problem.errors.map(message => (
                <li key={message}>
                  <Typography variant="body2" className={classes.error}>
                    {message}
                  </Typography>
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ul>
    </Alert>
  );
}
