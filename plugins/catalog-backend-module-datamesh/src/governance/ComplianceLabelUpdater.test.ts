import { mockServices } from '@backstage/backend-test-utils';
import type { GovernanceChange } from '@backstage-datamesh/plugin-datamesh-common';
import { ComplianceLabelSnapshot } from './ComplianceLabelSnapshot';
import {
  ComplianceLabelSource,
  ComplianceLabelUpdater,
} from './ComplianceLabelUpdater';

const ref = (name: string) => `dataproduct:default/${name}`;

/** The datamesh backend's feed: each product once, at the position of its latest change. */
class FakeBackend implements ComplianceLabelSource {
  readonly latest = new Map<string, GovernanceChange>();
  next = 1;
  down = false;
  pageSize = 500;

  evaluate(name: string, failures: string[]) {
    this.latest.set(ref(name), {
      id: this.next++,
      entityRef: ref(name),
      compliant: failures.length === 0,
      requiredPolicyFailures: failures,
      evaluatedAt: new Date().toISOString(),
    });
  }

  private check() {
    if (this.down) {
      throw new Error('connect ECONNREFUSED 127.0.0.1:7007');
    }
  }

  async getChanges({ since }: { since: number }) {
    this.check();
    return [...this.latest.values()]
      .filter(c => c.id > since)
      .sort((a, b) => a.id - b.id)
      .slice(0, this.pageSize);
  }

  async listCompliance() {
    this.check();
    return this.getChanges({ since: 0 });
  }
}

function setup() {
  const backend = new FakeBackend();
  const snapshot = new ComplianceLabelSnapshot();
  const refreshed: string[] = [];
  const logger = mockServices.logger.mock();
  let now = 0;
  const updater = new ComplianceLabelUpdater({
    source: backend,
    snapshot,
    refresh: async entityRef => {
      refreshed.push(entityRef);
    },
    logger,
    resyncEveryMs: 60_000,
    now: () => now,
  });
  return {
    backend,
    snapshot,
    refreshed,
    logger,
    updater,
    tick: (ms: number) => {
      now += ms;
    },
  };
}

describe('ComplianceLabelUpdater', () => {
  it('loads the compliance of every product, then follows the feed and refreshes the products whose labels change', async () => {
    const { backend, snapshot, refreshed, updater } = setup();
    backend.evaluate('orders', ['retention-policy']);
    backend.evaluate('accounts', []);
    // processed before the first load: refreshed once it is known
    snapshot.complianceOf(ref('orders'));
    await updater.run();
    expect(refreshed).toEqual([ref('orders')]);
    expect(snapshot.complianceOf(ref('accounts'))?.label).toBe('compliant');

    refreshed.length = 0;
    backend.evaluate('orders', []);
    backend.evaluate('accounts', []);
    await updater.run();
    expect(refreshed).toEqual([ref('orders')]);
    expect(snapshot.complianceOf(ref('orders'))).toEqual({
      label: 'compliant',
      requiredPolicyFailures: [],
    });
    refreshed.length = 0;
    await updater.run();
    expect(refreshed).toEqual([]);
  });

  it('reads the feed page after page and resyncs after its time', async () => {
    const { backend, refreshed, updater, tick, snapshot } = setup();
    await updater.run();
    backend.pageSize = 2;
    for (const name of ['a', 'b', 'c', 'd', 'e']) {
      backend.evaluate(name, ['audit-logging']);
    }
    await updater.run();
    expect(refreshed).toEqual(['a', 'b', 'c', 'd', 'e'].map(ref));

    // a change the feed showed out of order (committed late, behind a read position)
    refreshed.length = 0;
    backend.latest.set(ref('a'), {
      ...backend.latest.get(ref('a'))!,
      compliant: true,
      requiredPolicyFailures: [],
    });
    await updater.run();
    expect(refreshed).toEqual([]);
    tick(60_000);
    backend.pageSize = 500;
    await updater.run();
    expect(refreshed).toEqual([ref('a')]);
    expect(snapshot.complianceOf(ref('a'))?.label).toBe('compliant');
  });

  it('warns once while the backend does not answer, keeps the labels, and says when it answers again', async () => {
    const { backend, snapshot, updater, logger } = setup();
    backend.evaluate('orders', ['retention-policy']);
    await updater.run();
    backend.down = true;
    await updater.run();
    await updater.run();
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(logger.warn.mock.calls[0][0]).toContain(
      'Data product compliance labels are not kept current',
    );
    expect(snapshot.complianceOf(ref('orders'))?.label).toBe('non-compliant');
    backend.down = false;
    await updater.run();
    expect(logger.info).toHaveBeenCalledWith(
      'The datamesh backend answers again: data product compliance labels are kept current',
    );
  });
});
