import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import catalogModuleDataMesh from '@backstage-datamesh/plugin-catalog-backend-module-datamesh';
import datameshPlugin from '@backstage-datamesh/plugin-datamesh-backend';
import type { AddressInfo } from 'node:net';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { EXIT_REQUIRED_FAILED, EXIT_USAGE } from './run';
import { cli } from './__testUtils__/cli';

jest.setTimeout(180_000);

const fixtures = path.resolve(__dirname, '__fixtures__');
const product = path.join(fixtures, 'noncompliant/catalog-info.yaml');

describe('datamesh check against the portal', () => {
  let backend: Awaited<ReturnType<typeof startTestBackend>>;
  let portalUrl: string;
  const token = mockCredentials.user.token();

  beforeAll(async () => {
    backend = await startTestBackend({
      features: [
        datameshPlugin,
        catalogPlugin,
        catalogModuleDataMesh,
        mockServices.rootConfig.factory({
          data: {
            catalog: {
              rules: [{ allow: ['Group', 'Domain', 'DataProduct'] }],
              locations: [
                {
                  type: 'file',
                  target: path.join(fixtures, 'portal/catalog-info.yaml'),
                },
              ],
            },
            datamesh: {
              governance: {
                policies: [{ id: 'audit-logging', enforcement: 'recommended' }],
              },
            },
          },
        }),
      ],
    });
    portalUrl = `http://127.0.0.1:${
      (backend.server.address() as AddressInfo).port
    }`;
    const deadline = Date.now() + 60_000;
    for (;;) {
      const res = await fetch(
        `${portalUrl}/api/datamesh/v1/governance/policies?domain=orders`,
        { headers: { authorization: mockCredentials.user.header() } },
      );
      if (res.status === 200 || Date.now() > deadline) {
        break;
      }
      await new Promise(resolve => setTimeout(resolve, 300));
    }
  });

  afterAll(async () => {
    await backend?.stop();
  });

  it("evaluates the portal's policies for the product's domain: its config and the domains above it", async () => {
    const result = await cli(['check', product, '--portal-url', portalUrl], {
      DATAMESH_TOKEN: token,
    });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(EXIT_REQUIRED_FAILED);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toBe(
      `dataproduct:default/leaky-orders (${product}), policies: ${portalUrl}`,
    );
    expect(lines).toEqual(
      expect.arrayContaining([
        '  FAIL recommended audit-logging: leaky-orders does not declare audit logging: it has no infrastructure descriptor (spec.infrastructure), which must set spec.security.audit_logging: true.',
        '  FAIL required    communication-channel: leaky-orders names no communication channel (spec.ownership.communicationChannel).',
        '  dataproduct:default/leaky-orders: encryption-at-rest, pii-masking, quality-slo, retention-policy, communication-channel',
      ]),
    );
  });

  it('exits 2 when the portal refuses the token or does not know the domain', async () => {
    const refused = await cli([
      'check',
      product,
      '--portal-url',
      portalUrl,
      '--token',
      'not-a-token',
    ]);
    expect(refused.code).toBe(EXIT_USAGE);
    expect(refused.stderr).toBe(
      `datamesh check: the portal at ${portalUrl} refused the request (401): the token given (--token or DATAMESH_TOKEN) is not accepted`,
    );
    const unknown = await cli(
      [
        'check',
        path.join(fixtures, 'unknown-domain/catalog-info.yaml'),
        '--portal-url',
        `${portalUrl}/`,
      ],
      { DATAMESH_TOKEN: token },
    );
    expect(unknown.code).toBe(EXIT_USAGE);
    expect(unknown.stderr).toBe(
      `datamesh check: the portal at ${portalUrl} has no Domain domain:default/nowhere (spec.domain of the product)`,
    );
  });

  it('runs as the datamesh command, with its exit code', async () => {
    const bin = path.resolve(__dirname, '../bin/datamesh');
    const outcome = await new Promise<{ code: number; stdout: string }>(
      resolve => {
        execFile(
          process.execPath,
          [bin, 'check', product, '--portal-url', portalUrl],
          { env: { ...process.env, DATAMESH_TOKEN: token } },
          (error, stdout) =>
            resolve({
              code: error ? Number((error as { code?: number }).code) : 0,
              stdout,
            }),
        );
      },
    );
    expect(outcome.code).toBe(EXIT_REQUIRED_FAILED);
    expect(outcome.stdout).toContain(
      'datamesh check: 1 of 1 data product fail a required policy',
    );
  });
});
