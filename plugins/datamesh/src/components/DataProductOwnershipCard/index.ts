export { DataProductOwnershipCard, Channel } from './DataProductOwnershipCard';
