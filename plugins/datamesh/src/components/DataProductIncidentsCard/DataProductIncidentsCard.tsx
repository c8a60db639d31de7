import { useState } from 'react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import IconButton from '@material-ui/core/IconButton';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import RefreshIcon from '@material-ui/icons/Refresh';
import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import type {
  Incident,
  IncidentEvent,
} from '@backstage-datamesh/plugin-datamesh-common';
import { formatTimestamp } from '../../lib/health';
import { useProductQuality } from '../../lib/useProductQuality';
import { useImpactAnalysisPath } from '../ImpactAnalysis';
import { NotADataProductCard } from '../NotADataProductCard';
import { RefOrText } from '../RefOrText';
import { Since } from '../Since';
import {
  INCIDENT_STATE_LOOKS,
  SEVERITY_LOOKS,
  StatusChip,
} from '../StatusChip';
import { useIncidentActions } from './useIncidentActions';

const TITLE = 'Incidents';

/** How many incidents the card lists: every open one, then the latest resolved ones. */
const SHOWN = 10;

const EVENT_LABELS: Record<IncidentEvent['type'], string> = {
  opened: 'Opened',
  acknowledged: 'Acknowledged',
  resolved: 'Resolved',
  recovered: 'Recovered',
  updated: 'Updated',
};

const useStyles = makeStyles(theme => ({
  list: { listStyle: 'none', margin: 0, padding: 0 },
  incident: {
    padding: theme.spacing(2, 0),
    '&:not(:last-child)': {
      borderBottom: `1px solid ${theme.palette.divider}`,
    },
  },
  head: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: theme.spacing(1),
  },
  title: {
    fontWeight: theme.typography.fontWeightBold as number,
    flex: '1 1 16em',
    minWidth: 0,
  },
  actions: { display: 'flex', gap: theme.spacing(1), marginLeft: 'auto' },
  nowrap: { whiteSpace: 'nowrap' },
  reasons: { margin: theme.spacing(1, 0, 0), paddingLeft: theme.spacing(3) },
  timeline: {
    margin: theme.spacing(1, 0, 0),
    paddingLeft: theme.spacing(3),
    color: theme.palette.text.secondary,
  },
}));

/** Open incidents first, each group newest first. */
function byUrgency(a: Incident, b: Incident): number {
  const open = (i: Incident) => (i.state === 'resolved' ? 1 : 0);
  return open(a) - open(b) || b.openedAt.localeCompare(a.openedAt);
}

function Timeline(props: { events: IncidentEvent[]; namespace?: string }) {
  const classes = useStyles();
  return (
    <Typography
      variant="body2"
      component="ol"
      className={classes.timeline}
      aria-label="Timeline"
    >
      {props.events.map((event, index) => (
        <li key={`${index}-${event.at}`}>
          <strong>{EVENT_LABELS[event.type]}</strong>{' '}
          <span className={classes.nowrap}>{formatTimestamp(event.at)}</span>
          {event.actor && (
            <>
              {' by '}
              <RefOrText
                value={event.actor}
                defaultKind="user"
                namespace={props.namespace}
              />
            </>
          )}
          {event.reasons?.length ? `: ${event.reasons.join('; ')}` : ''}
        </li>
      ))}
    </Typography>
  );
}

function IncidentItem(props: {
  incident: Incident;
  pending: boolean;
  onAcknowledge: () => void;
  onResolve: () => void;
}) {
  const { incident, pending, onAcknowledge, onResolve } = props;
  const classes = useStyles();
  const open = incident.state !== 'resolved';
  const [showTimeline, setShowTimeline] = useState(open);
  return (
    <li className={classes.incident} aria-label={incident.title}>
      <div className={classes.head}>
        <StatusChip
          look={INCIDENT_STATE_LOOKS[incident.state]}
          ariaLabel={`State: ${INCIDENT_STATE_LOOKS[incident.state].label}`}
        />
        <StatusChip
          look={SEVERITY_LOOKS[incident.severity]}
          ariaLabel={`Severity: ${SEVERITY_LOOKS[incident.severity].label}`}
        />
        <Typography variant="body1" className={classes.title}>
          {incident.title}
        </Typography>
        {open && (
          <div className={classes.actions}>
            {incident.state === 'new' && (
              <Button
                variant="contained"
                color="primary"
                size="small"
                disabled={pending}
                onClick={onAcknowledge}
              >
                Acknowledge
              </Button>
            )}
            <Button
              variant="outlined"
              size="small"
              disabled={pending}
              onClick={onResolve}
            >
              Resolve
            </Button>
          </div>
        )}
      </div>
      <Typography variant="body2" color="textSecondary">
        <Since at={incident.openedAt} prefix="Opened" />
        {incident.acknowledgedAt && (
          <>
            {' · '}
            <Since at={incident.acknowledgedAt} prefix="acknowledged" />
            {incident.acknowledgedBy && (
              <>
                {' by '}
                <RefOrText value={incident.acknowledgedBy} defaultKind="user" />
              </>
            )}
          </>
        )}
        {incident.resolvedAt && (
          <>
            {' · '}
            <Since at={incident.resolvedAt} prefix="resolved" />
            {incident.resolvedBy ? (
              <>
                {' by '}
                <RefOrText value={incident.resolvedBy} defaultKind="user" />
              </>
            ) : (
              ' on recovery'
            )}
          </>
        )}
      </Typography>
      {incident.reasons.length > 0 && (
        <Typography
          variant="body2"
          component="ul"
          className={classes.reasons}
          aria-label="Reasons"
        >
          {incident.reasons.map(reason => (
            <li key={reason}>{reason}</li>
          ))}
        </Typography>
      )}
      {incident.events.length > 0 && (
        <Box mt={1}>
          <Button
            size="small"
            onClick={() => setShowTimeline(shown => !shown)}
            aria-expanded={showTimeline}
          >
            {showTimeline ? 'Hide timeline' : 'Show timeline'} (
            {incident.events.length})
          </Button>
          {showTimeline && <Timeline events={incident.events} />}
        </Box>
      )}
    </li>
  );
}

/**
 * Incidents with their state, severity, reasons and timeline, and the Acknowledge and Resolve
 * buttons of the open ones.
 */
export function IncidentList(props: {
  incidents: Incident[];
  onChange: () => void;
}) {
  const classes = useStyles();
  const actions = useIncidentActions(props.onChange);
  const sorted = [...props.incidents].sort(byUrgency);
  const open = sorted.filter(i => i.state !== 'resolved');
  const shown = [...open, ...sorted.filter(i => i.state === 'resolved')].slice(
    0,
    Math.max(open.length, SHOWN),
  );
  return (
    <ul className={classes.list} aria-label="Incidents">
      {shown.map(incident => (
        <IncidentItem
          key={incident.id}
          incident={incident}
          pending={actions.pending === incident.id}
          onAcknowledge={() => actions.acknowledge(incident)}
          onResolve={() => actions.resolve(incident)}
        />
      ))}
    </ul>
  );
}

/**
 * The "Incidents" card of a DataProduct: its open incidents and the latest resolved ones, each
 * with its state, severity, since when, reasons and timeline; open ones can be acknowledged and
 * resolved from the card. It links to the impact analysis of the Lineage tab.
 * @public
 */
export function DataProductIncidentsCard() {
  const impactPath = useImpactAnalysisPath();
  const { entity, ...incidents } = useProductQuality((api, ref) =>
    api.getIncidents(ref),
  );
  if (!entity) {
    return <NotADataProductCard title={TITLE} />;
  }
  // who is hit downstream when the product fails: the Lineage tab's impact analysis
  const impactLink = impactPath(entity);
  const openCount = incidents.value?.filter(i => i.state !== 'resolved').length;
  let subheader: string | undefined;
  if (openCount !== undefined) {
    subheader =
      openCount === 0
        ? 'No open incident'
        : `${openCount} open incident${openCount === 1 ? '' : 's'}`;
  }
  let content;
  if (incidents.error) {
    content = <ResponseErrorPanel error={incidents.error} />;
  } else if (!incidents.value) {
    content = <Progress />;
  } else if (incidents.value.length === 0) {
    content = (
      <Typography variant="body2" color="textSecondary">
        No incident yet: one is opened when the product starts breaching an
        objective.
      </Typography>
    );
  } else {
    content = (
      <IncidentList incidents={incidents.value} onChange={incidents.retry} />
    );
  }
  return (
    <InfoCard
      title={TITLE}
      subheader={subheader}
      deepLink={{
        title: 'Impact analysis: who is hit downstream',
        link: impactLink,
      }}
      action={
        <IconButton
          aria-label="Refresh incidents"
          onClick={incidents.retry}
          disabled={incidents.loading}
        >
          <RefreshIcon />
        </IconButton>
      }
    >
      {content}
    </InfoCard>
  );
}
