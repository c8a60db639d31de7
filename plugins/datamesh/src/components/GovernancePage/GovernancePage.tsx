import { useState } from 'react';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import MenuItem from '@material-ui/core/MenuItem';
import MuiTable from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableRow from '@material-ui/core/TableRow';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { useTheme } from '@material-ui/core/styles';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import {
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import {
  Content,
  EmptyState,
  Header,
  InfoCard,
  Page,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import type {
  ComplianceTrendDay,
  GovernanceSummary,
} from '@backstage-datamesh/plugin-datamesh-common';
import { formatPercentage } from '@backstage-datamesh/plugin-datamesh-common';
import { dataMeshGovernanceApiRef } from '../../api';
import { StatusChip } from '../StatusChip';
import { TableHeaderRow, useTableStyles } from '../TableParts';
import { ENFORCEMENT_LOOKS } from '../DataProductComplianceCard/complianceLooks';
import { PageSummary } from '../PageSummary';

/** The windows the trend can be read over, in days. */
const WINDOWS = [7, 30, 90] as const;

const CHART_HEIGHT = 240;
/** The size the chart is drawn at before its container is measured (and in tests). */
const INITIAL_SIZE = { width: 640, height: CHART_HEIGHT };

/** The compared domain's line: apart from the theme's primary colour of the mesh's. */
const COMPARED_COLOUR = '#ef6c00';

/** A pass rate as a percentage with one decimal, or a dash without products. */
function rate(passing: number, total: number): string {
  return total === 0
    ? '–'
    : formatPercentage(Math.floor((passing / total) * 1000) / 1000);
}

/** The trend's day as the time of its middle (UTC), so that a day's point sits on its day. */
function dayTime(day: string): number {
  return Date.parse(`${day}T12:00:00Z`);
}

const dayFormat = new Intl.DateTimeFormat(undefined, {
  month: 'short',
  day: 'numeric',
});

function domainName(domain: string): string {
  return domain.replace(/^domain:(default\/)?/, '');
}

/**
 * The share of compliant products per day: the whole mesh, and the domain chosen to compare
 * with it (one at a time: a mesh has too many domains for a line each).
 */
export function ComplianceTrendChart(props: { summary: GovernanceSummary }) {
  const { summary } = props;
  const theme = useTheme();
  const [compare, setCompare] = useState('');
  const domains = summary.byDomain.filter(d => d.domain && d.trend.length > 0);
  const compared = domains.find(d => d.domain === compare);
  const series: Array<{
    key: string;
    name: string;
    trend: ComplianceTrendDay[];
  }> = [
    { key: 'all', name: 'All products', trend: summary.trend },
    ...(compared
      ? [
          {
            key: compared.domain,
            name: domainName(compared.domain),
            trend: compared.trend,
          },
        ]
      : []),
  ];
  const byDay = new Map<string, Record<string, number | string>>();
  for (const s of series) {
    for (const point of s.trend) {
      if (point.ratio === null) continue;
      const row = byDay.get(point.day) ?? {
        day: point.day,
        t: dayTime(point.day),
      };
      row[s.key] = Math.round(point.ratio * 1000) / 10;
      byDay.set(point.day, row);
    }
  }
  const data = [...byDay.values()].sort(
    (a, b) => (a.t as number) - (b.t as number),
  );
  const last = summary.trend.filter(p => p.ratio !== null).pop();
  const caption = last
    ? `${last.compliant} of ${last.products} products compliant on ${last.day} (UTC), over the last ${summary.days} days.`
    : `No evaluation recorded in the last ${summary.days} days.`;
  return (
    <figure style={{ margin: 0 }} aria-label="Compliance trend">
      <Box
        display="flex"
        alignItems="center"
        justifyContent="space-between"
        flexWrap="wrap"
        gridGap={8}
      >
        <Typography
          variant="body2"
          color="textSecondary"
          component="figcaption"
        >
          {caption}
        </Typography>
        {domains.length > 0 && (
          <TextField
            select
            variant="outlined"
            size="small"
            label="Compare with domain"
            value={compare}
            onChange={event => setCompare(String(event.target.value))}
            id="governance-compare-domain"
            SelectProps={{ displayEmpty: true }}
            InputLabelProps={{ shrink: true }}
            style={{ minWidth: 240 }}
          >
            <MenuItem value="">
              <em>None</em>
            </MenuItem>
            {domains.map(d => (
              <MenuItem key={d.domain} value={d.domain}>
                {domainName(d.domain)}
              </MenuItem>
            ))}
          </TextField>
        )}
      </Box>
      <ResponsiveContainer
        width="100%"
        height={CHART_HEIGHT}
        initialDimension={INITIAL_SIZE}
      >
        <LineChart data={data} margin={{ top: 8, right: 16, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis
            dataKey="t"
            type="number"
            scale="time"
            domain={['dataMin', 'dataMax']}
            tickFormatter={ms => dayFormat.format(ms)}
            minTickGap={24}
            fontSize={12}
          />
          <YAxis domain={[0, 100]} unit="%" width={48} fontSize={12} />
          <Tooltip
            labelFormatter={(_label, payload) =>
              String(payload?.[0]?.payload?.day ?? '')
            }
            formatter={(value, name) => [`${value}%`, name]}
          />
          <Legend />
          {series.map((s, i) => (
            <Line
              key={s.key}
              type="monotone"
              dataKey={s.key}
              name={s.name}
              stroke={i === 0 ? theme.palette.primary.main : COMPARED_COLOUR}
              strokeWidth={i === 0 ? 3 : 1.5}
              dot={data.length < 40}
              connectNulls
              isAnimationActive={false}
            />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </figure>
  );
}

function DomainTable(props: { summary: GovernanceSummary }) {
  const table = useTableStyles();
  return (
    <div className={table.scroll}>
      <MuiTable size="small" aria-label="Compliance by domain">
        <TableHeaderRow
          titles={[
            'Domain',
            'Products',
            'Compliant',
            'Pass rate',
            'Required failures',
          ]}
        />
        <TableBody>
          {props.summary.byDomain.map(d => (
            <TableRow key={d.domain || '(none)'} data-domain={d.domain}>
              <TableCell className={table.cell}>
                {d.domain ? (
                  <EntityRefLink entityRef={d.domain} hideIcon />
                ) : (
                  <Typography variant="body2" color="textSecondary">
                    No domain
                  </Typography>
                )}
              </TableCell>
              <TableCell>{d.products}</TableCell>
              <TableCell>{d.compliant}</TableCell>
              <TableCell className={table.short}>
                {rate(d.compliant, d.products)}
              </TableCell>
              <TableCell>{d.requiredFailures}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </MuiTable>
    </div>
  );
}

function enforcementLook(enforcement: string) {
  return (
    ENFORCEMENT_LOOKS[enforcement as keyof typeof ENFORCEMENT_LOOKS] ?? {
      label: enforcement,
      tone: 'aborted' as const,
    }
  );
}

function PolicyTable(props: { summary: GovernanceSummary }) {
  const table = useTableStyles();
  return (
    <div className={table.scroll}>
      <MuiTable size="small" aria-label="Compliance by policy">
        <TableHeaderRow
          titles={[
            'Policy',
            'Enforcement',
            'Applies to',
            'Passing',
            'Failing',
            'Pass rate',
          ]}
        />
        <TableBody>
          {props.summary.byPolicy.map(p => (
            <TableRow key={p.policyId} data-policy={p.policyId}>
              <TableCell className={table.cell}>
                <Typography variant="body2">{p.title}</Typography>
                <Typography
                  variant="caption"
                  color="textSecondary"
                  style={{ fontFamily: 'monospace', whiteSpace: 'nowrap' }}
                >
                  {p.policyId}
                </Typography>
              </TableCell>
              <TableCell className={table.short}>
                {enforcementLook(p.enforcement).label}
              </TableCell>
              <TableCell>{p.applicable}</TableCell>
              <TableCell>{p.passing}</TableCell>
              <TableCell>{p.failing}</TableCell>
              <TableCell className={table.short}>
                {rate(p.passing, p.applicable)}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </MuiTable>
    </div>
  );
}

/** For each required policy that some product fails: those products, linked, with why. */
function RequiredFailures(props: { summary: GovernanceSummary }) {
  const table = useTableStyles();
  const failing = props.summary.byPolicy.filter(
    p => p.enforcement === 'required' && p.failingProducts.length > 0,
  );
  if (failing.length === 0) {
    return (
      <Typography variant="body2">
        Every product meets every required policy that applies to it.
      </Typography>
    );
  }
  return (
    <Grid container spacing={2}>
      {failing.map(p => (
        <Grid item xs={12} key={p.policyId}>
          <Box display="flex" alignItems="center" gridGap={8} mb={1}>
            <StatusChip look={enforcementLook('required')} />
            <Typography variant="subtitle2" component="h3">
              {p.title}
            </Typography>
            <Typography variant="body2" color="textSecondary">
              {p.failing} of {p.applicable} products fail
            </Typography>
          </Box>
          <div className={table.scroll}>
            <MuiTable size="small" aria-label={`Products failing ${p.title}`}>
              <TableHeaderRow titles={['Data product', 'Reason']} />
              <TableBody>
                {p.failingProducts.map(product => (
                  <TableRow key={product.entityRef}>
                    <TableCell className={table.cell}>
                      <EntityRefLink
                        entityRef={product.entityRef}
                        defaultKind="dataproduct"
                        hideIcon
                      />
                    </TableCell>
                    <TableCell className={table.cell}>
                      {product.reason}
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </MuiTable>
          </div>
        </Grid>
      ))}
    </Grid>
  );
}

/**
 * The Governance page's content: the mesh's compliance with its policies, by domain and by
 * policy, its trend, and the products failing each required policy.
 */
export function GovernancePageContent() {
  const governanceApi = useApi(dataMeshGovernanceApiRef);
  const [days, setDays] = useState<number>(30);
  const summary = useAsyncRetry(
    () => governanceApi.getSummary({ days }),
    [governanceApi, days],
  );

  let content;
  if (summary.error) {
    content = <ResponseErrorPanel error={summary.error} />;
  } else if (!summary.value) {
    content = <Progress />;
  } else if (summary.value.products === 0) {
    content = (
      <EmptyState
        missing="data"
        title="No data product evaluated yet"
        description="The portal evaluates every data product against its policies on a schedule and when it changes."
      />
    );
  } else {
    const value = summary.value;
    content = (
      <Grid container spacing={2}>
        <Grid item xs={12}>
          <InfoCard title="Compliance over time">
            <ComplianceTrendChart summary={value} />
          </InfoCard>
        </Grid>
        <Grid item xs={12}>
          <InfoCard title="By domain">
            <DomainTable summary={value} />
          </InfoCard>
        </Grid>
        <Grid item xs={12}>
          <InfoCard title="By policy">
            <PolicyTable summary={value} />
          </InfoCard>
        </Grid>
        <Grid item xs={12}>
          <InfoCard title="Products failing required policies">
            <RequiredFailures summary={value} />
          </InfoCard>
        </Grid>
      </Grid>
    );
  }

  return (
    <Grid container spacing={2}>
      <Grid item xs={12} sm={6} md={3}>
        <TextField
          select
          fullWidth
          variant="outlined"
          size="small"
          label="Trend over"
          value={days}
          onChange={event => setDays(Number(event.target.value))}
          id="governance-days"
        >
          {WINDOWS.map(window => (
            <MenuItem key={window} value={window}>
              {window} days
            </MenuItem>
          ))}
        </TextField>
      </Grid>
      <Grid item xs={12} sm={6} md={9}>
        <PageSummary
          summary={
            summary.value
              ? `${summary.value.compliant} of ${
                  summary.value.products
                } products compliant (${rate(
                  summary.value.compliant,
                  summary.value.products,
                )})`
              : undefined
          }
          onRefresh={summary.retry}
          loading={summary.loading}
        />
      </Grid>
      <Grid item xs={12}>
        {content}
      </Grid>
    </Grid>
  );
}

/**
 * The Governance page of apps on the legacy frontend system, with its own header.
 * @public
 */
export function GovernancePage() {
  return (
    <Page themeId="home">
      <Header
        title="Governance"
        subtitle="How the data products meet the mesh's global and domain policies"
      />
      <Content>
        <GovernancePageContent />
      </Content>
    </Page>
  );
}
