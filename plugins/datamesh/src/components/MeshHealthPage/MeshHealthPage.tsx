import { ChangeEvent, useState } from 'react';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import MuiTable from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TablePagination from '@material-ui/core/TablePagination';
import TableRow from '@material-ui/core/TableRow';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import {
  Content,
  EmptyState,
  Header,
  Page,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useAppSearchParams } from '@backstage/frontend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  CatalogApi,
  EntityRefLink,
  catalogApiRef,
} from '@backstage/plugin-catalog-react';
import type {
  HealthFacetValue,
  Incident,
  ProductHealth,
  ProductHealthPage,
} from '@backstage-datamesh/plugin-datamesh-common';
import { DataMeshQualityApi, dataMeshQualityApiRef } from '../../api';
import { formatEntityRef, getDomainRef, getOwnerRef } from '../../lib/refs';
import { useIncidentActions } from '../DataProductIncidentsCard';
import { RefOrText } from '../RefOrText';
import { Since } from '../Since';
import {
  HealthChip,
  INCIDENT_STATE_LOOKS,
  SEVERITY_LOOKS,
  StatusChip,
} from '../StatusChip';
import { TableHeaderRow, useTableStyles } from '../TableParts';
import { PageSummary } from '../PageSummary';

/** The entity fields the page shows. */
const MESH_HEALTH_FIELDS = [
  'kind',
  'metadata.name',
  'metadata.namespace',
  'metadata.title',
  'spec.owner',
  'spec.domain',
  'spec.ownership.onCallRotation',
  'relations',
];

/** One product of the page: its health, its entity and its open incident. */
export interface MeshHealthRow {
  health: ProductHealth;
  /** Undefined when the catalog no longer has the product (or the user may not see it). */
  entity?: Entity;
  /** The open incident of a breaching product. */
  incident?: Incident;
  /** Why its incident could not be read. */
  incidentError?: Error;
  /** Normalised refs of its domain and owner, for the filters. */
  domainRef?: string;
  ownerRef?: string;
}

const WORST_FIRST: Record<ProductHealth['health'], number> = {
  breaching: 0,
  degraded: 1,
  unknown: 2,
  healthy: 3,
};

/** Breaching before degraded, then the longest in that state first. */
export function compareWorstFirst(a: MeshHealthRow, b: MeshHealthRow): number {
  const since = (row: MeshHealthRow) =>
    row.health.since ? Date.parse(row.health.since) : Number.MAX_SAFE_INTEGER;
  return (
    WORST_FIRST[a.health.health] - WORST_FIRST[b.health.health] ||
    since(a) - since(b) ||
    a.health.entityRef.localeCompare(b.health.entityRef)
  );
}

const FILTERS = [
  { param: 'domain', label: 'Domain', key: 'domainRef', refKind: 'domain' },
  { param: 'owner', label: 'Owner', key: 'ownerRef', refKind: 'group' },
] as const;

const useStyles = makeStyles(theme => ({
  top: { verticalAlign: 'top' },
  list: { margin: 0, paddingLeft: theme.spacing(2) },
  incident: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: theme.spacing(0.5, 1),
  },
}));

/** The products of one page, by default. */
export const MESH_HEALTH_PAGE_SIZE = 25;

/** A page of the Mesh health list, as the backend pages it (worst first). */
export interface MeshHealthPageData {
  rows: MeshHealthRow[];
  totalItems: number;
  counts: ProductHealthPage['counts'];
  facets: ProductHealthPage['facets'];
}

async function loadPage(
  qualityApi: DataMeshQualityApi,
  catalogApi: CatalogApi,
  query: { domain: string; owner: string; page: number; pageSize: number },
): Promise<MeshHealthPageData> {
  const page = await qualityApi.getHealthPage({
    health: ['breaching', 'degraded'],
    domainRefs: query.domain ? [query.domain] : undefined,
    ownerRefs: query.owner ? [query.owner] : undefined,
    limit: query.pageSize,
    offset: query.page * query.pageSize,
  });
  const items = page.items;
  const breaching = items
    .filter(item => item.health === 'breaching')
    .map(item => item.entityRef);
  const [entities, incidents] = await Promise.all([
    items.length
      ? catalogApi.getEntitiesByRefs({
          entityRefs: items.map(i => i.entityRef),
          fields: MESH_HEALTH_FIELDS,
        })
      : { items: [] },
    // one request for the open incidents of the page's breaching products
    breaching.length
      ? qualityApi
          .listIncidents({
            states: ['new', 'acknowledged'],
            entityRefs: breaching,
            limit: 500,
          })
          .then(
            answer => {
              // newest first: the first of each product is its open incident
              const byRef = new Map<string, Incident>();
              for (const incident of answer.items) {
                if (!byRef.has(incident.entityRef)) {
                  byRef.set(incident.entityRef, incident);
                }
              }
              return { byRef };
            },
            (error: Error) => ({ error }),
          )
      : { byRef: new Map<string, Incident>() },
  ]);
  const rows = items
    .map((health, i) => {
      const entity = entities.items[i];
      const domain = entity && getDomainRef(entity);
      const owner = entity && getOwnerRef(entity);
      let incident: Pick<MeshHealthRow, 'incident' | 'incidentError'> = {};
      if (health.health === 'breaching') {
        incident =
          'error' in incidents
            ? { incidentError: incidents.error }
            : { incident: incidents.byRef.get(health.entityRef) };
      }
      return {
        health,
        entity,
        ...incident,
        domainRef: domain && stringifyEntityRef(domain),
        ownerRef: owner && stringifyEntityRef(owner),
      };
    })
    .sort(compareWorstFirst);
  return {
    rows,
    totalItems: page.totalItems,
    counts: page.counts,
    facets: page.facets,
  };
}

function FailingCell(props: { health: ProductHealth }) {
  const { health } = props;
  const classes = useStyles();
  // the checks objective's reason names the failing checks, listed below on their own
  const slos = health.slos.filter(
    s =>
      (s.status === 'breached' || s.status === 'at-risk') &&
      !(s.slo === 'checks' && health.failingChecks.length > 0),
  );
  return (
    <>
      {slos.length > 0 && (
        <Typography
          variant="body2"
          component="ul"
          className={classes.list}
          aria-label="Objectives not met"
        >
          {slos.map(slo => (
            <li key={slo.slo}>{slo.reason}</li>
          ))}
        </Typography>
      )}
      {health.failingChecks.length > 0 && (
        <Typography variant="body2" color="textSecondary">
          Failing checks:{' '}
          {health.failingChecks
            .map(check => `${check.name} (${check.status})`)
            .join(', ')}
        </Typography>
      )}
    </>
  );
}

function IncidentCell(props: {
  row: MeshHealthRow;
  pending: boolean;
  onAcknowledge: (incident: Incident) => void;
}) {
  const { row, pending, onAcknowledge } = props;
  const classes = useStyles();
  if (row.incidentError) {
    return (
      <Typography variant="body2" color="error">
        Could not read its incident: {row.incidentError.message}
      </Typography>
    );
  }
  const incident = row.incident;
  if (!incident) {
    return null;
  }
  return (
    <div className={classes.incident}>
      <StatusChip
        look={INCIDENT_STATE_LOOKS[incident.state]}
        ariaLabel={`Incident: ${INCIDENT_STATE_LOOKS[incident.state].label}`}
      />
      <StatusChip look={SEVERITY_LOOKS[incident.severity]} />
      {incident.state === 'new' ? (
        <Button
          variant="contained"
          color="primary"
          size="small"
          disabled={pending}
          onClick={() => onAcknowledge(incident)}
        >
          Acknowledge
        </Button>
      ) : (
        incident.acknowledgedBy && (
          <Typography variant="body2" color="textSecondary" component="span">
            by <RefOrText value={incident.acknowledgedBy} defaultKind="user" />
          </Typography>
        )
      )}
    </div>
  );
}

function FilterSelect(props: {
  label: string;
  param: string;
  value: string;
  options: Array<{ value: string; label: string; count: number }>;
  onChange: (value: string) => void;
}) {
  const { label, param, value, options, onChange } = props;
  const shown =
    !value || options.some(o => o.value === value)
      ? options
      : [{ value, label: value, count: 0 }, ...options];
  return (
    <TextField
      id={`datamesh-mesh-health-${param}`}
      select
      fullWidth
      variant="outlined"
      size="small"
      label={label}
      value={value}
      onChange={(event: ChangeEvent<HTMLInputElement>) =>
        onChange(event.target.value)
      }
      SelectProps={{ native: true }}
      InputLabelProps={{ shrink: true }}
    >
      <option value="">All</option>
      {shown.map(option => (
        <option key={option.value} value={option.value}>
          {option.label} ({option.count})
        </option>
      ))}
    </TextField>
  );
}

function countLabel(counts: ProductHealthPage['counts']): string {
  return `${counts.breaching ?? 0} breaching, ${counts.degraded ?? 0} degraded`;
}

/**
 * The Mesh health page without a header: every data product that is breaching or degraded, worst
 * first (breaching before degraded, then the longest in that state first), with its owner,
 * on-call rotation, domain, since when, the objectives and checks it fails, and its open
 * incident, which can be acknowledged from the list. Filterable by domain and owner (kept in the
 * URL). The backend filters, orders and pages the list (`GET /v1/health` with `limit` and
 * `offset`, 25 products a page by default), and the open incidents of a page's breaching
 * products come in one request (`GET /v1/incidents`).
 * @public
 */
export function MeshHealthPageContent() {
  const table = useTableStyles();
  const classes = useStyles();
  const cell = `${table.cell} ${classes.top}`;
  const short = `${cell} ${table.short}`;
  const qualityApi = useApi(dataMeshQualityApiRef);
  const catalogApi = useApi(catalogApiRef);
  const [searchParams, setSearchParams] = useAppSearchParams();
  const selected = {
    domain: searchParams.get('domain') ?? '',
    owner: searchParams.get('owner') ?? '',
  };
  const [paging, setPaging] = useState({
    page: 0,
    pageSize: MESH_HEALTH_PAGE_SIZE,
  });
  const rows = useAsyncRetry(
    () => loadPage(qualityApi, catalogApi, { ...selected, ...paging }),
    [qualityApi, catalogApi, selected.domain, selected.owner, paging],
  );
  const actions = useIncidentActions(rows.retry);

  const shown = rows.value?.rows ?? [];
  const filtered = Boolean(selected.domain || selected.owner);

  const optionsOf = (filter: (typeof FILTERS)[number]) =>
    (rows.value?.facets[filter.param] ?? ([] as HealthFacetValue[]))
      .map(({ value, count }) => ({
        value,
        count,
        label: formatEntityRef(value, filter.refKind),
      }))
      .sort((a, b) => a.label.localeCompare(b.label));

  const updateParam = (param: string, value: string) => {
    // a new filter starts at its first page
    setPaging(previous => ({ ...previous, page: 0 }));
    setSearchParams(previous => {
      const next = new URLSearchParams(previous);
      if (value) {
        next.set(param, value);
      } else {
        next.delete(param);
      }
      return next;
    });
  };

  let content;
  if (rows.error) {
    content = <ResponseErrorPanel error={rows.error} />;
  } else if (!rows.value) {
    content = <Progress />;
  } else if (rows.value.totalItems === 0) {
    content = (
      <EmptyState
        missing="data"
        title={
          filtered
            ? 'No breaching or degraded product matches the filters'
            : 'No data product is breaching or degraded'
        }
        description={
          filtered
            ? 'Clear a filter to see the others.'
            : 'Every product with quality results meets its objectives.'
        }
      />
    );
  } else {
    content = (
      <div className={table.scroll}>
        <MuiTable
          size="small"
          aria-label="Breaching and degraded data products"
        >
          <TableHeaderRow
            titles={[
              'Health',
              'Data product',
              'Domain',
              'Owner',
              'On call',
              'Since',
              'Objectives and checks',
              'Incident',
            ]}
          />
          <TableBody>
            {shown.map(row => {
              const { entity, health } = row;
              const onCall = entity?.spec?.ownership as
                | { onCallRotation?: unknown }
                | undefined;
              return (
                <TableRow key={health.entityRef}>
                  <TableCell className={short}>
                    <HealthChip
                      health={health.health}
                      reasons={health.reasons}
                    />
                  </TableCell>
                  <TableCell className={cell}>
                    {entity ? (
                      <EntityRefLink entityRef={entity} hideIcon>
                        {entity.metadata.title ?? entity.metadata.name}
                      </EntityRefLink>
                    ) : (
                      health.entityRef
                    )}
                  </TableCell>
                  <TableCell className={cell}>
                    {row.domainRef && (
                      <EntityRefLink entityRef={row.domainRef} hideIcon />
                    )}
                  </TableCell>
                  <TableCell className={cell}>
                    {row.ownerRef && (
                      <EntityRefLink
                        entityRef={row.ownerRef}
                        defaultKind="group"
                        hideIcon
                      />
                    )}
                  </TableCell>
                  <TableCell className={cell}>
                    {typeof onCall?.onCallRotation === 'string' && (
                      <RefOrText
                        value={onCall.onCallRotation}
                        namespace={entity?.metadata.namespace}
                      />
                    )}
                  </TableCell>
                  <TableCell className={short}>
                    <Since at={health.since} suffix="" />
                  </TableCell>
                  <TableCell className={cell}>
                    <FailingCell health={health} />
                  </TableCell>
                  <TableCell className={cell}>
                    <IncidentCell
                      row={row}
                      pending={actions.pending === row.incident?.id}
                      onAcknowledge={actions.acknowledge}
                    />
                  </TableCell>
                </TableRow>
              );
            })}
          </TableBody>
        </MuiTable>
        <TablePagination
          component="div"
          count={rows.value.totalItems}
          page={paging.page}
          rowsPerPage={paging.pageSize}
          rowsPerPageOptions={[MESH_HEALTH_PAGE_SIZE, 50, 100]}
          onPageChange={(_event, page) =>
            setPaging(previous => ({ ...previous, page }))
          }
          onRowsPerPageChange={event =>
            setPaging({ page: 0, pageSize: Number(event.target.value) })
          }
        />
      </div>
    );
  }

  return (
    <Grid container spacing={2}>
      {FILTERS.map(filter => (
        <Grid item xs={12} sm={6} md={3} key={filter.param}>
          <FilterSelect
            label={filter.label}
            param={filter.param}
            value={selected[filter.param]}
            options={optionsOf(filter)}
            onChange={value => updateParam(filter.param, value)}
          />
        </Grid>
      ))}
      <Grid item xs={12} md={6}>
        <PageSummary
          summary={rows.value ? countLabel(rows.value.counts) : undefined}
          onRefresh={rows.retry}
          loading={rows.loading}
        />
      </Grid>
      <Grid item xs={12}>
        {content}
      </Grid>
    </Grid>
  );
}

/**
 * The Mesh health page of apps on the legacy frontend system, with its own header.
 * @public
 */
export function MeshHealthPage() {
  return (
    <Page themeId="home">
      <Header
        title="Mesh health"
        subtitle="Every data product that breaches or nears its objectives, worst first"
      />
      <Content>
        <MeshHealthPageContent />
      </Content>
    </Page>
  );
}
