import MuiTable from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import useAsync from 'react-use/esm/useAsync';
import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
  StatusOK,
  WarningPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import { EntityRefLink, catalogApiRef } from '@backstage/plugin-catalog-react';
import {
  DataProductEntityV1alpha1,
  ResolvedInputPort,
  isDataProductEntity,
  resolveDataProductRefs,
} from '@backstage-datamesh/plugin-datamesh-common';
import {
  NOT_A_DATA_PRODUCT,
  useDataProductEntity,
} from '../../lib/useDataProductEntity';

/** What is wrong with an input port, if anything. */
export function checkInputPort(
  port: ResolvedInputPort,
  upstream: Entity | undefined,
): string | undefined {
  if (!upstream) {
    return `The upstream data product ${port.productRef} does not exist in the catalog.`;
  }
  if (!isDataProductEntity(upstream)) {
    return `${port.productRef} is a ${upstream.kind}, not a DataProduct.`;
  }
  const names = (upstream.spec.outputPorts ?? []).map(p => p.name);
  if (names.includes(port.port)) {
    return undefined;
  }
  return names.length === 0
    ? `${port.productRef} has no output port named "${port.port}"; it has no output ports at all.`
    : `${port.productRef} has no output port named "${
        port.port
      }". Its output ports: ${names.join(', ')}.`;
}

function resolvePorts(
  entity: DataProductEntityV1alpha1,
):
  | { ports: ResolvedInputPort[]; error?: undefined }
  | { ports?: undefined; error: Error } {
  try {
    return { ports: resolveDataProductRefs(entity).inputPorts };
  } catch (e) {
    return { error: e instanceof Error ? e : new Error(String(e)) };
  }
}

function InputPortsTable(props: { ports: ResolvedInputPort[] }) {
  const { ports } = props;
  const catalogApi = useApi(catalogApiRef);
  const refs = [...new Set(ports.map(port => port.productRef))];
  const { value, loading, error } = useAsync(async () => {
    const response = await catalogApi.getEntitiesByRefs({
      entityRefs: refs,
      fields: [
        'apiVersion',
        'kind',
        'metadata.name',
        'metadata.namespace',
        'metadata.title',
        'spec.outputPorts',
      ],
    });
    const byRef = new Map<string, Entity | undefined>();
    refs.forEach((ref, index) => byRef.set(ref, response.items[index]));
    return byRef;
  }, [catalogApi, refs.join(',')]);

  if (loading) {
    return <Progress />;
  }
  if (error) {
    return <ResponseErrorPanel error={error} />;
  }
  return (
    <MuiTable size="small" aria-label="Input ports">
      <TableHead>
        <TableRow>
          <TableCell>Input port</TableCell>
          <TableCell>Upstream product</TableCell>
          <TableCell>Output port</TableCell>
          <TableCell>Description</TableCell>
          <TableCell>Status</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {ports.map(port => {
          const problem = checkInputPort(port, value?.get(port.productRef));
          return (
            <TableRow key={port.name}>
              <TableCell component="th" scope="row">
                {port.name}
              </TableCell>
              <TableCell>
                <EntityRefLink entityRef={port.product} />
              </TableCell>
              <TableCell>
                <code>{port.port}</code>
              </TableCell>
              <TableCell>{port.description ?? ''}</TableCell>
              <TableCell>
                {problem ? (
                  <Alert severity="warning">{problem}</Alert>
                ) : (
                  <StatusOK>Available</StatusOK>
                )}
              </TableCell>
            </TableRow>
          );
        })}
      </TableBody>
    </MuiTable>
  );
}

/**
 * The "Input ports" card: the output ports of upstream products this product consumes, checked
 * against the catalog.
 * @public
 */
export function DataProductInputPortsCard() {
  const entity = useDataProductEntity();
  if (!entity) {
    return (
      <InfoCard title="Input ports">
        <WarningPanel title="Not a data product" message={NOT_A_DATA_PRODUCT} />
      </InfoCard>
    );
  }
  const resolved = resolvePorts(entity);
  let content;
  if (resolved.error) {
    content = (
      <WarningPanel
        severity="error"
        title="Invalid input port reference"
        message={resolved.error.message}
      />
    );
  } else if (resolved.ports.length === 0) {
    content = (
      <Typography variant="body2" color="textSecondary">
        This data product declares no input ports.
      </Typography>
    );
  } else {
    content = <InputPortsTable ports={resolved.ports} />;
  }
  return <InfoCard title="Input ports">{content}</InfoCard>;
}
