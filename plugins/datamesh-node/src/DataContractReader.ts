import fs from 'node:fs/promises';
import path from 'node:path';
import {
  resolveSafeChildPath,
  UrlReaderService,
} from '@backstage/backend-plugin-api';
import {
  ANNOTATION_LOCATION,
  ANNOTATION_SOURCE_LOCATION,
  parseLocationRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { Config } from '@backstage/config';
import { NotFoundError, stringifyError } from '@backstage/errors';
import {
  ScmIntegrationRegistry,
  ScmIntegrations,
} from '@backstage/integration';
import type {
  DataContractResult,
  DataProductEntityV1alpha1,
} from '@backstage-datamesh/plugin-datamesh-common';
import { parseDataContract } from './odcs/parseDataContract';

/**
 * Where a data contract is read from.
 * @public
 */
export type DataContractLocation =
  | { type: 'url'; target: string }
  | { type: 'file'; target: string };

/**
 * Reads the Open Data Contract Standard documents that data products' output ports reference,
 * resolving relative paths against the entity's own location (its `backstage.io/managed-by-location`
 * annotation, or its source location), exactly as the catalog resolves files next to a
 * `catalog-info.yaml`.
 *
 * URLs are read through Backstage's URL reading (integrations and `backend.reading.allow` apply).
 * Entities registered from `file:` locations may reference contracts in the same folder or below
 * it; a path leaving that folder is refused.
 * @public
 */
export class DataContractReader {
  private readonly reader: UrlReaderService;
  private readonly integrations: ScmIntegrationRegistry;

  /** Creates a reader from the backend's config and URL reader service. */
  static fromConfig(config: Config, options: { reader: UrlReaderService }) {
    return new DataContractReader({
      reader: options.reader,
      integrations: ScmIntegrations.fromConfig(config),
    });
  }

  constructor(options: {
    reader: UrlReaderService;
    integrations: ScmIntegrationRegistry;
  }) {
    this.reader = options.reader;
    this.integrations = options.integrations;
  }

  /**
   * Resolves where a contract reference of an entity points to.
   * @throws NotAllowedError when a file path leaves the folder of the entity's file, and
   * NotFoundError when a relative path has no entity location to resolve against.
   */
  resolveLocation(
    entity: DataProductEntityV1alpha1,
    contract: string,
  ): DataContractLocation {
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(contract)) {
      return { type: 'url', target: contract };
    }
    const annotations = entity.metadata.annotations ?? {};
    const locationRef =
      annotations[ANNOTATION_SOURCE_LOCATION] ??
      annotations[ANNOTATION_LOCATION];
    if (!locationRef) {
      throw new NotFoundError(
        `${stringifyEntityRef(
          entity,
        )} has no location to resolve the relative contract path ${contract} against`,
      );
    }
    const location = parseLocationRef(locationRef);
    if (location.type === 'file') {
      const base = location.target.endsWith('/')
        ? location.target
        : path.dirname(location.target);
      return { type: 'file', target: resolveSafeChildPath(base, contract) };
    }
    return {
      type: 'url',
      target: this.integrations.resolveUrl({
        url: contract,
        base: location.target,
      }),
    };
  }

  /**
   * Reads, validates and summarises the contract of one output port of a data product.
   *
   * @throws NotFoundError when the product has no such output port or the port declares no
   * contract. Everything that concerns the contract itself (unreadable, not YAML, failing the
   * ODCS schema, an unsupported ODCS version) is answered as a {@link @backstage-datamesh/plugin-datamesh-common#DataContractResult}.
   */
  async readPortContract(
    entity: DataProductEntityV1alpha1,
    portName: string,
  ): Promise<DataContractResult> {
    const port = entity.spec.outputPorts?.find(p => p.name === portName);
    if (!port) {
      throw new NotFoundError(
        `${stringifyEntityRef(entity)} has no output port named ${portName}`,
      );
    }
    if (!port.contract) {
      throw new NotFoundError(
        `Output port ${portName} of ${stringifyEntityRef(
          entity,
        )} declares no contract`,
      );
    }
    const document = await this.readDocument(
      entity,
      port.contract,
      'data contract',
    );
    if (!document.ok) {
      return { status: 'unreachable', ...document.problem };
    }
    return parseDataContract(document.text, document.location.target);
  }

  /**
   * Reads a document an entity references (a contract, an infrastructure descriptor), resolved
   * as {@link DataContractReader.resolveLocation} resolves it. A reference that cannot be resolved
   * or read is answered with the problem, naming where it was looked for.
   *
   * @param what - what the document is, named in problems, such as `data contract`
   */
  async readDocument(
    entity: DataProductEntityV1alpha1,
    reference: string,
    what: string = 'document',
  ): Promise<
    | { ok: true; location: DataContractLocation; text: string }
    | { ok: false; problem: { source: string; message: string } }
  > {
    let location: DataContractLocation;
    try {
      location = this.resolveLocation(entity, reference);
    } catch (error) {
      return {
        ok: false,
        problem: {
          source: reference,
          message: `The ${what} path ${reference} cannot be resolved: ${stringifyError(
            error,
          )}`,
        },
      };
    }
    try {
      if (location.type === 'file') {
        const text = await fs.readFile(location.target, 'utf8');
        return { ok: true, location, text };
      }
      const response = await this.reader.readUrl(location.target);
      const text = (await response.buffer()).toString('utf8');
      return { ok: true, location, text };
    } catch (error) {
      const reason =
        (error as NodeJS.ErrnoException)?.code === 'ENOENT'
          ? 'no such file'
          : stringifyError(error);
      return {
        ok: false,
        problem: {
          source: location.target,
          message: `The ${what} could not be read from ${location.target}: ${reason}`,
        },
      };
    }
  }
}
