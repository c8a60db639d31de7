export { DataProductComplianceCard } from './DataProductComplianceCard';
