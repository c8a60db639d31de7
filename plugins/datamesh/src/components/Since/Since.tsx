import Tooltip from '@material-ui/core/Tooltip';
import { durationSince, formatTimestamp } from '../../lib/health';

/** Props of {@link Since}. */
export interface SinceProps {
  /** The time (ISO 8601); nothing is shown without one. */
  at?: string;
  /** Words before the duration, such as `Opened`. */
  prefix?: string;
  /** Words after the duration; ` ago` by default. */
  suffix?: string;
}

/**
 * When something happened, as how long ago (`3h 12m ago`), on one line, with the time itself in
 * a tooltip.
 */
export function Since(props: SinceProps) {
  const { at, prefix, suffix = ' ago' } = props;
  const ago = durationSince(at);
  if (!at || !ago) {
    return null;
  }
  return (
    <Tooltip title={formatTimestamp(at)}>
      <span style={{ whiteSpace: 'nowrap' }}>
        {prefix ? `${prefix} ` : ''}
        {ago}
        {suffix}
      </span>
    </Tooltip>
  );
}
