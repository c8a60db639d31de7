export {
  CHECK_STATUS_LOOKS,
  HEALTH_LOOKS,
  HealthChip,
  INCIDENT_STATE_LOOKS,
  SEVERITY_LOOKS,
  SLO_STATUS_LOOKS,
  StatusChip,
} from './StatusChip';
export type {
  HealthChipProps,
  StatusChipProps,
  StatusTone,
} from './StatusChip';
