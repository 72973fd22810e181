import { and, asc, desc, eq, lte, sql } from 'drizzle-orm';
import type { Bus } from '../../bus/index.js';
import { topics, type ServiceSnapshot } from '../../bus/topics.js';
import type { Database } from '../../db/client.js';
import { serviceHistory, services, type ServiceRow } from '../../db/schema.js';
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

export type Services = ReturnType<typeof createServices>;

export function toSnapshot(row: ServiceRow): ServiceSnapshot {
  return {
    key: row.key,
    name: row.name,
    state: row.stale ? 'STALE' : row.state,
    stale: row.stale,
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

/** Service status: report (upsert + history + publish), STALE detection, deletion. */
export function createServices({ db, bus, historyLimit = 100 }: CreateServicesOptions) {
  const nextVersion = sql<number>`nextval('service_version_seq')`;

  async function publish(tenantId: string, key: string, version: number, service: ServiceSnapshot | null) {
    await bus.publish(tenantId, topics.serviceChanged(), { key, version, service }).catch(() => {});
  }

  async function recordHistory(tx: Database, tenantId: string, key: string, state: string, previousState: string | null, message: string | null) {
    await tx.insert(serviceHistory).values({ tenantId, key, state, previousState, message });
    await tx.execute(sql`
      delete from service_history where tenant_id = ${tenantId} and key = ${key} and id <= (
        select id from service_history where tenant_id = ${tenantId} and key = ${key}
        order by id desc offset ${historyLimit} limit 1)`);
  }

  return {
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
        return saved!;
      });
      const snapshot = toSnapshot(row);
      await publish(tenantId, key, row.version, snapshot);
      return snapshot;
    },

    async list(tenantId: string): Promise<ServiceSnapshot[]> {
      const rows = await db.select().from(services).where(eq(services.tenantId, tenantId)).orderBy(asc(services.key));
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
        const result = (await tx.execute(sql`select nextval('service_version_seq')::bigint as v`)) as unknown as { rows: { v: string }[] };
        return Number(result.rows[0]!.v);
      });
      await publish(tenantId, key, version, null);
    },

    /**
     * Marks services silent for 3 × their interval as STALE and tells subscribers. The
     * UPDATE … RETURNING claims each transition once, whichever instance runs it.
     */
    async markStale(): Promise<number> {
      const rows = await db
        .update(services)
        .set({ stale: true, version: nextVersion })
        .where(and(eq(services.stale, false), lte(services.staleAt, sql`now()`)))
        .returning();
      for (const row of rows) {
        await recordHistory(db, row.tenantId, row.key, 'STALE', row.state, `No report for ${STALE_AFTER_INTERVALS} × ${row.intervalSeconds} s`);
        await publish(row.tenantId, row.key, row.version, toSnapshot(row));
      }
      return rows.length;
    },
  };
}
