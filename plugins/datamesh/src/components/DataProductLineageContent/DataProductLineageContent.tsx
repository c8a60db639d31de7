import { useCallback, useMemo, useState } from 'react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Checkbox from '@material-ui/core/Checkbox';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import Grid from '@material-ui/core/Grid';
import IconButton from '@material-ui/core/IconButton';
import LinearProgress from '@material-ui/core/LinearProgress';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import RefreshIcon from '@material-ui/icons/Refresh';
import Alert from '@material-ui/lab/Alert';
import ToggleButton from '@material-ui/lab/ToggleButton';
import ToggleButtonGroup from '@material-ui/lab/ToggleButtonGroup';
import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useAppSearchParams } from '@backstage/frontend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  LINEAGE_GRAPH_DEPTHS,
  LineageDirection,
  LineageGraph as LineageGraphData,
  LineageGraphDepth,
} from '@backstage-datamesh/plugin-datamesh-common';
import { useDataProductEntity } from '../../lib/useDataProductEntity';
import { useProductLineage } from '../../lib/useProductLineage';
import { ColumnLineageDialog } from '../ColumnLineageDialog';
import { DataProductImpactCard } from '../ImpactAnalysis';
import { LineageGraph, LineageLegend } from '../LineageGraph';
import { NotADataProductCard } from '../NotADataProductCard';

const TITLE = 'Lineage';

/** The node limits the graph asks for: the first, then each "Show more". */
export const MAX_NODES_STEPS = [100, 300, 1000] as const;

const DIRECTIONS: Array<{ value: LineageDirection; label: string }> = [
  { value: 'upstream', label: 'Upstream' },
  { value: 'both', label: 'Both' },
  { value: 'downstream', label: 'Downstream' },
];

const DEFAULT_DIRECTION: LineageDirection = 'both';
const DEFAULT_DEPTH: LineageGraphDepth = 2;

const VIEWS = [
  { value: 'graph', label: 'Graph' },
  { value: 'impact', label: 'Impact analysis' },
] as const;

type View = (typeof VIEWS)[number]['value'];

/** The direction a query parameter names, or the default. */
function parseDirection(value: string | null): LineageDirection {
  return DIRECTIONS.some(d => d.value === value)
    ? (value as LineageDirection)
    : DEFAULT_DIRECTION;
}

/** The depth a query parameter names (`1` to `5`, `all`), or the default. */
function parseDepth(value: string | null): LineageGraphDepth {
  return (
    LINEAGE_GRAPH_DEPTHS.find(depth => String(depth) === value) ?? DEFAULT_DEPTH
  );
}

const useStyles = makeStyles(theme => ({
  controls: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: theme.spacing(1, 2),
  },
  depth: { minWidth: 96 },
  toggle: { textTransform: 'none' },
  ports: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: theme.spacing(1),
    marginTop: theme.spacing(1),
  },
}));

/** What the graph holds, by kind, in words. */
export function summarizeGraph(graph: LineageGraphData): string {
  const count = (kind: string) =>
    graph.nodes.filter(node => node.kind === kind).length;
  const parts = [
    [count('product'), 'data product', 'data products'],
    [count('port'), 'port', 'ports'],
    [count('job'), 'job', 'jobs'],
    [count('dataset'), 'external dataset', 'external datasets'],
  ] as const;
  return parts
    .map(([n, one, many]) => `${n} ${n === 1 ? one : many}`)
    .join(', ');
}

function LineageGraphCard(props: {
  direction: LineageDirection;
  depth: LineageGraphDepth;
  onDirection: (direction: LineageDirection) => void;
  onDepth: (depth: LineageGraphDepth) => void;
}) {
  const { direction, depth, onDirection, onDepth } = props;
  const classes = useStyles();
  const [step, setStep] = useState(0);
  const maxNodes = MAX_NODES_STEPS[step];
  const { entity, ...lineage } = useProductLineage(
    (api, ref) => api.getLineageGraph(ref, { direction, depth, maxNodes }),
    [direction, depth, maxNodes],
  );
  // the products whose expanded state the user changed (the root product starts expanded)
  const [toggled, setToggled] = useState<ReadonlySet<string>>(new Set());
  const [hideExternalDatasets, setHideExternalDatasets] = useState(false);
  const [openPort, setOpenPort] = useState<{
    entityRef: string;
    port: string;
  }>();
  const root = lineage.value?.root;
  const expanded = useMemo(() => {
    const result = new Set(toggled);
    if (root) {
      if (result.has(root)) {
        result.delete(root);
      } else {
        result.add(root);
      }
    }
    return result;
  }, [toggled, root]);
  const onToggleProduct = useCallback((id: string) => {
    setToggled(previous => {
      const next = new Set(previous);
      if (next.has(id)) {
        next.delete(id);
      } else {
        next.add(id);
      }
      return next;
    });
  }, []);
  const canShowMore = step < MAX_NODES_STEPS.length - 1;
  const onShowMore = useCallback(
    () => setStep(current => Math.min(current + 1, MAX_NODES_STEPS.length - 1)),
    [],
  );

  if (!entity) {
    return <NotADataProductCard title={TITLE} />;
  }
  const entityRef = stringifyEntityRef(entity);

  let content;
  if (lineage.error) {
    content = <ResponseErrorPanel error={lineage.error} />;
  } else if (!lineage.value) {
    content = <Progress />;
  } else {
    const graph = lineage.value;
    const onlyItself = graph.nodes.every(node => node.side === 'root');
    content = (
      <>
        <Typography variant="body2" color="textSecondary">
          {summarizeGraph(graph)}
          {graph.truncated &&
            ` — the first ${graph.nodes.length} nodes (limit ${maxNodes}).`}
        </Typography>
        {graph.truncated && (
          <Box my={1}>
            <Alert
              severity="info"
              action={
                canShowMore ? (
                  <Button size="small" variant="outlined" onClick={onShowMore}>
                    Show more (up to {MAX_NODES_STEPS[step + 1]} nodes)
                  </Button>
                ) : undefined
              }
            >
              The graph stops at {maxNodes} nodes: each "+N" node says how many
              neighbours are left out there.
              {!canShowMore &&
                ' Lower the depth or pick one direction to see the rest.'}
            </Alert>
          </Box>
        )}
        {onlyItself && (
          <Typography variant="body2" paragraph>
            No job was observed reading or writing this product's ports yet:
            lineage comes from the OpenLineage events its pipelines send to the
            portal.
          </Typography>
        )}
        <LineageLegend />
        {lineage.loading && <LinearProgress aria-label="Loading the lineage" />}
        <LineageGraph
          // a new layout (fitted, unzoomed) for each direction, depth and node limit
          key={`${direction}/${depth}/${maxNodes}`}
          graph={graph}
          expanded={expanded}
          onToggleProduct={onToggleProduct}
          onOpenPort={setOpenPort}
          onShowMore={canShowMore ? onShowMore : undefined}
          hideExternalDatasets={hideExternalDatasets}
        />
      </>
    );
  }

  const outputPorts = entity.spec.outputPorts ?? [];
  return (
    <InfoCard
      title={TITLE}
      subheader="Where its data comes from and where it goes, as its pipelines report it (OpenLineage)"
      action={
        <IconButton
          aria-label="Refresh lineage"
          onClick={lineage.retry}
          disabled={lineage.loading}
        >
          <RefreshIcon />
        </IconButton>
      }
    >
      <div className={classes.controls}>
        <ToggleButtonGroup
          size="small"
          exclusive
          value={direction}
          onChange={(_event, value: LineageDirection | null) => {
            if (value) {
              onDirection(value);
            }
          }}
          aria-label="Direction"
        >
          {DIRECTIONS.map(d => (
            <ToggleButton
              key={d.value}
              value={d.value}
              className={classes.toggle}
            >
              {d.label}
            </ToggleButton>
          ))}
        </ToggleButtonGroup>
        <TextField
          select
          size="small"
          variant="outlined"
          label="Depth"
          className={classes.depth}
          value={String(depth)}
          onChange={event => onDepth(parseDepth(event.target.value))}
          SelectProps={{ native: true }}
          inputProps={{ 'aria-label': 'Depth' }}
        >
          {LINEAGE_GRAPH_DEPTHS.map(d => (
            <option key={d} value={String(d)}>
              {d === 'all' ? 'All' : `${d} hop${d === 1 ? '' : 's'}`}
            </option>
          ))}
        </TextField>
        <FormControlLabel
          control={
            <Checkbox
              size="small"
              checked={!hideExternalDatasets}
              onChange={event => setHideExternalDatasets(!event.target.checked)}
            />
          }
          label="External datasets"
        />
      </div>
      {outputPorts.length > 0 && (
        <div className={classes.ports}>
          <Typography variant="body2">Column lineage:</Typography>
          {outputPorts.map(port => (
            <Button
              key={port.name}
              size="small"
              variant="outlined"
              className={classes.toggle}
              onClick={() => setOpenPort({ entityRef, port: port.name })}
              aria-label={`Column lineage of port ${port.name}`}
            >
              {port.name}
            </Button>
          ))}
        </div>
      )}
      <Box mt={2}>{content}</Box>
      <ColumnLineageDialog
        port={openPort}
        onClose={() => setOpenPort(undefined)}
      />
    </InfoCard>
  );
}

/**
 * The "Lineage" tab of a DataProduct entity page: the product's lineage graph upstream and/or
 * downstream to the depth picked (1 to 5 job hops, or all), the column lineage of its output
 * ports, and the impact analysis (the products hit downstream) for on-call. The view, direction
 * and depth are query parameters (`?view=impact&direction=downstream&depth=3`), so a link opens
 * the same view.
 * @public
 */
export function DataProductLineageContent() {
  const entity = useDataProductEntity();
  const [searchParams, setSearchParams] = useAppSearchParams();
  const view: View = searchParams.get('view') === 'impact' ? 'impact' : 'graph';
  const direction = parseDirection(searchParams.get('direction'));
  const depth = parseDepth(searchParams.get('depth'));
  const classes = useStyles();
  const update = (key: string, value: string) =>
    setSearchParams(
      previous => {
        const next = new URLSearchParams(previous);
        next.set(key, value);
        return next;
      },
      { replace: true },
    );
  if (!entity) {
    return <NotADataProductCard title={TITLE} />;
  }
  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <ToggleButtonGroup
          size="small"
          exclusive
          value={view}
          onChange={(_event, value: View | null) => {
            if (value) {
              update('view', value);
            }
          }}
          aria-label="View"
        >
          {VIEWS.map(v => (
            <ToggleButton
              key={v.value}
              value={v.value}
              className={classes.toggle}
            >
              {v.label}
            </ToggleButton>
          ))}
        </ToggleButtonGroup>
      </Grid>
      <Grid item xs={12}>
        {view === 'impact' ? (
          <DataProductImpactCard />
        ) : (
          <LineageGraphCard
            direction={direction}
            depth={depth}
            onDirection={value => update('direction', value)}
            onDepth={value => update('depth', String(value))}
          />
        )}
      </Grid>
    </Grid>
  );
}
