export { DataMeshProblemsPanel } from './DataMeshProblemsPanel';
export type { DataMeshProblemsPanelProps } from './DataMeshProblemsPanel';
