export { DomainDataProductsCard } from './DomainDataProductsCard';
export type { DomainDataProductsCardProps } from './DomainDataProductsCard';
