export { MeshHealthPage, MeshHealthPageContent } from './MeshHealthPage';
