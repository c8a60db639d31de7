import { mockServices } from '@backstage/backend-test-utils';
import type {
  HealthChange,
  ProductHealth,
  ProductHealthState,
} from '@backstage-datamesh/plugin-datamesh-common';
import { HealthLabelSnapshot } from './HealthLabelSnapshot';
import { HealthLabelSource, HealthLabelUpdater } from './HealthLabelUpdater';

const ref = (name: string) => `dataproduct:default/${name}`;

/** The datamesh backend's health as the updater reads it: current health and a change feed. */
class FakeBackend implements HealthLabelSource {
  readonly current = new Map<string, ProductHealth>();
  readonly feed: HealthChange[] = [];
  /** The feed position the next change gets. */
  next = 1;
  down = false;
  /** At most this many changes per page. */
  pageSize = 500;
  /** Changes the feed does not show yet (committed late, behind a later position). */
  hidden = new Set<number>();

  /** A product's health moves at a time (epoch ms), as recording an evaluation does. */
  move(name: string, to: ProductHealthState, at: number) {
    const entityRef = ref(name);
    const from = this.current.get(entityRef)?.health;
    const iso = new Date(at).toISOString();
    this.current.set(entityRef, {
      entityRef,
      health: to,
      reasons: [],
      slos: [],
      failingChecks: [],
      since: iso,
      evaluatedAt: iso,
    });
    const change: HealthChange = {
      id: this.next++,
      entityRef,
      ...(from ? { from } : {}),
      to,
      reasons: [],
      at: iso,
    };
    this.feed.push(change);
    return change.id;
  }

  private check() {
    if (this.down) {
      throw new Error('connect ECONNREFUSED 127.0.0.1:7007');
    }
  }

  async listHealth() {
    this.check();
    return [...this.current.values()];
  }

  async getChanges({ after }: { after: number }) {
    this.check();
    const visible = this.feed.filter(
      c => c.id > after && !this.hidden.has(c.id),
    );
    return visible.slice(0, this.pageSize);
  }

  async findLatestChangeId() {
    this.check();
    return this.feed.length ? this.feed[this.feed.length - 1].id : 0;
  }
}

function setup(options?: { resyncEveryMs?: number }) {
  const backend = new FakeBackend();
  const snapshot = new HealthLabelSnapshot();
  const refreshed: string[] = [];
  const failing = new Set<string>();
  const logger = mockServices.logger.mock();
  let now = 1_000_000;
  const updater = new HealthLabelUpdater({
    source: backend,
    snapshot,
    refresh: async entityRef => {
      if (failing.has(entityRef)) {
        throw new Error(`No entity ${entityRef}`);
      }
      refreshed.push(entityRef);
    },
    logger,
    resyncEveryMs: options?.resyncEveryMs ?? 60_000,
    now: () => now,
  });
  /** Runs the updater, answering what it refreshed (and forgetting it). */
  const run = async () => {
    await updater.run();
    return refreshed.splice(0).sort();
  };
  const later = (ms: number) => {
    now += ms;
  };
  return { backend, snapshot, logger, failing, run, later };
}

describe('HealthLabelUpdater', () => {
  it('fills the snapshot at the first run, refreshing the products processed before it', async () => {
    const { backend, snapshot, run } = setup();
    backend.move('orders', 'healthy', 1000);
    backend.move('orders', 'degraded', 2000);
    backend.move('customers', 'breaching', 3000);

    // the catalog processed two products before the snapshot was filled: no label for either
    expect(snapshot.healthOf(ref('orders'))).toBeUndefined();
    expect(snapshot.healthOf(ref('never-evaluated'))).toBeUndefined();

    // orders now has a label; never-evaluated still has none; customers was not processed yet
    expect(await run()).toEqual([ref('orders')]);
    expect(snapshot.isLoaded).toBe(true);
    expect(snapshot.healthOf(ref('orders'))).toBe('degraded');
    expect(snapshot.healthOf(ref('customers'))).toBe('breaching');
    expect(snapshot.healthOf(ref('never-evaluated'))).toBeUndefined();

    // the feed's history is not read again: nothing changed since
    expect(await run()).toEqual([]);
  });

  it('follows the feed from its latest position, refreshing what changed', async () => {
    const { backend, snapshot, run } = setup();
    backend.move('orders', 'healthy', 1000);
    await run();

    backend.move('orders', 'degraded', 2000);
    backend.move('customers', 'unknown', 2000);
    expect(await run()).toEqual([ref('customers'), ref('orders')]);
    expect(snapshot.healthOf(ref('orders'))).toBe('degraded');
    expect(snapshot.healthOf(ref('customers'))).toBe('unknown');

    // there and back within one run: the label is what it was, nothing to process again
    backend.move('orders', 'breaching', 3000);
    backend.move('orders', 'degraded', 3500);
    expect(await run()).toEqual([]);
    expect(snapshot.healthOf(ref('orders'))).toBe('degraded');
  });

  it('reads several pages in one run', async () => {
    const { backend, snapshot, run } = setup();
    await run();
    backend.pageSize = 2;
    for (let i = 0; i < 7; i++) {
      backend.move(`p${i}`, 'healthy', 1000 + i);
    }
    expect(await run()).toHaveLength(7);
    expect(snapshot.healthOf(ref('p6'))).toBe('healthy');
  });

  it('skips a change older than the health it holds, so reading a change twice changes nothing', async () => {
    const snapshot = new HealthLabelSnapshot();
    snapshot.replace([
      {
        entityRef: ref('orders'),
        health: 'healthy',
        since: new Date(5000).toISOString(),
      },
    ]);
    const change = (id: number, to: ProductHealthState, at: number) => ({
      id,
      entityRef: ref('orders'),
      to,
      reasons: [],
      at: new Date(at).toISOString(),
    });
    // read by the load already (healthy since 5000), and older
    expect(
      snapshot.apply([change(1, 'degraded', 4000), change(2, 'healthy', 5000)]),
    ).toEqual([]);
    expect(snapshot.healthOf(ref('orders'))).toBe('healthy');
    expect(snapshot.apply([change(3, 'breaching', 6000)])).toEqual([
      ref('orders'),
    ]);
    // entity refs compare case-insensitively, as in the catalog
    expect(snapshot.healthOf('DataProduct:default/Orders')).toBe('breaching');
  });

  it('corrects a change the feed showed late at the next resynchronisation', async () => {
    const { backend, snapshot, run, later } = setup({ resyncEveryMs: 60_000 });
    backend.move('orders', 'healthy', 1000);
    await run();

    // two evaluations commit out of order: position 3 is read before position 2 is visible
    const late = backend.move('customers', 'breaching', 2000);
    backend.move('orders', 'degraded', 2001);
    backend.hidden.add(late);
    expect(await run()).toEqual([ref('orders')]);
    backend.hidden.clear();
    expect(await run()).toEqual([]);
    expect(snapshot.healthOf(ref('customers'))).toBeUndefined();

    later(60_000);
    expect(await run()).toEqual([ref('customers')]);
    expect(snapshot.healthOf(ref('customers'))).toBe('breaching');
  });

  it('warns once while the datamesh backend does not answer, keeping the labels it has', async () => {
    const { backend, snapshot, logger, run } = setup();
    backend.down = true;
    expect(snapshot.healthOf(ref('orders'))).toBeUndefined();
    await run();
    await run();
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining(
        "Data product health labels are not kept current: the datamesh backend's health API did not answer (Error: connect ECONNREFUSED 127.0.0.1:7007)",
      ),
    );
    expect(snapshot.isLoaded).toBe(false);

    backend.down = false;
    backend.move('orders', 'healthy', 1000);
    expect(await run()).toEqual([ref('orders')]);
    expect(logger.info).toHaveBeenCalledWith(
      'The datamesh backend answers again: data product health labels are kept current',
    );

    backend.down = true;
    await run();
    expect(logger.warn).toHaveBeenCalledTimes(2);
    expect(snapshot.healthOf(ref('orders'))).toBe('healthy');
  });

  it('refreshes the other products when one cannot be', async () => {
    const { backend, failing, run, logger } = setup();
    await run();
    failing.add(ref('removed'));
    backend.move('removed', 'degraded', 1000);
    backend.move('orders', 'degraded', 1000);
    expect(await run()).toEqual([ref('orders')]);
    expect(logger.warn).not.toHaveBeenCalled();
  });
});
