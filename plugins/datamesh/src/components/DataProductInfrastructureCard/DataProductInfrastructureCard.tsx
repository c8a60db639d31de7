import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import useAsync from 'react-use/esm/useAsync';
import {
  InfoCard,
  Progress,
  StructuredMetadataTable,
  WarningPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import type {
  DataProductInfrastructure,
  DataProductInfrastructureResult,
} from '@backstage-datamesh/plugin-datamesh-common';
import { dataMeshApiRef } from '../../api';
import {
  DocumentLoadError,
  DocumentProblemAlert,
  DocumentSource,
} from '../DocumentResult';
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
          <DocumentSource source={result.source} />
        </Box>
      );
    case 'invalid':
      return (
        <DocumentProblemAlert
          title="Invalid infrastructure descriptor"
          message={result.message}
          errors={result.errors}
          source={result.source}
        />
      );
    case 'unreachable':
      return (
        <DocumentProblemAlert
          title="Unreachable infrastructure descriptor"
          message={result.message}
          source={result.source}
        />
      );
    default:
      return (
        <DocumentProblemAlert
          title="Unknown infrastructure descriptor status"
          message="The backend answered with a status this plugin does not know."
        />
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
      <DocumentLoadError
        title="Could not load the infrastructure descriptor"
        error={error}
      />
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
