export { DataProductInfrastructureCard } from './DataProductInfrastructureCard';
