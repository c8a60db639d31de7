import { useState } from 'react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import MuiTable from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import type {
  QualityCheckStatus,
  StoredCheckResult,
} from '@backstage-datamesh/plugin-datamesh-common';
import { useProductQuality } from '../../lib/useProductQuality';
import { NotADataProductCard } from '../NotADataProductCard';
import { Since } from '../Since';
import { CHECK_STATUS_LOOKS, StatusChip } from '../StatusChip';
import { TableHeaderRow, useTableStyles } from '../TableParts';
import { RawResultButton } from './RawResultDialog';

const TITLE = 'Latest checks';

/** How many checks are listed before "Show all". */
const FIRST_SHOWN = 25;

/** Checks that need attention first. */
const STATUS_ORDER: Record<QualityCheckStatus, number> = {
  fail: 0,
  error: 1,
  warn: 2,
  pass: 3,
  skipped: 4,
};

/** The latest checks, those that need attention first, then by name. */
export function sortChecks(checks: StoredCheckResult[]): StoredCheckResult[] {
  return [...checks].sort(
    (a, b) =>
      STATUS_ORDER[a.status] - STATUS_ORDER[b.status] ||
      a.name.localeCompare(b.name),
  );
}

const numberFormat = new Intl.NumberFormat(undefined, {
  maximumFractionDigits: 2,
});

function formatNumber(value: number | string | undefined): string {
  if (value === undefined) {
    return '';
  }
  return typeof value === 'number' ? numberFormat.format(value) : value;
}

/** `12 (0.4%)`, `12`, `0.4%` or nothing. */
export function formatUnexpected(check: StoredCheckResult): string {
  const count =
    check.unexpectedCount === undefined
      ? undefined
      : numberFormat.format(check.unexpectedCount);
  const percent =
    check.unexpectedPercent === undefined
      ? undefined
      : `${numberFormat.format(check.unexpectedPercent)}%`;
  if (count && percent) {
    return `${count} (${percent})`;
  }
  return count ?? percent ?? '';
}

const useStyles = makeStyles(theme => ({
  name: { fontWeight: theme.typography.fontWeightMedium as number },
  // identifiers such as dbt test names are long single words: they may break anywhere
  identifier: { overflowWrap: 'anywhere', minWidth: '12em' },
  message: {
    display: '-webkit-box',
    WebkitLineClamp: 2,
    WebkitBoxOrient: 'vertical',
    overflow: 'hidden',
    overflowWrap: 'anywhere',
  },
}));

function CheckRow(props: { check: StoredCheckResult }) {
  const { check } = props;
  const classes = useStyles();
  const table = useTableStyles();
  const cell = table.cell;
  const short = `${table.cell} ${table.short}`;
  const where = [check.port, check.dataset?.name].filter(Boolean).join(' · ');
  return (
    <TableRow>
      <TableCell className={short}>
        <StatusChip look={CHECK_STATUS_LOOKS[check.status]} />
      </TableCell>
      <TableCell className={`${cell} ${classes.identifier}`}>
        <Typography variant="body2" className={classes.name}>
          {check.name}
        </Typography>
        {where && (
          <Typography variant="caption" color="textSecondary" component="div">
            {where}
          </Typography>
        )}
        {check.message && (
          <Typography
            variant="caption"
            color="textSecondary"
            component="div"
            className={classes.message}
            title={check.message}
          >
            {check.message}
          </Typography>
        )}
      </TableCell>
      <TableCell className={short}>{check.column ?? ''}</TableCell>
      <TableCell className={short}>
        {formatNumber(check.observedValue)}
      </TableCell>
      <TableCell className={cell}>{check.threshold ?? ''}</TableCell>
      <TableCell className={short}>{formatUnexpected(check)}</TableCell>
      <TableCell className={short}>
        {check.tool.name}
        {check.tool.version ? ` ${check.tool.version}` : ''}
      </TableCell>
      <TableCell className={short}>
        <Since at={check.executedAt} />
      </TableCell>
      <TableCell className={short}>
        <RawResultButton check={check} />
      </TableCell>
    </TableRow>
  );
}

/** The checks as a table, those that need attention first. */
export function ChecksTable(props: { checks: StoredCheckResult[] }) {
  const table = useTableStyles();
  const [all, setAll] = useState(false);
  const sorted = sortChecks(props.checks);
  const shown = all ? sorted : sorted.slice(0, FIRST_SHOWN);
  return (
    <>
      <div className={table.scroll}>
        <MuiTable size="small" aria-label="Latest checks">
          <TableHeaderRow
            titles={[
              'Status',
              'Check',
              'Column',
              'Observed',
              'Threshold',
              'Unexpected',
              'Source',
              'Ran',
              'Result',
            ]}
          />
          <TableBody>
            {shown.map(check => (
              <CheckRow key={`${check.runId}-${check.checkId}`} check={check} />
            ))}
          </TableBody>
        </MuiTable>
      </div>
      {sorted.length > shown.length && (
        <Box mt={1}>
          <Button size="small" onClick={() => setAll(true)}>
            Show all {sorted.length} checks
          </Button>
        </Box>
      )}
    </>
  );
}

function summary(checks: StoredCheckResult[]): string {
  const failing = checks.filter(c =>
    ['fail', 'error', 'warn'].includes(c.status),
  ).length;
  const checksWord = `${checks.length} check${checks.length === 1 ? '' : 's'}`;
  return failing
    ? `${failing} of ${checksWord} do not pass`
    : `All ${checksWord} pass or were skipped`;
}

/**
 * The "Latest checks" card of a DataProduct: the latest result of each of its quality checks,
 * those that fail first, with the observed value, threshold, unexpected count and share, source
 * tool and version, when it ran, and the link back to the raw result.
 * @public
 */
export function DataProductChecksCard() {
  const { entity, ...checks } = useProductQuality((api, ref) =>
    api.getLatestChecks(ref),
  );
  if (!entity) {
    return <NotADataProductCard title={TITLE} />;
  }
  let content;
  if (checks.error) {
    content = <ResponseErrorPanel error={checks.error} />;
  } else if (!checks.value) {
    content = <Progress />;
  } else if (checks.value.length === 0) {
    content = (
      <Typography variant="body2" color="textSecondary">
        No quality result reported yet. Pipelines post their dbt, Great
        Expectations or Soda results to the portal after each run.
      </Typography>
    );
  } else {
    content = <ChecksTable checks={checks.value} />;
  }
  return (
    <InfoCard
      title={TITLE}
      subheader={checks.value?.length ? summary(checks.value) : undefined}
    >
      {content}
    </InfoCard>
  );
}
