import { sql } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import type { MonitorCheckRow } from '../../db/schema.js';
import { badInput } from '../shared/errors.js';
import { binOf, histogramOf, mergeHistogram, quantileOf } from './histogram.js';

/** A chart's time span, its bucket width, and where its numbers come from. */
export const SERIES_RANGES = {
  // raw checks: exact percentiles, at most a day of rows
  HOUR: { seconds: 3_600, bucketSeconds: 60, source: 'checks' },
  DAY: { seconds: 86_400, bucketSeconds: 900, source: 'checks' },
  // hourly rollups: 168 and 720 rows whatever the check interval
  WEEK: { seconds: 7 * 86_400, bucketSeconds: 3_600, source: 'hours' },
  MONTH: { seconds: 30 * 86_400, bucketSeconds: 6 * 3_600, source: 'hours' },
} as const;

export type SeriesRange = keyof typeof SERIES_RANGES;

/** Hourly rollups are kept this long (the status page shows 90 days). */
export const ROLLUP_RETENTION_DAYS = 100;

export interface CheckNumbers {
  /** Checks in the bucket (or the whole series). */
  count: number;
  failures: number;
  /** Over the checks that got an answer (a response time); null when none did. */
  avgMs: number | null;
  p95Ms: number | null;
  minMs: number | null;
  maxMs: number | null;
}

export interface CheckBucket extends CheckNumbers {
  start: Date;
}

export interface CheckSeries {
  range: SeriesRange;
  bucketSeconds: number;
  from: Date;
  to: Date;
  /** Every bucket from `from` to `to`, empty ones included, oldest first. */
  buckets: CheckBucket[];
  summary: CheckNumbers;
}

type Rows<T> = { rows: T[] };
const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const uuidArray = (ids: string[]) => sql`array[${sql.join(ids.map((id) => sql`${id}::uuid`), sql`, `)}]::uuid[]`;
const EPOCH = sql`timestamptz '1970-01-01 00:00:00+00'`;

/**
 * Aggregates over a monitor's checks for charts, uptime and heartbeat bars, read from the raw
 * checks for short spans and from the hourly rollup (`monitor_check_hours`) for long ones.
 */
export function createCheckStats({ db }: { db: Database }) {
  async function fromChecks(monitorId: string, range: SeriesRange) {
    const { seconds, bucketSeconds } = SERIES_RANGES[range];
    // grouping sets: one row per bucket, and one (start null) for the whole span, even when
    // empty; the bound is written inline so the planner walks (monitor_id, checked_at)
    const from = sql`date_bin(make_interval(secs => ${bucketSeconds}), now() - make_interval(secs => ${seconds}), ${EPOCH})`;
    const result = (await db.execute(sql`
      select date_bin(make_interval(secs => ${bucketSeconds}), c.checked_at, ${EPOCH}) as start,
        count(*)::int as count, (count(*) filter (where not c.ok))::int as failures,
        avg(c.response_time_ms) as avg_ms, percentile_cont(0.95) within group (order by c.response_time_ms) as p95_ms,
        min(c.response_time_ms) as min_ms, max(c.response_time_ms) as max_ms,
        ${from} as from_at, now() as to_at
      from monitor_checks c
      where c.monitor_id = ${monitorId} and c.checked_at >= ${from}
      group by grouping sets ((1), ())
    `)) as unknown as Rows<Record<string, unknown>>;
    const stats = (r: Record<string, unknown>): CheckNumbers => ({
      count: Number(r.count),
      failures: Number(r.failures),
      avgMs: r.avg_ms === null ? null : Math.round(Number(r.avg_ms)),
      p95Ms: r.p95_ms === null ? null : Math.round(Number(r.p95_ms)),
      minMs: num(r.min_ms),
      maxMs: num(r.max_ms),
    });
    const total = result.rows.find((r) => r.start === null)!;
    const buckets = result.rows.filter((r) => r.start !== null).map((r) => ({ start: new Date(r.start as string), ...stats(r) }));
    return { from: new Date(total.from_at as string), to: new Date(total.to_at as string), buckets, summary: stats(total) };
  }

  async function fromHours(monitorId: string, range: SeriesRange) {
    const { seconds, bucketSeconds } = SERIES_RANGES[range];
    // One row per bucket: sums in SQL, and the bucket's hourly histograms as one text of
    // numbers, merged here — measured 2–3× faster than merging bins in SQL (unnest + window),
    // and far cheaper to decode than int[] columns. The bound is written inline so the planner
    // walks the primary key (monitor_id, hour).
    const from = sql`date_bin(make_interval(secs => ${bucketSeconds}), now() - make_interval(secs => ${seconds}), ${EPOCH})`;
    const result = (await db.execute(sql`
      select b.from_at, b.to_at, h.* from (select ${from} as from_at, now() as to_at) b
      left join (
        select date_bin(make_interval(secs => ${bucketSeconds}), hour, ${EPOCH}) as start, sum(checks)::int as checks, sum(checks - ok_checks)::int as failures,
          sum(timed_checks)::int as timed, sum(response_ms_sum)::bigint as sum_ms, min(min_ms) as min_ms, max(max_ms) as max_ms,
          string_agg(array_to_string(histogram, ','), ';') as histograms
        from monitor_check_hours where monitor_id = ${monitorId} and hour >= ${from}
        group by 1
      ) h on true
      order by h.start
    `)) as unknown as Rows<Record<string, unknown>>;
    type Acc = { count: number; failures: number; timed: number; sumMs: number; minMs: number | null; maxMs: number | null; histogram: number[] };
    const empty = (): Acc => ({ count: 0, failures: 0, timed: 0, sumMs: 0, minMs: null, maxMs: null, histogram: histogramOf() });
    const stats = (acc: Acc): CheckNumbers => ({
      count: acc.count,
      failures: acc.failures,
      avgMs: acc.timed ? Math.round(acc.sumMs / acc.timed) : null,
      p95Ms: quantileOf(acc.histogram, 0.95, acc.minMs, acc.maxMs),
      minMs: acc.minMs,
      maxMs: acc.maxMs,
    });
    const total = empty();
    const buckets: CheckBucket[] = [];
    for (const r of result.rows) {
      if (r.start === null) continue;
      const acc = empty();
      acc.count = Number(r.checks);
      acc.failures = Number(r.failures);
      acc.timed = Number(r.timed);
      acc.sumMs = Number(r.sum_ms);
      acc.minMs = num(r.min_ms);
      acc.maxMs = num(r.max_ms);
      for (const hour of ((r.histograms as string | null) ?? '').split(';')) {
        const bins = hour.split(',');
        for (let i = 0; i < bins.length; i++) if (bins[i] !== '0' && bins[i] !== '') acc.histogram[i] = (acc.histogram[i] ?? 0) + Number(bins[i]);
      }
      buckets.push({ start: new Date(r.start as string), ...stats(acc) });
      total.count += acc.count;
      total.failures += acc.failures;
      total.timed += acc.timed;
      total.sumMs += acc.sumMs;
      if (acc.minMs !== null) total.minMs = total.minMs === null ? acc.minMs : Math.min(total.minMs, acc.minMs);
      if (acc.maxMs !== null) total.maxMs = total.maxMs === null ? acc.maxMs : Math.max(total.maxMs, acc.maxMs);
      mergeHistogram(total.histogram, acc.histogram);
    }
    const first = result.rows[0]!;
    return { from: new Date(first.from_at as string), to: new Date(first.to_at as string), buckets, summary: stats(total) };
  }

  return {
    /** The monitor's checks over `range` in buckets, every bucket present (empty ones with count 0). */
    async series(monitorId: string, range: SeriesRange): Promise<CheckSeries> {
      const spec = SERIES_RANGES[range];
      if (!spec) throw badInput('range must be HOUR, DAY, WEEK or MONTH', 'range');
      const { from, to, buckets, summary } = spec.source === 'checks' ? await fromChecks(monitorId, range) : await fromHours(monitorId, range);
      const filled: CheckBucket[] = [];
      const byStart = new Map(buckets.map((b) => [b.start.getTime(), b]));
      const step = spec.bucketSeconds * 1000;
      for (let at = from.getTime(); at <= to.getTime(); at += step) {
        filled.push(byStart.get(at) ?? { start: new Date(at), count: 0, failures: 0, avgMs: null, p95Ms: null, minMs: null, maxMs: null });
      }
      return { range, bucketSeconds: spec.bucketSeconds, from, to, buckets: filled, summary };
    },

    /**
     * Checks and failures of each monitor over each window of `hours` ending now, in one query:
     * whole hours from the rollup, the partial oldest hour from the raw checks, so the window is
     * exact to the check.
     */
    async uptimes(monitorIds: string[], hoursList: number[]): Promise<Map<string, { checks: number; failures: number }>> {
      const out = new Map<string, { checks: number; failures: number }>();
      if (monitorIds.length === 0 || hoursList.length === 0) return out;
      const result = (await db.execute(sql`
        select m.id as monitor_id, w.hours,
          coalesce(h.checks, 0) + coalesce(r.checks, 0) as checks, coalesce(h.failures, 0) + coalesce(r.failures, 0) as failures
        from unnest(${uuidArray(monitorIds)}) as m(id)
        cross join unnest(${sql`array[${sql.join(hoursList.map((h) => sql`${h}::int`), sql`, `)}]`}) as w(hours)
        cross join lateral (select date_bin(interval '1 hour', now() - make_interval(hours => w.hours), ${EPOCH}) + interval '1 hour' as edge) e
        left join lateral (
          select sum(checks)::int as checks, sum(checks - ok_checks)::int as failures from monitor_check_hours where monitor_id = m.id and hour >= e.edge
        ) h on true
        left join lateral (
          select count(*)::int as checks, (count(*) filter (where not ok))::int as failures from monitor_checks
          where monitor_id = m.id and checked_at > now() - make_interval(hours => w.hours) and checked_at < e.edge
        ) r on true
      `)) as unknown as Rows<{ monitor_id: string; hours: number; checks: number | string; failures: number | string }>;
      for (const r of result.rows) out.set(`${r.monitor_id}:${Number(r.hours)}`, { checks: Number(r.checks), failures: Number(r.failures) });
      return out;
    },

    /** The last `last` checks of each monitor, oldest first, in one query (a heartbeat bar per row of a list). */
    async recent(monitorIds: string[], last: number): Promise<Map<string, MonitorCheckRow[]>> {
      if (!Number.isInteger(last) || last < 1 || last > 1000) throw badInput('last must be between 1 and 1000', 'last');
      const out = new Map<string, MonitorCheckRow[]>(monitorIds.map((id) => [id, []]));
      if (monitorIds.length === 0) return out;
      const result = (await db.execute(sql`
        select c.* from unnest(${uuidArray(monitorIds)}) as m(id)
        -- ordered as the (monitor_id, id) index is, so the planner walks it; by id alone it may
        -- walk the primary key backwards past every other monitor's checks (bench/data/plans)
        cross join lateral (select * from monitor_checks where monitor_id = m.id order by monitor_id desc, id desc limit ${last}) c
        order by c.id
      `)) as unknown as Rows<Record<string, unknown>>;
      for (const r of result.rows) out.get(r.monitor_id as string)?.push(checkRow(r));
      return out;
    },

    /** Checks and failures per UTC day for the last `days` days (today included), per monitor. */
    async daily(monitorIds: string[], days: number): Promise<{ monitorId: string; day: Date; checks: number; failures: number }[]> {
      if (monitorIds.length === 0) return [];
      const result = (await db.execute(sql`
        select monitor_id, date_bin(interval '1 day', hour, ${EPOCH}) as day, sum(checks)::int as checks, sum(checks - ok_checks)::int as failures
        from monitor_check_hours
        where monitor_id = any(${uuidArray(monitorIds)}) and hour >= date_bin(interval '1 day', now(), ${EPOCH}) - make_interval(days => ${days - 1})
        group by 1, 2 order by 2
      `)) as unknown as Rows<{ monitor_id: string; day: string; checks: number; failures: number }>;
      return result.rows.map((r) => ({ monitorId: r.monitor_id, day: new Date(r.day), checks: Number(r.checks), failures: Number(r.failures) }));
    },
  };
}

/**
 * Adds a just-stored check to its hour's rollup, inside the check's transaction (the check's
 * `checked_at` is the transaction's now()). A new hour also trims the monitor's rollups older
 * than ROLLUP_RETENTION_DAYS: the cost stays one statement per monitor per hour.
 */
export async function addToRollup(tx: Database, check: Pick<MonitorCheckRow, 'monitorId' | 'tenantId' | 'ok' | 'responseTimeMs'>) {
  const ms = check.responseTimeMs;
  const index = (ms === null ? 0 : binOf(ms)) + 1;
  const result = (await tx.execute(sql`
    insert into monitor_check_hours as h (monitor_id, hour, tenant_id, checks, ok_checks, timed_checks, response_ms_sum, min_ms, max_ms, histogram)
    values (${check.monitorId}, date_bin(interval '1 hour', now(), ${EPOCH}), ${check.tenantId}, 1, ${check.ok ? 1 : 0}, ${ms === null ? 0 : 1}, ${ms ?? 0},
      ${ms}::int, ${ms}::int, ${`{${(ms === null ? histogramOf() : histogramOf(ms)).join(',')}}`}::int[])
    on conflict (monitor_id, hour) do update set
      checks = h.checks + 1, ok_checks = h.ok_checks + excluded.ok_checks, timed_checks = h.timed_checks + excluded.timed_checks,
      response_ms_sum = h.response_ms_sum + excluded.response_ms_sum,
      min_ms = least(h.min_ms, excluded.min_ms), max_ms = greatest(h.max_ms, excluded.max_ms),
      histogram[${index}] = h.histogram[${index}] + ${ms === null ? 0 : 1}
    returning (xmax = 0) as inserted
  `)) as unknown as Rows<{ inserted: boolean }>;
  if (result.rows[0]?.inserted) {
    await tx.execute(sql`delete from monitor_check_hours where monitor_id = ${check.monitorId} and hour < now() - make_interval(days => ${ROLLUP_RETENTION_DAYS})`);
  }
}

export type CheckStats = ReturnType<typeof createCheckStats>;


function checkRow(r: Record<string, unknown>): MonitorCheckRow {
  return {
    id: Number(r.id),
    tenantId: r.tenant_id as string,
    monitorId: r.monitor_id as string,
    ok: r.ok as boolean,
    httpStatus: num(r.http_status),
    responseTimeMs: num(r.response_time_ms),
    durationMs: num(r.duration_ms),
    error: (r.error as string | null) ?? null,
    certExpiresAt: r.cert_expires_at ? new Date(r.cert_expires_at as string) : null,
    certValid: (r.cert_valid as boolean | null) ?? null,
    checkedAt: new Date(r.checked_at as string),
  };
}
