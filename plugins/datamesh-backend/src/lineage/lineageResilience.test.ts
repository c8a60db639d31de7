import { randomUUID } from 'node:crypto';
import knexFactory, { Knex } from 'knex';
import { ThrowawayPostgres } from '../__testUtils__/throwawayPostgres';
import { dataset, runEvent } from './__testUtils__/events';
import { startLineageBackend } from './__testUtils__/lineageBackend';

jest.setTimeout(180_000);

describe('OpenLineage ingestion on a PostgreSQL that restarts', () => {
  let pg: ThrowawayPostgres;
  let knex: Knex;
  let backend: Awaited<ReturnType<typeof startLineageBackend>>;

  beforeAll(async () => {
    pg = await ThrowawayPostgres.create();
    knex = knexFactory({
      client: 'pg',
      connection: pg.connection,
      pool: { min: 0, max: 5, acquireTimeoutMillis: 3000 },
      acquireConnectionTimeout: 3000,
    });
    backend = await startLineageBackend({ knex });
  });

  afterAll(async () => {
    await backend?.stop();
    await knex?.destroy();
    pg?.destroy();
  });

  it('loses no event answered 2xx when the database restarts in the middle of a load, and answers the rest 503', async () => {
    const runs = Array.from({ length: 60 }, () => randomUUID());
    const events = runs.flatMap((runId, i) =>
      ['START', 'COMPLETE'].map(eventType =>
        runEvent({
          runId,
          eventType,
          eventTime: new Date(
            Date.UTC(2026, 11, 1) +
              i * 60_000 +
              (eventType === 'START' ? 0 : 30_000),
          ).toISOString(),
          job: { namespace: 'airflow', name: `load_${i % 6}` },
          inputs: [dataset('postgres://db:5432', `shop.public.raw_${i % 4}`)],
          outputs: [
            dataset('postgres://db:5432', `shop.public.orders_${i % 6}`),
          ],
        }),
      ),
    );
    const outcomes = new Map<number, number[]>();
    const unexpected: string[] = [];
    const retryAfter = new Set<string | undefined>();
    let next = 0;
    let done = 0;
    let restarted: Promise<void> | undefined;
    const restart = async () => {
      pg.stop();
      await new Promise(resolve => setTimeout(resolve, 1500));
      pg.start();
    };
    const worker = async () => {
      while (next < events.length) {
        const i = next++;
        const res = await backend.post('lineage', events[i]);
        outcomes.set(i, [...(outcomes.get(i) ?? []), res.status]);
        if (![200, 201, 503].includes(res.status)) {
          unexpected.push(`${res.status} ${res.text}`);
        }
        if (res.status === 503) {
          retryAfter.add(res.headers['retry-after']);
        }
        done += 1;
        if (done === 30 && !restarted) {
          restarted = restart();
        }
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    await restarted;

    // every answer was a success or an error the clients retry (both retry 503)
    expect(unexpected).toEqual([]);
    const statuses = [...outcomes.values()].flat();
    expect(statuses.filter(s => s === 503).length).toBeGreaterThan(0);
    expect(retryAfter).toEqual(new Set(['5']));
    const answered2xx = [...outcomes.entries()]
      .filter(([, s]) => s.some(x => x === 200 || x === 201))
      .map(([i]) => i);

    // what was answered 2xx is there: nothing committed was lost by the restart
    for (const i of answered2xx) {
      const event = events[i];
      const rows = await knex('lineage_raw_events')
        .where({ run_id: event.run.runId, event_type: event.eventType })
        .count({ n: '*' });
      expect([i, Number(rows[0].n)]).toEqual([i, 1]);
    }

    // the clients send again what was refused, until it is stored
    for (const [i, answers] of outcomes) {
      for (let attempt = 0; ![200, 201].includes(answers.at(-1)!); attempt++) {
        expect(attempt).toBeLessThan(20);
        await new Promise(resolve => setTimeout(resolve, 250));
        answers.push((await backend.post('lineage', events[i])).status);
      }
    }
    const [{ n }] = await knex('lineage_raw_events').count({ n: '*' });
    expect(Number(n)).toBe(events.length);
    for (const runId of runs) {
      expect((await backend.store.getRun(runId))!.state).toBe('COMPLETE');
    }
    const [{ edges }] = await knex('lineage_edges').count({ edges: '*' });
    // six jobs, each reading the inputs and writing the output its runs named
    const expected = new Set(
      events.flatMap(e => [
        `${e.job.name} in ${e.inputs.map(d => (d as { name: string }).name)}`,
        `${e.job.name} out ${e.outputs.map(d => (d as { name: string }).name)}`,
      ]),
    );
    expect(Number(edges)).toBe(expected.size);
  });
});
