import { ChangeEvent, useEffect, useMemo, useRef, useState } from 'react';
import Grid from '@material-ui/core/Grid';
import InputAdornment from '@material-ui/core/InputAdornment';
import TextField from '@material-ui/core/TextField';
import SearchIcon from '@material-ui/icons/Search';
import useAsync from 'react-use/esm/useAsync';
import useDebounce from 'react-use/esm/useDebounce';
import {
  Content,
  EmptyState,
  Header,
  Page,
  WarningPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useAppSearchParams } from '@backstage/frontend-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { PRODUCT_HEALTH_STATES } from '@backstage-datamesh/plugin-datamesh-common';
import {
  HEALTH_LABELS,
  HEALTH_LABEL_FIELD,
  healthCatalogQuery,
  isHealthState,
} from '../../lib/health';
import { formatEntityRef } from '../../lib/refs';
import {
  COMPLIANCE_LABEL_FIELD,
  COMPLIANCE_LOOKS,
  PRODUCT_COMPLIANCE_STATES,
  ProductCompliance,
  complianceCatalogQuery,
  complianceCounts,
  isProductCompliance,
} from '../ComplianceStatus';
import { DataProductTable, useDataProductQuery } from '../DataProductTable';
import { DataMeshProblemsPanel } from '../DataMeshProblemsPanel';

const PAGE_SIZE = 20;

/** The filters of the page: URL parameter, label, catalog field and how to show values. */
const FILTERS = [
  {
    param: 'domain',
    label: 'Domain',
    field: 'relations.partOf',
    refKind: 'domain',
  },
  {
    param: 'owner',
    label: 'Owner',
    field: 'relations.ownedBy',
    refKind: 'group',
  },
  { param: 'type', label: 'Type', field: 'spec.type' },
  { param: 'lifecycle', label: 'Lifecycle', field: 'spec.lifecycle' },
  { param: 'sensitivity', label: 'Sensitivity', field: 'spec.sensitivity' },
  { param: 'tag', label: 'Tag', field: 'metadata.tags' },
] as const satisfies ReadonlyArray<{
  param: string;
  label: string;
  field: string;
  refKind?: string;
}>;

type FilterDefinition = (typeof FILTERS)[number];

const SEARCH_PARAM = 'q';

function optionLabel(filter: FilterDefinition, value: string): string {
  return 'refKind' in filter ? formatEntityRef(value, filter.refKind) : value;
}

function FilterSelect(props: {
  filter: FilterDefinition;
  value: string;
  options: Array<{ value: string; count: number }>;
  onChange: (value: string) => void;
}) {
  const { filter, value, options, onChange } = props;
  const id = `datamesh-filter-${filter.param}`;
  const shown =
    options.some(o => o.value === value) || !value
      ? options
      : [{ value, count: 0 }, ...options];
  return (
    <TextField
      id={id}
      select
      fullWidth
      variant="outlined"
      size="small"
      label={filter.label}
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
          {optionLabel(filter, option.value)}
          {option.count ? ` (${option.count})` : ''}
        </option>
      ))}
    </TextField>
  );
}

const HEALTH_PARAM = 'health';

type FacetCounts = Record<string, Array<{ value: string; count: number }>>;

/**
 * How many products have each health, from the facets of the health label and of the kind: the
 * products without the label count as unknown.
 */
function healthCounts(facets: FacetCounts | undefined): Record<string, number> {
  const counts: Record<string, number> = {};
  if (!facets) {
    return counts;
  }
  const total = (facets.kind ?? []).reduce((sum, f) => sum + f.count, 0);
  let labelled = 0;
  for (const facet of facets[HEALTH_LABEL_FIELD] ?? []) {
    if (isHealthState(facet.value) && facet.value !== 'unknown') {
      counts[facet.value] = facet.count;
      labelled += facet.count;
    }
  }
  counts.unknown = Math.max(0, total - labelled);
  return counts;
}

function HealthFilterSelect(props: {
  value: string;
  counts: Record<string, number>;
  onChange: (value: string) => void;
}) {
  const { value, counts, onChange } = props;
  return (
    <TextField
      id="datamesh-filter-health"
      select
      fullWidth
      variant="outlined"
      size="small"
      label="Health"
      value={value}
      onChange={(event: ChangeEvent<HTMLInputElement>) =>
        onChange(event.target.value)
      }
      SelectProps={{ native: true }}
      InputLabelProps={{ shrink: true }}
    >
      <option value="">All</option>
      {PRODUCT_HEALTH_STATES.map(state => (
        <option key={state} value={state}>
          {HEALTH_LABELS[state]}
          {counts[state] ? ` (${counts[state]})` : ''}
        </option>
      ))}
    </TextField>
  );
}

const COMPLIANCE_PARAM = 'compliance';

function ComplianceFilterSelect(props: {
  value: string;
  counts: Partial<Record<ProductCompliance, number>>;
  onChange: (value: string) => void;
}) {
  const { value, counts, onChange } = props;
  return (
    <TextField
      id="datamesh-filter-compliance"
      select
      fullWidth
      variant="outlined"
      size="small"
      label="Compliance"
      value={value}
      onChange={(event: ChangeEvent<HTMLInputElement>) =>
        onChange(event.target.value)
      }
      SelectProps={{ native: true }}
      InputLabelProps={{ shrink: true }}
    >
      <option value="">All</option>
      {PRODUCT_COMPLIANCE_STATES.map(state => (
        <option key={state} value={state}>
          {COMPLIANCE_LOOKS[state].label}
          {counts[state] ? ` (${counts[state]})` : ''}
        </option>
      ))}
    </TextField>
  );
}

/**
 * The Data products page without a header: filters, search and a server-paged table of every
 * DataProduct entity in the catalog. Filters and search are kept in the URL's query string.
 * @public
 */
export function DataProductsPageContent() {
  const catalogApi = useApi(catalogApiRef);
  const [searchParams, setSearchParams] = useAppSearchParams();

  const selected = useMemo(() => {
    const values: Record<string, string> = {};
    for (const filter of FILTERS) {
      values[filter.param] = searchParams.get(filter.param) ?? '';
    }
    return values;
  }, [searchParams]);
  const term = searchParams.get(SEARCH_PARAM) ?? '';
  const healthParam = searchParams.get(HEALTH_PARAM) ?? '';
  const health = isHealthState(healthParam) ? healthParam : undefined;
  const complianceParam = searchParams.get(COMPLIANCE_PARAM) ?? '';
  const compliance = isProductCompliance(complianceParam)
    ? complianceParam
    : undefined;

  const [searchInput, setSearchInput] = useState(term);
  // the term this page last wrote to the URL; any other change (back button, link) is shown
  const writtenTerm = useRef(term);
  useEffect(() => {
    if (term !== writtenTerm.current) {
      writtenTerm.current = term;
      setSearchInput(term);
    }
  }, [term]);

  const updateParam = (param: string, value: string, replace: boolean) => {
    setSearchParams(
      previous => {
        const next = new URLSearchParams(previous);
        if (value) {
          next.set(param, value);
        } else {
          next.delete(param);
        }
        return next;
      },
      { replace },
    );
  };

  useDebounce(
    () => {
      const next = searchInput.trim();
      if (next !== term) {
        writtenTerm.current = next;
        updateParam(SEARCH_PARAM, next, true);
      }
    },
    400,
    [searchInput],
  );

  const facets = useAsync(
    () =>
      catalogApi.getEntityFacets({
        filter: { kind: 'DataProduct' },
        facets: [
          ...FILTERS.map(filter => filter.field),
          HEALTH_LABEL_FIELD,
          COMPLIANCE_LABEL_FIELD,
          'kind',
        ],
      }),
    [catalogApi],
  );

  const { filter, query } = useMemo(() => {
    const result: Record<string, string> = {};
    for (const definition of FILTERS) {
      const value = selected[definition.param];
      if (value) {
        result[definition.field] = value;
      }
    }
    const byHealth = health ? healthCatalogQuery(health) : {};
    const byCompliance = compliance ? complianceCatalogQuery(compliance) : {};
    // the catalog takes one predicate query: both, when both filters need one
    const predicates = [byHealth.query, byCompliance.query].filter(
      (predicate): predicate is NonNullable<typeof predicate> => !!predicate,
    );
    return {
      filter: { ...result, ...byHealth.filter, ...byCompliance.filter },
      query: predicates.length > 1 ? { $all: predicates } : predicates[0],
    };
  }, [selected, health, compliance]);

  const page = useDataProductQuery({
    filter,
    query,
    term,
    pageSize: PAGE_SIZE,
  });
  const filtered = Object.keys(filter).length > 0 || !!query || term !== '';

  return (
    <Grid container spacing={2}>
      <Grid item xs={12}>
        <DataMeshProblemsPanel />
      </Grid>
      <Grid item xs={12}>
        <TextField
          fullWidth
          variant="outlined"
          size="small"
          placeholder="Search data products"
          value={searchInput}
          onChange={event => setSearchInput(event.target.value)}
          inputProps={{ 'aria-label': 'Search data products' }}
          InputProps={{
            startAdornment: (
              <InputAdornment position="start">
                <SearchIcon />
              </InputAdornment>
            ),
          }}
        />
      </Grid>
      <Grid item xs={12} sm={6} md>
        <HealthFilterSelect
          value={health ?? ''}
          counts={healthCounts(facets.value?.facets)}
          onChange={value => updateParam(HEALTH_PARAM, value, false)}
        />
      </Grid>
      <Grid item xs={12} sm={6} md>
        <ComplianceFilterSelect
          value={compliance ?? ''}
          counts={complianceCounts(facets.value?.facets)}
          onChange={value => updateParam(COMPLIANCE_PARAM, value, false)}
        />
      </Grid>
      {FILTERS.map(definition => (
        <Grid item xs={12} sm={6} md key={definition.param}>
          <FilterSelect
            filter={definition}
            value={selected[definition.param]}
            options={(facets.value?.facets[definition.field] ?? [])
              .slice()
              .sort((a, b) => a.value.localeCompare(b.value))}
            onChange={value => updateParam(definition.param, value, false)}
          />
        </Grid>
      ))}
      {facets.error && (
        <Grid item xs={12}>
          <WarningPanel
            title="Could not load the filter options"
            message={facets.error.message}
          />
        </Grid>
      )}
      <Grid item xs={12}>
        <DataProductTable
          label="Data product list"
          page={page}
          columns={[
            'name',
            'health',
            'compliance',
            'domain',
            'owner',
            'type',
            'lifecycle',
            'sensitivity',
            'version',
          ]}
          emptyContent={
            <EmptyState
              missing="data"
              title={
                filtered
                  ? 'No data product matches the filters'
                  : 'No data products in the catalog yet'
              }
              description={
                filtered
                  ? 'Clear a filter or change the search term.'
                  : 'Register DataProduct entities (apiVersion datamesh.io/v1alpha1) to list them here.'
              }
            />
          }
        />
      </Grid>
    </Grid>
  );
}

/**
 * The Data products page of apps on the legacy frontend system, with its own header.
 * @public
 */
export function DataProductsPage() {
  return (
    <Page themeId="home">
      <Header
        title="Data products"
        subtitle="Domain-owned data served as products"
      />
      <Content>
        <DataProductsPageContent />
      </Content>
    </Page>
  );
}
