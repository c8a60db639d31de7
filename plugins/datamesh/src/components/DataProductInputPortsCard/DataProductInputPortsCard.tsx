import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import Alert from '@material-ui/lab/Alert';
import useAsync from 'react-use/esm/useAsync';
import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
  StatusOK,
  StatusWarning,
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

/** What is wrong with an input port: a short status and the full explanation. */
export interface InputPortProblem {
  /** A few words for the port's status, such as "Port missing". */
  status: string;
  /** What is wrong, naming the upstream product and, where it helps, its ports. */
  message: string;
}

/** What is wrong with an input port, if anything. */
export function checkInputPort(
  port: ResolvedInputPort,
  upstream: Entity | undefined,
): InputPortProblem | undefined {
  if (!upstream) {
    return {
      status: 'Product missing',
      message: `The upstream data product ${port.productRef} does not exist in the catalog.`,
    };
  }
  if (!isDataProductEntity(upstream)) {
    return {
      status: 'Not a data product',
      message: `${port.productRef} is a ${upstream.kind}, not a DataProduct.`,
    };
  }
  const names = (upstream.spec.outputPorts ?? []).map(p => p.name);
  if (names.includes(port.port)) {
    return undefined;
  }
  return {
    status: 'Port missing',
    message:
      names.length === 0
        ? `${port.productRef} has no output port named "${port.port}"; it has no output ports at all.`
        : `${port.productRef} has no output port named "${
            port.port
          }". Its output ports: ${names.join(', ')}.`,
  };
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

const useStyles = makeStyles(theme => ({
  list: { listStyle: 'none', margin: 0, padding: 0 },
  port: {
    padding: theme.spacing(1.5, 0),
    '& + &': { borderTop: `1px solid ${theme.palette.divider}` },
  },
  // one line of short items that wrap as wholes, never inside a word
  head: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'baseline',
    columnGap: theme.spacing(1.5),
    rowGap: theme.spacing(0.5),
  },
  name: {
    whiteSpace: 'nowrap',
    fontWeight: theme.typography.fontWeightBold as number,
  },
  source: { minWidth: 0 },
  // long identifiers may wrap, but only when one alone is wider than the card
  identifier: { overflowWrap: 'anywhere' },
  status: {
    whiteSpace: 'nowrap',
    marginLeft: 'auto',
    // the status components set their own (larger) type size: the row's size instead
    '& > *': { fontSize: 'inherit', lineHeight: 'inherit' },
  },
  description: { marginTop: theme.spacing(0.5) },
  problem: { marginTop: theme.spacing(1) },
}));

function InputPortList(props: { ports: ResolvedInputPort[] }) {
  const { ports } = props;
  const classes = useStyles();
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
    <ul className={classes.list} aria-label="Input ports">
      {ports.map(port => {
        const problem = checkInputPort(port, value?.get(port.productRef));
        return (
          <li key={port.name} className={classes.port}>
            <div className={classes.head}>
              <Typography
                variant="body2"
                component="span"
                className={classes.name}
              >
                {port.name}
              </Typography>
              <Typography
                variant="body2"
                component="span"
                className={classes.source}
              >
                reads <code className={classes.identifier}>{port.port}</code>{' '}
                from{' '}
                <EntityRefLink
                  entityRef={port.product}
                  className={classes.identifier}
                />
              </Typography>
              <Typography
                variant="body2"
                component="span"
                className={classes.status}
              >
                {problem ? (
                  <StatusWarning>{problem.status}</StatusWarning>
                ) : (
                  <StatusOK>Available</StatusOK>
                )}
              </Typography>
            </div>
            {port.description && (
              <Typography
                variant="body2"
                color="textSecondary"
                className={classes.description}
              >
                {port.description}
              </Typography>
            )}
            {problem && (
              <Alert severity="warning" className={classes.problem}>
                {problem.message}
              </Alert>
            )}
          </li>
        );
      })}
    </ul>
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
    content = <InputPortList ports={resolved.ports} />;
  }
  return <InfoCard title="Input ports">{content}</InfoCard>;
}
