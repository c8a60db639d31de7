export { DataProductOutputPortsCard } from './DataProductOutputPortsCard';
export { DataContractView, DataContractResultView } from './DataContractView';
export type {
  DataContractViewProps,
  DataContractResultViewProps,
} from './DataContractView';
export { ContractSchemaTable } from './ContractSchemaTable';
export type { ContractSchemaTableProps } from './ContractSchemaTable';
