import fs from 'node:fs';
import path from 'node:path';
import { parseDataContract } from './odcs/parseDataContract';

/** The example mesh the portal loads (examples/ at the repository root). */
const examples = path.resolve(__dirname, '../../../examples');

function contractsIn(dir: string) {
  return fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter(f => f.includes('contracts/') && f.endsWith('.odcs.yaml'))
    .map(f => path.join(dir, f));
}

describe('the example mesh', () => {
  const good = contractsIn(path.join(examples, 'data-products'));

  it('has a contract for the output ports of every domain', () => {
    expect(good.length).toBeGreaterThanOrEqual(18);
  });

  it.each(good.map(f => [path.relative(examples, f), f]))(
    '%s is a valid ODCS v3 contract',
    (_, file) => {
      const result = parseDataContract(fs.readFileSync(file, 'utf8'), file);
      expect(result).toMatchObject({ status: 'valid' });
    },
  );

  it('ships broken contracts that fail the way the README says', () => {
    const read = (name: string) => {
      const file = path.join(examples, 'broken/contracts', name);
      return parseDataContract(fs.readFileSync(file, 'utf8'), file);
    };
    expect(read('legacy-support-tickets-tickets.odcs.yaml')).toMatchObject({
      status: 'unsupported-version',
      apiVersion: 'v2.2.2',
    });
    expect(
      read('finance-ledger-snapshots-ledger-snapshots.odcs.yaml'),
    ).toMatchObject({
      status: 'invalid',
      errors: expect.arrayContaining([
        { path: 'status', message: 'status is required' },
      ]),
    });
    expect(read('support-csat-scores-csat-by-agent.odcs.yaml')).toMatchObject({
      status: 'valid',
    });
  });
});
