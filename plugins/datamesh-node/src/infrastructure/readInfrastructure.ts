import { stringifyEntityRef } from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import {
  DataProductEntityV1alpha1,
  DataProductInfrastructure,
  DataProductInfrastructureResult,
  validateDataProductInfrastructure,
} from '@backstage-datamesh/plugin-datamesh-common';
import { parseDocument } from 'yaml';
import type { DataContractReader } from '../DataContractReader';

/**
 * Parses a `DataProductInfrastructure` descriptor (YAML or JSON) and validates it against its
 * JSON schema, naming each failing field.
 *
 * @param text - the document
 * @param source - where it was read from, echoed in the result
 * @public
 */
export function parseInfrastructureDescriptor(
  text: string,
  source: string,
): DataProductInfrastructureResult {
  const doc = parseDocument(text, { prettyErrors: true });
  if (doc.errors.length > 0) {
    return {
      status: 'invalid',
      source,
      message: `The infrastructure descriptor at ${source} is not valid YAML`,
      errors: doc.errors.map(e => ({
        path: '(descriptor)',
        message: `(descriptor) ${e.message.split('\n')[0]}`,
      })),
    };
  }
  const value = doc.toJS();
  const errors = validateDataProductInfrastructure(value);
  if (errors.length > 0) {
    return {
      status: 'invalid',
      source,
      message: `The infrastructure descriptor at ${source} fails the DataProductInfrastructure schema`,
      errors,
    };
  }
  return {
    status: 'valid',
    source,
    infrastructure: value as DataProductInfrastructure,
  };
}

/**
 * Reads and validates the infrastructure descriptor a data product references with
 * `spec.infrastructure`, resolved and read as its output ports' contracts are.
 *
 * @throws NotFoundError when the product references no descriptor.
 * @public
 */
export async function readInfrastructureDescriptor(
  reader: DataContractReader,
  entity: DataProductEntityV1alpha1,
): Promise<DataProductInfrastructureResult> {
  const reference = entity.spec.infrastructure;
  if (!reference) {
    throw new NotFoundError(
      `${stringifyEntityRef(
        entity,
      )} references no infrastructure descriptor (spec.infrastructure)`,
    );
  }
  const document = await reader.readDocument(
    entity,
    reference,
    'infrastructure descriptor',
  );
  if (!document.ok) {
    return { status: 'unreachable', ...document.problem };
  }
  return parseInfrastructureDescriptor(document.text, document.location.target);
}
