import { mockServices } from '@backstage/backend-test-utils';
import type { ObservedProductEdge } from '@backstage-datamesh/plugin-datamesh-common';
import { ObservedLineageSnapshot } from './ObservedLineageSnapshot';
import type {
  ObservedLineageSource,
  ObservedProductEdgesResult,
} from './ObservedLineageSource';
import { ObservedLineageUpdater } from './ObservedLineageUpdater';

const ref = (name: string) => `dataproduct:default/${name}`;

/** The datamesh backend's product edges as the updater reads them, versioned like the route. */
class FakeBackend implements ObservedLineageSource {
  edges: ObservedProductEdge[] = [];
  version = 1;
  down = false;
  /** The `If-None-Match` of each request. */
  readonly asked: Array<string | undefined> = [];

  /** `to` was observed reading `port` of `from`. */
  observe(from: string, to: string, port = 'main') {
    this.edges.push({
      from: ref(from),
      fromPort: port,
      to: ref(to),
      lastSeenAt: new Date().toISOString(),
    });
    this.version++;
  }

  forget(from: string, to: string) {
    this.edges = this.edges.filter(
      e => !(e.from === ref(from) && e.to === ref(to)),
    );
    this.version++;
  }

  async getProductEdges({
    etag,
  }: {
    etag?: string;
  }): Promise<ObservedProductEdgesResult> {
    this.asked.push(etag);
    if (this.down) {
      throw new Error('connect ECONNREFUSED 127.0.0.1:7007');
    }
    const current = `"v${this.version}"`;
    if (etag === current) {
      return { notModified: true };
    }
    return { notModified: false, items: [...this.edges], etag: current };
  }
}

function setup() {
  const backend = new FakeBackend();
  const snapshot = new ObservedLineageSnapshot();
  const refreshed: string[] = [];
  const failing = new Set<string>();
  const logger = mockServices.logger.mock();
  const updater = new ObservedLineageUpdater({
    source: backend,
    snapshot,
    refresh: async entityRef => {
      if (failing.has(entityRef)) {
        throw new Error(`No entity ${entityRef}`);
      }
      refreshed.push(entityRef);
    },
    logger,
  });
  /** Runs the updater, answering what it refreshed (and forgetting it). */
  const run = async () => {
    await updater.run();
    return refreshed.splice(0).sort();
  };
  return { backend, snapshot, logger, failing, run };
}

describe('ObservedLineageUpdater', () => {
  it('fills the snapshot at the first run, refreshing the products processed before it that have an edge', async () => {
    const { backend, snapshot, run } = setup();
    backend.observe('crm-accounts', 'customer-360');
    backend.observe('customer-360', 'churn-features');

    // processed before the first load: no relation for either yet
    expect(snapshot.neighboursOf(ref('customer-360'))).toEqual({
      upstream: [],
      downstream: [],
    });
    snapshot.neighboursOf(ref('no-lineage'));

    expect(await run()).toEqual([ref('customer-360')]);
    expect(snapshot.isLoaded).toBe(true);
    expect(snapshot.neighboursOf(ref('customer-360'))).toEqual({
      upstream: [ref('crm-accounts')],
      downstream: [ref('churn-features')],
    });
    expect(snapshot.neighboursOf(ref('crm-accounts'))).toEqual({
      upstream: [],
      downstream: [ref('customer-360')],
    });
  });

  it('sends the version it holds, and an unchanged lineage refreshes nothing', async () => {
    const { backend, run } = setup();
    backend.observe('crm-accounts', 'customer-360');
    await run();
    expect(await run()).toEqual([]);
    expect(backend.asked).toEqual([undefined, '"v2"']);
  });

  it('refreshes both ends of an edge that appears or goes, and nothing else', async () => {
    const { backend, snapshot, run } = setup();
    backend.observe('crm-accounts', 'customer-360');
    await run();

    backend.observe('customer-360', 'churn-features');
    expect(await run()).toEqual([ref('churn-features'), ref('customer-360')]);

    // a second port between the same products is the same relation
    backend.observe('customer-360', 'churn-features', 'other-port');
    expect(await run()).toEqual([]);

    backend.forget('crm-accounts', 'customer-360');
    expect(await run()).toEqual([ref('crm-accounts'), ref('customer-360')]);
    expect(snapshot.neighboursOf(ref('crm-accounts'))).toEqual({
      upstream: [],
      downstream: [],
    });
    expect(snapshot.neighboursOf(ref('customer-360'))).toEqual({
      upstream: [],
      downstream: [ref('churn-features')],
    });
  });

  it('keeps a product reading its own port out of its relations', async () => {
    const { backend, snapshot, run } = setup();
    snapshot.neighboursOf(ref('orders'));
    backend.observe('orders', 'orders');
    expect(await run()).toEqual([]);
    expect(snapshot.neighboursOf(ref('orders'))).toEqual({
      upstream: [],
      downstream: [],
    });
  });

  it('compares entity references case-insensitively, as the catalog does', async () => {
    const { backend, snapshot, run } = setup();
    backend.observe('crm-accounts', 'customer-360');
    await run();
    expect(snapshot.neighboursOf('DataProduct:default/Customer-360')).toEqual({
      upstream: [ref('crm-accounts')],
      downstream: [],
    });
    // beyond ASCII too
    backend.observe('crm-accounts', 'Übersicht');
    await run();
    expect(snapshot.neighboursOf(ref('übersicht')).upstream).toEqual([
      ref('crm-accounts'),
    ]);
  });

  it('keeps the last edges and warns once while the backend does not answer, then goes on', async () => {
    const { backend, snapshot, logger, run } = setup();
    backend.observe('crm-accounts', 'customer-360');
    await run();

    backend.down = true;
    expect(await run()).toEqual([]);
    expect(await run()).toEqual([]);
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(logger.warn.mock.calls[0][0]).toContain(
      "Observed lineage relations are not kept current: the datamesh backend's lineage API did not answer (Error: connect ECONNREFUSED 127.0.0.1:7007)",
    );
    // processing goes on with what the snapshot last had
    expect(snapshot.neighboursOf(ref('customer-360')).upstream).toEqual([
      ref('crm-accounts'),
    ]);

    backend.down = false;
    backend.observe('customer-360', 'churn-features');
    expect(await run()).toEqual([ref('churn-features'), ref('customer-360')]);
    expect(logger.info).toHaveBeenCalledWith(
      'The datamesh backend answers again: observed lineage relations are kept current',
    );
  });

  it('goes on refreshing the other products when one is not in the catalog', async () => {
    const { backend, failing, logger, run } = setup();
    await run();
    failing.add(ref('gone'));
    backend.observe('gone', 'customer-360');
    expect(await run()).toEqual([ref('customer-360')]);
    expect(logger.debug).toHaveBeenCalledWith(
      expect.stringContaining(
        'Could not refresh dataproduct:default/gone for its observed lineage relations',
      ),
    );
  });
});
