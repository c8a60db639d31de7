import fs from 'node:fs/promises';
import path from 'node:path';
import {
  LoggerService,
  UrlReaderService,
  resolveSafeChildPath,
} from '@backstage/backend-plugin-api';
import {
  CatalogProcessor,
  CatalogProcessorEmit,
  LocationSpec,
  parseEntityYaml,
  processingResult,
} from '@backstage/plugin-catalog-node';
import {
  DescriptorConversionOptions,
  DescriptorConversionResult,
  dataProductFromDpds,
  dataProductFromOdps,
  resolveDpdsReferences,
} from '@backstage-datamesh/plugin-datamesh-common';

/**
 * The catalog location types this processor reads.
 * @public
 */
export const DESCRIPTOR_LOCATION_TYPES = ['odps', 'dpds'] as const;

/**
 * Options of the {@link DataProductDescriptorProcessor}.
 * @public
 */
export interface DataProductDescriptorProcessorOptions {
  /** Reads descriptors (and their `$ref`s) given by URL. */
  reader: UrlReaderService;
  logger?: LoggerService;
  /** Values used where a descriptor is silent, such as a default owner or product type. */
  defaults?: DescriptorConversionOptions;
}

function isUrl(target: string): boolean {
  return /^https?:\/\//i.test(target);
}

class DescriptorNotFound extends Error {}

/**
 * Registers data products described with open standards: catalog locations of type `odps`
 * (Bitol Open Data Product Standard) and `dpds` (Open Data Mesh Data Product Descriptor
 * Specification) whose target is a URL (read through the URL reader, so the integrations'
 * credentials and `backend.reading.allow` apply) or a file path (resolved against the working
 * directory, like the catalog's `file` locations). Each descriptor is parsed (YAML or JSON),
 * validated against the official schema of its standard and converted into a `DataProduct`
 * entity; a descriptor that cannot be converted is reported as errors on its location, each
 * naming the descriptor's field, and keeps no other location from being read.
 *
 * DPDS port references (`$ref`) are resolved relative to the document that holds them; for a
 * descriptor read from a file, only files inside the descriptor's folder are read.
 * @public
 */
export class DataProductDescriptorProcessor implements CatalogProcessor {
  constructor(
    private readonly options: DataProductDescriptorProcessorOptions,
  ) {}

  getProcessorName(): string {
    return 'DataProductDescriptorProcessor';
  }

  async readLocation(
    location: LocationSpec,
    optional: boolean,
    emit: CatalogProcessorEmit,
  ): Promise<boolean> {
    const standard = location.type;
    if (standard !== 'odps' && standard !== 'dpds') {
      return false;
    }
    const target = isUrl(location.target)
      ? location.target
      : path.resolve(location.target);
    let document: unknown;
    try {
      document = await this.readDocument(target, location);
    } catch (error) {
      if (error instanceof DescriptorNotFound) {
        if (!optional) {
          emit(processingResult.notFoundError(location, error.message));
        }
      } else {
        emit(
          processingResult.generalError(
            location,
            `${standard} descriptor ${location.target}: ${
              (error as Error).message
            }`,
          ),
        );
      }
      return true;
    }

    let result: DescriptorConversionResult;
    const defaults = this.options.defaults ?? {};
    if (standard === 'odps') {
      result = dataProductFromOdps(document, defaults);
    } else {
      const resolved = await resolveDpdsReferences(
        document,
        target,
        (ref, base) => this.readReference(ref, base, location),
      );
      result =
        resolved.problems.length > 0
          ? { problems: resolved.problems }
          : dataProductFromDpds(resolved.document, {
              ...defaults,
              references: resolved.references,
            });
    }

    if (result.entity) {
      emit(processingResult.entity(location, result.entity));
    } else {
      this.options.logger?.warn(
        `Refused ${standard} descriptor ${location.target}`,
        { problems: result.problems.length },
      );
      for (const problem of result.problems) {
        emit(
          processingResult.generalError(
            location,
            `${standard} descriptor ${location.target}: ${problem.message}`,
          ),
        );
      }
    }
    return true;
  }

  private async readReference(
    ref: string,
    base: string,
    location: LocationSpec,
  ): Promise<{ location: string; document: unknown }> {
    let target: string;
    if (isUrl(ref)) {
      target = ref;
    } else if (isUrl(base)) {
      target = new URL(ref, base).toString();
    } else {
      // keeps a file descriptor's references inside its folder
      target = resolveSafeChildPath(path.dirname(base), ref);
    }
    return {
      location: target,
      document: await this.readDocument(target, location),
    };
  }

  private async readDocument(
    target: string,
    location: LocationSpec,
  ): Promise<unknown> {
    let data: Buffer;
    if (isUrl(target)) {
      try {
        const response = await this.options.reader.readUrl(target);
        data = await response.buffer();
      } catch (error) {
        if ((error as Error).name === 'NotFoundError') {
          throw new DescriptorNotFound(
            `${location.type} descriptor ${target} does not exist`,
          );
        }
        throw error;
      }
    } else {
      try {
        data = await fs.readFile(target);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
          throw new DescriptorNotFound(
            `${location.type} descriptor ${target} does not exist`,
          );
        }
        throw error;
      }
    }
    // parseEntityYaml reads YAML and JSON, one result per document; a descriptor is one document
    const [first] = [...parseEntityYaml(data, { type: location.type, target })];
    if (!first) {
      throw new Error(`${target} is empty`);
    }
    if (first.type === 'error') {
      throw new Error(first.error.message);
    }
    if (first.type !== 'entity') {
      throw new Error(`${target} could not be parsed`);
    }
    return first.entity;
  }
}
