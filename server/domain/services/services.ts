import { and, asc, desc, eq, ilike, inArray, or, sql, type SQL } from 'drizzle-orm';
import type { Bus } from '../../bus/index.js';
import { afterCommitPublishFailed } from '../../bus/index.js';
import { topics, type ServiceSnapshot } from '../../bus/topics.js';
import type { Database } from '../../db/client.js';
import { escapeLike } from '../../db/escape-like.js';
import { serviceHistory, serviceSamples, services, type ServiceRow } from '../../db/schema.js';
import { parseChannel } from '../logs/channels.js';
import { badInput, notFound } from '../shared/errors.js';

export const REPORTED_STATES = ['RUNNING', 'IDLE', 'DEGRADED', 'STOPPED', 'FAILED'] as const;
export type ReportedState = (typeof REPORTED_STATES)[number];

export interface ServiceStatusInput {
  key: string;
  name?: string | null;
  state: ReportedState;
  queueSize?: number | null;
  processedCount?: number | null;
  failedCount?: number | null;
  intervalSeconds: number;
  message?: string | null;
  details?: unknown;
}

/** A service that has not reported for this many intervals is STALE. */
export const STALE_AFTER_INTERVALS = 3;

export interface CreateServicesOptions {
  db: Database;
  bus: Bus;
  /** State changes kept per service. @default 100 */
  historyLimit?: number;
}

/** Per-minute samples of queue size and counters are kept this long per service. */
export const SERVICE_SAMPLE_HOURS = 24;

export interface ServiceSample {
  /** The minute (UTC) the sample covers. */
  at: Date;
  queueSize: number | null;
  maxQueueSize: number | null;
  processedCount: number | null;
  failedCount: number | null;
  /** Counter increase per minute since the previous sample; null across a gap's start or a counter reset. */
  processedPerMinute: number | null;
  failedPerMinute: number | null;
}

export interface ServiceFilter {
  /** Any of these (STALE: silent services; the others: reporting services in that state). */
  states?: string[];
  /** Key or name contains (case-insensitive). */
  search?: string;
}

export type Services = ReturnType<typeof createServices>;

export function toSnapshot(row: ServiceRow): ServiceSnapshot {
  return {
    key: row.key,
    name: row.name,
    state: row.stale ? 'STALE' : row.state,
    reportedState: row.state,
    stale: row.stale,
    staleSince: row.stale ? row.staleAt.toISOString() : null,
    queueSize: row.queueSize,
    processedCount: row.processedCount,
    failedCount: row.failedCount,
    intervalSeconds: row.intervalSeconds,
    message: row.message,
    details: row.details,
    version: row.version,
    lastReportAt: row.lastReportAt.toISOString(),
    createdAt: row.createdAt.toISOString(),
  };
}

const numberOrNull = (v: unknown) => (v === null || v === undefined ? null : Number(v));

/** Service status: report (upsert + history + publish), STALE detection, deletion. */
export function createServices({ db, bus, historyLimit = 100 }: CreateServicesOptions) {
  const nextVersion = sql<number>`nextval('service_version_seq')`;

  async function publish(tenantId: string, key: string, version: number, service: ServiceSnapshot | null) {
    await bus.publish(tenantId, topics.serviceChanged(), { key, version, service }).catch(afterCommitPublishFailed);
  }

  async function recordHistory(tx: Database, tenantId: string, key: string, state: string, previousState: string | null, message: string | null) {
    await tx.insert(serviceHistory).values({ tenantId, key, state, previousState, message });
    await tx.execute(sql`
      delete from service_history where tenant_id = ${tenantId} and key = ${key} and id <= (
        select id from service_history where tenant_id = ${tenantId} and key = ${key}
        order by id desc offset ${historyLimit} limit 1)`);
  }

  /**
   * Folds a report into its minute's sample, in the report's transaction; a service's first
   * report of a minute also trims its samples older than SERVICE_SAMPLE_HOURS, so the table
   * stays bounded by services × minutes kept, and the cost is one statement per report.
   */
  async function recordSample(tx: Database, tenantId: string, key: string, input: ServiceStatusInput) {
    const queue = input.queueSize ?? null;
    const result = (await tx.execute(sql`
      insert into service_samples as s (tenant_id, key, minute, queue_size, max_queue_size, processed_count, failed_count)
      values (${tenantId}, ${key}, date_bin(interval '1 minute', now(), timestamptz '1970-01-01 00:00:00+00'), ${queue}::int, ${queue}::int,
        ${input.processedCount ?? null}::bigint, ${input.failedCount ?? null}::bigint)
      on conflict (tenant_id, key, minute) do update set
        queue_size = excluded.queue_size, max_queue_size = greatest(s.max_queue_size, excluded.queue_size),
        processed_count = coalesce(excluded.processed_count, s.processed_count), failed_count = coalesce(excluded.failed_count, s.failed_count)
      returning (xmax = 0) as inserted
    `)) as unknown as { rows: { inserted: boolean }[] };
    if (result.rows[0]?.inserted) {
      await tx.execute(sql`delete from service_samples where tenant_id = ${tenantId} and key = ${key} and minute < now() - make_interval(hours => ${SERVICE_SAMPLE_HOURS})`);
    }
  }

  return {
    /**
     * Per-minute samples of each service over the last `minutes`, oldest first, with the
     * throughput between neighbouring samples; one query for a page of services.
     */
    async samples(tenantId: string, keys: string[], minutes: number): Promise<Map<string, ServiceSample[]>> {
      if (!Number.isInteger(minutes) || minutes < 1 || minutes > SERVICE_SAMPLE_HOURS * 60) {
        throw badInput(`minutes must be between 1 and ${SERVICE_SAMPLE_HOURS * 60}`, 'minutes');
      }
      const out = new Map<string, ServiceSample[]>(keys.map((k) => [k, []]));
      if (keys.length === 0) return out;
      // the window's samples, and each service's last one before it: the first minute's
      // throughput needs its predecessor, however long the gap before it
      const result = (await db.execute(sql`
        with bounds as (select date_bin(interval '1 minute', now(), timestamptz '1970-01-01 00:00:00+00') - make_interval(mins => ${minutes - 1}) as start)
        select s.*, s.minute >= b.start as in_window from bounds b, unnest(array[${sql.join(keys.map((k) => sql`${k}`), sql`, `)}]::text[]) as k(key)
        cross join lateral (
          (select * from service_samples where tenant_id = ${tenantId} and key = k.key and minute < b.start order by minute desc limit 1)
          union all
          (select * from service_samples where tenant_id = ${tenantId} and key = k.key and minute >= b.start)
        ) s
        order by s.key, s.minute
      `)) as unknown as { rows: Record<string, unknown>[] };
      const rows = result.rows.map((r) => ({
        key: r.key as string,
        minute: new Date(r.minute as string),
        queueSize: numberOrNull(r.queue_size),
        maxQueueSize: numberOrNull(r.max_queue_size),
        processedCount: numberOrNull(r.processed_count),
        failedCount: numberOrNull(r.failed_count),
        inWindow: r.in_window === true,
      }));
      const perMinute = (now: number | null, before: number | null, minutesApart: number) =>
        now === null || before === null || now < before ? null : (now - before) / minutesApart;
      for (const key of keys) {
        const mine = rows.filter((r) => r.key === key);
        const samples = mine.map((r, i): ServiceSample => {
          const previous = mine[i - 1];
          const apart = previous ? (r.minute.getTime() - previous.minute.getTime()) / 60_000 : 0;
          return {
            at: r.minute,
            queueSize: r.queueSize,
            maxQueueSize: r.maxQueueSize,
            processedCount: r.processedCount,
            failedCount: r.failedCount,
            processedPerMinute: previous ? perMinute(r.processedCount, previous.processedCount, apart) : null,
            failedPerMinute: previous ? perMinute(r.failedCount, previous.failedCount, apart) : null,
          };
        });
        out.set(key, samples.filter((_, i) => mine[i]!.inWindow));
      }
      return out;
    },

    async report(tenantId: string, input: ServiceStatusInput): Promise<ServiceSnapshot> {
      const key = parseChannel(input.key, 'key');
      if (!Number.isInteger(input.intervalSeconds) || input.intervalSeconds < 1 || input.intervalSeconds > 86_400) {
        throw badInput('intervalSeconds must be between 1 and 86400', 'intervalSeconds');
      }
      for (const field of ['queueSize', 'processedCount', 'failedCount'] as const) {
        const value = input[field];
        if (value != null && (!Number.isInteger(value) || value < 0)) throw badInput(`${field} must be a whole number >= 0`, field);
      }
      const name = (input.name ?? '').trim() || key;
      if (name.length > 200) throw badInput('name must be at most 200 characters', 'name');
      if (input.message && input.message.length > 2_000) throw badInput('message must be at most 2000 characters', 'message');
      if (input.details != null && (typeof input.details !== 'object' || Array.isArray(input.details))) {
        throw badInput('details must be a JSON object', 'details');
      }
      if (input.details != null && JSON.stringify(input.details).length > 16_384) throw badInput('details is larger than 16384 bytes', 'details');

      const row = await db.transaction(async (tx) => {
        const [previous] = await tx
          .select({ state: services.state, stale: services.stale })
          .from(services)
          .where(and(eq(services.tenantId, tenantId), eq(services.key, key)))
          .for('update');
        const values = {
          name,
          state: input.state,
          stale: false,
          queueSize: input.queueSize ?? null,
          processedCount: input.processedCount ?? null,
          failedCount: input.failedCount ?? null,
          intervalSeconds: input.intervalSeconds,
          message: input.message ?? null,
          details: input.details ?? null,
          version: nextVersion,
          lastReportAt: sql`now()`,
          staleAt: sql`now() + make_interval(secs => ${input.intervalSeconds * STALE_AFTER_INTERVALS})`,
        };
        const [saved] = await tx
          .insert(services)
          .values({ tenantId, key, ...values })
          .onConflictDoUpdate({ target: [services.tenantId, services.key], set: values })
          .returning();
        const previousState = previous ? (previous.stale ? 'STALE' : previous.state) : null;
        if (previousState !== input.state) {
          await recordHistory(tx as unknown as Database, tenantId, key, input.state, previousState, input.message ?? null);
        }
        await recordSample(tx as unknown as Database, tenantId, key, input);
        return saved!;
      });
      const snapshot = toSnapshot(row);
      await publish(tenantId, key, row.version, snapshot);
      return snapshot;
    },

    async list(tenantId: string, { states = [], search }: ServiceFilter = {}): Promise<ServiceSnapshot[]> {
      const conditions: SQL[] = [eq(services.tenantId, tenantId)];
      if (states.length) {
        const reported = states.filter((s) => s !== 'STALE');
        const either: SQL[] = [];
        if (states.includes('STALE')) either.push(eq(services.stale, true));
        if (reported.length) either.push(and(eq(services.stale, false), inArray(services.state, reported))!);
        conditions.push(or(...either)!);
      }
      const term = search?.trim();
      if (term) conditions.push(or(ilike(services.key, `%${escapeLike(term)}%`), ilike(services.name, `%${escapeLike(term)}%`))!);
      const rows = await db.select().from(services).where(and(...conditions)).orderBy(asc(services.key));
      return rows.map(toSnapshot);
    },

    /**
     * What a live view compares to tell whether it missed a change: the newest version among
     * the tenant's services and how many there are (a deletion leaves no row to show it).
     */
    async versionSummary(tenantId: string): Promise<{ maxVersion: number; count: number }> {
      const result = (await db.execute(sql`
        select coalesce(max(version), 0)::bigint as max_version, count(*)::int as count
        from services where tenant_id = ${tenantId}`)) as unknown as { rows: { max_version: string | number; count: number }[] };
      const [row] = result.rows;
      return { maxVersion: Number(row!.max_version), count: Number(row!.count) };
    },

    /** A version newer than any handed out so far: what a removal found late is stamped with. */
    async takeVersion(): Promise<number> {
      const result = (await db.execute(sql`select nextval('service_version_seq')::bigint as v`)) as unknown as { rows: { v: string | number }[] };
      return Number(result.rows[0]!.v);
    },

    async get(tenantId: string, key: string): Promise<ServiceSnapshot | null> {
      const [row] = await db.select().from(services).where(and(eq(services.tenantId, tenantId), eq(services.key, key)));
      return row ? toSnapshot(row) : null;
    },

    async history(tenantId: string, key: string, last: number) {
      if (!Number.isInteger(last) || last < 1 || last > 1000) throw badInput('last must be between 1 and 1000', 'last');
      const rows = await db
        .select()
        .from(serviceHistory)
        .where(and(eq(serviceHistory.tenantId, tenantId), eq(serviceHistory.key, key)))
        .orderBy(desc(serviceHistory.id))
        .limit(last);
      return rows.reverse();
    },

    async remove(tenantId: string, key: string): Promise<void> {
      const version = await db.transaction(async (tx) => {
        const [deleted] = await tx
          .delete(services)
          .where(and(eq(services.tenantId, tenantId), eq(services.key, key)))
          .returning({ key: services.key });
        if (!deleted) throw notFound(`No service "${key}"`);
        await tx.delete(serviceHistory).where(and(eq(serviceHistory.tenantId, tenantId), eq(serviceHistory.key, key)));
        await tx.delete(serviceSamples).where(and(eq(serviceSamples.tenantId, tenantId), eq(serviceSamples.key, key)));
        const result = (await tx.execute(sql`select nextval('service_version_seq')::bigint as v`)) as unknown as { rows: { v: string }[] };
        return Number(result.rows[0]!.v);
      });
      await publish(tenantId, key, version, null);
    },

    /**
     * Marks services silent for 3 × their interval as STALE and tells subscribers. One
     * statement flips the flag and writes the history row, so the two never disagree; the
     * UPDATE … RETURNING claims each transition once, whichever instance runs it, and a report
     * committing first moves `stale_at` on, so the row no longer qualifies when it is re-read.
     */
    async markStale(): Promise<number> {
      const result = (await db.execute(sql`
        with marked as (
          update services set stale = true, version = nextval('service_version_seq')
          where stale = false and stale_at <= now()
          returning *
        ), recorded as (
          insert into service_history (tenant_id, key, state, previous_state, message)
          select tenant_id, key, 'STALE', state, 'No report for ${sql.raw(String(STALE_AFTER_INTERVALS))} × ' || interval_seconds || ' s' from marked
        )
        select * from marked`)) as unknown as { rows: Record<string, unknown>[] };
      for (const raw of result.rows) {
        const row = serviceRowFrom(raw);
        await publish(row.tenantId, row.key, row.version, toSnapshot(row));
      }
      return result.rows.length;
    },
  };
}

/** A services row as raw SQL returns it (snake_case, strings for bigints and times). */
function serviceRowFrom(r: Record<string, unknown>): ServiceRow {
  const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  return {
    tenantId: r.tenant_id as string,
    key: r.key as string,
    name: r.name as string,
    state: r.state as string,
    stale: r.stale as boolean,
    queueSize: num(r.queue_size),
    processedCount: num(r.processed_count),
    failedCount: num(r.failed_count),
    intervalSeconds: Number(r.interval_seconds),
    message: (r.message as string | null) ?? null,
    details: r.details ?? null,
    version: Number(r.version),
    lastReportAt: new Date(r.last_report_at as string),
    staleAt: new Date(r.stale_at as string),
    createdAt: new Date(r.created_at as string),
  };
}
