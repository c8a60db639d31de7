export { DataProductTrendsCard } from './DataProductTrendsCard';
