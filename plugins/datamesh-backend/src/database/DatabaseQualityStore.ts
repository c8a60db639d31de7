import { createHash } from 'node:crypto';
import { Knex } from 'knex';
import type { QualityCheckStatus } from '@backstage-datamesh/plugin-datamesh-common';
import type {
  AddQualityRunRequest,
  AddQualityRunResult,
  QualityPruneResult,
  QualityPullState,
  QualityStore,
} from '@backstage-datamesh/plugin-datamesh-node';
import type {
  CheckTrendPoint,
  MetricSeries,
  QualityRunSource,
  StoredCheckResult,
  StoredQualityRun,
} from '@backstage-datamesh/plugin-datamesh-common';
import {
  chunks,
  iso,
  isPostgres,
  isUniqueViolation,
  num,
  utcDay,
} from './util';

type RunRow = {
  id: number;
  run_key: string;
  product_ref: string;
  port: string | null;
  format: string;
  tool_name: string;
  tool_version: string | null;
  tool_run_id: string | null;
  source: string;
  started_at: number | string | null;
  finished_at: number | string;
  received_at: number | string;
  passed: number;
  warned: number;
  failed: number;
  errored: number;
  skipped: number;
  raw_document_id: number | null;
};

type CheckRow = {
  product_ref: string;
  port: string | null;
  check_id: string;
  name: string;
  status: string;
  format: string;
  tool_name: string;
  tool_version: string | null;
  dataset_namespace: string | null;
  dataset_name: string | null;
  column_name: string | null;
  check_type: string | null;
  dimension: string | null;
  observed_value: string | null;
  threshold: string | null;
  unexpected_count: number | string | null;
  unexpected_percent: number | string | null;
  rows_evaluated: number | string | null;
  message: string | null;
  executed_at: number | string;
  raw_pointer: string;
  run_id: number;
};

const STATUS_COLUMN: Record<QualityCheckStatus, keyof RunRow> = {
  pass: 'passed',
  warn: 'warned',
  fail: 'failed',
  error: 'errored',
  skipped: 'skipped',
};

/** Rows per insert statement: well under SQLite's limit of bound variables. */
const BATCH = 200;

function counts(row: {
  passed: number | string;
  warned: number | string;
  failed: number | string;
  errored: number | string;
  skipped: number | string;
}): Record<QualityCheckStatus, number> {
  return {
    pass: Number(row.passed),
    warn: Number(row.warned),
    fail: Number(row.failed),
    error: Number(row.errored),
    skipped: Number(row.skipped),
  };
}

function toRun(row: RunRow): StoredQualityRun {
  return {
    id: row.id,
    entityRef: row.product_ref,
    ...(row.port ? { port: row.port } : {}),
    format: row.format as StoredQualityRun['format'],
    tool: {
      name: row.tool_name,
      ...(row.tool_version ? { version: row.tool_version } : {}),
    },
    ...(row.tool_run_id ? { toolRunId: row.tool_run_id } : {}),
    source: row.source as QualityRunSource,
    ...(row.started_at !== null ? { startedAt: iso(row.started_at) } : {}),
    finishedAt: iso(row.finished_at),
    receivedAt: iso(row.received_at),
    counts: counts(row),
    hasRawDocument: row.raw_document_id !== null,
  };
}

function toCheck(row: CheckRow): StoredCheckResult {
  const optional = {
    port: row.port,
    column: row.column_name,
    checkType: row.check_type,
    dimension: row.dimension,
    threshold: row.threshold,
    unexpectedCount: num(row.unexpected_count),
    unexpectedPercent: num(row.unexpected_percent),
    rowsEvaluated: num(row.rows_evaluated),
    message: row.message,
    observedValue:
      row.observed_value === null ? undefined : JSON.parse(row.observed_value),
    dataset:
      row.dataset_name === null
        ? undefined
        : {
            ...(row.dataset_namespace
              ? { namespace: row.dataset_namespace }
              : {}),
            name: row.dataset_name,
          },
  };
  const result: Record<string, unknown> = {
    entityRef: row.product_ref,
    runId: row.run_id,
    checkId: row.check_id,
    name: row.name,
    status: row.status,
    format: row.format,
    tool: {
      name: row.tool_name,
      ...(row.tool_version ? { version: row.tool_version } : {}),
    },
    executedAt: iso(row.executed_at),
    rawPointer: row.raw_pointer,
  };
  for (const [key, value] of Object.entries(optional)) {
    if (value !== null && value !== undefined) {
      result[key] = value;
    }
  }
  return result as unknown as StoredCheckResult;
}

/**
 * The quality store on the plugin's database (SQLite or PostgreSQL).
 * @internal
 */
export class DatabaseQualityStore implements QualityStore {
  constructor(private readonly db: Knex) {}

  async addRun(request: AddQualityRunRequest): Promise<AddQualityRunResult> {
    const { run, entityRef } = request;
    const runKey = createHash('sha256')
      .update(
        JSON.stringify([
          entityRef,
          request.port ?? null,
          run.format,
          request.raw.body,
        ]),
      )
      .digest('hex');
    const existing = await this.findRun(runKey);
    if (existing !== undefined) {
      return { runId: existing, created: false };
    }
    try {
      const runId = await this.db.transaction(trx =>
        this.insertRun(trx, runKey, request),
      );
      return { runId, created: true };
    } catch (error) {
      if (isUniqueViolation(error)) {
        const stored = await this.findRun(runKey);
        if (stored !== undefined) {
          return { runId: stored, created: false };
        }
      }
      throw error;
    }
  }

  private async findRun(runKey: string): Promise<number | undefined> {
    const row = await this.db('quality_runs')
      .where({ run_key: runKey })
      .first('id');
    return row ? Number(row.id) : undefined;
  }

  private async insertRun(
    trx: Knex.Transaction,
    runKey: string,
    request: AddQualityRunRequest,
  ): Promise<number> {
    const { run, entityRef, raw } = request;
    const receivedAt = request.receivedAt ?? Date.now();
    const finishedAt = Date.parse(run.finishedAt);
    const sha256 = createHash('sha256').update(raw.body).digest('hex');
    await trx('quality_raw_documents')
      .insert({
        sha256,
        content_type: raw.contentType,
        body: raw.body,
        received_at: receivedAt,
      })
      .onConflict('sha256')
      .ignore();
    const rawRow = await trx('quality_raw_documents')
      .where({ sha256 })
      .first('id');

    const tally: Record<QualityCheckStatus, number> = {
      pass: 0,
      warn: 0,
      fail: 0,
      error: 0,
      skipped: 0,
    };
    for (const check of run.checks) {
      tally[check.status] += 1;
    }
    const [inserted] = await trx('quality_runs')
      .insert({
        run_key: runKey,
        product_ref: entityRef,
        port: request.port ?? null,
        format: run.format,
        tool_name: run.tool.name,
        tool_version: run.tool.version ?? null,
        tool_run_id: run.runId ?? null,
        source: request.source,
        started_at: run.startedAt ? Date.parse(run.startedAt) : null,
        finished_at: finishedAt,
        received_at: receivedAt,
        passed: tally.pass,
        warned: tally.warn,
        failed: tally.fail,
        errored: tally.error,
        skipped: tally.skipped,
        raw_document_id: rawRow?.id ?? null,
      })
      .returning('id');
    const runId = Number(
      typeof inserted === 'object' ? (inserted as { id: number }).id : inserted,
    );

    const checkRows: CheckRow[] = run.checks.map((check, index) => ({
      product_ref: entityRef,
      port: request.checkPorts[index] ?? request.port ?? null,
      check_id: check.checkId,
      name: check.name,
      status: check.status,
      format: run.format,
      tool_name: run.tool.name,
      tool_version: run.tool.version ?? null,
      dataset_namespace: check.dataset?.namespace ?? null,
      dataset_name: check.dataset?.name ?? null,
      column_name: check.column ?? null,
      check_type: check.checkType ?? null,
      dimension: check.dimension ?? null,
      observed_value:
        check.observedValue === undefined
          ? null
          : JSON.stringify(check.observedValue),
      threshold: check.threshold ?? null,
      unexpected_count: check.unexpectedCount ?? null,
      unexpected_percent: check.unexpectedPercent ?? null,
      rows_evaluated: check.rowsEvaluated ?? null,
      message: check.message ?? null,
      executed_at: check.executedAt ? Date.parse(check.executedAt) : finishedAt,
      raw_pointer: check.rawPointer,
      run_id: runId,
    }));
    for (const batch of chunks(checkRows, BATCH)) {
      await trx('quality_check_results').insert(batch);
    }

    // the latest result of each check: one row per check id, replaced only by a newer result
    const latest = new Map<string, CheckRow>();
    for (const row of checkRows) {
      const seen = latest.get(row.check_id);
      if (!seen || Number(seen.executed_at) <= Number(row.executed_at)) {
        latest.set(row.check_id, row);
      }
    }
    for (const batch of chunks([...latest.values()], BATCH)) {
      await trx('quality_latest_checks')
        .insert(batch)
        .onConflict(['product_ref', 'check_id'])
        .merge()
        .whereRaw('quality_latest_checks.executed_at <= excluded.executed_at');
    }

    // per-day counts, kept after raw retention
    const days = new Map<number, Record<QualityCheckStatus, number>>();
    for (const row of checkRows) {
      const day = utcDay(Number(row.executed_at));
      const entry = days.get(day) ?? {
        pass: 0,
        warn: 0,
        fail: 0,
        error: 0,
        skipped: 0,
      };
      entry[row.status as QualityCheckStatus] += 1;
      days.set(day, entry);
    }
    if (days.size) {
      const increment = Object.fromEntries(
        Object.values(STATUS_COLUMN).map(column => [
          column,
          trx.raw('?? + ??', [
            `quality_check_daily.${column}`,
            `excluded.${column}`,
          ]),
        ]),
      );
      await trx('quality_check_daily')
        .insert(
          [...days.entries()].map(([day, c]) => ({
            product_ref: entityRef,
            day,
            passed: c.pass,
            warned: c.warn,
            failed: c.fail,
            errored: c.error,
            skipped: c.skipped,
          })),
        )
        .onConflict(['product_ref', 'day'])
        .merge(increment);
    }

    await this.insertMetrics(trx, request, finishedAt);

    const updates = run.updates.flatMap((update, index) => {
      const port = request.updatePorts[index];
      return port
        ? [
            {
              product_ref: entityRef,
              port,
              updated_at: Date.parse(update.updatedAt),
            },
          ]
        : [];
    });
    for (const batch of chunks(updates, BATCH)) {
      await trx('quality_dataset_updates')
        .insert(batch)
        .onConflict(['product_ref', 'port', 'updated_at'])
        .ignore();
    }
    return runId;
  }

  private async insertMetrics(
    trx: Knex.Transaction,
    request: AddQualityRunRequest,
    finishedAt: number,
  ) {
    const points = new Map<
      string,
      {
        product_ref: string;
        port: string;
        metric: string;
        column_name: string;
        observed_at: number;
        value: number;
      }
    >();
    request.run.metrics.forEach((point, index) => {
      if (!Number.isFinite(point.value)) {
        return;
      }
      const row = {
        product_ref: request.entityRef,
        port: request.metricPorts[index] ?? request.port ?? '',
        metric: point.metric,
        column_name: point.column ?? '',
        observed_at: point.observedAt
          ? Date.parse(point.observedAt)
          : finishedAt,
        value: point.value,
      };
      points.set(
        JSON.stringify([
          row.metric,
          row.port,
          row.column_name,
          row.observed_at,
        ]),
        row,
      );
    });
    if (!points.size) {
      return;
    }
    const rows = [...points.values()];
    for (const batch of chunks(rows, BATCH)) {
      await trx('quality_metric_points')
        .insert(batch)
        .onConflict([
          'product_ref',
          'metric',
          'port',
          'column_name',
          'observed_at',
        ])
        .ignore();
    }
    const daily = new Map<
      string,
      {
        product_ref: string;
        port: string;
        metric: string;
        column_name: string;
        day: number;
        count: number;
        sum: number;
        min: number;
        max: number;
        last: number;
        last_at: number;
      }
    >();
    for (const row of rows) {
      const day = utcDay(row.observed_at);
      const key = JSON.stringify([row.metric, row.port, row.column_name, day]);
      const entry = daily.get(key);
      if (!entry) {
        daily.set(key, {
          product_ref: row.product_ref,
          port: row.port,
          metric: row.metric,
          column_name: row.column_name,
          day,
          count: 1,
          sum: row.value,
          min: row.value,
          max: row.value,
          last: row.value,
          last_at: row.observed_at,
        });
      } else {
        entry.count += 1;
        entry.sum += row.value;
        entry.min = Math.min(entry.min, row.value);
        entry.max = Math.max(entry.max, row.value);
        if (row.observed_at >= entry.last_at) {
          entry.last = row.value;
          entry.last_at = row.observed_at;
        }
      }
    }
    const least = isPostgres(this.db) ? 'LEAST' : 'MIN';
    const greatest = isPostgres(this.db) ? 'GREATEST' : 'MAX';
    const t = 'quality_metric_daily';
    for (const batch of chunks([...daily.values()], BATCH)) {
      await trx(t)
        .insert(batch)
        .onConflict(['product_ref', 'metric', 'port', 'column_name', 'day'])
        .merge({
          count: trx.raw(`${t}.count + excluded.count`),
          sum: trx.raw(`${t}.sum + excluded.sum`),
          min: trx.raw(`${least}(${t}.min, excluded.min)`),
          max: trx.raw(`${greatest}(${t}.max, excluded.max)`),
          last: trx.raw(
            `CASE WHEN excluded.last_at >= ${t}.last_at THEN excluded.last ELSE ${t}.last END`,
          ),
          last_at: trx.raw(`${greatest}(${t}.last_at, excluded.last_at)`),
        });
    }
  }

  async getLatestChecks(entityRef: string): Promise<StoredCheckResult[]> {
    const rows: CheckRow[] = await this.db('quality_latest_checks')
      .where({ product_ref: entityRef })
      .orderBy([{ column: 'name' }, { column: 'check_id' }]);
    return rows.map(toCheck);
  }

  async getLatestChecksOf(
    entityRefs: string[],
  ): Promise<Map<string, StoredCheckResult[]>> {
    const byProduct = new Map<string, StoredCheckResult[]>();
    for (let i = 0; i < entityRefs.length; i += 500) {
      const rows: CheckRow[] = await this.db('quality_latest_checks')
        .whereIn('product_ref', entityRefs.slice(i, i + 500))
        .orderBy([
          { column: 'product_ref' },
          { column: 'name' },
          { column: 'check_id' },
        ]);
      for (const row of rows) {
        const checks = byProduct.get(row.product_ref) ?? [];
        checks.push(toCheck(row));
        byProduct.set(row.product_ref, checks);
      }
    }
    return byProduct;
  }

  async getLastUpdates(entityRef: string): Promise<Record<string, number>> {
    const rows: Array<{ port: string; last: number | string }> = await this.db(
      'quality_dataset_updates',
    )
      .where({ product_ref: entityRef })
      .groupBy('port')
      .select('port')
      .max({ last: 'updated_at' });
    return Object.fromEntries(rows.map(r => [r.port, Number(r.last)]));
  }

  async getUpdates(
    entityRef: string,
    range: { from: number; to: number },
  ): Promise<Array<{ port: string; updatedAt: number }>> {
    const rows: Array<{ port: string; updated_at: number | string }> =
      await this.db('quality_dataset_updates')
        .where({ product_ref: entityRef })
        .whereBetween('updated_at', [range.from, range.to])
        .orderBy('updated_at')
        .select('port', 'updated_at');
    return rows.map(r => ({ port: r.port, updatedAt: Number(r.updated_at) }));
  }

  async getCheckTrend(
    entityRef: string,
    range: { from: number; to: number },
  ): Promise<CheckTrendPoint[]> {
    const rows = await this.db('quality_check_daily')
      .where({ product_ref: entityRef })
      .whereBetween('day', [utcDay(range.from), range.to])
      .orderBy('day');
    return rows.map(row => {
      const c = counts(row);
      const counted = c.pass + c.warn + c.fail + c.error;
      return {
        day: iso(row.day).slice(0, 10),
        counts: c,
        ...(counted ? { passRate: c.pass / counted } : {}),
      };
    });
  }

  async getMetricSeries(
    entityRef: string,
    range: { from: number; to: number; resolution: 'raw' | 'day' },
  ): Promise<MetricSeries[]> {
    const series = new Map<string, MetricSeries>();
    const seriesFor = (metric: string, port: string, column: string) => {
      const key = JSON.stringify([metric, port, column]);
      let entry = series.get(key);
      if (!entry) {
        entry = {
          metric,
          ...(port ? { port } : {}),
          ...(column ? { column } : {}),
          points: [],
        };
        series.set(key, entry);
      }
      return entry;
    };
    if (range.resolution === 'raw') {
      const rows = await this.db('quality_metric_points')
        .where({ product_ref: entityRef })
        .whereBetween('observed_at', [range.from, range.to])
        .orderBy([
          { column: 'metric' },
          { column: 'port' },
          { column: 'column_name' },
          { column: 'observed_at' },
        ])
        .select('metric', 'port', 'column_name', 'observed_at', 'value');
      for (const row of rows) {
        seriesFor(row.metric, row.port, row.column_name).points.push({
          at: iso(row.observed_at),
          value: Number(row.value),
        });
      }
    } else {
      const rows = await this.db('quality_metric_daily')
        .where({ product_ref: entityRef })
        .whereBetween('day', [utcDay(range.from), range.to])
        .orderBy([
          { column: 'metric' },
          { column: 'port' },
          { column: 'column_name' },
          { column: 'day' },
        ]);
      for (const row of rows) {
        seriesFor(row.metric, row.port, row.column_name).points.push({
          at: iso(row.day),
          value: Number(row.sum) / Number(row.count),
          min: Number(row.min),
          max: Number(row.max),
        });
      }
    }
    return [...series.values()];
  }

  async listRuns(
    entityRef: string,
    options?: { limit?: number },
  ): Promise<StoredQualityRun[]> {
    const rows: RunRow[] = await this.db('quality_runs')
      .where({ product_ref: entityRef })
      .orderBy([
        { column: 'finished_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(options?.limit ?? 20);
    return rows.map(toRun);
  }

  async getRun(runId: number): Promise<StoredQualityRun | undefined> {
    const row: RunRow | undefined = await this.db('quality_runs')
      .where({ id: runId })
      .first();
    return row ? toRun(row) : undefined;
  }

  async getRawDocument(
    runId: number,
  ): Promise<{ contentType: string; body: string } | undefined> {
    const row = await this.db('quality_runs')
      .join(
        'quality_raw_documents',
        'quality_raw_documents.id',
        'quality_runs.raw_document_id',
      )
      .where('quality_runs.id', runId)
      .first(
        'quality_raw_documents.content_type',
        'quality_raw_documents.body',
      );
    return row ? { contentType: row.content_type, body: row.body } : undefined;
  }

  async getPullState(entityRef: string): Promise<QualityPullState | undefined> {
    const row = await this.db('quality_pull_sources')
      .where({ product_ref: entityRef })
      .first();
    if (!row) {
      return undefined;
    }
    return {
      entityRef,
      url: row.url,
      ...(row.etag ? { etag: row.etag } : {}),
      ...(row.pulled_at !== null ? { pulledAt: iso(row.pulled_at) } : {}),
      ...(row.status ? { status: row.status } : {}),
      ...(row.error ? { error: row.error } : {}),
    };
  }

  async setPullState(state: QualityPullState): Promise<void> {
    await this.db('quality_pull_sources')
      .insert({
        product_ref: state.entityRef,
        url: state.url,
        etag: state.etag ?? null,
        pulled_at: state.pulledAt ? Date.parse(state.pulledAt) : null,
        status: state.status ?? null,
        error: state.error ?? null,
      })
      .onConflict('product_ref')
      .merge();
  }

  async prune(options: {
    rawDocumentsBefore: number;
    resultsBefore: number;
    datasetUpdatesBefore?: number;
  }): Promise<QualityPruneResult> {
    return this.db.transaction(async trx => {
      const old = trx('quality_raw_documents')
        .where('received_at', '<', options.rawDocumentsBefore)
        .select('id');
      await trx('quality_runs')
        .whereIn('raw_document_id', old)
        .update({ raw_document_id: null });
      const rawDocuments = await trx('quality_raw_documents')
        .where('received_at', '<', options.rawDocumentsBefore)
        .delete();
      const checkResults = await trx('quality_check_results')
        .where('executed_at', '<', options.resultsBefore)
        .delete();
      const metricPoints = await trx('quality_metric_points')
        .where('observed_at', '<', options.resultsBefore)
        .delete();
      if (options.datasetUpdatesBefore === undefined) {
        return { rawDocuments, checkResults, metricPoints };
      }
      // the latest update of each port stays, however old: freshness is measured from it
      const datasetUpdates = await trx('quality_dataset_updates')
        .where('updated_at', '<', options.datasetUpdatesBefore)
        .where(
          'updated_at',
          '<',
          trx('quality_dataset_updates as latest')
            .max('latest.updated_at')
            .whereRaw(
              'latest.product_ref = quality_dataset_updates.product_ref',
            )
            .whereRaw('latest.port = quality_dataset_updates.port'),
        )
        .delete();
      return { rawDocuments, checkResults, metricPoints, datasetUpdates };
    });
  }
}
