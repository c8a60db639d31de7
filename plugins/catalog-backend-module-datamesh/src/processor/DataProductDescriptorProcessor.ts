import fs from 'node:fs/promises';
import path from 'node:path';
import {
  LoggerService,
  RootConfigService,
  UrlReaderService,
  resolveSafeChildPath,
} from '@backstage/backend-plugin-api';
import { InputError, NotFoundError, isError } from '@backstage/errors';
import {
  CatalogProcessor,
  CatalogProcessorEmit,
  LocationSpec,
  processingResult,
} from '@backstage/plugin-catalog-node';
import {
  DESCRIPTOR_DEFAULT_FIELDS,
  DataProductType,
  DescriptorConversionOptions,
  DescriptorConversionResult,
  dataProductFromDpds,
  dataProductFromOdps,
  resolveDpdsReferences,
  validateDescriptorDefaults,
} from '@backstage-datamesh/plugin-datamesh-common';
import { LineCounter, parseAllDocuments } from 'yaml';

/** The catalog location types this processor reads. */
const DESCRIPTOR_LOCATION_TYPES = ['odps', 'dpds'] as const;

type DescriptorLocationType = (typeof DESCRIPTOR_LOCATION_TYPES)[number];

function isDescriptorLocationType(
  type: string,
): type is DescriptorLocationType {
  return (DESCRIPTOR_LOCATION_TYPES as readonly string[]).includes(type);
}

/**
 * The app-config key of the values used where a descriptor is silent.
 * @public
 */
export const DESCRIPTOR_DEFAULTS_CONFIG_KEY = 'datamesh.descriptors.defaults';

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

/**
 * Reads the defaults for what descriptors do not say from app-config
 * (`datamesh.descriptors.defaults.{owner,domain,type,lifecycle}`), checked as the kind checks the
 * fields they stand in for. Problems of a descriptor that lacks one of them name the config key
 * that would provide it.
 *
 * @throws InputError naming the config key of each invalid value
 * @public
 */
export function readDescriptorDefaults(
  config: RootConfigService,
): DescriptorConversionOptions {
  const section = config.getOptionalConfig(DESCRIPTOR_DEFAULTS_CONFIG_KEY);
  const values: Partial<
    Record<(typeof DESCRIPTOR_DEFAULT_FIELDS)[number], string>
  > = {};
  for (const field of DESCRIPTOR_DEFAULT_FIELDS) {
    const value = section?.getOptionalString(field);
    if (value !== undefined) {
      values[field] = value;
    }
  }
  const problems = validateDescriptorDefaults(
    values,
    DESCRIPTOR_DEFAULTS_CONFIG_KEY,
  );
  if (problems.length > 0) {
    throw new InputError(
      `Invalid app-config for data product descriptors: ${problems
        .map(p => p.message)
        .join('; ')}`,
    );
  }
  return {
    defaultOwner: values.owner,
    defaultDomain: values.domain,
    // checked above to be one of the product types
    defaultType: values.type as DataProductType | undefined,
    defaultLifecycle: values.lifecycle,
    describeDefault: field =>
      `set ${DESCRIPTOR_DEFAULTS_CONFIG_KEY}.${field} in app-config`,
  };
}

function isUrl(target: string): boolean {
  return /^https?:\/\//i.test(target);
}

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
  /**
   * Creates the processor with the defaults configured in app-config
   * (see {@link readDescriptorDefaults}).
   */
  static fromConfig(
    config: RootConfigService,
    options: Omit<DataProductDescriptorProcessorOptions, 'defaults'>,
  ): DataProductDescriptorProcessor {
    return new DataProductDescriptorProcessor({
      ...options,
      defaults: readDescriptorDefaults(config),
    });
  }

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
    if (!isDescriptorLocationType(standard)) {
      return false;
    }
    const target = isUrl(location.target)
      ? location.target
      : path.resolve(location.target);
    let document: unknown;
    try {
      document = await this.readDocument(target, location);
    } catch (error) {
      if (isError(error) && error.name === 'NotFoundError') {
        if (!optional) {
          emit(processingResult.notFoundError(location, error.message));
        }
      } else {
        const message = `${standard} descriptor ${location.target}: ${
          isError(error) ? error.message : String(error)
        }`;
        // a file that is not one descriptor is the author's to fix; a failed read is not
        emit(
          isError(error) && error.name === 'InputError'
            ? processingResult.inputError(location, message)
            : processingResult.generalError(location, message),
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
          processingResult.inputError(
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
    const notFound = () =>
      new NotFoundError(`${location.type} descriptor ${target} does not exist`);
    if (isUrl(target)) {
      try {
        const response = await this.options.reader.readUrl(target);
        data = await response.buffer();
      } catch (error) {
        if (isError(error) && error.name === 'NotFoundError') {
          throw notFound();
        }
        throw error;
      }
    } else {
      try {
        data = await fs.readFile(target);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
          throw notFound();
        }
        throw error;
      }
    }
    return parseDescriptor(data.toString('utf8'));
  }
}

/**
 * Parses a descriptor file (YAML or JSON), which holds exactly one document: a file with more is
 * refused, naming the line where each extra document starts, rather than read in part. Messages
 * do not repeat the file's name: the caller's message names it.
 */
export function parseDescriptor(text: string): unknown {
  const lineCounter = new LineCounter();
  const documents = parseAllDocuments(text, { lineCounter });
  for (const document of documents) {
    const [error] = document.errors;
    if (error) {
      // the parser's message names the line and column
      throw new InputError(
        `YAML error: ${error.message.split('\n')[0].replace(/:$/, '')}`,
      );
    }
  }
  const isEmpty = (document: (typeof documents)[number]) =>
    document.toJS() === null || document.toJS() === undefined;
  const [first, ...rest] = documents;
  if (!first || isEmpty(first)) {
    throw new InputError('the file is empty');
  }
  const extra = rest.filter(d => !isEmpty(d));
  if (extra.length > 0) {
    const lines = extra.map(d => lineCounter.linePos(d.range[0]).line);
    const several = extra.length > 1;
    throw new InputError(
      `the file holds ${
        1 + extra.length
      } YAML documents, but a descriptor is one document: remove the document${
        several ? 's' : ''
      } starting at line${several ? 's' : ''} ${lines.join(', ')} (or move ${
        several ? 'each' : 'it'
      } to its own file)`,
    );
  }
  return first.toJS();
}
