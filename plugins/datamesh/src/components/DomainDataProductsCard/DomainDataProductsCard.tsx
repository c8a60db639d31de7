import { useMemo } from 'react';
import Typography from '@material-ui/core/Typography';
import { InfoCard, WarningPanel } from '@backstage/core-components';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import { isDomainEntity } from '@backstage-datamesh/plugin-datamesh-common';
import { DataProductTable, useDataProductQuery } from '../DataProductTable';

/** Props of {@link DomainDataProductsCard}. */
export interface DomainDataProductsCardProps {
  /** How many products one page holds; 10 by default. */
  pageSize?: number;
}

/**
 * The "Data products" card of a Domain: the domain's data products, paged on the server.
 * @public
 */
export function DomainDataProductsCard(props: DomainDataProductsCardProps) {
  const { pageSize = 10 } = props;
  const { entity } = useEntity();
  const domainRef = stringifyEntityRef(entity);
  const filter = useMemo(
    () => ({ 'relations.partOf': domainRef }),
    [domainRef],
  );
  const page = useDataProductQuery({ filter, pageSize });
  if (!isDomainEntity(entity)) {
    return (
      <InfoCard title="Data products">
        <WarningPanel
          title="Not a domain"
          message="This card shows the data products of Domain entities only."
        />
      </InfoCard>
    );
  }
  return (
    <InfoCard title="Data products" noPadding>
      <DataProductTable
        label="Data products of this domain"
        page={page}
        columns={['name', 'type', 'lifecycle', 'sensitivity', 'owner']}
        emptyContent={
          <Typography
            variant="body2"
            color="textSecondary"
            style={{ padding: 16 }}
          >
            No data product belongs to this domain yet.
          </Typography>
        }
      />
    </InfoCard>
  );
}
