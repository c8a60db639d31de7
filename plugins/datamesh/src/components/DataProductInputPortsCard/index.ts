export { DataProductInputPortsCard } from './DataProductInputPortsCard';
