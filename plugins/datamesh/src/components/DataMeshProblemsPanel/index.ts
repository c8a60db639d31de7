export { DataMeshProblemsPanel } from './DataMeshProblemsPanel';
