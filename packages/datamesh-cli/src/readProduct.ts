import fs from 'node:fs';
import path from 'node:path';
import { LineCounter, parseAllDocuments, parseDocument } from 'yaml';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  DataProductEntityV1alpha1,
  dataProductEntityV1alpha1Validator,
  isDataProductEntity,
  validateDataProductInfrastructure,
} from '@backstage-datamesh/plugin-datamesh-common';

/**
 * A data product of the repository with what the policies read of it.
 */
export type RepositoryProduct = {
  /** The file it was read from, as given (relative to the working directory). */
  file: string;
  entity: DataProductEntityV1alpha1;
  entityRef: string;
  /** Its output ports' contracts, as parsed. */
  contracts: unknown[];
  /**
   * Each output port by name, with its contract as parsed (`undefined` when the port has no
   * contract); a port whose contract is a URL is not read offline and is not here.
   */
  portContracts: Map<string, unknown>;
  /** Its infrastructure descriptor, when it references one. */
  infrastructure?: Record<string, unknown>;
  /** What could not be read, each naming the file and the field. */
  notes: string[];
};

/** An input error: the command cannot check the repository. Its message names the file. */
export class InputProblem extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
  }
}

function readText(file: string, what: string, problems: string[]) {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    problems.push(
      `${file}: the ${what} cannot be read: ${
        code === 'ENOENT' ? 'no such file' : String(error)
      }`,
    );
    return undefined;
  }
}

/** Parses one YAML document, naming the line of each syntax error. */
function readYaml(
  file: string,
  text: string,
  what: string,
  problems: string[],
): unknown {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  if (doc.errors.length > 0) {
    for (const error of doc.errors) {
      const line = lineCounter.linePos(error.pos[0]).line;
      problems.push(
        `${file}:${line}: the ${what} is not valid YAML: ${
          error.message.split('\n')[0]
        }`,
      );
    }
    return undefined;
  }
  return doc.toJS();
}

/**
 * Resolves a path an entity references (a contract, a descriptor) against the folder of its
 * file; a path that leaves the repository's folder is refused, as the portal refuses it.
 */
function resolveReference(
  file: string,
  reference: string,
  field: string,
  problems: string[],
): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(reference)) {
    return undefined;
  }
  const base = path.dirname(path.resolve(file));
  const target = path.resolve(base, reference);
  if (target !== base && !target.startsWith(`${base}${path.sep}`)) {
    problems.push(
      `${file}: ${field} ${reference} leaves the folder of the entity's file`,
    );
    return undefined;
  }
  return path.relative(process.cwd(), target) || target;
}

/**
 * Reads the DataProducts of a `catalog-info.yaml` (every document of kind DataProduct, or the
 * one named), validates them as the catalog does, and reads their contracts and descriptor.
 *
 * @throws InputProblem listing every problem (file, line or field) when the repository cannot be
 * checked: unreadable or invalid YAML, an invalid DataProduct, a missing contract or descriptor.
 */
export function readRepositoryProducts(
  file: string,
  options: { product?: string } = {},
): RepositoryProduct[] {
  const problems: string[] = [];
  const text = readText(file, 'entity file', problems);
  if (text === undefined) {
    throw new InputProblem(problems);
  }
  const lineCounter = new LineCounter();
  const documents = parseAllDocuments(text, { lineCounter });
  const entities: Array<{ value: Entity; line: number }> = [];
  for (const doc of Array.isArray(documents) ? documents : [documents]) {
    for (const error of doc.errors) {
      problems.push(
        `${file}:${lineCounter.linePos(error.pos[0]).line}: not valid YAML: ${
          error.message.split('\n')[0]
        }`,
      );
    }
    const value = doc.toJS();
    if (value && typeof value === 'object') {
      entities.push({
        value: value as Entity,
        line: lineCounter.linePos(doc.contents?.range?.[0] ?? doc.range[0])
          .line,
      });
    }
  }
  if (problems.length) {
    throw new InputProblem(problems);
  }

  const candidates = entities.filter(
    ({ value }) =>
      typeof value.kind === 'string' &&
      value.kind.toLocaleLowerCase('en-US') === 'dataproduct',
  );
  const selected = options.product
    ? candidates.filter(({ value }) => value.metadata?.name === options.product)
    : candidates;
  if (selected.length === 0) {
    throw new InputProblem([
      options.product
        ? `${file}: no DataProduct named ${options.product}`
        : `${file}: no DataProduct entity in the file`,
    ]);
  }

  const products: RepositoryProduct[] = [];
  for (const { value, line } of selected) {
    const name =
      typeof value.metadata?.name === 'string'
        ? value.metadata.name
        : `(document at line ${line})`;
    const invalid = dataProductEntityV1alpha1Validator.validate(value);
    if (invalid.length || !isDataProductEntity(value)) {
      for (const problem of invalid) {
        problems.push(
          `${file}:${line}: DataProduct ${name}: ${problem.message}`,
        );
      }
      if (!invalid.length) {
        problems.push(
          `${file}:${line}: DataProduct ${name}: apiVersion must be datamesh.io/v1alpha1`,
        );
      }
      continue;
    }
    const entity = value;
    const notes: string[] = [];
    const contracts: unknown[] = [];
    const portContracts = new Map<string, unknown>();
    (entity.spec.outputPorts ?? []).forEach((port, index) => {
      if (!port.contract) {
        portContracts.set(port.name, undefined);
        return;
      }
      const field = `spec.outputPorts[${index}].contract`;
      const target = resolveReference(file, port.contract, field, problems);
      if (!target) {
        if (/^[a-z][a-z0-9+.-]*:\/\//i.test(port.contract)) {
          notes.push(
            `${field} ${port.contract} is a URL: not read offline; the portal reads it`,
          );
        }
        return;
      }
      const contractText = readText(
        target,
        `data contract (${field})`,
        problems,
      );
      if (contractText === undefined) {
        return;
      }
      const contract = readYaml(
        target,
        contractText,
        `data contract (${field})`,
        problems,
      );
      if (contract && typeof contract === 'object') {
        contracts.push(contract);
      }
      if (contract !== undefined) {
        portContracts.set(port.name, contract);
      }
    });
    let infrastructure: Record<string, unknown> | undefined;
    if (entity.spec.infrastructure) {
      const field = 'spec.infrastructure';
      const target = resolveReference(
        file,
        entity.spec.infrastructure,
        field,
        problems,
      );
      const descriptorText = target
        ? readText(target, `infrastructure descriptor (${field})`, problems)
        : undefined;
      if (target && descriptorText !== undefined) {
        const descriptor = readYaml(
          target,
          descriptorText,
          'infrastructure descriptor',
          problems,
        );
        if (descriptor !== undefined) {
          const invalidDescriptor =
            validateDataProductInfrastructure(descriptor);
          for (const problem of invalidDescriptor) {
            problems.push(`${target}: ${problem.message}`);
          }
          if (!invalidDescriptor.length) {
            infrastructure = descriptor as Record<string, unknown>;
          }
        }
      }
    }
    products.push({
      file,
      entity,
      entityRef: stringifyEntityRef(entity).toLocaleLowerCase('en-US'),
      contracts,
      portContracts,
      infrastructure,
      notes,
    });
  }
  if (problems.length) {
    throw new InputProblem(problems);
  }
  return products;
}
