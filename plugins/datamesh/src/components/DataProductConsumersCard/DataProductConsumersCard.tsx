import MuiTable from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import useAsync from 'react-use/esm/useAsync';
import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
  WarningPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  CompoundEntityRef,
  Entity,
  RELATION_DEPENDENCY_OF,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  EntityRefLink,
  catalogApiRef,
  getEntityRelations,
} from '@backstage/plugin-catalog-react';
import type { DataProductInputPort } from '@backstage-datamesh/plugin-datamesh-common';
import { getDomainRef, getOwnerRef, tryParseEntityRef } from '../../lib/refs';
import {
  NOT_A_DATA_PRODUCT,
  useDataProductEntity,
} from '../../lib/useDataProductEntity';

/** The ports of this product that a consumer reads, from the consumer's input ports. */
function consumedPorts(consumer: Entity, productRef: string): string[] {
  const inputPorts = consumer.spec?.inputPorts;
  if (!Array.isArray(inputPorts)) {
    return [];
  }
  const ports = new Set<string>();
  for (const port of inputPorts as DataProductInputPort[]) {
    const target = tryParseEntityRef(port?.product, {
      defaultKind: 'dataproduct',
      defaultNamespace: consumer.metadata.namespace,
    });
    if (target && stringifyEntityRef(target) === productRef && port.port) {
      ports.add(port.port);
    }
  }
  return [...ports];
}

function ConsumersTable(props: {
  consumers: CompoundEntityRef[];
  productRef: string;
}) {
  const { consumers, productRef } = props;
  const catalogApi = useApi(catalogApiRef);
  const refs = consumers.map(ref => stringifyEntityRef(ref));
  const { value, loading, error } = useAsync(
    () =>
      catalogApi.getEntitiesByRefs({
        entityRefs: refs,
        fields: [
          'kind',
          'metadata.name',
          'metadata.namespace',
          'metadata.title',
          'spec.owner',
          'spec.domain',
          'spec.inputPorts',
          'relations',
        ],
      }),
    [catalogApi, refs.join(',')],
  );
  if (loading) {
    return <Progress />;
  }
  if (error) {
    return <ResponseErrorPanel error={error} />;
  }
  return (
    <MuiTable size="small" aria-label="Consumers">
      <TableHead>
        <TableRow>
          <TableCell>Data product</TableCell>
          <TableCell>Domain</TableCell>
          <TableCell>Owner</TableCell>
          <TableCell>Reads output ports</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {consumers.map((ref, index) => {
          const consumer = value?.items[index];
          const domain = consumer && getDomainRef(consumer);
          const owner = consumer && getOwnerRef(consumer);
          return (
            <TableRow key={refs[index]}>
              <TableCell component="th" scope="row">
                <EntityRefLink entityRef={ref} />
              </TableCell>
              <TableCell>
                {domain && <EntityRefLink entityRef={domain} />}
              </TableCell>
              <TableCell>
                {owner && <EntityRefLink entityRef={owner} />}
              </TableCell>
              <TableCell>
                {consumer ? consumedPorts(consumer, productRef).join(', ') : ''}
              </TableCell>
            </TableRow>
          );
        })}
      </TableBody>
    </MuiTable>
  );
}

/**
 * The "Consumers" card: the downstream data products that read this product's output ports
 * (its `dependencyOf` relations to DataProduct entities).
 * @public
 */
export function DataProductConsumersCard() {
  const entity = useDataProductEntity();
  if (!entity) {
    return (
      <InfoCard title="Consumers">
        <WarningPanel title="Not a data product" message={NOT_A_DATA_PRODUCT} />
      </InfoCard>
    );
  }
  const consumers = getEntityRelations(entity, RELATION_DEPENDENCY_OF, {
    kind: 'dataproduct',
  });
  return (
    <InfoCard title="Consumers">
      {consumers.length === 0 ? (
        <Typography variant="body2" color="textSecondary">
          No data product consumes this product yet.
        </Typography>
      ) : (
        <ConsumersTable
          consumers={consumers}
          productRef={stringifyEntityRef(entity)}
        />
      )}
    </InfoCard>
  );
}
