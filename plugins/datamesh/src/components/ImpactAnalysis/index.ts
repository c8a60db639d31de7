export {
  DataProductImpactCard,
  ImpactTable,
  compareImpact,
} from './DataProductImpactCard';
