import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import catalogModuleDataMesh from '@backstage-datamesh/plugin-catalog-backend-module-datamesh';
import datameshPlugin from '@backstage-datamesh/plugin-datamesh-backend';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { parseDocument } from 'yaml';
import { EXIT_PASS, EXIT_REQUIRED_FAILED, EXIT_USAGE } from './run';
import { cli } from './__testUtils__/cli';
import {
  TimedLineageEvent,
  lineageEventsForNow,
} from '@backstage-datamesh/plugin-datamesh-common';

jest.setTimeout(240_000);

const examples = path.resolve(__dirname, '../../../examples');
const sales = path.join(examples, 'data-products/sales');

/** The example mesh's OpenLineage events as the example loader sends them, the newest an hour ago. */
function exampleLineageEvents(): TimedLineageEvent[] {
  const dir = path.join(examples, 'lineage');
  return lineageEventsForNow(
    fs
      .readdirSync(dir)
      .filter(f => f.endsWith('.json'))
      .flatMap(f => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'))),
    Date.now(),
    60,
  );
}

/**
 * A product repository: a copy of the example sales folder (its catalog-info.yaml and
 * contracts) with the orders contract of order-history changed by `edit`.
 */
function repositoryWith(
  edit: (contract: ReturnType<typeof parseDocument>) => void,
) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'datamesh-breaking-'));
  fs.cpSync(sales, dir, { recursive: true });
  const file = path.join(dir, 'contracts/order-history-orders.odcs.yaml');
  const contract = parseDocument(fs.readFileSync(file, 'utf8'));
  edit(contract);
  fs.writeFileSync(file, contract.toString());
  return path.join(dir, 'catalog-info.yaml');
}

/** The index of a column of the orders object, by name. */
function columnIndex(contract: ReturnType<typeof parseDocument>, name: string) {
  const columns = contract.getIn(['schema', 0, 'properties']) as {
    items: Array<{ get(key: string): unknown }>;
  };
  const index = columns.items.findIndex(c => c.get('name') === name);
  if (index < 0) {
    throw new Error(`no column ${name}`);
  }
  return index;
}

describe('datamesh breaking against the portal with the example mesh', () => {
  let backend: Awaited<ReturnType<typeof startTestBackend>>;
  let portalUrl: string;
  const token = mockCredentials.user.token();
  const env = () => ({ DATAMESH_PORTAL_URL: portalUrl, DATAMESH_TOKEN: token });

  beforeAll(async () => {
    backend = await startTestBackend({
      features: [
        datameshPlugin,
        catalogPlugin,
        catalogModuleDataMesh,
        mockServices.rootConfig.factory({
          data: {
            catalog: {
              rules: [{ allow: ['Group', 'User', 'Domain', 'DataProduct'] }],
              locations: [
                'org.yaml',
                'domains.yaml',
                ...fs
                  .readdirSync(path.join(examples, 'data-products'))
                  .map(d => `data-products/${d}/catalog-info.yaml`),
              ].map(target => ({
                type: 'file',
                target: path.join(examples, target),
              })),
            },
          },
        }),
      ],
    });
    portalUrl = `http://127.0.0.1:${
      (backend.server.address() as AddressInfo).port
    }`;
    // the events are tied to products by their ports: post them once the catalog has them
    const products = [
      'order-history',
      'customer-360',
      'revenue-recognition',
      'campaign-attribution',
    ];
    const deadline = Date.now() + 120_000;
    for (const product of products) {
      for (;;) {
        const res = await fetch(
          `${portalUrl}/api/catalog/entities/by-name/dataproduct/default/${product}`,
          { headers: { authorization: mockCredentials.user.header() } },
        );
        if (res.ok) {
          break;
        }
        if (Date.now() > deadline) {
          throw new Error(`the catalog never served ${product}`);
        }
        await new Promise(resolve => setTimeout(resolve, 300));
      }
    }
    const posted = await fetch(`${portalUrl}/api/datamesh/v1/lineage/batch`, {
      method: 'POST',
      headers: {
        authorization: mockCredentials.service.header(),
        'content-type': 'application/json',
      },
      body: JSON.stringify(exampleLineageEvents()),
    });
    if (posted.status !== 200) {
      throw new Error(
        `the example lineage was refused: ${await posted.text()}`,
      );
    }
  });

  afterAll(async () => {
    await backend?.stop();
  });

  it('finds nothing to break when the contracts are the ones the portal holds', async () => {
    const result = await cli(
      [
        'breaking',
        path.join(sales, 'catalog-info.yaml'),
        '--product',
        'order-history',
      ],
      env(),
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(EXIT_PASS);
    expect(result.stdout.split('\n')).toEqual([
      `dataproduct:default/order-history (${path.join(
        sales,
        'catalog-info.yaml',
      )}) against ${portalUrl}`,
      '  the contracts are the ones the portal holds',
      'datamesh breaking: no breaking change',
    ]);
  });

  it('names the consumers a removed and a retyped column break, from their column lineage, and exits 1', async () => {
    const file = repositoryWith(contract => {
      contract.deleteIn([
        'schema',
        0,
        'properties',
        columnIndex(contract, 'ordered_at'),
      ]);
      const orderId = columnIndex(contract, 'order_id');
      contract.setIn(
        ['schema', 0, 'properties', orderId, 'logicalType'],
        'integer',
      );
      contract.setIn(
        ['schema', 0, 'properties', orderId, 'physicalType'],
        'bigint',
      );
    });
    const result = await cli(
      [
        'breaking',
        file,
        '--product',
        'order-history',
        '--portal-url',
        portalUrl,
      ],
      { DATAMESH_TOKEN: token },
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(EXIT_REQUIRED_FAILED);
    const lines = result.stdout.split('\n');
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^ {2}BREAKING orders\.orders\.order_id: .*logicalType "string" → "integer"/,
        ),
        expect.stringMatching(
          /^ {2}BREAKING orders\.orders\.ordered_at: column removed/,
        ),
      ]),
    );
    // each consumer is named under the change that hits it, with the lineage that says so
    const hitsOf = (column: string) => {
      const at = lines.findIndex(l =>
        l.startsWith(`  BREAKING orders.orders.${column}:`),
      );
      const hits: string[] = [];
      for (const line of lines.slice(at + 1)) {
        if (!line.startsWith('    ')) break;
        hits.push(line.trim().split(': ')[0]);
      }
      return hits;
    };
    expect(hitsOf('ordered_at').sort()).toEqual([
      'breaks dataproduct:default/customer-360',
      'breaks dataproduct:default/revenue-recognition',
    ]);
    expect(hitsOf('order_id').sort()).toEqual([
      'breaks dataproduct:default/campaign-attribution',
      'breaks dataproduct:default/customer-360',
    ]);
    expect(result.stdout).toMatch(
      /breaks dataproduct:default\/revenue-recognition: column lineage: recognized-revenue\.MONTH DIRECT TRANSFORMATION ← ordered_at/,
    );
    // a column the consumer's job filters or joins on breaks it too
    expect(result.stdout).toMatch(
      /breaks dataproduct:default\/customer-360: column lineage: customer-profile \(dataset dependency\) INDIRECT \w+ ← ordered_at/,
    );
    const summary = lines.slice(
      lines.findIndex(l => l.startsWith('datamesh breaking:')),
    );
    expect(summary[0]).toBe(
      'datamesh breaking: 3 breaking changes hit 3 consumers, 3 of them required (lifecycle production)',
    );
    expect(summary.slice(1).map(l => l.split(' (')[0])).toEqual([
      '  required dataproduct:default/campaign-attribution',
      '  required dataproduct:default/customer-360',
      '  required dataproduct:default/revenue-recognition',
    ]);
    expect(summary[1]).toMatch(
      /\(production, owner group:default\/[\w-]+.*\): orders\.orders\.order_id$/,
    );
  });

  it('names every consumer that declares or reads a removed port', async () => {
    const file = repositoryWith(() => {});
    const port = [
      '    - name: orders',
      '      type: table',
      '      location:',
      '        namespace: postgres://warehouse:5432',
      '        name: analytics.sales.orders',
      '      contract: ./contracts/order-history-orders.odcs.yaml',
      '      description: One row per order.',
      '',
    ].join('\n');
    const text = fs.readFileSync(file, 'utf8');
    expect(text).toContain(port);
    fs.writeFileSync(file, text.replace(port, ''));
    const result = await cli(
      ['breaking', file, '--product', 'order-history'],
      env(),
    );
    expect(result.code).toBe(EXIT_REQUIRED_FAILED);
    const lines = result.stdout.split('\n');
    expect(lines.slice(1, 5)).toEqual([
      '  BREAKING orders: output port removed',
      '    breaks dataproduct:default/campaign-attribution: declares it as input port orders; job dbt/marketing.attribution reads orders',
      expect.stringMatching(
        /^ {4}breaks dataproduct:default\/customer-360: declares it as input port orders; job [\w./-]+ reads orders$/,
      ),
      expect.stringMatching(
        /^ {4}breaks dataproduct:default\/revenue-recognition: declares it as input port orders; job [\w./-]+ reads orders$/,
      ),
    ]);
  });

  it('only warns when the consumers hit are not of a required lifecycle, and annotates under GitHub Actions', async () => {
    const file = repositoryWith(contract => {
      contract.deleteIn([
        'schema',
        0,
        'properties',
        columnIndex(contract, 'ordered_at'),
      ]);
    });
    const result = await cli(
      [
        'breaking',
        file,
        '--product',
        'order-history',
        '--required-lifecycles',
        'experimental',
      ],
      { ...env(), GITHUB_ACTIONS: 'true' },
    );
    expect(result.code).toBe(EXIT_PASS);
    expect(result.stdout).toContain(
      '    affects dataproduct:default/revenue-recognition: column lineage:',
    );
    expect(result.stdout).toContain(
      'datamesh breaking: 1 breaking change hit 2 consumers, 0 of them required (lifecycle experimental)',
    );
    expect(result.stdout).toMatch(
      /^::warning file=[^,]+catalog-info\.yaml,title=Breaking change%3A orders::orders\.orders\.ordered_at: column removed.* breaks dataproduct:default\/customer-360: /m,
    );
  });

  it('lets through changes that break nobody: an added column, a widened type, a column no consumer reads', async () => {
    const file = repositoryWith(contract => {
      const status = columnIndex(contract, 'status');
      contract.setIn(
        ['schema', 0, 'properties', status, 'physicalType'],
        'varchar(32)',
      );
      contract.addIn(['schema', 0, 'properties'], {
        name: 'channel',
        logicalType: 'string',
        physicalType: 'varchar(16)',
        required: false,
      });
    });
    const result = await cli(
      ['breaking', file, '--product', 'order-history', '--format', 'json'],
      env(),
    );
    expect(result.code).toBe(EXIT_PASS);
    const report = JSON.parse(result.stdout);
    expect(report.exitCode).toBe(EXIT_PASS);
    expect(
      report.products[0].changes
        .map(
          (c: { kind: string; breaking: boolean; property: string }) =>
            `${c.kind} ${c.breaking} ${c.property}`,
        )
        .sort(),
    ).toEqual(['property-added false channel', 'type-widened false status']);

    // removing a column breaks the contract, but no consumer's lineage reads account_id
    const unread = await cli(
      [
        'breaking',
        repositoryWith(contract =>
          contract.deleteIn([
            'schema',
            0,
            'properties',
            columnIndex(contract, 'account_id'),
          ]),
        ),
        '--product',
        'order-history',
      ],
      env(),
    );
    expect(unread.code).toBe(EXIT_PASS);
    expect(unread.stdout.split('\n').slice(1)).toEqual([
      '  BREAKING orders.orders.account_id: column removed (string varchar(18))',
      '    breaks no known consumer',
      'datamesh breaking: 1 breaking change break no known consumer',
    ]);
  });

  it('says a new product has no consumer, and exits 2 without a portal or with a refused token', async () => {
    const file = repositoryWith(() => {});
    fs.writeFileSync(
      file,
      fs
        .readFileSync(file, 'utf8')
        .replace('name: order-history\n', 'name: order-history-next\n'),
    );
    const fresh = await cli(
      ['breaking', file, '--product', 'order-history-next'],
      env(),
    );
    expect(fresh.code).toBe(EXIT_PASS);
    expect(fresh.stdout).toContain(
      '  NOTE the portal has no dataproduct:default/order-history-next yet: a new product has no consumer to break',
    );

    const noPortal = await cli(['breaking', file]);
    expect(noPortal.code).toBe(EXIT_USAGE);
    expect(noPortal.stderr).toBe(
      'datamesh breaking: give the portal whose contracts and consumers to compare with: --portal-url or DATAMESH_PORTAL_URL',
    );
    const refused = await cli(
      ['breaking', file, '--product', 'order-history-next'],
      {
        DATAMESH_PORTAL_URL: portalUrl,
        DATAMESH_TOKEN: 'not-a-token',
      },
    );
    expect(refused.code).toBe(EXIT_USAGE);
    expect(refused.stderr).toBe(
      `datamesh breaking: the portal at ${portalUrl} refused the request (401): the token given (--token or DATAMESH_TOKEN) is not accepted`,
    );
  });
});
