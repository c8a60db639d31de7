import { InfoCard, WarningPanel } from '@backstage/core-components';
import {
  NOT_A_DATA_PRODUCT,
  useDataProductEntity,
} from '../../lib/useDataProductEntity';
import { SloTable } from '../SloTable';

/**
 * The "Service level objectives" card: freshness, availability, accuracy and completeness,
 * parsed and human readable.
 * @public
 */
export function DataProductSloCard() {
  const entity = useDataProductEntity();
  return (
    <InfoCard title="Service level objectives">
      {entity ? (
        <SloTable sla={entity.spec.sla} />
      ) : (
        <WarningPanel title="Not a data product" message={NOT_A_DATA_PRODUCT} />
      )}
    </InfoCard>
  );
}
