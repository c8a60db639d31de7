import Box from '@material-ui/core/Box';
import MuiTable from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import {
  InfoCard,
  Link,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useRouteRef } from '@backstage/core-plugin-api';
import {
  entityRouteParams,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import {
  Incident,
  ProductHealth,
  SloEvaluation,
  SloKind,
  formatLag,
  formatPercentage,
} from '@backstage-datamesh/plugin-datamesh-common';
import { useProductQuality } from '../../lib/useProductQuality';
import { QUALITY_TAB_PATH } from '../../routes';
import { NotADataProductCard } from '../NotADataProductCard';
import { Since } from '../Since';
import {
  HealthChip,
  INCIDENT_STATE_LOOKS,
  SLO_STATUS_LOOKS,
  StatusChip,
} from '../StatusChip';

const TITLE = 'Health';

const SLO_LABELS: Record<SloKind, string> = {
  freshness: 'Freshness',
  availability: 'Availability',
  completeness: 'Completeness',
  accuracy: 'Accuracy',
  checks: 'Checks',
};

/** A measured value in its objective's unit: a lag for freshness, a share for the others. */
function formatMeasured(slo: SloEvaluation): string {
  if (slo.measured === undefined) {
    return '';
  }
  return slo.slo === 'freshness'
    ? formatLag(slo.measured)
    : formatPercentage(Math.floor(slo.measured * 10000) / 10000);
}

const useStyles = makeStyles(theme => ({
  badge: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: theme.spacing(1, 2),
  },
  reasons: { margin: theme.spacing(1, 0, 0), paddingLeft: theme.spacing(3) },
  short: { whiteSpace: 'nowrap' },
  incident: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: theme.spacing(1),
    marginTop: theme.spacing(2),
  },
}));

function SloStatusTable(props: { slos: SloEvaluation[] }) {
  const classes = useStyles();
  return (
    <MuiTable size="small" aria-label="Objectives measured">
      <TableHead>
        <TableRow>
          <TableCell>Objective</TableCell>
          <TableCell>Target</TableCell>
          <TableCell>Measured</TableCell>
          <TableCell>Status</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {props.slos.map(slo => (
          <TableRow key={slo.slo}>
            <TableCell component="th" scope="row" className={classes.short}>
              {SLO_LABELS[slo.slo]}
            </TableCell>
            <TableCell className={classes.short}>
              {slo.objective ?? ''}
              {slo.objectiveSource === 'domain' ? ' (domain)' : ''}
            </TableCell>
            <TableCell className={classes.short}>
              {formatMeasured(slo)}
            </TableCell>
            <TableCell>
              <StatusChip
                look={SLO_STATUS_LOOKS[slo.status]}
                ariaLabel={`${SLO_LABELS[slo.slo]}: ${
                  SLO_STATUS_LOOKS[slo.status].label
                }`}
              />
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </MuiTable>
  );
}

function HealthContent(props: {
  health: ProductHealth;
  openIncident?: Incident;
  qualityLink?: string;
}) {
  const { health, openIncident, qualityLink } = props;
  const classes = useStyles();
  // the objectives the product sets or inherits; those without one say only "no objective set"
  const slos = health.slos.filter(
    s => s.objective !== undefined || s.slo === 'checks',
  );
  return (
    <>
      <div className={classes.badge}>
        <HealthChip health={health.health} size="medium" />
        <Typography variant="body2" color="textSecondary" component="span">
          <Since at={health.since} prefix="for" suffix="" />
          {health.since && health.evaluatedAt ? ' · ' : ''}
          <Since at={health.evaluatedAt} prefix="evaluated" />
        </Typography>
      </div>
      {health.reasons.length > 0 && (
        <Typography
          variant="body2"
          component="ul"
          className={classes.reasons}
          aria-label="Health reasons"
        >
          {health.reasons.map(reason => (
            <li key={reason}>{reason}</li>
          ))}
        </Typography>
      )}
      {openIncident && (
        <div className={classes.incident}>
          <Typography variant="body2" component="span">
            <strong>Open incident:</strong> {openIncident.title}
          </Typography>
          <StatusChip look={INCIDENT_STATE_LOOKS[openIncident.state]} />
          <Typography variant="body2" color="textSecondary" component="span">
            <Since at={openIncident.openedAt} prefix="opened" />
          </Typography>
          {qualityLink && <Link to={qualityLink}>Acknowledge or resolve</Link>}
        </div>
      )}
      {slos.length > 0 && (
        <Box mt={2}>
          <SloStatusTable slos={slos} />
        </Box>
      )}
    </>
  );
}

/**
 * The "Health" card of a DataProduct: its health as a badge (healthy, degraded, breaching,
 * unknown) with since when and why, each objective as measured against its target, and its open
 * incident, linked to the Quality tab.
 * @public
 */
export function DataProductHealthCard() {
  const entityRoute = useRouteRef(entityRouteRef);
  const { entity, ...state } = useProductQuality(async (api, ref) => {
    const [health, incidents] = await Promise.all([
      api.getHealth(ref),
      api.getIncidents(ref, { states: ['new', 'acknowledged'] }),
    ]);
    return { health, openIncident: incidents[0] };
  });
  if (!entity) {
    return <NotADataProductCard title={TITLE} />;
  }
  const qualityLink = `${entityRoute(
    entityRouteParams(entity),
  )}/${QUALITY_TAB_PATH}`;
  let content;
  if (state.error) {
    content = <ResponseErrorPanel error={state.error} />;
  } else if (!state.value) {
    content = <Progress />;
  } else {
    content = (
      <HealthContent
        health={state.value.health}
        openIncident={state.value.openIncident}
        qualityLink={qualityLink}
      />
    );
  }
  return (
    <InfoCard
      title={TITLE}
      deepLink={{ title: 'Checks, trends and incidents', link: qualityLink }}
    >
      {content}
    </InfoCard>
  );
}
