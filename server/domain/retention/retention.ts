import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Database } from '../../db/client.js';

export interface RetentionPolicy {
  /** Raw monitor checks kept (heartbeat bars, 24 h charts, incident timelines). @default 30 */
  checkDays?: number;
  /** Hourly check rollups kept (30-day charts, 90-day status bars). @default 400 */
  rollupDays?: number;
  /** Per-minute service samples kept, for services that stopped reporting. @default 24 */
  sampleHours?: number;
  /** Webhook deliveries (and their attempts) kept once delivered or failed. @default 30 */
  deliveryDays?: number;
  /** publishLogs idempotency keys kept: a retry later than this may store its batch again. @default 24 */
  publishKeyHours?: number;
  /** Rows one statement deletes: short transactions, so writers never wait long. @default 2000 */
  batchSize?: number;
  /** Statements one pass runs at most per table; the rest waits for the next pass. @default 50 */
  maxBatches?: number;
  /** How long a claimed pass holds off the other instances. @default 60000 */
  leaseMs?: number;
}

export interface RetentionPassResult {
  /** False when another instance holds the pass (nothing was done here). */
  ran: boolean;
  deleted: Record<string, number>;
}

const LEASE = 'retention';

type Rows<T> = { rows: T[] };

/**
 * Retention for every table that grows with time, run by one instance at a time (a claimed
 * row in `maintenance_leases`, so it works alike on PostgreSQL and PGlite and needs no session
 * of its own). Each step deletes the oldest rows in batches found by an index, so a pass that
 * finds nothing expired costs the same at any table size, and one that finds some costs what it
 * deletes. Every time comparison uses the database's clock.
 *
 * Log entries: by age (the tenant's maxAgeHours) and by count per channel (maxEntriesPerChannel,
 * read from `log_channels.entry_count`, never by counting the table). Each batch runs under the
 * tenant's log head lock, the lock publishers take first, so pruning and publishing lock in one
 * order and never deadlock; `pruned_through` moves in the same transaction as the delete.
 */
export function createRetention({ db, policy = {} }: { db: Database; policy?: RetentionPolicy }) {
  const { checkDays = 30, rollupDays = 400, sampleHours = 24, deliveryDays = 30, publishKeyHours = 24, batchSize = 2_000, maxBatches = 50, leaseMs = 60_000 } = policy;
  const holder = randomUUID();

  /** Takes the pass for this instance until `leaseMs` from now, unless another holds it. */
  async function claim(): Promise<boolean> {
    const result = (await db.execute(sql`
      insert into maintenance_leases (name, held_until, holder) values (${LEASE}, now() + make_interval(secs => ${leaseMs / 1000}), ${holder})
      on conflict (name) do update set held_until = excluded.held_until, holder = excluded.holder
      where maintenance_leases.held_until <= now()
      returning holder`)) as unknown as Rows<{ holder: string }>;
    return result.rows.length > 0;
  }

  /** Runs `batch` until it deletes fewer than a batch or `maxBatches` ran; the rows deleted. */
  async function repeat(batch: () => Promise<number>): Promise<number> {
    let total = 0;
    for (let i = 0; i < maxBatches; i++) {
      const n = await batch();
      total += n;
      if (n < batchSize) break;
    }
    return total;
  }

  const count = (result: unknown) => Number((result as Rows<{ n: number | string }>).rows[0]?.n ?? 0);

  /**
   * Per tenant, its oldest entries past maxAgeHours. Entries are numbered in the order they are
   * received, so the oldest `batchSize` by cursor (the primary key) are the only candidates:
   * no index on time, and no scan past them when nothing is expired.
   */
  async function logsByAge(): Promise<number> {
    const tenants = (await db.execute(sql`select tenant_id from log_heads`)) as unknown as Rows<{ tenant_id: string }>;
    let total = 0;
    for (const { tenant_id: tenantId } of tenants.rows) {
      total += await repeat(() =>
        lockedForTenant(tenantId, sql`
          select e.seq, e.channel from (
            select seq, channel, received_at from log_entries where tenant_id = ${tenantId} order by seq limit ${batchSize}
          ) e, tenants t
          where t.id = ${tenantId} and e.received_at < now() - make_interval(hours => t.log_retention_hours)`),
      );
    }
    return total;
  }

  /** Channels holding more than their tenant's maxEntriesPerChannel: their oldest entries. */
  async function logsByCount(): Promise<number> {
    const over = (await db.execute(sql`
      select c.tenant_id, c.channel from log_channels c join tenants t on t.id = c.tenant_id
      where c.entry_count > t.log_retention_count`)) as unknown as Rows<{ tenant_id: string; channel: string }>;
    let total = 0;
    for (const { tenant_id: tenantId, channel } of over.rows) {
      total += await repeat(() =>
        lockedForTenant(tenantId, sql`
          select e.seq, e.channel from log_channels c, tenants t, lateral (
            select seq, channel from log_entries where tenant_id = c.tenant_id and channel = c.channel
            order by seq limit least(${batchSize}, greatest(c.entry_count - t.log_retention_count, 0))
          ) e
          where c.tenant_id = ${tenantId} and c.channel = ${channel} and t.id = c.tenant_id`),
      );
    }
    return total;
  }

  /**
   * Deletes the entries `doomed` selects (seq, channel) in one transaction that first takes the
   * tenant's log head lock, and records per channel how far retention went and what is left.
   */
  async function lockedForTenant(tenantId: string, doomed: ReturnType<typeof sql>): Promise<number> {
    return db.transaction(async (tx) => {
      await tx.execute(sql`select 1 from log_heads where tenant_id = ${tenantId} for update`);
      const result = await tx.execute(sql`
        with doomed as (${doomed}),
        deleted as (
          delete from log_entries e using doomed d where e.tenant_id = ${tenantId} and e.seq = d.seq
          returning e.channel, e.seq
        ), marked as (
          update log_channels c set pruned_through = greatest(c.pruned_through, m.max_seq), entry_count = greatest(c.entry_count - m.n, 0)
          from (select channel, max(seq) as max_seq, count(*) as n from deleted group by channel) m
          where c.tenant_id = ${tenantId} and c.channel = m.channel
          returning 1
        )
        select (select count(*) from deleted)::int as n, (select count(*) from marked)::int as channels`);
      return count(result);
    });
  }

  /** Deletes, a batch at a time, the rows of `table` whose `column` is older than `age`. */
  const byTime = (table: string, key: string, column: string, age: ReturnType<typeof sql>, extra = sql``) =>
    repeat(async () =>
      count(
        await db.execute(sql`
          with doomed as (
            select ${sql.raw(key)} from ${sql.raw(table)} where ${sql.raw(column)} < now() - ${age} ${extra}
            order by ${sql.raw(column)} limit ${batchSize}
          ), deleted as (delete from ${sql.raw(table)} where (${sql.raw(key)}) in (select ${sql.raw(key)} from doomed) returning 1)
          select count(*)::int as n from deleted`),
      ),
    );

  async function pass(): Promise<Record<string, number>> {
    return {
      logEntriesByAge: await logsByAge(),
      logEntriesByCount: await logsByCount(),
      monitorChecks: await byTime('monitor_checks', 'id', 'checked_at', sql`make_interval(days => ${checkDays})`),
      monitorCheckHours: await byTime('monitor_check_hours', 'monitor_id, hour', 'hour', sql`make_interval(days => ${rollupDays})`),
      serviceSamples: await byTime('service_samples', 'tenant_id, key, minute', 'minute', sql`make_interval(hours => ${sampleHours})`),
      webhookDeliveries: await byTime('notification_deliveries', 'id', 'created_at', sql`make_interval(days => ${deliveryDays})`, sql`and status <> 'PENDING'`),
      publishKeys: await byTime('publish_keys', 'tenant_id, caller, key', 'created_at', sql`make_interval(hours => ${publishKeyHours})`),
    };
  }

  return {
    policy: { checkDays, rollupDays, sampleHours, deliveryDays, publishKeyHours, batchSize, maxBatches, leaseMs },

    /**
     * One pass over every table, when no other instance holds it (`force`: regardless, for
     * benchmarks and operators). Safe to run anywhere at any time: deletes are idempotent and
     * batches lock in the same order as the writers.
     */
    async runPass({ force = false } = {}): Promise<RetentionPassResult> {
      if (!force && !(await claim())) return { ran: false, deleted: {} };
      return { ran: true, deleted: await pass() };
    },
  };
}

export type Retention = ReturnType<typeof createRetention>;
