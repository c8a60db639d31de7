import { Entity } from '@backstage/catalog-model';
import { catalogEntityPermissionResourceRef } from '@backstage/plugin-catalog-node/alpha';
import { createPermissionRule } from '@backstage/plugin-permission-node';
import {
  SENSITIVITY_LEVELS,
  SensitivityLevel,
} from '@backstage-datamesh/plugin-datamesh-common';
import { z } from 'zod';

/** The catalog kind the rule matches, as the catalog's search table holds it (lower case). */
const DATA_PRODUCT_KIND = 'dataproduct';

/**
 * The sensitivity of a DataProduct entity: its `spec.sensitivity`, lower-cased as the catalog
 * compares it; `undefined` for other kinds and for products that do not declare one.
 */
function sensitivityOf(entity: Entity): string | undefined {
  if (entity.kind.toLocaleLowerCase('en-US') !== DATA_PRODUCT_KIND) {
    return undefined;
  }
  const sensitivity = entity.spec?.sensitivity;
  return typeof sensitivity === 'string'
    ? sensitivity.toLocaleLowerCase('en-US')
    : undefined;
}

/**
 * Catalog permission rule matching DataProduct entities whose `spec.sensitivity` is one of the
 * given levels. A product's sensitivity is its own `spec.sensitivity`: output ports carry no
 * sensitivity of their own in the data mesh model, so the product's level covers every port.
 * Other kinds, and products that declare no sensitivity, never match; wrap the condition in
 * `not` to select "everything except restricted products".
 *
 * As a database query it filters on the catalog's search table (`kind` and
 * `spec.sensitivity`), so list endpoints (`/entities/by-query`, `/entities/by-refs`,
 * `/entity-facets`) filter in SQL.
 * @public
 */
export const hasSensitivity = createPermissionRule({
  name: 'DATAMESH_HAS_SENSITIVITY',
  description:
    'Allow DataProduct entities whose spec.sensitivity is one of the given levels',
  resourceRef: catalogEntityPermissionResourceRef,
  paramsSchema: z.object({
    levels: z
      .array(z.enum(SENSITIVITY_LEVELS))
      .min(1)
      .describe(
        `Sensitivity levels to match, any of ${SENSITIVITY_LEVELS.join(', ')}`,
      ),
  }),
  apply: (entity: Entity, { levels }) => {
    const sensitivity = sensitivityOf(entity);
    return (
      sensitivity !== undefined &&
      levels.some(level => level.toLocaleLowerCase('en-US') === sensitivity)
    );
  },
  toQuery: ({ levels }) => ({
    allOf: [
      { key: 'kind', values: [DATA_PRODUCT_KIND] },
      { key: 'spec.sensitivity', values: [...levels] },
    ],
  }),
});

/**
 * The sensitivity levels from `level` up to the most sensitive one, in the order of
 * `SENSITIVITY_LEVELS`: `sensitivityLevelsFrom('confidential')` is
 * `['confidential', 'restricted']`. For conditions such as
 * `hasSensitivity({ levels: sensitivityLevelsFrom('confidential') })`.
 * @public
 */
export function sensitivityLevelsFrom(
  level: SensitivityLevel,
): SensitivityLevel[] {
  const index = SENSITIVITY_LEVELS.indexOf(level);
  if (index < 0) {
    throw new TypeError(
      `Unknown sensitivity level '${level}', expected one of ${SENSITIVITY_LEVELS.join(
        ', ',
      )}`,
    );
  }
  return SENSITIVITY_LEVELS.slice(index);
}

/**
 * Every catalog permission rule of the data mesh suite, registered on the catalog by the
 * `catalogModuleDataMesh` backend module.
 * @public
 */
export const dataMeshCatalogPermissionRules = { hasSensitivity };
