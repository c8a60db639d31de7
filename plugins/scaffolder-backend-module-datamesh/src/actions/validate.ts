import path from 'node:path';
import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import {
  DEFAULT_NAMESPACE,
  domainEntityV1alpha1Validator,
  Entity,
  makeValidator,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  dataProductEntityV1alpha1Validator,
  isDataProductEntity,
  validateDataMeshDomain,
} from '@backstage-datamesh/plugin-datamesh-common';
import {
  parseDataContract,
  parseInfrastructureDescriptor,
} from '@backstage-datamesh/plugin-datamesh-node';
import { parseAllDocuments } from 'yaml';
import type {
  GeneratedEntity,
  GeneratedProductCheck,
  GeneratedProductProblem,
} from '../checks';
import {
  readOptionalFile,
  relativeToWorkspace,
  workspacePath,
} from './workspaceFiles';

const ID = 'datamesh:dataproduct:validate';
const entityValidator = makeValidator();
const IS_URL = /^[a-z][a-z0-9+.-]*:\/\//i;

/** Reads a document a product references from the workspace, as a problem when it cannot. */
async function readReferenced(
  workspace: string,
  catalogFile: string,
  reference: string,
  field: string,
): Promise<
  | { ok: true; file: string; text: string }
  | { ok: false; problem: GeneratedProductProblem }
> {
  const relativeCatalogFile = relativeToWorkspace(workspace, catalogFile);
  let file: string;
  try {
    file = resolveSafeChildPath(path.dirname(catalogFile), reference);
    // a product's files stay in the repository that is published
    resolveSafeChildPath(workspace, file);
  } catch {
    return {
      ok: false,
      problem: {
        file: relativeCatalogFile,
        path: field,
        message: `${field} ${JSON.stringify(
          reference,
        )} is outside the workspace`,
      },
    };
  }
  const text = await readOptionalFile(file);
  if (text === undefined) {
    return {
      ok: false,
      problem: {
        file: relativeCatalogFile,
        path: field,
        message: `${field} ${JSON.stringify(
          reference,
        )}: no such file in the workspace (${relativeToWorkspace(
          workspace,
          file,
        )})`,
      },
    };
  }
  return { ok: true, file: relativeToWorkspace(workspace, file), text };
}

async function readProductDocuments(
  workspace: string,
  catalogFile: string,
  entity: Entity,
  problems: GeneratedProductProblem[],
): Promise<Pick<GeneratedEntity, 'contracts' | 'infrastructure'>> {
  const contracts: GeneratedEntity['contracts'] = [];
  let infrastructure: GeneratedEntity['infrastructure'];
  if (!isDataProductEntity(entity)) {
    return { contracts };
  }
  const ports = Array.isArray(entity.spec?.outputPorts)
    ? entity.spec.outputPorts
    : [];
  for (const [index, port] of ports.entries()) {
    if (typeof port?.contract !== 'string' || IS_URL.test(port.contract)) {
      continue;
    }
    const field = `spec.outputPorts[${index}].contract`;
    const read = await readReferenced(
      workspace,
      catalogFile,
      port.contract,
      field,
    );
    if (!read.ok) {
      problems.push(read.problem);
      continue;
    }
    const result = parseDataContract(read.text, read.file);
    contracts.push({ port: port.name, file: read.file, result });
    if (result.status === 'invalid') {
      for (const error of result.errors) {
        problems.push({ file: read.file, ...error });
      }
      if (result.errors.length === 0) {
        problems.push({
          file: read.file,
          path: '(document)',
          message: result.message,
        });
      }
    } else if (result.status !== 'valid') {
      problems.push({
        file: read.file,
        path: '(document)',
        message: result.message,
      });
    }
  }
  const reference = entity.spec?.infrastructure;
  if (typeof reference === 'string' && !IS_URL.test(reference)) {
    const read = await readReferenced(
      workspace,
      catalogFile,
      reference,
      'spec.infrastructure',
    );
    if (!read.ok) {
      problems.push(read.problem);
    } else {
      const result = parseInfrastructureDescriptor(read.text, read.file);
      infrastructure = { file: read.file, result };
      if (result.status === 'invalid') {
        for (const error of result.errors) {
          problems.push({ file: read.file, ...error });
        }
      }
    }
  }
  return { contracts, infrastructure };
}

async function validateEntity(
  entity: Entity,
): Promise<Array<{ path: string; message: string }>> {
  if (isDataProductEntity(entity)) {
    return dataProductEntityV1alpha1Validator.validate(entity);
  }
  const problems: Array<{ path: string; message: string }> = [];
  const name = entity?.metadata?.name;
  if (!entityValidator.isValidEntityName(name)) {
    problems.push({
      path: 'metadata.name',
      message: `metadata.name ${JSON.stringify(
        name,
      )} is not a valid entity name: 1-63 characters of letters, digits, '-', '_' or '.', starting and ending with a letter or digit`,
    });
  }
  if (entity?.kind?.toLocaleLowerCase('en-US') === 'domain') {
    try {
      await domainEntityV1alpha1Validator.check(entity);
    } catch (error) {
      problems.push({
        path: '(entity)',
        message: `(entity) is not a valid Domain: ${(error as Error).message}`,
      });
    }
    problems.push(...validateDataMeshDomain(entity));
  }
  return problems;
}

/**
 * Creates the `datamesh:dataproduct:validate` action: validates the entities a template generated
 * in the workspace before anything is published, and fails listing every problem with its file
 * and field. A DataProduct is validated against the kind's schema and rules, each output port's
 * contract in the workspace against the official ODCS schema, and its infrastructure descriptor
 * against the `DataProductInfrastructure` schema; a Domain against the catalog's kind and the
 * suite's `spec.datamesh`; every entity's name must be free in the catalog (read with the
 * credentials of the user running the template); then the added `checks` run (governance).
 * @public
 */
export function createValidateDataProductAction(options: {
  catalog: CatalogService;
  checks?: GeneratedProductCheck[];
}) {
  const { catalog, checks = [] } = options;
  return createTemplateAction({
    id: ID,
    description:
      'Validates the data product (or domain) a template generated in the workspace: the entity against its kind, each output port contract against ODCS, the infrastructure descriptor against its schema, that the name is free in the catalog, and the checks other modules add (governance policies). Fails before anything is published, listing every problem with its file and field.',
    supportsDryRun: true,
    examples: [
      {
        description:
          'Validate the generated catalog-info.yaml, its contracts and infrastructure descriptor',
        example: [
          'steps:',
          '  - id: validate',
          '    name: Validate the data product',
          `    action: ${ID}`,
          '    input:',
          '      path: catalog-info.yaml',
        ].join('\n'),
      },
      {
        description:
          'Validate a product generated in a subfolder, without the catalog name check',
        example: [
          'steps:',
          '  - id: validate',
          `    action: ${ID}`,
          '    input:',
          '      path: product/catalog-info.yaml',
          '      checkNameAvailable: false',
        ].join('\n'),
      },
    ],
    schema: {
      input: {
        path: z =>
          z
            .string({
              description:
                'The catalog file in the workspace, catalog-info.yaml by default',
            })
            .min(1)
            .optional(),
        checkNameAvailable: z =>
          z
            .boolean({
              description:
                'Whether each entity name must be free in the catalog; true by default',
            })
            .optional(),
      },
      output: {
        entityRefs: z =>
          z.array(z.string(), {
            description: 'The references of the validated entities',
          }),
      },
    },
    async handler(ctx) {
      const { path: file = 'catalog-info.yaml', checkNameAvailable = true } =
        ctx.input;
      const catalogFile = workspacePath(ctx.workspacePath, file, 'path');
      const relativeFile = relativeToWorkspace(ctx.workspacePath, catalogFile);
      const text = await readOptionalFile(catalogFile);
      if (text === undefined) {
        throw new InputError(
          `${relativeFile}: no such file in the workspace, nothing to validate`,
        );
      }
      const problems: GeneratedProductProblem[] = [];
      const documents = parseAllDocuments(text);
      const entities: Entity[] = [];
      for (const document of Array.isArray(documents)
        ? documents
        : [documents]) {
        for (const error of document.errors) {
          problems.push({
            file: relativeFile,
            path: '(document)',
            message: `(document) is not valid YAML: ${
              error.message.split('\n')[0]
            }`,
          });
        }
        const value = document.toJS();
        if (value !== null && value !== undefined) {
          entities.push(value as Entity);
        }
      }
      if (entities.length === 0 && problems.length === 0) {
        problems.push({
          file: relativeFile,
          path: '(document)',
          message: '(document) holds no entity',
        });
      }
      const credentials = await ctx.getInitiatorCredentials();
      const entityRefs: string[] = [];
      for (const entity of entities) {
        const before = problems.length;
        for (const problem of await validateEntity(entity)) {
          problems.push({ file: relativeFile, ...problem });
        }
        const referenced = await readProductDocuments(
          ctx.workspacePath,
          catalogFile,
          entity,
          problems,
        );
        const name = entity?.metadata?.name;
        if (
          typeof entity?.kind !== 'string' ||
          !entityValidator.isValidEntityName(name)
        ) {
          continue;
        }
        const ref = stringifyEntityRef({
          kind: entity.kind,
          namespace: entity.metadata.namespace ?? DEFAULT_NAMESPACE,
          name,
        });
        entityRefs.push(ref);
        if (checkNameAvailable) {
          const existing = await catalog.getEntityByRef(ref, { credentials });
          if (existing) {
            problems.push({
              file: relativeFile,
              path: 'metadata.name',
              message: `metadata.name ${JSON.stringify(
                name,
              )} is already taken in the catalog by ${ref}: choose another name`,
            });
          }
        }
        if (problems.length > before) {
          // the added checks judge a product that is valid in itself
          continue;
        }
        for (const check of checks) {
          const found = await check.check(
            { entity, file: relativeFile, ...referenced },
            { credentials, workspacePath: ctx.workspacePath },
          );
          if (found.length > 0) {
            ctx.logger.info(`${ref} fails the check ${check.id}`, {
              problems: found.length,
            });
          }
          problems.push(...found);
        }
      }
      if (problems.length > 0) {
        for (const problem of problems) {
          ctx.logger.error(`${problem.file}: ${problem.message}`);
        }
        throw new InputError(
          `The generated product has ${problems.length} problem${
            problems.length === 1 ? '' : 's'
          }, nothing was published:\n${problems
            .map(p => `- ${p.file}: ${p.message}`)
            .join('\n')}`,
        );
      }
      ctx.logger.info(`Validated ${entityRefs.join(', ')}`);
      ctx.output('entityRefs', entityRefs);
    },
  });
}
