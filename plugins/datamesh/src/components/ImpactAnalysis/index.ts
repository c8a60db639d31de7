export {
  DataProductImpactCard,
  ImpactTable,
  compareImpact,
} from './DataProductImpactCard';
export { useImpactAnalysisPath } from './useImpactAnalysisPath';
