import { ChangeEvent, useMemo } from 'react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import IconButton from '@material-ui/core/IconButton';
import MuiTable from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableRow from '@material-ui/core/TableRow';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import RefreshIcon from '@material-ui/icons/Refresh';
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
  Incident,
  ProductHealth,
} from '@backstage-datamesh/plugin-datamesh-common';
import { DataMeshQualityApi, dataMeshQualityApiRef } from '../../api';
import { productRefOf } from '../../lib/health';
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

async function loadRows(
  qualityApi: DataMeshQualityApi,
  catalogApi: CatalogApi,
): Promise<MeshHealthRow[]> {
  const items = await qualityApi.listHealth(['breaching', 'degraded']);
  if (items.length === 0) {
    return [];
  }
  const [entities, incidents] = await Promise.all([
    catalogApi.getEntitiesByRefs({
      entityRefs: items.map(i => i.entityRef),
      fields: MESH_HEALTH_FIELDS,
    }),
    Promise.all(
      items.map(async item => {
        if (item.health !== 'breaching') {
          return {};
        }
        try {
          const [incident] = await qualityApi.getIncidents(
            productRefOf(item.entityRef),
            { states: ['new', 'acknowledged'] },
          );
          return { incident };
        } catch (error) {
          return { incidentError: error as Error };
        }
      }),
    ),
  ]);
  return items
    .map((health, i) => {
      const entity = entities.items[i];
      const domain = entity && getDomainRef(entity);
      const owner = entity && getOwnerRef(entity);
      return {
        health,
        entity,
        ...incidents[i],
        domainRef: domain && stringifyEntityRef(domain),
        ownerRef: owner && stringifyEntityRef(owner),
      };
    })
    .sort(compareWorstFirst);
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

function countLabel(rows: MeshHealthRow[]): string {
  const breaching = rows.filter(r => r.health.health === 'breaching').length;
  const degraded = rows.filter(r => r.health.health === 'degraded').length;
  return `${breaching} breaching, ${degraded} degraded`;
}

/**
 * The Mesh health page without a header: every data product that is breaching or degraded, worst
 * first (breaching before degraded, then the longest in that state first), with its owner,
 * on-call rotation, domain, since when, the objectives and checks it fails, and its open
 * incident, which can be acknowledged from the list. Filterable by domain and owner (kept in the
 * URL).
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
  const rows = useAsyncRetry(
    () => loadRows(qualityApi, catalogApi),
    [qualityApi, catalogApi],
  );
  const actions = useIncidentActions(rows.retry);

  const selected = {
    domain: searchParams.get('domain') ?? '',
    owner: searchParams.get('owner') ?? '',
  };
  const all = useMemo(() => rows.value ?? [], [rows.value]);
  const shown = all.filter(
    row =>
      (!selected.domain || row.domainRef === selected.domain) &&
      (!selected.owner || row.ownerRef === selected.owner),
  );

  const optionsOf = (filter: (typeof FILTERS)[number]) => {
    const counts = new Map<string, number>();
    for (const row of all) {
      const value = row[filter.key];
      if (value) {
        counts.set(value, (counts.get(value) ?? 0) + 1);
      }
    }
    return [...counts.entries()]
      .map(([value, count]) => ({
        value,
        count,
        label: formatEntityRef(value, filter.refKind),
      }))
      .sort((a, b) => a.label.localeCompare(b.label));
  };

  const updateParam = (param: string, value: string) => {
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
  } else if (shown.length === 0) {
    content = (
      <EmptyState
        missing="data"
        title={
          all.length === 0
            ? 'No data product is breaching or degraded'
            : 'No breaching or degraded product matches the filters'
        }
        description={
          all.length === 0
            ? 'Every product with quality results meets its objectives.'
            : 'Clear a filter to see the others.'
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
        <Box
          display="flex"
          alignItems="center"
          justifyContent="flex-end"
          height="100%"
        >
          {rows.value && (
            <Typography variant="body2" color="textSecondary">
              {countLabel(shown)}
            </Typography>
          )}
          <IconButton
            aria-label="Refresh"
            onClick={rows.retry}
            disabled={rows.loading}
          >
            <RefreshIcon />
          </IconButton>
        </Box>
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
