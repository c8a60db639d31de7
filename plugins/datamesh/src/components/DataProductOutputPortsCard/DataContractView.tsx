import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import useAsync from 'react-use/esm/useAsync';
import { Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import type { DataContractResult } from '@backstage-datamesh/plugin-datamesh-common';
import { dataMeshApiRef } from '../../api';
import { ContractSchemaTable } from './ContractSchemaTable';
import {
  DocumentLoadError,
  DocumentProblemAlert,
  DocumentSource,
} from '../DocumentResult';

/** Props of {@link DataContractResultView}. */
export interface DataContractResultViewProps {
  /** The outcome of reading and validating the contract. */
  result: DataContractResult;
}

/**
 * A data contract validation outcome: the schema of a valid contract, or an alert naming
 * what is wrong with the contract and where it was read from.
 */
export function DataContractResultView(props: DataContractResultViewProps) {
  const { result } = props;
  switch (result.status) {
    case 'valid': {
      const { contract } = result;
      return (
        <Box>
          <Typography variant="body2">
            Data contract <strong>{contract.name ?? contract.id}</strong>{' '}
            version {contract.version}
            {contract.status ? ` (${contract.status})` : ''}, Open Data Contract
            Standard {contract.apiVersion}
          </Typography>
          {contract.description && (
            <Typography variant="body2" color="textSecondary">
              {contract.description}
            </Typography>
          )}
          <DocumentSource source={result.source} />
          {contract.schema.length === 0 ? (
            <Typography variant="body2" color="textSecondary">
              The contract declares no schema.
            </Typography>
          ) : (
            contract.schema.map((object, index) => (
              <ContractSchemaTable
                key={`${index}:${object.name}`}
                object={object}
              />
            ))
          )}
        </Box>
      );
    }
    case 'invalid':
      return (
        <DocumentProblemAlert
          title="Invalid data contract"
          message={result.message}
          errors={result.errors}
          source={result.source}
        />
      );
    case 'unsupported-version':
      return (
        <DocumentProblemAlert
          severity="warning"
          title="Unsupported data contract version"
          message={`${result.message} (apiVersion ${result.apiVersion})`}
          source={result.source}
        />
      );
    case 'unreachable':
      return (
        <DocumentProblemAlert
          title="Unreachable data contract"
          message={result.message}
          source={result.source}
        />
      );
    default:
      return (
        <DocumentProblemAlert
          title="Unknown data contract status"
          message="The backend answered with a contract status this plugin does not know."
        />
      );
  }
}

/** Props of {@link DataContractView}. */
export interface DataContractViewProps {
  /** Namespace of the DataProduct entity. */
  namespace: string;
  /** Name of the DataProduct entity. */
  name: string;
  /** Name of the output port. */
  port: string;
}

/**
 * Fetches an output port's data contract from the data mesh backend and shows it.
 */
export function DataContractView(props: DataContractViewProps) {
  const { namespace, name, port } = props;
  const dataMeshApi = useApi(dataMeshApiRef);
  const { value, loading, error } = useAsync(
    () => dataMeshApi.getDataContract({ namespace, name, port }),
    [dataMeshApi, namespace, name, port],
  );
  if (loading) {
    return <Progress />;
  }
  if (error) {
    return (
      <DocumentLoadError
        title="Could not load the data contract"
        error={error}
      />
    );
  }
  if (!value) {
    return null;
  }
  return <DataContractResultView result={value} />;
}
