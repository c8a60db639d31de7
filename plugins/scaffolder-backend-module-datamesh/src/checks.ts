import {
  BackstageCredentials,
  createExtensionPoint,
} from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import type {
  DataContractResult,
  DataProductInfrastructureResult,
} from '@backstage-datamesh/plugin-datamesh-common';

/**
 * One problem of a generated product, naming its file (relative to the workspace) and field.
 * @public
 */
export type GeneratedProductProblem = {
  /** The file, relative to the workspace, such as `contracts/orders.odcs.yaml`. */
  file: string;
  /** The field, such as `spec.outputPorts[0].contract`; `(document)` for the whole file. */
  path: string;
  /** What is wrong, starting with the field. */
  message: string;
};

/**
 * What `datamesh:dataproduct:validate` read of one generated entity, for the checks added to it.
 * @public
 */
export type GeneratedEntity = {
  /** The entity, as written in the workspace. */
  entity: Entity;
  /** The catalog file it was read from, relative to the workspace. */
  file: string;
  /** Each output port's contract, read from the workspace and validated against ODCS. */
  contracts: Array<{ port: string; file: string; result: DataContractResult }>;
  /** The infrastructure descriptor, read and validated, when the product references one. */
  infrastructure?: { file: string; result: DataProductInfrastructureResult };
};

/**
 * A check that `datamesh:dataproduct:validate` runs on each generated entity after its own
 * (schema, contracts, descriptor, name taken), so that a product that fails it is refused before
 * anything is published. The governance policies plug in here.
 * @public
 */
export type GeneratedProductCheck = {
  /** Names the check in logs, such as `governance`. */
  id: string;
  /**
   * Every problem of the entity; an empty list passes it.
   * @param options.credentials - the credentials of the user who runs the template
   */
  check(
    generated: GeneratedEntity,
    options: { credentials: BackstageCredentials; workspacePath: string },
  ): Promise<GeneratedProductProblem[]>;
};

/**
 * The extension point of the scaffolder's data mesh module, through which other modules add
 * checks to `datamesh:dataproduct:validate`.
 * @public
 */
export interface DataMeshScaffolderChecksExtensionPoint {
  addChecks(
    ...checks: Array<GeneratedProductCheck | GeneratedProductCheck[]>
  ): void;
}

/**
 * Adds checks to `datamesh:dataproduct:validate`, for example from a governance module:
 * `env.registerInit({ deps: { checks: dataMeshScaffolderChecksExtensionPoint }, ... })`.
 * @public
 */
export const dataMeshScaffolderChecksExtensionPoint =
  createExtensionPoint<DataMeshScaffolderChecksExtensionPoint>({
    id: 'scaffolder.datamesh.checks',
  });
