export { DomainDataMeshCard } from './DomainDataMeshCard';
