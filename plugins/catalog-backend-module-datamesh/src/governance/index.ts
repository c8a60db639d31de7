export { ComplianceLabelSnapshot } from './ComplianceLabelSnapshot';
export type { KnownCompliance } from './ComplianceLabelSnapshot';
export { DataProductComplianceLabelProcessor } from './DataProductComplianceLabelProcessor';
export { ComplianceLabelUpdater } from './ComplianceLabelUpdater';
export type { ComplianceLabelSource } from './ComplianceLabelUpdater';
