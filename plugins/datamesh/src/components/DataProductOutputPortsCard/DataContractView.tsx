import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';
import useAsync from 'react-use/esm/useAsync';
import { Link, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import type { DataContractResult } from '@backstage-datamesh/plugin-datamesh-common';
import { dataMeshApiRef } from '../../api';
import { isHttpUrl } from '../../lib/refs';
import { ContractSchemaTable } from './ContractSchemaTable';

function Source(props: { source: string }) {
  return (
    <Typography variant="body2" component="div">
      Source:{' '}
      {isHttpUrl(props.source) ? (
        <Link to={props.source}>{props.source}</Link>
      ) : (
        <code>{props.source}</code>
      )}
    </Typography>
  );
}

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
          <Source source={result.source} />
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
        <Alert severity="error">
          <AlertTitle>Invalid data contract</AlertTitle>
          <Typography variant="body2">{result.message}</Typography>
          {result.errors.length > 0 && (
            <ul>
              {result.errors.map((error, index) => (
                <li key={`${index}:${error.path}`}>
                  <code>{error.path}</code>: {error.message}
                </li>
              ))}
            </ul>
          )}
          <Source source={result.source} />
        </Alert>
      );
    case 'unsupported-version':
      return (
        <Alert severity="warning">
          <AlertTitle>Unsupported data contract version</AlertTitle>
          <Typography variant="body2">
            {result.message} (apiVersion {result.apiVersion})
          </Typography>
          <Source source={result.source} />
        </Alert>
      );
    case 'unreachable':
      return (
        <Alert severity="error">
          <AlertTitle>Unreachable data contract</AlertTitle>
          <Typography variant="body2">{result.message}</Typography>
          <Source source={result.source} />
        </Alert>
      );
    default:
      return (
        <Alert severity="error">
          <AlertTitle>Unknown data contract status</AlertTitle>
          <Typography variant="body2">
            The backend answered with a contract status this plugin does not
            know.
          </Typography>
        </Alert>
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
      <Alert severity="error">
        <AlertTitle>Could not load the data contract</AlertTitle>
        <Typography variant="body2">{error.message}</Typography>
        {ResponseError.is(error) && error.cause.message !== error.message && (
          <Typography variant="body2">{error.cause.message}</Typography>
        )}
      </Alert>
    );
  }
  if (!value) {
    return null;
  }
  return <DataContractResultView result={value} />;
}
