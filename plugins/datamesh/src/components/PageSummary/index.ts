export { PageSummary } from './PageSummary';
