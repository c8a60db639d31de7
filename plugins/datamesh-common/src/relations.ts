import {
  CompoundEntityRef,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import type { DataProductEntityV1alpha1 } from './types';

/**
 * An input port with its upstream product's reference resolved to a full entity reference.
 * @public
 */
export interface ResolvedInputPort {
  /** The input port's name. */
  name: string;
  /** The upstream product, as a full entity reference (`dataproduct:namespace/name`). */
  productRef: string;
  /** The upstream product, as a compound reference. */
  product: CompoundEntityRef;
  /** Name of the output port consumed on the upstream product. */
  port: string;
  /** What the port is used for. */
  description?: string;
}

/**
 * The entities a data product refers to, as full entity references.
 * @public
 */
export interface DataProductRefs {
  /** The owning Group or User. */
  owner: CompoundEntityRef;
  /** The Domain. */
  domain: CompoundEntityRef;
  /** The input ports with their upstream products. */
  inputPorts: ResolvedInputPort[];
}

/**
 * Resolves the entity references of a (valid) data product, applying the catalog's defaults:
 * the entity's namespace, `group` for owners, `domain` for the domain and `dataproduct` for
 * upstream products.
 * @public
 */
export function resolveDataProductRefs(
  entity: DataProductEntityV1alpha1,
): DataProductRefs {
  const defaultNamespace = entity.metadata.namespace ?? 'default';
  const inputPorts = (entity.spec.inputPorts ?? []).map(port => {
    const product = parseEntityRef(port.product, {
      defaultKind: 'dataproduct',
      defaultNamespace,
    });
    return {
      name: port.name,
      product,
      productRef: stringifyEntityRef(product),
      port: port.port,
      description: port.description,
    };
  });
  return {
    owner: parseEntityRef(entity.spec.owner, {
      defaultKind: 'group',
      defaultNamespace,
    }),
    domain: parseEntityRef(entity.spec.domain, {
      defaultKind: 'domain',
      defaultNamespace,
    }),
    inputPorts,
  };
}

/**
 * The relation from a data product to an upstream product whose output port its jobs were
 * observed reading (OpenLineage events in the lineage window), whether or not it declares that
 * product as an input port. Told apart from the declared `dependsOn` of the catalog
 * (`RELATION_DEPENDS_ON` of `@backstage/catalog-model`), which comes from the product's
 * `spec.inputPorts`; the reverse is {@link RELATION_OBSERVED_DEPENDENCY_OF}.
 * @public
 */
export const RELATION_OBSERVED_DEPENDS_ON = 'observedDependsOn';

/**
 * The relation from a data product to a downstream product observed reading one of its output
 * ports: the reverse of {@link RELATION_OBSERVED_DEPENDS_ON}. Told apart from the declared
 * `dependencyOf` of the catalog (`RELATION_DEPENDENCY_OF` of `@backstage/catalog-model`), which
 * comes from the downstream product's `spec.inputPorts`.
 * @public
 */
export const RELATION_OBSERVED_DEPENDENCY_OF = 'observedDependencyOf';
