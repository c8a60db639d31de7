import { useMemo } from 'react';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
  WarningPanel,
} from '@backstage/core-components';
import type { Entity } from '@backstage/catalog-model';
import { EntityRefLink, useEntity } from '@backstage/plugin-catalog-react';
import { isDomainEntity } from '@backstage-datamesh/plugin-datamesh-common';
import {
  DomainSubtree,
  findProductDomain,
  subtreeProductsFilter,
  useDomainSubtree,
} from '../../lib/domainSubtree';
import {
  CustomDataProductColumn,
  DataProductColumn,
  DataProductTable,
  useDataProductQuery,
} from '../DataProductTable';
import { DataMeshProblemsPanel } from '../DataMeshProblemsPanel';

/** Props of {@link DomainDataProductsCard}. */
export interface DomainDataProductsCardProps {
  /** How many products one page holds; 10 by default. */
  pageSize?: number;
}

const TITLE = 'Data products';

/** The column naming the subdomain of each product that is not directly in the root domain. */
function subdomainColumn(subtree: DomainSubtree): CustomDataProductColumn {
  return {
    id: 'subdomain',
    title: 'Subdomain',
    render: entity => {
      const domain = findProductDomain(subtree, entity);
      if (!domain || domain.ref === subtree.root.ref) {
        return null;
      }
      return (
        <EntityRefLink entityRef={domain.entityRef} hideIcon>
          {domain.title}
        </EntityRefLink>
      );
    },
  };
}

function SubtreeDataProducts(props: {
  subtree: DomainSubtree;
  pageSize: number;
}) {
  const { subtree, pageSize } = props;
  const filter = useMemo(() => subtreeProductsFilter(subtree), [subtree]);
  const page = useDataProductQuery({ filter, pageSize });
  const hasSubdomains = subtree.domains.length > 1;
  const columns: Array<DataProductColumn | CustomDataProductColumn> = [
    'name',
    'health',
    ...(hasSubdomains ? [subdomainColumn(subtree)] : []),
    'type',
    'lifecycle',
    'sensitivity',
    'owner',
  ];
  return (
    <>
      <DataMeshProblemsPanel domains={subtree.domains.map(d => d.ref)} />
      <DataProductTable
        label={
          hasSubdomains
            ? 'Data products of this domain and its subdomains'
            : 'Data products of this domain'
        }
        page={page}
        columns={columns}
        emptyContent={
          <Typography
            variant="body2"
            color="textSecondary"
            style={{ padding: 16 }}
          >
            {hasSubdomains
              ? 'No data product belongs to this domain or its subdomains yet.'
              : 'No data product belongs to this domain yet.'}
          </Typography>
        }
      />
    </>
  );
}

function subheader(subtree: DomainSubtree | undefined): string | undefined {
  const count = (subtree?.domains.length ?? 1) - 1;
  if (count === 0) {
    return undefined;
  }
  return count === 1
    ? 'With the products of its subdomain'
    : `With the products of its ${count} subdomains`;
}

function DomainDataProducts(props: { domain: Entity; pageSize: number }) {
  const { domain, pageSize } = props;
  const subtree = useDomainSubtree(domain);
  let content;
  if (subtree.error) {
    content = (
      <Box p={2}>
        <ResponseErrorPanel error={subtree.error} />
      </Box>
    );
  } else if (!subtree.value) {
    content = <Progress />;
  } else {
    content = (
      <SubtreeDataProducts subtree={subtree.value} pageSize={pageSize} />
    );
  }
  return (
    <InfoCard title={TITLE} subheader={subheader(subtree.value)} noPadding>
      {content}
    </InfoCard>
  );
}

/**
 * The "Data products" card of a Domain: the data products of the domain and of its subdomains,
 * recursively, paged on the server, each product of a subdomain marked with it. Above them, the
 * data products and domains of the subtree that the catalog rejected.
 * @public
 */
export function DomainDataProductsCard(props: DomainDataProductsCardProps) {
  const { pageSize = 10 } = props;
  const { entity } = useEntity();
  if (!isDomainEntity(entity)) {
    return (
      <InfoCard title={TITLE}>
        <WarningPanel
          title="Not a domain"
          message="This card shows the data products of Domain entities only."
        />
      </InfoCard>
    );
  }
  return <DomainDataProducts domain={entity} pageSize={pageSize} />;
}
