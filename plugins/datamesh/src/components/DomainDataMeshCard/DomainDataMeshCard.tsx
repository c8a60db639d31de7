import { useMemo } from 'react';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import Skeleton from '@material-ui/lab/Skeleton';
import { InfoCard, WarningPanel } from '@backstage/core-components';
import {
  Entity,
  RELATION_HAS_PART,
  RELATION_PART_OF,
} from '@backstage/catalog-model';
import {
  EntityRefLink,
  EntityRefLinks,
  getEntityRelations,
  useEntity,
} from '@backstage/plugin-catalog-react';
import {
  DataMeshDomainSpec,
  isDomainEntity,
} from '@backstage-datamesh/plugin-datamesh-common';
import {
  DomainSubtree,
  subtreeProductsFilter,
  useDomainSubtree,
} from '../../lib/domainSubtree';
import { getOwnerRef, tryParseEntityRef } from '../../lib/refs';
import { useDataProductQuery } from '../DataProductTable';
import { Channel } from '../DataProductOwnershipCard';
import { MetadataField } from '../MetadataField';
import { SloTable } from '../SloTable';

function datameshSpec(value: unknown): DataMeshDomainSpec {
  return value && typeof value === 'object' && !Array.isArray(value)
    ? (value as DataMeshDomainSpec)
    : {};
}

/** The products of a subtree counted on the server, as the Data products card counts them. */
function SubtreeProductCount(props: {
  subtree: DomainSubtree;
  direct: number;
}) {
  const { subtree, direct } = props;
  const filter = useMemo(() => subtreeProductsFilter(subtree), [subtree]);
  const page = useDataProductQuery({ filter, pageSize: 1 });
  if (page.error) {
    return <>{page.error.message}</>;
  }
  if (page.loading || page.totalItems === undefined) {
    return <Skeleton width={80} />;
  }
  return subtree.domains.length > 1 ? (
    <>
      {page.totalItems}{' '}
      <Typography variant="body2" component="span" color="textSecondary">
        ({direct} directly in this domain)
      </Typography>
    </>
  ) : (
    <>{page.totalItems}</>
  );
}

/** The number of data products of a domain and its subdomains. */
function DomainProductCount(props: { domain: Entity; direct: number }) {
  const subtree = useDomainSubtree(props.domain);
  if (subtree.error) {
    return <>{subtree.error.message}</>;
  }
  if (!subtree.value) {
    return <Skeleton width={80} />;
  }
  return <SubtreeProductCount subtree={subtree.value} direct={props.direct} />;
}

/**
 * The "Data mesh" card of a Domain: its owner, parent domain and subdomains, and the data mesh
 * settings under `spec.datamesh` (steward, communication channel, baseline SLOs).
 * @public
 */
export function DomainDataMeshCard() {
  const { entity } = useEntity();
  if (!isDomainEntity(entity)) {
    return (
      <InfoCard title="Data mesh">
        <WarningPanel
          title="Not a domain"
          message="This card shows Domain entities only."
        />
      </InfoCard>
    );
  }
  const namespace = entity.metadata.namespace;
  const owner = getOwnerRef(entity);
  const subdomainOf =
    typeof entity.spec?.subdomainOf === 'string'
      ? entity.spec.subdomainOf
      : undefined;
  const parent =
    getEntityRelations(entity, RELATION_PART_OF, { kind: 'domain' })[0] ??
    tryParseEntityRef(subdomainOf, {
      defaultKind: 'domain',
      defaultNamespace: namespace,
    });
  const subdomains = getEntityRelations(entity, RELATION_HAS_PART, {
    kind: 'domain',
  });
  const products = getEntityRelations(entity, RELATION_HAS_PART, {
    kind: 'dataproduct',
  });
  const datamesh = datameshSpec(entity.spec?.datamesh);
  const steward = tryParseEntityRef(datamesh.steward, {
    defaultKind: 'group',
    defaultNamespace: namespace,
  });
  return (
    <InfoCard title="Data mesh">
      <Grid container spacing={2}>
        <MetadataField label="Owner">
          {owner && <EntityRefLink entityRef={owner} />}
        </MetadataField>
        <MetadataField label="Parent domain">
          {parent ? (
            <EntityRefLink entityRef={parent} />
          ) : (
            'None (top-level domain)'
          )}
        </MetadataField>
        <MetadataField label="Subdomains">
          {subdomains.length > 0 ? (
            <EntityRefLinks entityRefs={subdomains} />
          ) : (
            'None'
          )}
        </MetadataField>
        <MetadataField label="Data products">
          <DomainProductCount domain={entity} direct={products.length} />
        </MetadataField>
        <MetadataField label="Data steward">
          {steward ? <EntityRefLink entityRef={steward} /> : datamesh.steward}
        </MetadataField>
        <MetadataField label="Communication channel">
          {datamesh.communicationChannel && (
            <Channel value={datamesh.communicationChannel} />
          )}
        </MetadataField>
      </Grid>
      <Box mt={2}>
        <Typography variant="subtitle1" component="h3">
          Baseline service level objectives
        </Typography>
        <SloTable sla={datamesh.sla} layout="list" />
      </Box>
    </InfoCard>
  );
}
