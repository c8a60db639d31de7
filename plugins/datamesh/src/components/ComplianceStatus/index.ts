export { ComplianceChip, useComplianceLink } from './ComplianceChip';
export type { ComplianceChipProps } from './ComplianceChip';
export { ComplianceMarker } from './ComplianceMarker';
export type { ComplianceMarkerProps } from './ComplianceMarker';
export {
  COMPLIANCE_ANCHOR,
  COMPLIANCE_LABEL_FIELD,
  COMPLIANCE_LOOKS,
  POLICY_FAILURES_FIELD,
  PRODUCT_COMPLIANCE_STATES,
  complianceCatalogQuery,
  complianceCounts,
  complianceOfEntity,
  isProductCompliance,
  requiredPolicyFailures,
} from './compliance';
export type { ProductCompliance } from './compliance';
export { useScrollToAnchor } from './useScrollToAnchor';
