import { useState } from 'react';
import Grid from '@material-ui/core/Grid';
import ToggleButton from '@material-ui/lab/ToggleButton';
import ToggleButtonGroup from '@material-ui/lab/ToggleButtonGroup';
import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { parseDuration } from '@backstage-datamesh/plugin-datamesh-common';
import { useProductQuality } from '../../lib/useProductQuality';
import { NotADataProductCard } from '../NotADataProductCard';
import { FreshnessChart, MetricChart, PassRateChart } from './TrendCharts';

const TITLE = 'Trends';

/** The windows the backend keeps trends for, in days. */
const WINDOWS = [7, 30, 90] as const;
type Window = (typeof WINDOWS)[number];

/**
 * The "Trends" card of a DataProduct: its check pass rate per day, the freshness lag of each
 * output port against the freshness objective, and its metrics, over the last 7, 30 or 90 days.
 * @public
 */
export function DataProductTrendsCard() {
  const [days, setDays] = useState<Window>(30);
  const { entity, ...history } = useProductQuality(
    (api, ref) => api.getHistory(ref, days),
    [days],
  );
  // the freshness objective the backend measures against: the product's own or its domain's
  const health = useProductQuality((api, ref) => api.getHealth(ref));
  if (!entity) {
    return <NotADataProductCard title={TITLE} />;
  }
  const objective =
    health.value?.slos.find(s => s.slo === 'freshness')?.objective ??
    (entity.spec.sla?.freshness !== undefined
      ? String(entity.spec.sla.freshness)
      : undefined);
  const objectiveMs = objective ? parseDuration(objective) : undefined;
  let content;
  if (history.error) {
    content = <ResponseErrorPanel error={history.error} />;
  } else if (!history.value || history.loading) {
    content = <Progress />;
  } else {
    content = (
      <Grid container spacing={3}>
        <Grid item xs={12} md={4}>
          <PassRateChart history={history.value} />
        </Grid>
        <Grid item xs={12} md={4}>
          <FreshnessChart
            history={history.value}
            objective={objective}
            objectiveMs={objectiveMs}
          />
        </Grid>
        <Grid item xs={12} md={4}>
          <MetricChart history={history.value} />
        </Grid>
      </Grid>
    );
  }
  return (
    <InfoCard
      title={TITLE}
      subheader={`The last ${days} days`}
      action={
        <ToggleButtonGroup
          size="small"
          exclusive
          value={days}
          onChange={(_event, value: Window | null) => {
            if (value) {
              setDays(value);
            }
          }}
          aria-label="Window"
        >
          {WINDOWS.map(window => (
            <ToggleButton
              key={window}
              value={window}
              style={{ textTransform: 'none' }}
            >
              {window} days
            </ToggleButton>
          ))}
        </ToggleButtonGroup>
      }
    >
      {content}
    </InfoCard>
  );
}
