export { DataProductAboutCard } from './DataProductAboutCard';
