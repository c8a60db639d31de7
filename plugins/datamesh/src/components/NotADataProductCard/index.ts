export { NotADataProductCard } from './NotADataProductCard';
