export { DataProductConsumersCard } from './DataProductConsumersCard';
