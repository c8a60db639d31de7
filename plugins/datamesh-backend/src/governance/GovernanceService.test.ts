import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigReader } from '@backstage/config';
import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import type { DataProductEntityV1alpha1 } from '@backstage-datamesh/plugin-datamesh-common';
import {
  DataContractReader,
  parseQualityResults,
} from '@backstage-datamesh/plugin-datamesh-node';
import { connectDatabase } from '../database/migrations';
import { DatabaseHealthStore } from '../database/DatabaseHealthStore';
import { DatabaseLineageStore } from '../database/DatabaseLineageStore';
import { DatabaseQualityStore } from '../database/DatabaseQualityStore';
import {
  dataset,
  runEvent,
  storeRequest,
} from '../lineage/__testUtils__/events';
import { DatabaseGovernanceStore } from './DatabaseGovernanceStore';
import { GovernanceService } from './GovernanceService';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
const WAREHOUSE = 'postgres://warehouse:5432';

/** An ODCS contract with a PII column, masked or not. */
const contract = (masked: boolean) => `apiVersion: v3.0.2
kind: DataContract
id: orders
version: 1.0.0
status: active
schema:
  - name: orders
    properties:
      - name: order_id
        logicalType: string
      - name: email
        logicalType: string
        classification: pii
${masked ? '        tags: [masked]\n' : ''}`;

function product(
  dir: string,
  name: string,
  table: string,
): DataProductEntityV1alpha1 {
  return {
    apiVersion: 'datamesh.io/v1alpha1',
    kind: 'DataProduct',
    metadata: {
      name,
      namespace: 'default',
      annotations: {
        'backstage.io/managed-by-location': `file:${path.join(
          dir,
          'catalog-info.yaml',
        )}`,
      },
    },
    spec: {
      owner: 'group:default/sales-team',
      domain: 'sales',
      type: 'source-aligned',
      lifecycle: 'production',
      outputPorts: [
        {
          name: table,
          type: 'table',
          location: { namespace: WAREHOUSE, name: `shop.public.${table}` },
          contract: `./${table}.odcs.yaml`,
        },
      ],
    },
  } as DataProductEntityV1alpha1;
}

describe.each(databases.eachSupportedId())(
  'GovernanceService on %s',
  databaseId => {
    let dir: string;
    let service: GovernanceService;
    let store: DatabaseGovernanceStore;
    let lineage: DatabaseLineageStore;
    const now = Date.parse('2026-12-02T12:00:00.000Z');

    const statusOf = async (name: string, policyId: string) =>
      (
        await store.getCompliance(`dataproduct:default/${name}`)
      )?.evaluations.find(e => e.policyId === policyId)?.status;

    beforeAll(async () => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'datamesh-governance-'));
      fs.writeFileSync(path.join(dir, 'orders.odcs.yaml'), contract(false));
      fs.writeFileSync(path.join(dir, 'customers.odcs.yaml'), contract(true));
      fs.writeFileSync(path.join(dir, 'quoted.odcs.yaml'), contract(true));
      const db = await connectDatabase(
        mockServices.database({
          knex: await databases.init(databaseId),
          migrations: { skip: false },
        }),
      );
      store = new DatabaseGovernanceStore(db);
      lineage = new DatabaseLineageStore(db);
      // a job wrote quoted's port, naming it as Snowflake quotes it
      await lineage.addEvent(
        storeRequest(
          runEvent({
            eventType: 'COMPLETE',
            eventTime: new Date(now - 7_200_000).toISOString(),
            job: { namespace: 'dbt', name: 'sales.quoted' },
            outputs: [dataset(`${WAREHOUSE}/`, '"SHOP"."public"."Quoted"')],
          }),
        ),
      );
      // orders has a failing check and breaches; customers has neither
      const quality = new DatabaseQualityStore(db);
      const run = parseQualityResults({
        document: {
          format: 'datamesh-quality-results/v1',
          tool: { name: 'pipeline-checks' },
          finishedAt: new Date(now - 600_000).toISOString(),
          checks: [
            { name: 'row_count_positive', status: 'pass' },
            { name: 'no_null_ids', status: 'fail', observedValue: 3 },
          ],
        },
      });
      await quality.addRun({
        entityRef: 'dataproduct:default/orders',
        run,
        checkPorts: run.checks.map(() => 'orders'),
        metricPorts: run.metrics.map(() => undefined),
        updatePorts: run.updates.map(() => undefined),
        raw: { body: '{}', contentType: 'application/json' },
        source: 'push',
      });
      const health = new DatabaseHealthStore(db);
      await health.recordEvaluation(
        { entityRef: 'dataproduct:default/orders', title: 'Orders' },
        {
          health: 'breaching',
          reasons: ['no_null_ids fails'],
          slos: [],
          failingChecks: [],
        },
        now - 600_000,
      );
      // a job wrote the orders port an hour ago; no job was seen writing customers
      await lineage.addEvent(
        storeRequest(
          runEvent({
            eventType: 'COMPLETE',
            eventTime: new Date(now - 3_600_000).toISOString(),
            job: { namespace: 'dbt', name: 'sales.orders' },
            inputs: [dataset(WAREHOUSE, 'shop.raw.orders')],
            outputs: [dataset(WAREHOUSE, 'shop.public.orders')],
          }),
        ),
      );
      service = new GovernanceService({
        auth: mockServices.auth(),
        catalog: catalogServiceMock({
          entities: [
            product(dir, 'orders', 'orders'),
            product(dir, 'customers', 'customers'),
            product(dir, 'quoted', 'quoted'),
          ],
        }),
        logger: mockServices.logger.mock(),
        contracts: DataContractReader.fromConfig(new ConfigReader({}), {
          reader: mockServices.urlReader.mock(),
        }),
        store,
        lineage,
        quality,
        health,
        // a policy of the portal that reads the quality and health facts
        overrides: [
          {
            id: 'checks-and-health',
            title: 'Checks pass, not breaching',
            description:
              'Every latest check passes and the product does not breach.',
            enforcement: 'recommended',
            rule: 'quality.failing == 0 && health.state != "breaching"',
            message:
              '{{string(quality.failing)}} checks fail; {{health.state}}',
          },
        ],
        environment: { name: 'staging', production: false },
        now: () => now,
      });
    });

    afterAll(() => {
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it('evaluates every product with the lineage read once and the checks and health read per page, as one product alone reads them', async () => {
      expect(await service.evaluateAll()).toEqual({ evaluated: 3, failed: 0 });
      expect(await statusOf('orders', 'data-lineage')).toBe('pass');
      expect(await statusOf('customers', 'data-lineage')).toBe('fail');
      // its port's dataset however the event quoted and cased it, trailing slash and all
      expect(await statusOf('quoted', 'data-lineage')).toBe('pass');
      expect(await statusOf('orders', 'pii-masking')).toBe('fail');
      expect(await statusOf('customers', 'pii-masking')).toBe('pass');
      // the checks and health of the page, read together, are each product's own
      expect(await statusOf('orders', 'checks-and-health')).toBe('fail');
      expect(await statusOf('customers', 'checks-and-health')).toBe('pass');
      expect(
        (
          await store.getCompliance('dataproduct:default/orders')
        )?.evaluations.find(e => e.policyId === 'checks-and-health')?.reason,
      ).toBe('1 checks fail; breaching');

      // one product evaluated alone reads its lineage, checks and health from the stores: the
      // same outcome
      const alone = await service.evaluate(
        product(dir, 'orders', 'orders'),
        await mockServices.auth().getOwnServiceCredentials(),
      );
      const stored = await store.getCompliance('dataproduct:default/orders');
      expect(alone.compliance.evaluations).toEqual(stored?.evaluations);
      const quoted = await service.evaluate(
        product(dir, 'quoted', 'quoted'),
        await mockServices.auth().getOwnServiceCredentials(),
      );
      expect(quoted.compliance.evaluations).toEqual(
        (await store.getCompliance('dataproduct:default/quoted'))?.evaluations,
      );
    });

    it('parses a contract again when its file changed, and not otherwise', async () => {
      fs.writeFileSync(path.join(dir, 'orders.odcs.yaml'), contract(true));
      await service.evaluateAll();
      expect(await statusOf('orders', 'pii-masking')).toBe('pass');

      fs.writeFileSync(path.join(dir, 'orders.odcs.yaml'), contract(false));
      await service.evaluateAll();
      expect(await statusOf('orders', 'pii-masking')).toBe('fail');
    });
  },
);
