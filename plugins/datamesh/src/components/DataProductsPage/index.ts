export { DataProductsPage, DataProductsPageContent } from './DataProductsPage';
