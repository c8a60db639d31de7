import { Link } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';
import useAsync from 'react-use/esm/useAsync';
import type { DataMeshProblem } from '@backstage-datamesh/plugin-datamesh-common';
import { dataMeshApiRef } from '../../api';
import { normalizeEntityRef, tryParseEntityRef } from '../../lib/refs';

const useStyles = makeStyles(theme => ({
  list: { margin: 0, paddingLeft: theme.spacing(2) },
  item: { marginTop: theme.spacing(1) },
  error: { fontFamily: 'monospace', wordBreak: 'break-word' },
  location: { wordBreak: 'break-all' },
}));

/** Props of {@link DataMeshProblemsPanel}. */
export interface DataMeshProblemsPanelProps {
  /**
   * Keeps to the problems of these domains (entity references, such as
   * `domain:default/customer` or `customer`): the rejected entities whose domain is one of them,
   * and these domains themselves when the catalog rejected their latest version. Every problem
   * when omitted.
   */
  domains?: string[];
}

/** The normalised references of the domains a problem concerns. */
function problemDomainRefs(problem: DataMeshProblem): string[] {
  // the domain is written relative to the rejected entity's namespace, as the catalog reads it
  const context = {
    defaultKind: 'domain',
    defaultNamespace: tryParseEntityRef(problem.entityRef, {
      defaultKind: problem.kind,
    })?.namespace,
  };
  const refs = [normalizeEntityRef(problem.domain, context)];
  if (problem.kind.toLocaleLowerCase('en-US') === 'domain') {
    refs.push(normalizeEntityRef(problem.entityRef, context));
  }
  return refs.filter((ref): ref is string => ref !== undefined);
}

/**
 * Tells which DataProducts and Domains the catalog rejected and why: each entity with the
 * location it was read from and every processing error, each naming its field. Shows nothing
 * when the whole mesh (or the given domains) is in the catalog.
 * @public
 */
export function DataMeshProblemsPanel(props: DataMeshProblemsPanelProps) {
  const { domains } = props;
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
  const wanted = domains
    ? new Set(
        domains.flatMap(ref => {
          const normalized = normalizeEntityRef(ref, { defaultKind: 'domain' });
          return normalized ? [normalized] : [];
        }),
      )
    : undefined;
  const problems = (value ?? []).filter(
    problem =>
      !wanted || problemDomainRefs(problem).some(ref => wanted.has(ref)),
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
