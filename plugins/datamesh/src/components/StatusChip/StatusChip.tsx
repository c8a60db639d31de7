import { ReactNode } from 'react';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import type {
  IncidentSeverity,
  IncidentState,
  ProductHealthState,
  QualityCheckStatus,
  SloStatus,
} from '@backstage-datamesh/plugin-datamesh-common';
import { HEALTH_LABELS } from '../../lib/health';

/** The colour of a status: one of the Backstage theme's status colours. */
export type StatusTone =
  | 'ok'
  | 'warning'
  | 'error'
  | 'pending'
  | 'running'
  | 'aborted';

/** A status's label and colour. */
interface StatusLook {
  label: string;
  tone: StatusTone;
}

/** How each product health looks. */
export const HEALTH_LOOKS: Record<ProductHealthState, StatusLook> = {
  healthy: { label: HEALTH_LABELS.healthy, tone: 'ok' },
  degraded: { label: HEALTH_LABELS.degraded, tone: 'warning' },
  breaching: { label: HEALTH_LABELS.breaching, tone: 'error' },
  unknown: { label: HEALTH_LABELS.unknown, tone: 'aborted' },
};

/** How each check status looks. */
export const CHECK_STATUS_LOOKS: Record<QualityCheckStatus, StatusLook> = {
  pass: { label: 'Pass', tone: 'ok' },
  warn: { label: 'Warn', tone: 'warning' },
  fail: { label: 'Fail', tone: 'error' },
  error: { label: 'Error', tone: 'error' },
  skipped: { label: 'Skipped', tone: 'aborted' },
};

/** How each objective's status looks. */
export const SLO_STATUS_LOOKS: Record<SloStatus, StatusLook> = {
  met: { label: 'Met', tone: 'ok' },
  'at-risk': { label: 'At risk', tone: 'warning' },
  breached: { label: 'Breached', tone: 'error' },
  unknown: { label: 'Unknown', tone: 'aborted' },
};

/** How each incident state looks. */
export const INCIDENT_STATE_LOOKS: Record<IncidentState, StatusLook> = {
  new: { label: 'New', tone: 'error' },
  acknowledged: { label: 'Acknowledged', tone: 'warning' },
  resolved: { label: 'Resolved', tone: 'ok' },
};

/** How each incident severity looks. */
export const SEVERITY_LOOKS: Record<IncidentSeverity, StatusLook> = {
  critical: { label: 'Critical', tone: 'error' },
  high: { label: 'High', tone: 'warning' },
  medium: { label: 'Medium', tone: 'pending' },
};

const useStyles = makeStyles(theme => ({
  chip: (props: { tone: StatusTone }) => {
    const background = theme.palette.status[props.tone];
    return {
      backgroundColor: background,
      color: theme.palette.getContrastText(background),
      fontWeight: theme.typography.fontWeightBold as number,
      // a status is one word, never broken
      whiteSpace: 'nowrap',
      margin: 0,
    };
  },
  reasons: { margin: 0, paddingLeft: theme.spacing(2) },
}));

/** Props of {@link StatusChip}. */
export interface StatusChipProps {
  /** What the chip says and its colour. */
  look: StatusLook;
  /** `small` in tables, `medium` as a page's badge. */
  size?: 'small' | 'medium';
  /** Reasons shown in a tooltip, each a sentence. */
  reasons?: string[];
  /** Accessible name, when the label alone does not say what it is the status of. */
  ariaLabel?: string;
}

/**
 * A status as a coloured chip, in the theme's status colours, with its reasons in a tooltip.
 */
export function StatusChip(props: StatusChipProps) {
  const { look, size = 'small', reasons, ariaLabel } = props;
  const classes = useStyles({ tone: look.tone });
  const chip = (
    <Chip
      className={classes.chip}
      size={size}
      label={look.label}
      aria-label={ariaLabel}
      data-tone={look.tone}
    />
  );
  if (!reasons?.length) {
    return chip;
  }
  const title: ReactNode = (
    <Box component="ul" className={classes.reasons}>
      {reasons.map(reason => (
        <Typography component="li" variant="body2" key={reason}>
          {reason}
        </Typography>
      ))}
    </Box>
  );
  return (
    <Tooltip title={title} arrow>
      {chip}
    </Tooltip>
  );
}

/** Props of {@link HealthChip}. */
export interface HealthChipProps {
  /** The health. */
  health: ProductHealthState;
  /** Its reasons, shown in a tooltip. */
  reasons?: string[];
  /** `small` in tables, `medium` as a page's badge. */
  size?: 'small' | 'medium';
}

/**
 * A data product's health as a badge: green healthy, amber degraded, red breaching, grey unknown.
 */
export function HealthChip(props: HealthChipProps) {
  return (
    <StatusChip
      look={HEALTH_LOOKS[props.health]}
      size={props.size}
      reasons={props.reasons}
      ariaLabel={`Health: ${HEALTH_LOOKS[props.health].label}`}
    />
  );
}
