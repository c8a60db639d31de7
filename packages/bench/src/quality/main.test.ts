import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

// a smoke test: the benchmark runs on a tiny mesh and prints its tables (no figure is asserted)
jest.setTimeout(240_000);

describe('yarn bench:quality', () => {
  it('measures a tiny mesh on SQLite and prints its tables', async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [
        '--import',
        'tsx',
        path.join(__dirname, 'main.ts'),
        ...['--databases', 'sqlite', '--sizes', '3', '--replicas', '1'],
        ...['--ingest-requests', '16', '--requests', '3', '--warmup', '1'],
        ...['--history-days', '3', '--retention-days', '1'],
      ],
      { maxBuffer: 16 * 1024 * 1024 },
    );
    expect(stdout).toMatch(
      /\| database \| API check results\/s \| raw batchInsert rows\/s \|/,
    );
    expect(stdout).toMatch(
      /\| sqlite +\| +[\d,]+\/s \| +[\d,]+\/s \| +[\d.]+ % \| +(PASS|FAIL) \|/,
    );
    for (const route of [
      'GET /v1/products/{ns}/{name}/health',
      'GET /v1/products/{ns}/{name}/checks',
      'GET /v1/products/{ns}/{name}/history?days=30',
      'Mesh health page: GET /v1/health?health=breaching,degraded',
    ]) {
      expect(stdout).toContain(`| ${route}`);
    }
    expect(stdout).not.toContain('WRONG ANSWER');
    expect(stdout).not.toContain('Not measured');
  });
});
