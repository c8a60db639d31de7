import { Link } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';
import useAsync from 'react-use/esm/useAsync';
import type { DataMeshProblem } from '@backstage-datamesh/plugin-datamesh-common';
import { dataMeshApiRef, dataMeshLineageApiRef } from '../../api';
import {
  DriftFindings,
  countDriftFindings,
} from '../DataProductLineageDriftCard/DriftFindings';
import { normalizeEntityRef, tryParseEntityRef } from '../../lib/refs';

const useStyles = makeStyles(theme => ({
  list: { margin: 0, paddingLeft: theme.spacing(2) },
  item: { marginTop: theme.spacing(1) },
  error: { fontFamily: 'monospace', wordBreak: 'break-word' },
  location: { wordBreak: 'break-all' },
  panel: { marginTop: theme.spacing(2), '&:first-child': { marginTop: 0 } },
}));

/** The drifting products the panel lists at most; the rest are counted. */
const DRIFT_PAGE_SIZE = 50;

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
 * The products whose declared input ports and observed lineage disagree, each with what
 * disagrees, naming the other product and the port. Shows nothing when none does.
 */
function LineageDriftProblems() {
  const classes = useStyles();
  const lineageApi = useApi(dataMeshLineageApiRef);
  const { value, error } = useAsync(
    () => lineageApi.listDrift({ limit: DRIFT_PAGE_SIZE }),
    [lineageApi],
  );
  if (error) {
    // the backend's own message says why (the store is down, the caller may not read lineage)
    const reason =
      error instanceof ResponseError
        ? error.body?.error?.message ?? error.message
        : error.message;
    return (
      <Alert severity="info" className={classes.panel}>
        Could not check the lineage for drift: {reason}
      </Alert>
    );
  }
  const items = (value?.items ?? []).filter(
    drift => countDriftFindings(drift) > 0,
  );
  if (items.length === 0) {
    return null;
  }
  const total = Math.max(value?.totalCount ?? 0, items.length);
  return (
    <Alert
      severity="warning"
      aria-label="Data products with lineage drift"
      className={classes.panel}
    >
      <AlertTitle>
        {total === 1
          ? '1 data product has lineage drift'
          : `${total} data products have lineage drift`}
        : declared input ports and observed lineage disagree
      </AlertTitle>
      <ul className={classes.list}>
        {items.map(drift => (
          <li key={drift.entityRef} className={classes.item}>
            <Typography variant="body2">
              <strong>
                <EntityRefLink entityRef={drift.entityRef} />
              </strong>{' '}
              ({drift.entityRef}, last {drift.windowDays} days)
            </Typography>
            <DriftFindings drift={drift} />
          </li>
        ))}
      </ul>
      {total > items.length && (
        <Typography variant="body2" className={classes.item}>
          and {total - items.length} more
        </Typography>
      )}
    </Alert>
  );
}

/**
 * Tells which DataProducts and Domains the catalog rejected and why: each entity with the
 * location it was read from and every processing error, each naming its field. On the whole
 * mesh (no `domains`), also the products with lineage drift: declared input ports that no job
 * read, inputs read and consumers seen without being declared. Shows nothing when the whole
 * mesh (or the given domains) is in the catalog and, on the whole mesh, nothing drifts. The
 * drift is of products, not domains: a panel of some domains leaves it out.
 * @public
 */
export function DataMeshProblemsPanel(props: DataMeshProblemsPanelProps) {
  const { domains } = props;
  if (domains) {
    return <RejectedEntitiesPanel domains={domains} />;
  }
  return (
    <>
      <RejectedEntitiesPanel />
      <LineageDriftProblems />
    </>
  );
}

/** The DataProducts and Domains the catalog rejected, of the given domains or all. */
function RejectedEntitiesPanel(props: DataMeshProblemsPanelProps) {
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
