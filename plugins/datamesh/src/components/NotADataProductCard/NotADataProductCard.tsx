import { InfoCard, WarningPanel } from '@backstage/core-components';
import { NOT_A_DATA_PRODUCT } from '../../lib/useDataProductEntity';

/** A DataProduct card placed on the page of an entity of another kind: says so. */
export function NotADataProductCard(props: { title: string }) {
  return (
    <InfoCard title={props.title}>
      <WarningPanel title="Not a data product" message={NOT_A_DATA_PRODUCT} />
    </InfoCard>
  );
}
