import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import {
  NotAllowedError,
  NotImplementedError,
  ResponseError,
} from '@backstage/errors';
import type {
  CatalogUnprocessedEntitiesApi,
  UnprocessedEntity,
} from '@backstage/plugin-catalog-unprocessed-entities-common';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  listDataMeshProblems,
  problemsVisibility,
  toDataMeshProblem,
} from './problems';

type UnprocessedEntityError = NonNullable<UnprocessedEntity['errors']>[number];

function row(
  entity: Entity,
  errors: Array<{ message: string; cause?: string }> = [],
): UnprocessedEntity {
  return {
    entity_id: `id-${entity.metadata.name}`,
    // what the module answers for a pending row (see toDataMeshProblem)
    entity_ref: null as unknown as string,
    unprocessed_entity: entity,
    next_update_at: '2026-12-01T00:00:00Z',
    last_discovery_at: '2026-12-01T00:00:00Z',
    ...(errors.length
      ? {
          errors: errors.map(e => ({
            name: 'InputError',
            message: e.message,
            // the client's type declares a cause, the catalog omits it when there is none
            cause: (e.cause
              ? { name: 'Error', message: e.cause, stack: '' }
              : undefined) as UnprocessedEntityError['cause'],
          })),
        }
      : {}),
  };
}

const entity = (
  kind: string,
  name: string,
  extra: Partial<Entity> = {},
): Entity => ({
  apiVersion:
    kind === 'DataProduct' ? 'datamesh.io/v1alpha1' : 'backstage.io/v1alpha1',
  kind,
  metadata: {
    name,
    annotations: {
      'backstage.io/managed-by-location': 'url:https://git.example/mesh.yaml',
    },
  },
  spec: {},
  ...extra,
});

describe('toDataMeshProblem', () => {
  it('describes a DataProduct that failed processing, naming each error', () => {
    expect(
      toDataMeshProblem(
        row(
          entity('DataProduct', 'orders', {
            metadata: {
              name: 'orders',
              title: 'Orders',
              annotations: {
                'backstage.io/managed-by-location':
                  'url:https://git.example/mesh.yaml',
              },
            },
            spec: { domain: 'sales' },
          }),
          [
            { message: 'spec.type must be one of source-aligned, …' },
            { message: 'Processor failed', cause: 'spec.owner is required' },
          ],
        ),
      ),
    ).toEqual({
      entityRef: 'dataproduct:default/orders',
      kind: 'DataProduct',
      title: 'Orders',
      domain: 'sales',
      location: 'url:https://git.example/mesh.yaml',
      errors: [
        'spec.type must be one of source-aligned, …',
        'Processor failed: spec.owner is required',
      ],
    });
  });

  it('describes a failing Domain by its name when it has no title and no domain', () => {
    expect(
      toDataMeshProblem(
        row(entity('Domain', 'sales'), [{ message: 'spec.owner is required' }]),
      ),
    ).toMatchObject({
      entityRef: 'domain:default/sales',
      title: 'sales',
      domain: undefined,
    });
  });

  it('ignores other kinds, and mesh entities only waiting for their first processing', () => {
    expect(
      toDataMeshProblem(
        row(entity('Component', 'api'), [{ message: 'spec.type is required' }]),
      ),
    ).toBeUndefined();
    expect(
      toDataMeshProblem(row(entity('DataProduct', 'new'))),
    ).toBeUndefined();
  });
});

describe('listDataMeshProblems', () => {
  const auth = mockServices.auth();
  const credentials = mockCredentials.user('user:default/jane');

  const client = (
    pending: CatalogUnprocessedEntitiesApi['pending'],
  ): CatalogUnprocessedEntitiesApi => ({
    pending: jest.fn(pending),
    failed: jest.fn(async () => {
      throw new Error('failed is never asked for');
    }),
    delete: jest.fn(),
  });

  it('asks the catalog for its pending entities on behalf of the caller, and keeps the failing mesh entities, sorted', async () => {
    const unprocessed = client(async () => ({
      entities: [
        row(entity('DataProduct', 'zeta'), [{ message: 'z' }]),
        row(entity('Component', 'api'), [{ message: 'c' }]),
        row(entity('DataProduct', 'waiting')),
        row(entity('Domain', 'alpha'), [{ message: 'a' }]),
      ],
    }));
    const problems = await listDataMeshProblems({
      auth,
      unprocessed,
      credentials,
    });
    expect(problems.map(p => p.entityRef)).toEqual([
      'dataproduct:default/zeta',
      'domain:default/alpha',
    ]);
    const { token } = await auth.getPluginRequestToken({
      onBehalfOf: credentials,
      targetPluginId: 'catalog',
    });
    expect(unprocessed.pending).toHaveBeenCalledWith({ token });
    expect(unprocessed.failed).not.toHaveBeenCalled();
  });

  const failing = (status: number, statusText: string) =>
    client(async () => {
      throw await ResponseError.fromResponse(
        new Response(
          JSON.stringify({
            error: { name: 'Error', message: statusText },
            response: { statusCode: status },
          }),
          {
            status,
            statusText,
            headers: { 'content-type': 'application/json' },
          },
        ),
      );
    });

  it.each([
    {
      when: 'the catalog does not let the caller read unprocessed entities',
      status: 403,
      statusText: 'Forbidden',
      type: NotAllowedError,
      message:
        'The catalog does not let the caller read unprocessed entities (permission catalog.entities.unprocessed.read)',
    },
    {
      when: 'the catalog has no unprocessed-entities module',
      status: 404,
      statusText: 'Not Found',
      type: NotImplementedError,
      message:
        'add @backstage/plugin-catalog-backend-module-unprocessed to the backend',
    },
  ])(
    'says what to do when $when',
    async ({ status, statusText, type, message }) => {
      const promise = listDataMeshProblems({
        auth,
        unprocessed: failing(status, statusText),
        credentials,
      });
      await expect(promise).rejects.toThrow(type);
      await expect(promise).rejects.toThrow(message);
    },
  );

  it('passes any other failure of the catalog on', async () => {
    await expect(
      listDataMeshProblems({
        auth,
        unprocessed: failing(500, 'Internal Server Error'),
        credentials,
      }),
    ).rejects.toMatchObject({ name: 'ResponseError', statusCode: 500 });
  });
});

describe('problemsVisibility', () => {
  const restricted = (name: string, owner: string) =>
    entity('DataProduct', name, { spec: { owner, sensitivity: 'restricted' } });
  const rejected = [
    restricted('payroll', 'group:default/hr'),
    restricted('ledger', 'finance'),
    entity('DataProduct', 'orders', {
      spec: { owner: 'group:default/hr', sensitivity: 'internal' },
    }),
    entity('Domain', 'sales'),
  ];
  const decide = (result: AuthorizeResult) =>
    mockServices.permissions.mock({
      authorizeConditional: async requests =>
        requests.map(() =>
          result === AuthorizeResult.CONDITIONAL
            ? {
                result,
                pluginId: 'catalog',
                resourceType: 'catalog-entity',
                conditions: {
                  rule: 'IS_ENTITY_OWNER',
                  resourceType: 'catalog-entity',
                  params: {},
                },
              }
            : { result },
        ) as never,
    });
  const visibleTo = async (
    result: AuthorizeResult,
    credentials = mockCredentials.user('user:default/jane'),
  ) => {
    const permissions = decide(result);
    const visible = await problemsVisibility({
      permissions,
      userInfo: mockServices.userInfo({
        userEntityRef: 'user:default/jane',
        ownershipEntityRefs: ['user:default/jane', 'group:default/finance'],
      }),
      credentials,
    });
    return {
      names: rejected.filter(visible).map(e => e.metadata.name),
      permissions,
    };
  };

  it('keeps the restricted products of others from a caller the catalog answers with conditions', async () => {
    const { names, permissions } = await visibleTo(AuthorizeResult.CONDITIONAL);
    // ledger's owner "finance" is group:default/finance, which jane's claims hold
    expect(names).toEqual(['ledger', 'orders', 'sales']);
    expect(permissions.authorizeConditional).toHaveBeenCalledWith(
      [
        {
          permission: expect.objectContaining({ name: 'catalog.entity.read' }),
        },
      ],
      { credentials: mockCredentials.user('user:default/jane') },
    );
  });

  it('shows every problem to whom the catalog allows everything, and to services; none when it denies', async () => {
    expect((await visibleTo(AuthorizeResult.ALLOW)).names).toHaveLength(4);
    const service = await visibleTo(
      AuthorizeResult.DENY,
      mockCredentials.service() as never,
    );
    expect(service.names).toHaveLength(4);
    expect(service.permissions.authorizeConditional).not.toHaveBeenCalled();
    expect((await visibleTo(AuthorizeResult.DENY)).names).toEqual([]);
  });

  it('is applied to what listDataMeshProblems answers', async () => {
    const unprocessed: CatalogUnprocessedEntitiesApi = {
      pending: jest.fn(async () => ({
        entities: rejected.map(e => row(e, [{ message: 'bad' }])),
      })),
      failed: jest.fn(),
      delete: jest.fn(),
    };
    const problems = await listDataMeshProblems({
      auth: mockServices.auth(),
      unprocessed,
      credentials: mockCredentials.user('user:default/jane'),
      visible: e => e.metadata.name !== 'payroll',
    });
    expect(problems.map(p => p.entityRef)).toEqual([
      'dataproduct:default/ledger',
      'dataproduct:default/orders',
      'domain:default/sales',
    ]);
  });
});
