import { ReactNode, useState } from 'react';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { makeStyles, useTheme } from '@material-ui/core/styles';
import {
  Area,
  CartesianGrid,
  ComposedChart,
  Legend,
  Line,
  LineChart,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import {
  CheckTrendPoint,
  MetricSeries,
  ProductHistory,
  formatLag,
  formatPercentage,
} from '@backstage-datamesh/plugin-datamesh-common';

/** The height of each chart, in pixels. */
const CHART_HEIGHT = 200;

/**
 * The size charts are drawn at before their container is measured (and in environments without
 * layout, such as tests).
 */
const INITIAL_SIZE = { width: 360, height: CHART_HEIGHT };

const useStyles = makeStyles(theme => ({
  figure: { margin: 0, minWidth: 0 },
  heading: { display: 'flex', alignItems: 'baseline', gap: theme.spacing(1) },
  caption: { minHeight: '2.5em' },
  // clear of the caption above: the outlined field's label sits above its box
  select: { marginTop: theme.spacing(1), marginBottom: theme.spacing(1) },
}));

/** A chart with its title and a sentence that says what it shows, for everyone. */
function ChartFigure(props: {
  title: string;
  caption: string;
  children: ReactNode;
  control?: ReactNode;
}) {
  const classes = useStyles();
  return (
    <figure className={classes.figure} aria-label={props.title}>
      <Typography variant="subtitle2" component="h3">
        {props.title}
      </Typography>
      <Typography
        variant="body2"
        color="textSecondary"
        component="figcaption"
        className={classes.caption}
      >
        {props.caption}
      </Typography>
      {props.control}
      <ResponsiveContainer
        width="100%"
        height={CHART_HEIGHT}
        initialDimension={INITIAL_SIZE}
      >
        {props.children as React.ReactElement}
      </ResponsiveContainer>
    </figure>
  );
}

const dayFormat = new Intl.DateTimeFormat(undefined, {
  month: 'short',
  day: 'numeric',
});
const timeFormat = new Intl.DateTimeFormat(undefined, {
  dateStyle: 'medium',
  timeStyle: 'short',
});

function formatDay(ms: number): string {
  return dayFormat.format(ms);
}

function formatTime(ms: unknown): string {
  return typeof ms === 'number' ? timeFormat.format(ms) : String(ms);
}

/** The time axis of every chart: the window of the history, in days. */
function timeAxis(history: ProductHistory) {
  return (
    <XAxis
      dataKey="t"
      type="number"
      scale="time"
      domain={[Date.parse(history.from), Date.parse(history.to)]}
      tickFormatter={formatDay}
      minTickGap={24}
      fontSize={12}
    />
  );
}

/** The UTC day `YYYY-MM-DD` as the time of its middle, so that a day's point sits on its day. */
function dayTime(day: string): number {
  return Date.parse(`${day}T12:00:00Z`);
}

function passRateCaption(points: CheckTrendPoint[]): string {
  const last = [...points].reverse().find(p => p.passRate !== undefined);
  if (!last || last.passRate === undefined) {
    return 'No check ran in this window.';
  }
  const total =
    last.counts.pass + last.counts.warn + last.counts.fail + last.counts.error;
  return `${formatPercentage(
    Math.floor(last.passRate * 10000) / 10000,
  )} of ${total} checks passed on ${last.day} (UTC).`;
}

/** The share of checks that passed, per day. */
export function PassRateChart(props: { history: ProductHistory }) {
  const { history } = props;
  const theme = useTheme();
  const data = history.checks
    .filter(p => p.passRate !== undefined)
    .map(p => ({
      t: dayTime(p.day),
      day: p.day,
      passRate: Math.round((p.passRate ?? 0) * 1000) / 10,
    }));
  return (
    <ChartFigure
      title="Check pass rate"
      caption={passRateCaption(history.checks)}
    >
      <LineChart data={data} margin={{ top: 8, right: 16, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" />
        {timeAxis(history)}
        <YAxis domain={[0, 100]} unit="%" width={48} fontSize={12} />
        <Tooltip
          labelFormatter={(_label, payload) =>
            String(payload?.[0]?.payload?.day ?? '')
          }
          formatter={value => [`${value}%`, 'Passed']}
        />
        <Line
          type="monotone"
          dataKey="passRate"
          name="Passed"
          stroke={theme.palette.primary.main}
          strokeWidth={2}
          dot={data.length < 40}
          isAnimationActive={false}
        />
      </LineChart>
    </ChartFigure>
  );
}

/** A unit for lags of a size: minutes up to two hours, hours up to two days, days beyond. */
function lagUnit(maxMs: number): { label: string; ms: number } {
  if (maxMs <= 2 * 3_600_000) {
    return { label: 'min', ms: 60_000 };
  }
  if (maxMs <= 2 * 86_400_000) {
    return { label: 'h', ms: 3_600_000 };
  }
  return { label: 'd', ms: 86_400_000 };
}

const SERIES_COLOURS = [
  '#1f5493',
  '#9c27b0',
  '#00897b',
  '#ef6c00',
  '#5d4037',
  '#3949ab',
];

/**
 * The age of each output port's data over time, against the freshness objective as a reference
 * line.
 */
export function FreshnessChart(props: {
  history: ProductHistory;
  /** The freshness objective, in milliseconds. */
  objectiveMs?: number;
  /** The objective as written, such as `15m`. */
  objective?: string;
}) {
  const { history, objectiveMs, objective } = props;
  const theme = useTheme();
  const ports = [...new Set(history.freshness.map(p => p.port))].sort();
  const maxMs = Math.max(
    objectiveMs ?? 0,
    ...history.freshness.map(p => p.lagSeconds * 1000),
  );
  const unit = lagUnit(maxMs);
  const toUnit = (ms: number) => Math.round((ms / unit.ms) * 100) / 100;
  const series = ports.map(port => ({
    port,
    data: history.freshness
      .filter(p => p.port === port)
      .map(p => ({ t: Date.parse(p.at), lag: toUnit(p.lagSeconds * 1000) })),
  }));
  const now = history.freshness.filter(p => p.at === history.to);
  let caption = 'No update of an output port recorded in this window.';
  if (now.length > 0) {
    const worst = now.reduce((a, b) => (b.lagSeconds > a.lagSeconds ? b : a));
    caption = `Now ${formatLag(worst.lagSeconds * 1000)} old (port ${
      worst.port
    })${objective ? ` against ${objective}` : ''}.`;
  } else if (history.freshness.length > 0) {
    caption = `The age of each port's data before each update${
      objective ? `, against ${objective}` : ''
    }.`;
  }
  return (
    <ChartFigure title="Freshness lag" caption={caption}>
      <LineChart margin={{ top: 8, right: 16, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" />
        {timeAxis(history)}
        <YAxis
          dataKey="lag"
          unit={` ${unit.label}`}
          width={56}
          fontSize={12}
          domain={[0, 'auto']}
        />
        <Tooltip
          labelFormatter={formatTime}
          formatter={value => [`${value} ${unit.label}`, 'Lag']}
        />
        {ports.length > 1 && <Legend />}
        {objectiveMs !== undefined && (
          <ReferenceLine
            y={toUnit(objectiveMs)}
            stroke={theme.palette.status.error}
            strokeDasharray="6 3"
            ifOverflow="extendDomain"
            label={{
              value: `objective ${objective ?? formatLag(objectiveMs)}`,
              position: 'insideTopRight',
              fontSize: 12,
              fill: theme.palette.status.error,
            }}
          />
        )}
        {series.map((s, i) => (
          <Line
            key={s.port}
            data={s.data}
            dataKey="lag"
            name={s.port}
            type="linear"
            stroke={SERIES_COLOURS[i % SERIES_COLOURS.length]}
            strokeWidth={2}
            dot={s.data.length < 40}
            isAnimationActive={false}
          />
        ))}
      </LineChart>
    </ChartFigure>
  );
}

/** How a metric series reads: `rowCount`, `nullCount of email`, each with its port. */
export function metricLabel(series: MetricSeries): string {
  return [
    series.column ? `${series.metric} of ${series.column}` : series.metric,
    series.port,
  ]
    .filter(Boolean)
    .join(' · ');
}

const valueFormat = new Intl.NumberFormat(undefined, {
  maximumFractionDigits: 2,
});

/** One metric of the product over time (daily mean, with the day's range, beyond 7 days). */
export function MetricChart(props: { history: ProductHistory }) {
  const { history } = props;
  const theme = useTheme();
  const classes = useStyles();
  const series = history.metrics;
  // the dataset's row count first, when there is one: the metric people read volume from
  const [selected, setSelected] = useState(() =>
    Math.max(
      0,
      series.findIndex(s => s.metric === 'rowCount' && !s.column),
    ),
  );
  const current = series[Math.min(selected, series.length - 1)];
  const data = (current?.points ?? []).map(p => ({
    t: Date.parse(p.at),
    value: p.value,
    range:
      p.min !== undefined && p.max !== undefined ? [p.min, p.max] : undefined,
  }));
  const hasRange = data.some(p => p.range !== undefined);
  const last = data[data.length - 1];
  const caption =
    current && last
      ? `Latest ${metricLabel(current)}: ${valueFormat.format(last.value)}${
          hasRange ? ' (daily mean, with its range)' : ''
        }.`
      : 'No metric reported in this window.';
  return (
    <ChartFigure
      title="Metrics"
      caption={caption}
      control={
        series.length > 1 ? (
          <TextField
            id="datamesh-trends-metric"
            select
            size="small"
            variant="outlined"
            fullWidth
            className={classes.select}
            label="Metric"
            value={String(Math.min(selected, series.length - 1))}
            onChange={event => setSelected(Number(event.target.value))}
            SelectProps={{ native: true }}
            InputLabelProps={{ shrink: true }}
          >
            {series.map((s, i) => (
              <option key={metricLabel(s)} value={String(i)}>
                {metricLabel(s)}
              </option>
            ))}
          </TextField>
        ) : undefined
      }
    >
      <ComposedChart data={data} margin={{ top: 8, right: 16, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" />
        {timeAxis(history)}
        <YAxis
          width={56}
          fontSize={12}
          tickFormatter={v => valueFormat.format(v)}
        />
        <Tooltip
          labelFormatter={formatTime}
          formatter={(value, name) => [
            Array.isArray(value)
              ? value.map(v => valueFormat.format(Number(v))).join(' – ')
              : valueFormat.format(Number(value)),
            name,
          ]}
        />
        {hasRange && (
          <Area
            dataKey="range"
            name="Range"
            stroke="none"
            fill={theme.palette.primary.light}
            fillOpacity={0.25}
            isAnimationActive={false}
          />
        )}
        <Line
          type="monotone"
          dataKey="value"
          name={hasRange ? 'Mean' : 'Value'}
          stroke={theme.palette.primary.main}
          strokeWidth={2}
          dot={data.length < 40}
          isAnimationActive={false}
        />
      </ComposedChart>
    </ChartFigure>
  );
}
