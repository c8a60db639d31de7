import IconButton from '@material-ui/core/IconButton';
import MuiTable from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import RefreshIcon from '@material-ui/icons/Refresh';
import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import type {
  LineageImpact,
  ProductHealthState,
} from '@backstage-datamesh/plugin-datamesh-common';
import { useProductLineage } from '../../lib/useProductLineage';
import { NotADataProductCard } from '../NotADataProductCard';
import { RefOrText } from '../RefOrText';
import { HealthChip } from '../StatusChip';
import { TableHeaderRow, useTableStyles } from '../TableParts';

const TITLE = 'Impact analysis';

/** The impacted products in the order on-call calls them: nearest, then worst health. */
const WORST_FIRST: Record<ProductHealthState, number> = {
  breaching: 0,
  degraded: 1,
  unknown: 2,
  healthy: 3,
};

type ImpactedProduct = LineageImpact['products'][number];

/** Nearest first, then the worst health, then by reference. */
export function compareImpact(a: ImpactedProduct, b: ImpactedProduct): number {
  return (
    a.distance - b.distance ||
    WORST_FIRST[a.health] - WORST_FIRST[b.health] ||
    a.entityRef.localeCompare(b.entityRef)
  );
}

const useStyles = makeStyles(theme => ({
  top: { verticalAlign: 'top' },
  list: { margin: 0, paddingLeft: theme.spacing(2) },
  code: { fontFamily: 'monospace' },
}));

function hops(distance: number): string {
  return `${distance} hop${distance === 1 ? '' : 's'}`;
}

/** The table of the products hit downstream, nearest first. */
export function ImpactTable(props: { impact: LineageImpact }) {
  const classes = useStyles();
  const tableClasses = useTableStyles();
  const products = [...props.impact.products].sort(compareImpact);
  return (
    <div className={tableClasses.scroll}>
      <MuiTable size="small" aria-label="Downstream products">
        <TableHeaderRow
          titles={[
            'Distance',
            'Data product',
            'Health',
            'Owner',
            'On-call',
            'Reads',
          ]}
        />
        <TableBody>
          {products.map(product => (
            <TableRow
              key={product.entityRef}
              aria-label={product.title ?? product.entityRef}
            >
              <TableCell className={`${classes.top} ${tableClasses.short}`}>
                {hops(product.distance)}
              </TableCell>
              <TableCell className={`${classes.top} ${tableClasses.cell}`}>
                <EntityRefLink
                  entityRef={product.entityRef}
                  defaultKind="dataproduct"
                />
              </TableCell>
              <TableCell className={classes.top}>
                <HealthChip health={product.health} />
              </TableCell>
              <TableCell className={`${classes.top} ${tableClasses.cell}`}>
                <RefOrText value={product.owner} />
              </TableCell>
              <TableCell className={`${classes.top} ${tableClasses.cell}`}>
                {product.onCall ? (
                  <RefOrText value={product.onCall} />
                ) : (
                  <Typography variant="body2" color="textSecondary">
                    None declared
                  </Typography>
                )}
              </TableCell>
              <TableCell className={`${classes.top} ${tableClasses.cell}`}>
                <Typography
                  variant="body2"
                  component="ul"
                  className={classes.list}
                >
                  {product.via.map(via => (
                    <li
                      key={`${via.fromEntityRef}#${via.fromPort}@${via.job.namespace}/${via.job.name}`}
                    >
                      <EntityRefLink
                        entityRef={via.fromEntityRef}
                        defaultKind="dataproduct"
                      />{' '}
                      · port {via.fromPort} · job{' '}
                      <span className={classes.code}>{via.job.name}</span>
                    </li>
                  ))}
                </Typography>
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </MuiTable>
    </div>
  );
}

function ImpactContent(props: { impact: LineageImpact }) {
  const classes = useStyles();
  const { impact } = props;
  return (
    <>
      {impact.products.length === 0 ? (
        <Typography variant="body2" color="textSecondary" paragraph>
          No data product was observed reading this product's ports, directly or
          through other products.
        </Typography>
      ) : (
        <ImpactTable impact={impact} />
      )}
      {impact.externalDatasets.length > 0 && (
        <>
          <Typography variant="subtitle2" component="h3">
            External datasets downstream ({impact.externalDatasets.length})
          </Typography>
          <Typography
            variant="body2"
            component="ul"
            className={classes.list}
            aria-label="External datasets downstream"
          >
            {impact.externalDatasets.map(dataset => (
              <li
                key={`${dataset.namespace}/${dataset.name}`}
                className={classes.code}
              >
                {dataset.namespace}/{dataset.name}
              </li>
            ))}
          </Typography>
        </>
      )}
    </>
  );
}

/**
 * The "Impact analysis" of a DataProduct, for on-call: when the product fails, the data
 * products hit downstream (through every job hop), nearest first and worst health first, each
 * with its owning team, on-call rotation, own health and the ports and jobs it reads them
 * through; then the external datasets downstream.
 * @public
 */
export function DataProductImpactCard() {
  const { entity, ...impact } = useProductLineage((api, ref) =>
    api.getImpact(ref, { depth: 'all' }),
  );
  if (!entity) {
    return <NotADataProductCard title={TITLE} />;
  }
  let subheader: string | undefined;
  if (impact.value) {
    const count = impact.value.products.length;
    const unhealthy = impact.value.products.filter(
      p => p.health === 'breaching' || p.health === 'degraded',
    ).length;
    subheader = `${count} data product${count === 1 ? '' : 's'} downstream${
      unhealthy ? `, ${unhealthy} already breaching or degraded` : ''
    }`;
  }
  let content;
  if (impact.error) {
    content = <ResponseErrorPanel error={impact.error} />;
  } else if (!impact.value) {
    content = <Progress />;
  } else {
    content = <ImpactContent impact={impact.value} />;
  }
  return (
    <InfoCard
      title={TITLE}
      subheader={subheader}
      action={
        <IconButton
          aria-label="Refresh impact analysis"
          onClick={impact.retry}
          disabled={impact.loading}
        >
          <RefreshIcon />
        </IconButton>
      }
    >
      {content}
    </InfoCard>
  );
}
