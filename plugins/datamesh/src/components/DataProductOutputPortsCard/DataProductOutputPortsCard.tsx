import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import Divider from '@material-ui/core/Divider';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { InfoCard, WarningPanel } from '@backstage/core-components';
import type { DataProductOutputPort } from '@backstage-datamesh/plugin-datamesh-common';
import {
  NOT_A_DATA_PRODUCT,
  useDataProductEntity,
} from '../../lib/useDataProductEntity';
import { MetadataField } from '../MetadataField';
import { DataContractView } from './DataContractView';

function OutputPort(props: {
  port: DataProductOutputPort;
  namespace: string;
  name: string;
}) {
  const { port, namespace, name } = props;
  return (
    <Box component="section" aria-label={`Output port ${port.name}`} py={2}>
      <Box display="flex" alignItems="center" mb={1}>
        <Typography variant="h6" component="h3">
          {port.name}
        </Typography>
        <Box ml={1}>
          <Chip size="small" label={port.type} />
        </Box>
      </Box>
      {port.description && (
        <Typography variant="body2" paragraph>
          {port.description}
        </Typography>
      )}
      <Grid container spacing={2}>
        <MetadataField label="Location namespace" md={4}>
          {port.location?.namespace && <code>{port.location.namespace}</code>}
        </MetadataField>
        <MetadataField label="Location name" md={4}>
          {port.location?.name && <code>{port.location.name}</code>}
        </MetadataField>
        <MetadataField label="Format" md={4}>
          {port.format}
        </MetadataField>
      </Grid>
      <Box mt={2}>
        <Typography variant="subtitle1" component="h4">
          Data contract
        </Typography>
        {port.contract ? (
          <DataContractView
            namespace={namespace}
            name={name}
            port={port.name}
          />
        ) : (
          <Typography variant="body2" color="textSecondary">
            This port declares no data contract.
          </Typography>
        )}
      </Box>
    </Box>
  );
}

/**
 * The "Output ports" card: each port's type, location and format, and its data contract's
 * schema as validated by the data mesh backend.
 * @public
 */
export function DataProductOutputPortsCard() {
  const entity = useDataProductEntity();
  if (!entity) {
    return (
      <InfoCard title="Output ports">
        <WarningPanel title="Not a data product" message={NOT_A_DATA_PRODUCT} />
      </InfoCard>
    );
  }
  const ports = entity.spec.outputPorts ?? [];
  const namespace = entity.metadata.namespace ?? 'default';
  return (
    <InfoCard title="Output ports">
      {ports.length === 0 && (
        <Typography variant="body2" color="textSecondary">
          This data product declares no output ports.
        </Typography>
      )}
      {ports.map((port, index) => (
        <Box key={port.name}>
          {index > 0 && <Divider />}
          <OutputPort
            port={port}
            namespace={namespace}
            name={entity.metadata.name}
          />
        </Box>
      ))}
    </InfoCard>
  );
}
