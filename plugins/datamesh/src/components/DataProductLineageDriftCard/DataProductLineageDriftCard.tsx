import Typography from '@material-ui/core/Typography';
import useAsync from 'react-use/esm/useAsync';
import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
  StatusOK,
  StatusWarning,
} from '@backstage/core-components';
import { useApi, useRouteRef } from '@backstage/core-plugin-api';
import {
  entityRouteParams,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { dataMeshLineageApiRef } from '../../api';
import { productRefOf } from '../../lib/health';
import { useDataProductEntity } from '../../lib/useDataProductEntity';
import { LINEAGE_TAB_PATH } from '../../routes';
import { NotADataProductCard } from '../NotADataProductCard';
import { DriftFindings, countDriftFindings } from './DriftFindings';

const TITLE = 'Lineage drift';

/**
 * The "Lineage drift" card of a DataProduct entity page: where the product's declared input
 * ports and the lineage observed in OpenLineage events disagree over the backend's window
 * (`datamesh.lineage.drift.windowDays`, 30 days by default): inputs its jobs read without
 * declaring them, declared inputs no job read, consumers that read it without declaring it.
 * Says so when declared and observed agree.
 * @public
 */
export function DataProductLineageDriftCard() {
  const entity = useDataProductEntity();
  const lineageApi = useApi(dataMeshLineageApiRef);
  const entityRoute = useRouteRef(entityRouteRef);
  const ref = entity ? productRefOf(entity) : undefined;
  const { value, loading, error } = useAsync(
    async () => (ref ? lineageApi.getDrift(ref) : undefined),
    // the namespace and name stand for the product
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [lineageApi, ref?.namespace, ref?.name],
  );
  if (!entity) {
    return <NotADataProductCard title={TITLE} />;
  }
  // the graph the findings come from
  const deepLink = {
    title: 'Lineage graph',
    link: `${entityRoute(entityRouteParams(entity))}/${LINEAGE_TAB_PATH}`,
  };
  if (loading) {
    return (
      <InfoCard title={TITLE} deepLink={deepLink}>
        <Progress />
      </InfoCard>
    );
  }
  if (error || !value) {
    return (
      <InfoCard title={TITLE} deepLink={deepLink}>
        <ResponseErrorPanel
          error={error ?? new Error('No answer from the lineage API')}
        />
      </InfoCard>
    );
  }
  const findings = countDriftFindings(value);
  return (
    <InfoCard
      title={TITLE}
      deepLink={deepLink}
      subheader={`Declared input ports against the lineage observed in the last ${value.windowDays} days`}
    >
      {findings === 0 ? (
        <Typography variant="body2">
          <StatusOK>
            Declared and observed lineage agree: every declared input port was
            read, and no undeclared input or consumer was seen.
          </StatusOK>
        </Typography>
      ) : (
        <>
          <Typography variant="body2">
            <StatusWarning>
              {findings === 1
                ? '1 disagreement between declared and observed lineage'
                : `${findings} disagreements between declared and observed lineage`}
            </StatusWarning>
          </Typography>
          <DriftFindings drift={value} />
        </>
      )}
    </InfoCard>
  );
}
