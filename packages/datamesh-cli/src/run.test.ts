import path from 'node:path';
import { EXIT_PASS, EXIT_REQUIRED_FAILED, EXIT_USAGE } from './run';
import { cli } from './__testUtils__/cli';

const examples = path.resolve(__dirname, '../../../examples');
const fixtures = path.resolve(__dirname, '__fixtures__');

const marketing = path.join(
  examples,
  'data-products/marketing/catalog-info.yaml',
);

describe('datamesh check on the example products', () => {
  it('passes marketing-campaign-data, which carries the guide infrastructure descriptor', async () => {
    const result = await cli([
      'check',
      marketing,
      '--product',
      'marketing-campaign-data',
    ]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(EXIT_PASS);
    expect(result.stdout).toContain(
      'PASS required    encryption-at-rest: All data must be encrypted at rest.',
    );
    expect(result.stdout).toContain(
      'N/A  required    data-lineage: The policy reads lineage, which is not known here; the portal evaluates it.',
    );
    expect(result.stdout.split('\n').at(-1)).toBe(
      'datamesh check: 1 data product pass every required policy',
    );
  });

  it('fails the products without a descriptor, naming each policy and product', async () => {
    const result = await cli(['check', marketing]);
    expect(result.code).toBe(EXIT_REQUIRED_FAILED);
    expect(result.stdout).toContain(
      'FAIL required    audit-logging: campaign-roi does not declare audit logging: it has no infrastructure descriptor (spec.infrastructure), which must set spec.security.audit_logging: true.',
    );
    expect(result.stdout.split('\n').slice(-3)).toEqual([
      'datamesh check: 2 of 3 data products fail a required policy',
      '  dataproduct:default/campaign-attribution: encryption-at-rest, audit-logging',
      '  dataproduct:default/campaign-roi: encryption-at-rest, audit-logging',
    ]);
  });

  it('evaluates a policy file instead of the defaults', async () => {
    const result = await cli([
      'check',
      marketing,
      '--policies',
      path.join(fixtures, 'policies/retention.yaml'),
      '--format',
      'json',
    ]);
    expect(result.code).toBe(EXIT_PASS);
    const report = JSON.parse(result.stdout);
    expect(report.exitCode).toBe(EXIT_PASS);
    expect(
      report.products.map(
        (p: {
          entityRef: string;
          compliance: { compliant: boolean; evaluations: unknown[] };
        }) => [
          p.entityRef,
          p.compliance.compliant,
          p.compliance.evaluations.length,
        ],
      ),
    ).toEqual([
      ['dataproduct:default/marketing-campaign-data', true, 2],
      ['dataproduct:default/campaign-attribution', true, 2],
      ['dataproduct:default/campaign-roi', true, 2],
    ]);
    // the sales products keep their records for years
    const sales = await cli([
      'check',
      path.join(examples, 'data-products/sales/catalog-info.yaml'),
      '--policies',
      path.join(fixtures, 'policies/retention.yaml'),
      '--product',
      'order-history',
    ]);
    expect(sales.code).toBe(EXIT_REQUIRED_FAILED);
    expect(sales.stdout).toContain(
      'FAIL required    short-retention: order-history keeps its data 3650 days, more than 730 days',
    );
  });

  it('refuses the broken example with exit code 2, naming the file, line and field', async () => {
    const result = await cli([
      'check',
      path.join(examples, 'broken/catalog-info.yaml'),
    ]);
    expect(result.code).toBe(EXIT_USAGE);
    expect(result.stderr).toMatch(
      /catalog-info\.yaml:12: DataProduct broken-orders-feed: spec\.outputPorts\[1\]\.type must be one of table, view, topic, api, file, not "tabel"/,
    );
  });
});

describe('datamesh check on a product that breaks the policies', () => {
  const file = path.join(fixtures, 'noncompliant/catalog-info.yaml');

  it('exits 1 and says why each required policy fails', async () => {
    const result = await cli(['check', file, '--environment', 'staging']);
    expect(result.code).toBe(EXIT_REQUIRED_FAILED);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toBe(
      `dataproduct:default/leaky-orders (${file}), policies: the suite defaults`,
    );
    expect(lines).toEqual(
      expect.arrayContaining([
        '  FAIL required    pii-masking: PII columns are not masked in the staging environment: leaky-orders-orders.orders.customer_email (tag them masked or give them the custom property masking).',
        '  FAIL required    quality-slo: leaky-orders defines no quality SLO: spec.sla needs at least one of freshness, availability, accuracy, completeness.',
        '  FAIL required    retention-policy: leaky-orders has no retention policy (spec.retentionDays).',
        'datamesh check: 1 of 1 data product fail a required policy',
        '  dataproduct:default/leaky-orders: encryption-at-rest, pii-masking, quality-slo, retention-policy, audit-logging',
      ]),
    );
  });

  it('does not ask for masking in production', async () => {
    const result = await cli(['check', file, '--environment', 'production']);
    expect(result.stdout).toContain(
      'PASS required    pii-masking: PII must be masked',
    );
  });

  it('a failed recommended policy of a policy file is a warning, not a failure', async () => {
    const result = await cli([
      'check',
      file,
      '--policies',
      path.join(fixtures, 'policies/retention.yaml'),
    ]);
    expect(result.code).toBe(EXIT_REQUIRED_FAILED);
    expect(result.stdout.split('\n')).toEqual([
      `dataproduct:default/leaky-orders (${file}), policies: ${path.join(
        fixtures,
        'policies/retention.yaml',
      )}`,
      '  FAIL required    short-retention: leaky-orders keeps its data without limit, more than 730 days',
      '  FAIL recommended title-set: leaky-orders has no title',
      'datamesh check: 1 of 1 data product fail a required policy',
      '  dataproduct:default/leaky-orders: short-retention',
    ]);
  });

  it('writes GitHub Actions annotations there', async () => {
    const result = await cli(['check', file], { GITHUB_ACTIONS: 'true' });
    expect(result.stdout).toContain(
      `::error file=${file},title=retention-policy::leaky-orders has no retention policy (spec.retentionDays).`,
    );
  });
});

describe('datamesh check usage and input errors', () => {
  it('exits 2 for an unknown command, option or format, naming it', async () => {
    expect((await cli(['verify'])).stderr).toContain(
      'datamesh: unknown command verify; the commands are check and breaking',
    );
    const option = await cli(['check', '--colour']);
    expect(option.code).toBe(EXIT_USAGE);
    expect(option.stderr).toContain("Unknown option '--colour'");
    expect((await cli(['check', marketing, '--format', 'xml'])).stderr).toBe(
      'datamesh check: --format must be text or json, not xml',
    );
    expect((await cli([])).code).toBe(EXIT_USAGE);
    const breakingOption = await cli(['breaking', '--colour']);
    expect(breakingOption.code).toBe(EXIT_USAGE);
    expect(breakingOption.stderr).toContain("Unknown option '--colour'");
    expect(
      (
        await cli([
          'breaking',
          marketing,
          '--portal-url',
          'backstage.example.com',
        ])
      ).stderr,
    ).toBe(
      'datamesh breaking: --portal-url must be an http(s) URL such as https://backstage.example.com, not backstage.example.com',
    );
  });

  it('exits 2 for a missing file, a product not in the file, an unusable policy file', async () => {
    const missing = await cli(['check', '/nowhere/catalog-info.yaml']);
    expect(missing.code).toBe(EXIT_USAGE);
    expect(missing.stderr).toBe(
      'datamesh check: /nowhere/catalog-info.yaml: the entity file cannot be read: no such file',
    );
    expect((await cli(['check', marketing, '--product', 'nope'])).stderr).toBe(
      `datamesh check: ${marketing}: no DataProduct named nope`,
    );
    const badRule = path.join(fixtures, 'policies/bad-rule.yaml');
    const rule = await cli(['check', marketing, '--policies', badRule]);
    expect(rule.code).toBe(EXIT_USAGE);
    expect(rule.stderr).toBe(
      `datamesh check: ${badRule}: policy wrong-types: its rule does not type-check: no such overload: int + string`,
    );
    const invalid = path.join(fixtures, 'policies/invalid.yaml');
    expect(
      (await cli(['check', marketing, '--policies', invalid])).stderr.split(
        '\n',
      ),
    ).toEqual([
      `datamesh check: ${invalid}: policies[0].rule is required`,
      `datamesh check: ${invalid}: policies[0].enforcement must be one of required, recommended, optional, not "mandatory"`,
    ]);
    expect(
      (
        await cli([
          'check',
          marketing,
          '--policies',
          invalid,
          '--portal-url',
          'http://localhost:7007',
        ])
      ).stderr,
    ).toBe(
      'datamesh check: give either --policies (offline) or --portal-url, not both',
    );
  });

  it('exits 2 when the portal cannot be reached', async () => {
    const result = await cli(['check', marketing], {
      DATAMESH_PORTAL_URL: 'http://127.0.0.1:9',
    });
    expect(result.code).toBe(EXIT_USAGE);
    expect(result.stderr).toMatch(
      /^datamesh check: cannot reach the portal at http:\/\/127\.0\.0\.1:9: /,
    );
  });
});
