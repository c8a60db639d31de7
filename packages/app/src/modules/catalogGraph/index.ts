import {
  ApiBlueprint,
  createFrontendModule,
} from '@backstage/frontend-plugin-api';
import {
  ALL_RELATIONS,
  ALL_RELATION_PAIRS,
  DefaultCatalogGraphApi,
  catalogGraphApiRef,
} from '@backstage/plugin-catalog-graph';
import {
  RELATION_OBSERVED_DEPENDENCY_OF,
  RELATION_OBSERVED_DEPENDS_ON,
} from '@backstage-datamesh/plugin-datamesh';

/**
 * The catalog graph knows the data mesh's observed lineage relations: the entity pages'
 * Relations card and the Catalog Graph page draw `observedDependsOn`/`observedDependencyOf`
 * (lineage seen in OpenLineage events) beside the declared `dependsOn`/`dependencyOf` (input
 * ports), merged as one pair and labelled with their own names, and offer them in the relations
 * filter. The graph draws only the relations its API knows, so custom ones must be declared.
 */
export const catalogGraphApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: catalogGraphApiRef,
      deps: {},
      factory: () =>
        new DefaultCatalogGraphApi({
          knownRelations: [
            ...ALL_RELATIONS,
            RELATION_OBSERVED_DEPENDS_ON,
            RELATION_OBSERVED_DEPENDENCY_OF,
          ],
          knownRelationPairs: [
            ...ALL_RELATION_PAIRS,
            [RELATION_OBSERVED_DEPENDS_ON, RELATION_OBSERVED_DEPENDENCY_OF],
          ],
          defaultRelationTypes: { exclude: [] },
        }),
    }),
});

/** Overrides the catalog graph plugin's API (`api:catalog-graph`) with {@link catalogGraphApi}. */
export const catalogGraphModule = createFrontendModule({
  pluginId: 'catalog-graph',
  extensions: [catalogGraphApi],
});
