import Grid from '@material-ui/core/Grid';
import { DataProductChecksCard } from '../DataProductChecksCard';
import { DataProductIncidentsCard } from '../DataProductIncidentsCard';
import { DataProductTrendsCard } from '../DataProductTrendsCard';

/**
 * The "Quality" tab of a DataProduct entity page, in the order on-call reads it: the incidents
 * (what is open, since when, acknowledge), the latest checks (what fails, with its raw result),
 * then the trends (since when it drifts).
 * @public
 */
export function DataProductQualityContent() {
  return (
    <Grid container spacing={3} alignItems="stretch">
      <Grid item xs={12}>
        <DataProductIncidentsCard />
      </Grid>
      <Grid item xs={12}>
        <DataProductChecksCard />
      </Grid>
      <Grid item xs={12}>
        <DataProductTrendsCard />
      </Grid>
    </Grid>
  );
}
