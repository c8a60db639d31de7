import {
  KeyboardEvent,
  MouseEvent,
  ReactNode,
  memo,
  useCallback,
  useMemo,
} from 'react';
import { makeStyles, useTheme } from '@material-ui/core/styles';
import type { BackstageTheme } from '@backstage/theme';
import CallMadeIcon from '@material-ui/icons/CallMade';
import SettingsIcon from '@material-ui/icons/Settings';
import StorageIcon from '@material-ui/icons/Storage';
import TableChartIcon from '@material-ui/icons/TableChart';
import {
  DependencyGraph,
  DependencyGraphTypes,
} from '@backstage/core-components';
import { useRouteRef } from '@backstage/core-plugin-api';
import { useAppNavigate } from '@backstage/frontend-plugin-api';
import {
  entityRouteParams,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import type {
  LineageGraph as LineageGraphData,
  LineageGraphNode,
  LineageRunState,
} from '@backstage-datamesh/plugin-datamesh-common';
import { durationSince, formatTimestamp } from '../../lib/health';
import { HEALTH_LOOKS, StatusTone } from '../StatusChip';
import {
  LineageView,
  LineageViewNode,
  LineageViewNodeKind,
  buildLineageView,
} from './graphView';

/** The size of each kind of node, in pixels: fixed, so labels are cut to fit and nodes line up. */
export const NODE_SIZES: Record<
  LineageViewNodeKind,
  { width: number; height: number }
> = {
  product: { width: 236, height: 58 },
  port: { width: 204, height: 44 },
  job: { width: 220, height: 50 },
  dataset: { width: 220, height: 44 },
  more: { width: 104, height: 32 },
};

/** How each run state of a job's last run reads and looks. */
export const RUN_STATE_LOOKS: Record<
  LineageRunState,
  { label: string; tone: StatusTone }
> = {
  START: { label: 'Started', tone: 'running' },
  RUNNING: { label: 'Running', tone: 'running' },
  COMPLETE: { label: 'Complete', tone: 'ok' },
  ABORT: { label: 'Aborted', tone: 'warning' },
  FAIL: { label: 'Failed', tone: 'error' },
  OTHER: { label: 'Other', tone: 'pending' },
};

/** The kinds of nodes as the legend and the nodes' accessible names say them. */
export const NODE_KIND_LABELS: Record<LineageViewNodeKind, string> = {
  product: 'Data product',
  port: 'Output port',
  job: 'Job',
  dataset: 'External dataset',
  more: 'Left out',
};

const ICON_SIZE = 18;
const PADDING = 10;
/** The average width of a character of the nodes' 13px text, to cut labels to their node. */
const CHAR_WIDTH = 7.4;

/** A label cut to `width` pixels, with an ellipsis when it was cut. */
export function fitLabel(label: string, width: number): string {
  const max = Math.max(4, Math.floor(width / CHAR_WIDTH));
  return label.length <= max ? label : `${label.slice(0, max - 1)}…`;
}

const useStyles = makeStyles<BackstageTheme>(theme => ({
  root: {
    // the graph fills a box of its own and zooms and pans inside it
    height: '70vh',
    minHeight: 420,
    border: `1px solid ${theme.palette.divider}`,
    borderRadius: theme.shape.borderRadius,
    position: 'relative',
    // DependencyGraph's own wrapper: as high as the box, so the graph is fitted into it
    '& > div': { height: '100%' },
  },
  graph: { width: '100%', height: '100%' },
  text: {
    fontFamily: theme.typography.fontFamily,
    fontSize: 13,
    pointerEvents: 'none',
  },
  caption: {
    fontFamily: theme.typography.fontFamily,
    fontSize: 11,
    pointerEvents: 'none',
  },
  action: {
    cursor: 'pointer',
    outline: 'none',
    '&:focus-visible > :first-child, &:hover > :first-child': {
      strokeWidth: 3,
      stroke: theme.palette.primary.main,
    },
  },
}));

/** Props of {@link LineageGraph}. */
export interface LineageGraphProps {
  /** The lineage graph as the backend answers it. */
  graph: LineageGraphData;
  /** The product nodes whose ports are drawn as nodes of their own. */
  expanded: ReadonlySet<string>;
  /** Shows or hides a product's ports. */
  onToggleProduct: (productNodeId: string) => void;
  /** Opens the column lineage of a port. */
  onOpenPort: (port: { entityRef: string; port: string }) => void;
  /** Asks for more nodes, when neighbours were left out. */
  onShowMore?: () => void;
  /** Leaves out the datasets no product declares, to see the products and jobs alone. */
  hideExternalDatasets?: boolean;
}

/** Activates on click and on Enter or Space, as a button does. */
function actionProps(label: string, action: () => void, role = 'button') {
  return {
    role,
    tabIndex: 0,
    'aria-label': label,
    onClick: (event: MouseEvent) => {
      event.stopPropagation();
      action();
    },
    onKeyDown: (event: KeyboardEvent) => {
      if (event.key === 'Enter' || event.key === ' ') {
        event.preventDefault();
        action();
      }
    },
  };
}

function NodeIcon(props: { kind: LineageViewNodeKind; color: string }) {
  const iconProps = {
    x: PADDING,
    y: PADDING - 1,
    width: ICON_SIZE,
    height: ICON_SIZE,
    style: { fontSize: ICON_SIZE, color: props.color },
    'aria-hidden': true,
  } as const;
  switch (props.kind) {
    case 'product':
      return <StorageIcon {...iconProps} />;
    case 'port':
      return <CallMadeIcon {...iconProps} />;
    case 'job':
      return <SettingsIcon {...iconProps} />;
    case 'dataset':
      return <TableChartIcon {...iconProps} />;
    default:
      return null;
  }
}

/** The shape of each kind of node: products rounded, ports square, jobs cut, datasets dashed. */
function NodeShape(props: {
  kind: LineageViewNodeKind;
  fill: string;
  stroke: string;
  root?: boolean;
}) {
  const { width, height } = NODE_SIZES[props.kind];
  const common = {
    fill: props.fill,
    stroke: props.stroke,
    strokeWidth: props.root ? 3 : 1.5,
  };
  switch (props.kind) {
    case 'product':
      return <rect width={width} height={height} rx={12} {...common} />;
    case 'port':
      return <rect width={width} height={height} rx={2} {...common} />;
    case 'job': {
      const cut = 12;
      const points = [
        [cut, 0],
        [width - cut, 0],
        [width, height / 2],
        [width - cut, height],
        [cut, height],
        [0, height / 2],
      ]
        .map(point => point.join(','))
        .join(' ');
      return <polygon points={points} {...common} />;
    }
    case 'dataset':
      return (
        <rect
          width={width}
          height={height}
          rx={6}
          strokeDasharray="5 3"
          {...common}
        />
      );
    default:
      return <rect width={width} height={height} rx={height / 2} {...common} />;
  }
}

function describeNode(node: LineageViewNode): string {
  const lineage = node.node;
  if (!lineage) {
    return `${node.hidden} more neighbours left out: show more`;
  }
  const kind = NODE_KIND_LABELS[node.kind];
  const health = lineage.health
    ? `, ${HEALTH_LOOKS[lineage.health].label.toLocaleLowerCase('en-US')}`
    : '';
  switch (node.kind) {
    case 'product':
      return `${kind} ${lineage.title ?? lineage.label}${health}`;
    case 'port':
      return `${kind} ${lineage.port ?? lineage.label} of ${
        lineage.title ?? lineage.entityRef
      }${health}`;
    case 'job': {
      const run = lineage.job?.latestRun;
      const state = run?.state
        ? `, last run ${RUN_STATE_LOOKS[run.state].label.toLocaleLowerCase(
            'en-US',
          )}`
        : ', no run seen';
      return `${kind} ${lineage.label}${state}`;
    }
    default:
      return `${kind} ${lineage.dataset?.namespace ?? ''}/${
        lineage.dataset?.name ?? lineage.label
      }`;
  }
}

/** What a node does when clicked. */
interface NodeActions {
  hrefOf: (entityRef: string) => string;
  navigate: (href: string) => void;
  onToggleProduct: (productNodeId: string) => void;
  onOpenPort: (port: { entityRef: string; port: string }) => void;
  onShowMore?: () => void;
}

/** One node of the graph, drawn in the shape, colours and texts of its kind. */
function LineageNodeView(props: {
  node: LineageViewNode;
  actions: NodeActions;
}) {
  const { node, actions } = props;
  const classes = useStyles();
  const theme = useTheme<BackstageTheme>();
  const { width, height } = NODE_SIZES[node.kind];
  const lineage = node.node;
  const textWidth = width - 2 * PADDING - ICON_SIZE - 6;
  const textX = PADDING + ICON_SIZE + 6;
  const paper = theme.palette.background.paper;
  const subtle = theme.palette.textSubtle;
  const label = describeNode(node);

  if (!lineage) {
    const showMore = actions.onShowMore;
    // at the largest node limit there is no more to ask for: the node only says what is left out
    const moreProps = showMore
      ? {
          className: classes.action,
          ...actionProps(label, () => showMore()),
        }
      : {
          role: 'img',
          'aria-label': `${node.hidden} more neighbours left out`,
        };
    return (
      <g data-kind="more" {...moreProps}>
        <NodeShape
          kind="more"
          fill={theme.palette.background.default}
          stroke={subtle}
        />
        <text
          className={classes.text}
          x={width / 2}
          y={height / 2}
          textAnchor="middle"
          dominantBaseline="central"
          fill={theme.palette.text.primary}
        >
          +{node.hidden} more
        </text>
        <title>{label}</title>
      </g>
    );
  }

  const healthTone = lineage.health
    ? HEALTH_LOOKS[lineage.health].tone
    : undefined;
  const healthColor = healthTone ? theme.palette.status[healthTone] : subtle;

  if (node.kind === 'product') {
    const fill = healthColor;
    const color = theme.palette.getContrastText(fill);
    const entityRef = lineage.entityRef ?? '';
    const href = entityRef ? actions.hrefOf(entityRef) : undefined;
    const portCount = node.ports.length;
    const health = lineage.health
      ? HEALTH_LOOKS[lineage.health].label
      : 'No health';
    return (
      <g data-kind="product" data-health={lineage.health ?? 'none'}>
        <NodeShape
          kind="product"
          fill={fill}
          stroke={node.root ? theme.palette.text.primary : fill}
          root={node.root}
        />
        <a
          href={href}
          className={classes.action}
          {...actionProps(label, () => href && actions.navigate(href), 'link')}
          onClick={(event: MouseEvent) => {
            event.stopPropagation();
            // a modified click opens the product as the browser does (new tab, window)
            if (
              !href ||
              event.metaKey ||
              event.ctrlKey ||
              event.shiftKey ||
              event.button !== 0
            ) {
              return;
            }
            event.preventDefault();
            actions.navigate(href);
          }}
        >
          <rect width={width} height={34} fill="transparent" />
          <NodeIcon kind="product" color={color} />
          <text
            className={classes.text}
            x={textX}
            y={PADDING + ICON_SIZE / 2}
            dominantBaseline="central"
            fill={color}
            fontWeight="bold"
          >
            {fitLabel(lineage.title ?? lineage.label, textWidth)}
          </text>
        </a>
        <text
          className={classes.caption}
          x={PADDING}
          y={height - 12}
          dominantBaseline="central"
          fill={color}
        >
          {health}
        </text>
        {portCount > 0 && (
          <g
            className={classes.action}
            {...actionProps(
              `${node.expanded ? 'Hide' : 'Show'} the ${portCount} port${
                portCount === 1 ? '' : 's'
              } of ${lineage.title ?? lineage.label}`,
              () => actions.onToggleProduct(node.id),
            )}
            aria-expanded={node.expanded}
          >
            <rect
              x={width - 96}
              y={height - 22}
              width={88}
              height={18}
              rx={9}
              fill={paper}
              fillOpacity={0.85}
              stroke="none"
            />
            <text
              className={classes.caption}
              x={width - 52}
              y={height - 13}
              textAnchor="middle"
              dominantBaseline="central"
              fill={theme.palette.text.primary}
            >
              {node.expanded ? '▾' : '▸'} {portCount} port
              {portCount === 1 ? '' : 's'}
            </text>
          </g>
        )}
        <title>{`${label}${entityRef ? ` (${entityRef})` : ''}`}</title>
      </g>
    );
  }

  let caption: ReactNode = null;
  let captionColor = subtle;
  let title = label;
  if (node.kind === 'port') {
    caption = lineage.title ?? lineage.entityRef;
  } else if (node.kind === 'job') {
    const run = lineage.job?.latestRun;
    if (run?.state) {
      const look = RUN_STATE_LOOKS[run.state];
      const at = run.endedAt ?? run.stateTime;
      const ago = durationSince(at);
      caption = `● ${look.label}${ago ? ` · ${ago} ago` : ''}`;
      captionColor = theme.palette.status[look.tone];
      title = `${label}${at ? ` at ${formatTimestamp(at)}` : ''}`;
    } else {
      caption = 'No run seen';
    }
  } else {
    caption = lineage.dataset?.namespace;
  }
  const primary =
    node.kind === 'port'
      ? lineage.port ?? lineage.label
      : lineage.dataset?.name ?? lineage.label;
  const shape = (
    <>
      <NodeShape
        kind={node.kind}
        fill={paper}
        stroke={node.kind === 'port' ? healthColor : subtle}
      />
      <NodeIcon
        kind={node.kind}
        color={node.kind === 'port' ? healthColor : subtle}
      />
      <text
        className={classes.text}
        x={textX}
        y={PADDING + ICON_SIZE / 2 - 1}
        dominantBaseline="central"
        fill={theme.palette.text.primary}
      >
        {fitLabel(node.kind === 'job' ? lineage.label : primary, textWidth)}
      </text>
      {caption && (
        <text
          className={classes.caption}
          x={textX}
          y={height - 10}
          dominantBaseline="central"
          fill={captionColor}
        >
          {fitLabel(String(caption), textWidth)}
        </text>
      )}
      <title>{title}</title>
    </>
  );
  if (node.kind === 'port' && lineage.entityRef && lineage.port) {
    const port = { entityRef: lineage.entityRef, port: lineage.port };
    return (
      <g
        className={classes.action}
        data-kind="port"
        data-health={lineage.health ?? 'none'}
        {...actionProps(`${label}: open its column lineage`, () =>
          actions.onOpenPort(port),
        )}
      >
        {shape}
      </g>
    );
  }
  return (
    <g
      data-kind={node.kind}
      data-state={lineage.job?.latestRun?.state}
      role="img"
      aria-label={label}
    >
      {shape}
    </g>
  );
}

/**
 * Draws a node again only when what it shows changed: DependencyGraph hands each node a new
 * object at every layout (with its position, applied by DependencyGraph's own wrapper), so a
 * toggle in a 300-node graph redraws one node, not all of them.
 */
const LineageNode = memo(
  LineageNodeView,
  (a, b) =>
    a.actions === b.actions &&
    a.node.id === b.node.id &&
    a.node.node === b.node.node &&
    a.node.expanded === b.node.expanded &&
    a.node.ports.length === b.node.ports.length &&
    a.node.hidden === b.node.hidden &&
    a.node.root === b.node.root,
);

/**
 * A product's lineage as a graph laid out by Backstage's `DependencyGraph` (dagre, with zoom and
 * pan), left to right from upstream to downstream: data products (rounded, filled with their
 * health colour; a click opens the product, the ports toggle shows its output ports), output
 * ports (square, outlined in their product's health colour; a click opens their column
 * lineage), jobs (cut corners, with their last run's state and time) and external datasets
 * (dashed). Neighbours the node limit left out are a "+N" node that asks for more.
 */
export function LineageGraph(props: LineageGraphProps) {
  const {
    graph,
    expanded,
    onToggleProduct,
    onOpenPort,
    onShowMore,
    hideExternalDatasets,
  } = props;
  const classes = useStyles();
  const entityRoute = useRouteRef(entityRouteRef);
  const navigate = useAppNavigate();
  const view: LineageView = useMemo(
    () => buildLineageView(graph, expanded, { hideExternalDatasets }),
    [graph, expanded, hideExternalDatasets],
  );

  const hrefOf = useCallback(
    (entityRef: string) => entityRoute(entityRouteParams(entityRef)),
    [entityRoute],
  );

  const actions: NodeActions = useMemo(
    () => ({ hrefOf, navigate, onToggleProduct, onOpenPort, onShowMore }),
    [hrefOf, navigate, onToggleProduct, onOpenPort, onShowMore],
  );
  const renderNode = useCallback(
    ({ node }: DependencyGraphTypes.RenderNodeProps<LineageViewNode>) => (
      <LineageNode node={node} actions={actions} />
    ),
    [actions],
  );

  return (
    <div
      className={classes.root}
      role="figure"
      aria-label="Lineage graph"
      data-nodes={view.nodes.length}
    >
      <DependencyGraph<LineageViewNode, { kind: string }>
        className={classes.graph}
        nodes={view.nodes}
        edges={view.edges}
        renderNode={renderNode}
        direction={DependencyGraphTypes.Direction.LEFT_RIGHT}
        ranker={DependencyGraphTypes.Ranker.NETWORK_SIMPLEX}
        nodeMargin={16}
        rankMargin={56}
        paddingX={16}
        paddingY={16}
        fit="contain"
        zoom="enabled"
        showArrowHeads
        curve="curveMonotoneX"
      />
    </div>
  );
}

/** Tells whether a lineage node is a port of a product (that has a column lineage to open). */
export function isProductPort(
  node: LineageGraphNode,
): node is LineageGraphNode & { entityRef: string; port: string } {
  return node.kind === 'port' && !!node.entityRef && !!node.port;
}
