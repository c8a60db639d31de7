export { DataProductChecksCard } from './DataProductChecksCard';
