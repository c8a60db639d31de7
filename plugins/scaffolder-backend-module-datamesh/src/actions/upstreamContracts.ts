import fs from 'node:fs/promises';
import path from 'node:path';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { isDataProductEntity } from '@backstage-datamesh/plugin-datamesh-common';
import {
  DataContractReader,
  parseDataContract,
} from '@backstage-datamesh/plugin-datamesh-node';
import { relativeToWorkspace, workspacePath } from './workspaceFiles';

const ID = 'datamesh:dataproduct:upstream-contracts';

/** A name that follows the kind's port name rule (lowercase letters, digits, '-', '_'). */
function portName(value: string): string {
  return (
    value
      .toLocaleLowerCase('en-US')
      .replace(/[^a-z0-9_-]+/g, '-')
      .replace(/^[-_]+|[-_]+$/g, '') || 'port'
  );
}

/**
 * Creates the `datamesh:dataproduct:upstream-contracts` action: for each upstream output port a
 * new product consumes, reads the port's ODCS contract as the product page does (through the
 * catalog, with the credentials of the user running the template, and the suite's
 * `DataContractReader`), refuses a contract that does not validate, writes each contract into the
 * workspace and outputs the input ports to declare and the contracts' schemas, from which the
 * template starts the new product's own contract.
 * @public
 */
export function createUpstreamContractsAction(options: {
  catalog: CatalogService;
  contracts: DataContractReader;
}) {
  const { catalog, contracts } = options;
  return createTemplateAction({
    id: ID,
    description:
      "Reads the ODCS contracts of the upstream products' output ports a new product consumes, writes them into the workspace, and outputs the input ports to declare with the contracts' schemas.",
    supportsDryRun: true,
    examples: [
      {
        description:
          'Read the contracts of two upstream ports picked with the DataProductPortPicker field',
        example: [
          'steps:',
          '  - id: upstream',
          '    name: Read the upstream contracts',
          `    action: ${ID}`,
          '    input:',
          '      ports: ${{ parameters.inputPorts }}',
          '      targetPath: contracts/upstream',
        ].join('\n'),
      },
      {
        description: 'Read the contract of one port, written out',
        example: [
          'steps:',
          '  - id: upstream',
          `    action: ${ID}`,
          '    input:',
          '      ports:',
          '        - product: dataproduct:default/customer-360',
          '          port: customer-profile',
        ].join('\n'),
      },
    ],
    schema: {
      input: {
        ports: z =>
          z
            .array(
              z.object({
                product: z
                  .string({
                    description:
                      'The upstream DataProduct, such as dataproduct:default/customer-360',
                  })
                  .min(1),
                port: z
                  .string({ description: 'The name of its output port' })
                  .min(1),
              }),
              { description: 'The upstream output ports the product consumes' },
            )
            .min(1),
        targetPath: z =>
          z
            .string({
              description:
                'Where the contracts are written in the workspace; contracts/upstream by default',
            })
            .optional(),
      },
      output: {
        inputPorts: z =>
          z.array(
            z.object({
              name: z.string(),
              product: z.string(),
              port: z.string(),
            }),
            { description: "The input ports to declare in the product's spec" },
          ),
        contracts: z =>
          z.array(
            z.object({
              inputPort: z.string(),
              product: z.string(),
              port: z.string(),
              file: z.string(),
              location: z.object({ namespace: z.string(), name: z.string() }),
              id: z.string(),
              version: z.string(),
              schema: z.array(z.any()),
            }),
            {
              description:
                "Each contract read: its file in the workspace, the upstream port's dataset (OpenLineage namespace and name), the contract's id, version and schema objects",
            },
          ),
      },
    },
    async handler(ctx) {
      const target = workspacePath(
        ctx.workspacePath,
        ctx.input.targetPath ?? 'contracts/upstream',
        'targetPath',
      );
      const credentials = await ctx.getInitiatorCredentials();
      const inputPorts: Array<{ name: string; product: string; port: string }> =
        [];
      const read: Array<{
        inputPort: string;
        product: string;
        port: string;
        file: string;
        location: { namespace: string; name: string };
        id: string;
        version: string;
        schema: unknown[];
      }> = [];
      const names = new Set<string>();
      for (const [index, wanted] of ctx.input.ports.entries()) {
        const field = `ports[${index}]`;
        let ref;
        try {
          ref = parseEntityRef(wanted.product, {
            defaultKind: 'dataproduct',
            defaultNamespace: 'default',
          });
        } catch {
          throw new InputError(
            `${field}.product ${JSON.stringify(
              wanted.product,
            )} is not an entity reference`,
          );
        }
        const entity = await catalog.getEntityByRef(ref, { credentials });
        if (!entity || !isDataProductEntity(entity)) {
          throw new InputError(
            `${field}.product: no data product ${stringifyEntityRef(
              ref,
            )} in the catalog`,
          );
        }
        const productRef = stringifyEntityRef(entity);
        const port = entity.spec.outputPorts?.find(p => p.name === wanted.port);
        if (!port) {
          throw new InputError(
            `${field}.port: ${productRef} has no output port ${JSON.stringify(
              wanted.port,
            )}; its ports are ${
              (entity.spec.outputPorts ?? []).map(p => p.name).join(', ') ||
              'none'
            }`,
          );
        }
        if (!port.contract) {
          throw new InputError(
            `${field}.port: output port ${port.name} of ${productRef} declares no contract`,
          );
        }
        const document = await contracts.readDocument(
          entity,
          port.contract,
          'data contract',
        );
        if (!document.ok) {
          throw new InputError(
            `${field}: the contract of ${productRef} port ${port.name} cannot be read: ${document.problem.message}`,
          );
        }
        const result = parseDataContract(
          document.text,
          document.location.target,
        );
        if (result.status !== 'valid') {
          throw new InputError(
            `${field}: the contract of ${productRef} port ${port.name} is ${
              result.status
            }: ${result.message}${
              result.status === 'invalid'
                ? ` (${result.errors.map(e => e.message).join('; ')})`
                : ''
            }`,
          );
        }
        let name = portName(`${entity.metadata.name}-${port.name}`);
        for (let n = 2; names.has(name); n++) {
          name = portName(`${entity.metadata.name}-${port.name}-${n}`);
        }
        names.add(name);
        const file = path.join(target, `${name}.odcs.yaml`);
        await fs.mkdir(target, { recursive: true });
        await fs.writeFile(file, document.text, 'utf8');
        ctx.logger.info(
          `Read the contract ${result.contract.id} ${result.contract.version} of ${productRef} port ${port.name}`,
        );
        inputPorts.push({ name, product: productRef, port: port.name });
        read.push({
          inputPort: name,
          product: productRef,
          port: port.name,
          file: relativeToWorkspace(ctx.workspacePath, file),
          location: {
            namespace: port.location.namespace,
            name: port.location.name,
          },
          id: result.contract.id,
          version: result.contract.version,
          schema: JSON.parse(JSON.stringify(result.contract.schema)),
        });
      }
      ctx.output('inputPorts', inputPorts);
      ctx.output('contracts', read);
    },
  });
}
