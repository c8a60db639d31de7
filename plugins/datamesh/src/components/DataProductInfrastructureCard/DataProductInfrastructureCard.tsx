import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';
import useAsync from 'react-use/esm/useAsync';
import {
  InfoCard,
  Progress,
  StructuredMetadataTable,
  WarningPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import type {
  DataProductInfrastructure,
  DataProductInfrastructureResult,
} from '@backstage-datamesh/plugin-datamesh-common';
import { dataMeshApiRef } from '../../api';
import {
  NOT_A_DATA_PRODUCT,
  useDataProductEntity,
} from '../../lib/useDataProductEntity';

type Spec = DataProductInfrastructure['spec'];

const SECTIONS: Array<{ key: keyof Spec; title: string }> = [
  { key: 'storage', title: 'Storage' },
  { key: 'processing', title: 'Processing' },
  { key: 'orchestration', title: 'Orchestration' },
  { key: 'quality', title: 'Quality' },
  { key: 'discovery', title: 'Discovery' },
  { key: 'security', title: 'Security' },
];

/** A descriptor field's name as people read it: `encryption_at_rest` → `Encryption at rest`. */
function label(key: string): string {
  const words = key.replace(/_/g, ' ').replace(/([a-z])([A-Z])/g, '$1 $2');
  return words.charAt(0).toLocaleUpperCase('en-US') + words.slice(1);
}

function display(value: unknown): string {
  if (typeof value === 'boolean') {
    return value ? 'Yes' : 'No';
  }
  if (Array.isArray(value)) {
    return value
      .map(item =>
        typeof item === 'object' && item !== null
          ? Object.values(item as Record<string, unknown>).join(' ')
          : String(item),
      )
      .join('; ');
  }
  return String(value);
}

function Section(props: { title: string; values?: Record<string, unknown> }) {
  const metadata = Object.fromEntries(
    Object.entries(props.values ?? {}).map(([key, value]) => [
      label(key),
      display(value),
    ]),
  );
  return (
    // two sections a row at most: the card sits in the page's main column, and the grid's
    // breakpoints follow the window, not the card
    <Grid item xs={12} sm={6}>
      <Typography variant="subtitle2">{props.title}</Typography>
      {Object.keys(metadata).length === 0 ? (
        <Typography variant="body2" color="textSecondary">
          Not described.
        </Typography>
      ) : (
        <StructuredMetadataTable metadata={metadata} dense />
      )}
    </Grid>
  );
}

/**
 * An infrastructure descriptor validation outcome: its six sections when valid, or an alert
 * naming each problem and where the descriptor was read from.
 */
export function InfrastructureResultView(props: {
  result: DataProductInfrastructureResult;
}) {
  const { result } = props;
  const source = (
    <Typography variant="body2" component="div">
      Source: <code>{result.source}</code>
    </Typography>
  );
  switch (result.status) {
    case 'valid':
      return (
        <Box>
          <Typography variant="body2" gutterBottom>
            <strong>{result.infrastructure.metadata.name}</strong> (
            {result.infrastructure.kind} {result.infrastructure.apiVersion}),
            valid against its schema
          </Typography>
          <Grid container spacing={2}>
            {SECTIONS.map(section => (
              <Section
                key={section.key}
                title={section.title}
                values={result.infrastructure.spec[section.key]}
              />
            ))}
          </Grid>
          {source}
        </Box>
      );
    case 'invalid':
      return (
        <Alert severity="error">
          <AlertTitle>Invalid infrastructure descriptor</AlertTitle>
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
          {source}
        </Alert>
      );
    case 'unreachable':
      return (
        <Alert severity="error">
          <AlertTitle>Unreachable infrastructure descriptor</AlertTitle>
          <Typography variant="body2">{result.message}</Typography>
          {source}
        </Alert>
      );
    default:
      return (
        <Alert severity="error">
          <AlertTitle>Unknown infrastructure descriptor status</AlertTitle>
          <Typography variant="body2">
            The backend answered with a status this plugin does not know.
          </Typography>
        </Alert>
      );
  }
}

function InfrastructureView(props: { namespace: string; name: string }) {
  const { namespace, name } = props;
  const dataMeshApi = useApi(dataMeshApiRef);
  const { value, loading, error } = useAsync(
    () => dataMeshApi.getInfrastructure({ namespace, name }),
    [dataMeshApi, namespace, name],
  );
  if (loading) {
    return <Progress />;
  }
  if (error) {
    return (
      <Alert severity="error">
        <AlertTitle>Could not load the infrastructure descriptor</AlertTitle>
        <Typography variant="body2">{error.message}</Typography>
        {ResponseError.is(error) && error.cause.message !== error.message && (
          <Typography variant="body2">{error.cause.message}</Typography>
        )}
      </Alert>
    );
  }
  return value ? <InfrastructureResultView result={value} /> : null;
}

/**
 * The "Infrastructure" card of a DataProduct entity page: the product's
 * `DataProductInfrastructure` descriptor (storage, processing, orchestration, quality, discovery
 * and security), read and validated by the data mesh backend as its contracts are.
 * @public
 */
export function DataProductInfrastructureCard() {
  const entity = useDataProductEntity();
  if (!entity) {
    return (
      <InfoCard title="Infrastructure">
        <WarningPanel title="Not a data product" message={NOT_A_DATA_PRODUCT} />
      </InfoCard>
    );
  }
  return (
    <InfoCard title="Infrastructure">
      {entity.spec.infrastructure ? (
        <InfrastructureView
          namespace={entity.metadata.namespace ?? 'default'}
          name={entity.metadata.name}
        />
      ) : (
        <Typography variant="body2" color="textSecondary">
          This data product references no infrastructure descriptor (
          <code>spec.infrastructure</code>).
        </Typography>
      )}
    </InfoCard>
  );
}
