/*
 * The official OpenLineage JSON schemas the ingestion validates events with: the core schema
 * (2-0-2) and the schema of every facet the spec defines, copied unmodified from
 * OpenLineage/OpenLineage (see SOURCES.md beside them).
 */
import baseSubsetDatasetFacet from './BaseSubsetDatasetFacet.json';
import catalogDatasetFacet from './CatalogDatasetFacet.json';
import columnLineageDatasetFacet from './ColumnLineageDatasetFacet.json';
import dataQualityAssertionsDatasetFacet from './DataQualityAssertionsDatasetFacet.json';
import dataQualityMetricsDatasetFacet from './DataQualityMetricsDatasetFacet.json';
import dataQualityMetricsInputDatasetFacet from './DataQualityMetricsInputDatasetFacet.json';
import datasetTypeDatasetFacet from './DatasetTypeDatasetFacet.json';
import datasetVersionDatasetFacet from './DatasetVersionDatasetFacet.json';
import datasourceDatasetFacet from './DatasourceDatasetFacet.json';
import documentationDatasetFacet from './DocumentationDatasetFacet.json';
import documentationJobFacet from './DocumentationJobFacet.json';
import environmentVariablesRunFacet from './EnvironmentVariablesRunFacet.json';
import errorMessageRunFacet from './ErrorMessageRunFacet.json';
import executionParametersRunFacet from './ExecutionParametersRunFacet.json';
import externalQueryRunFacet from './ExternalQueryRunFacet.json';
import extractionErrorRunFacet from './ExtractionErrorRunFacet.json';
import hierarchyDatasetFacet from './HierarchyDatasetFacet.json';
import inputStatisticsInputDatasetFacet from './InputStatisticsInputDatasetFacet.json';
import jobDependenciesRunFacet from './JobDependenciesRunFacet.json';
import jobTypeJobFacet from './JobTypeJobFacet.json';
import lifecycleStateChangeDatasetFacet from './LifecycleStateChangeDatasetFacet.json';
import lineageFacet from './LineageFacet.json';
import nominalTimeRunFacet from './NominalTimeRunFacet.json';
import openLineage from './OpenLineage.json';
import outputStatisticsOutputDatasetFacet from './OutputStatisticsOutputDatasetFacet.json';
import ownershipDatasetFacet from './OwnershipDatasetFacet.json';
import ownershipJobFacet from './OwnershipJobFacet.json';
import parentRunFacet from './ParentRunFacet.json';
import processingEngineRunFacet from './ProcessingEngineRunFacet.json';
import sqlJobFacet from './SQLJobFacet.json';
import schemaDatasetFacet from './SchemaDatasetFacet.json';
import sourceCodeJobFacet from './SourceCodeJobFacet.json';
import sourceCodeLocationJobFacet from './SourceCodeLocationJobFacet.json';
import storageDatasetFacet from './StorageDatasetFacet.json';
import symlinksDatasetFacet from './SymlinksDatasetFacet.json';
import tagsDatasetFacet from './TagsDatasetFacet.json';
import tagsJobFacet from './TagsJobFacet.json';
import tagsRunFacet from './TagsRunFacet.json';
import testRunFacet from './TestRunFacet.json';

/** The core schema (`https://openlineage.io/spec/2-0-2/OpenLineage.json`). */
export const openLineageSchema: object = openLineage;

/**
 * Where a facet sits in an event: the run's `facets`, the job's `facets`, a dataset's `facets`, an
 * input's `inputFacets`, an output's `outputFacets`.
 */
export type FacetLocation = 'run' | 'job' | 'dataset' | 'input' | 'output';

/**
 * The schema of each facet of the spec, by where it sits and its key. `dataQualityAssertions` is
 * an input facet in the spec, and is also read among a dataset's own facets, where the dbt
 * integration and Marquez put it; `lineage` is both a job and a dataset facet, `subset` both an
 * input and an output facet.
 */
export const FACET_SCHEMAS: Record<FacetLocation, Record<string, object>> = {
  run: {
    parent: parentRunFacet,
    errorMessage: errorMessageRunFacet,
    nominalTime: nominalTimeRunFacet,
    processing_engine: processingEngineRunFacet,
    externalQuery: externalQueryRunFacet,
    extractionError: extractionErrorRunFacet,
    environmentVariables: environmentVariablesRunFacet,
    executionParameters: executionParametersRunFacet,
    jobDependencies: jobDependenciesRunFacet,
    tags: tagsRunFacet,
    test: testRunFacet,
  },
  job: {
    documentation: documentationJobFacet,
    jobType: jobTypeJobFacet,
    sql: sqlJobFacet,
    sourceCode: sourceCodeJobFacet,
    sourceCodeLocation: sourceCodeLocationJobFacet,
    ownership: ownershipJobFacet,
    tags: tagsJobFacet,
    lineage: lineageFacet,
  },
  dataset: {
    catalog: catalogDatasetFacet,
    columnLineage: columnLineageDatasetFacet,
    dataQualityMetrics: dataQualityMetricsDatasetFacet,
    dataQualityAssertions: dataQualityAssertionsDatasetFacet,
    datasetType: datasetTypeDatasetFacet,
    version: datasetVersionDatasetFacet,
    dataSource: datasourceDatasetFacet,
    documentation: documentationDatasetFacet,
    hierarchy: hierarchyDatasetFacet,
    lifecycleStateChange: lifecycleStateChangeDatasetFacet,
    ownership: ownershipDatasetFacet,
    schema: schemaDatasetFacet,
    storage: storageDatasetFacet,
    symlinks: symlinksDatasetFacet,
    tags: tagsDatasetFacet,
    lineage: lineageFacet,
  },
  input: {
    dataQualityMetrics: dataQualityMetricsInputDatasetFacet,
    dataQualityAssertions: dataQualityAssertionsDatasetFacet,
    inputStatistics: inputStatisticsInputDatasetFacet,
    subset: baseSubsetDatasetFacet,
  },
  output: {
    outputStatistics: outputStatisticsOutputDatasetFacet,
    subset: baseSubsetDatasetFacet,
  },
};

/** Every facet schema, once each. */
export const facetSchemas: object[] = [
  ...new Set(Object.values(FACET_SCHEMAS).flatMap(Object.values)),
];
