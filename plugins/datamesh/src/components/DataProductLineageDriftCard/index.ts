export { DataProductLineageDriftCard } from './DataProductLineageDriftCard';
export { DriftFindings, countDriftFindings } from './DriftFindings';
