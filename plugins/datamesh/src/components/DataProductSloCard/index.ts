export { DataProductSloCard } from './DataProductSloCard';
