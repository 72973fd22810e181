import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { and, arrayContains, arrayOverlaps, asc, desc, eq, gte, inArray, isNull, lte, or, sql } from 'drizzle-orm';
import type { Bus } from '../../bus/index.js';
import { afterCommitPublishFailed } from '../../bus/index.js';
import { topics, type IncidentEvent, type MonitorCheckEvent } from '../../bus/topics.js';
import type { Database } from '../../db/client.js';
import { alertRules, incidents, maintenanceWindows, monitorChecks, monitors, type AlertRuleRow, type MonitorCheckRow, type MonitorRow } from '../../db/schema.js';
import { AddressRefused, checkAddress, checkHostname, type AddressPolicy } from '../shared/address-policy.js';
import { parseHostPort, type CheckOutcome } from './checker.js';
import { parseExpectedStatus } from './expected-status.js';
import { assess, checksNeeded, describeCondition } from './alerts.js';
import { addToRollup } from './check-stats.js';
import { isUuid } from '../auth/auth.js';
import { badInput, notFound, nullIfNotFound } from '../shared/errors.js';
import { openIncident, recordTransition, type Incidents } from '../incidents/incidents.js';

export interface MonitorInput {
  name: string;
  kind: 'HTTP' | 'TCP';
  url: string;
  method?: string | null;
  intervalSeconds?: number | null;
  timeoutMs?: number | null;
  expectedStatus?: string | null;
  keyword?: string | null;
  retries?: number | null;
  checkSsl?: boolean | null;
  sslAlertDays?: number | null;
}

export interface AlertRuleInput {
  name: string;
  kind: AlertRuleRow['kind'];
  monitorId?: string | null;
  thresholdMs?: number | null;
  consecutiveChecks?: number | null;
  recoveryChecks?: number | null;
  recoveryThresholdMs?: number | null;
  days?: number | null;
  holdDownSeconds?: number | null;
  webhookUrls?: string[] | null;
}

export interface MaintenanceWindowInput {
  title?: string | null;
  monitorIds: string[];
  startsAt: Date;
  endsAt: Date;
}

export interface CreateMonitorsOptions {
  db: Database;
  bus: Bus;
  incidents: Incidents;
  policy: AddressPolicy;
  /** @default 10 */
  minIntervalSeconds?: number;
}

/**
 * A monitor's checks newest first, ordered as the (monitor_id, id) index is: ordered by id
 * alone, the planner may walk the primary key backwards past every other monitor's checks
 * (bench/data/plans/before: 780,000 rows for 20).
 */
const newestChecksFirst = [desc(monitorChecks.monitorId), desc(monitorChecks.id)];

/** What a scheduler's lease adds to twice a check's timeout (recording, lock waits). */
export const CHECK_LEASE_MARGIN_SECONDS = 30;

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

export type Monitors = ReturnType<typeof createMonitors>;

export function toCheckEvent(row: MonitorCheckRow): MonitorCheckEvent {
  return {
    id: row.id,
    monitorId: row.monitorId,
    ok: row.ok,
    httpStatus: row.httpStatus,
    responseTimeMs: row.responseTimeMs,
    durationMs: row.durationMs,
    error: row.error,
    certExpiresAt: row.certExpiresAt?.toISOString() ?? null,
    certValid: row.certValid,
    checkedAt: row.checkedAt.toISOString(),
  };
}

/** Monitors, their checks, and the incidents their alert rules open: the rules, free of GraphQL. */
export function createMonitors({ db, bus, incidents: incidentsDomain, policy, minIntervalSeconds = 10 }: CreateMonitorsOptions) {
  /** Refuses URLs a monitor or webhook must not reach, naming why. */
  async function checkTarget(kind: 'HTTP' | 'TCP', target: string, field: string) {
    let host: string;
    if (kind === 'HTTP') {
      let url: URL;
      try {
        url = new URL(target);
      } catch {
        throw badInput(`${field} must be an http or https URL`, field);
      }
      if (url.protocol !== 'http:' && url.protocol !== 'https:') {
        throw badInput(`${field} must use http or https, not ${url.protocol.replace(':', '')}`, field);
      }
      if (url.username || url.password) throw badInput(`${field} must not carry credentials`, field);
      host = url.hostname;
    } else {
      try {
        host = parseHostPort(target).host;
      } catch (error) {
        throw badInput(`${field}: ${(error as Error).message}`, field);
      }
    }
    try {
      checkHostname(host, policy);
      const bare = host.replace(/^\[|\]$/g, '');
      if (!isIP(bare) && bare !== 'localhost') {
        // a name that resolves to a refused address is refused now; the checker looks again at connect time
        const addresses = await lookup(bare, { all: true }).catch(() => []);
        for (const { address } of addresses) checkAddress(address, policy);
      }
    } catch (error) {
      if (error instanceof AddressRefused) throw badInput(`${field} is refused: ${error.message}`, field);
      throw error;
    }
  }

  async function validate(input: MonitorInput) {
    const name = input.name.trim();
    if (!name || name.length > 200) throw badInput('name must be 1–200 characters', 'name');
    if (input.kind !== 'HTTP' && input.kind !== 'TCP') throw badInput('kind must be HTTP or TCP', 'kind');
    await checkTarget(input.kind, input.url.trim(), 'url');
    const intervalSeconds = input.intervalSeconds ?? 60;
    if (!Number.isInteger(intervalSeconds) || intervalSeconds < minIntervalSeconds || intervalSeconds > 86_400) {
      throw badInput(`intervalSeconds must be between ${minIntervalSeconds} and 86400`, 'intervalSeconds');
    }
    const timeoutMs = input.timeoutMs ?? Math.min(10_000, intervalSeconds * 1000);
    if (!Number.isInteger(timeoutMs) || timeoutMs < 100 || timeoutMs > 60_000) throw badInput('timeoutMs must be between 100 and 60000', 'timeoutMs');
    const method = (input.method ?? 'GET').toUpperCase();
    if (!METHODS.includes(method)) throw badInput(`method must be one of ${METHODS.join(', ')}`, 'method');
    const expectedStatus = (input.expectedStatus ?? '200-399').replace(/\s+/g, '');
    try {
      parseExpectedStatus(expectedStatus);
    } catch (error) {
      throw badInput(`expectedStatus: ${(error as Error).message}`, 'expectedStatus');
    }
    const retries = input.retries ?? 0;
    if (!Number.isInteger(retries) || retries < 0 || retries > 10) throw badInput('retries must be between 0 and 10', 'retries');
    const sslAlertDays = input.sslAlertDays ?? 14;
    if (!Number.isInteger(sslAlertDays) || sslAlertDays < 1 || sslAlertDays > 365) throw badInput('sslAlertDays must be between 1 and 365', 'sslAlertDays');
    if (input.kind === 'TCP' && (input.keyword || input.checkSsl || (input.method && method !== 'GET'))) {
      throw badInput('keyword, checkSsl and method apply to HTTP monitors only', 'kind');
    }
    if (input.keyword && input.keyword.length > 500) throw badInput('keyword must be at most 500 characters', 'keyword');
    return {
      name,
      kind: input.kind,
      target: input.url.trim(),
      method,
      intervalSeconds,
      timeoutMs,
      expectedStatus,
      keyword: input.keyword || null,
      retries,
      checkSsl: input.checkSsl ?? false,
      sslAlertDays,
    };
  }

  async function validateRule(tenantId: string, input: AlertRuleInput) {
    const name = input.name.trim();
    if (!name || name.length > 200) throw badInput('name must be 1–200 characters', 'name');
    if (input.monitorId) await getOwned(tenantId, input.monitorId);
    const consecutiveChecks = input.consecutiveChecks ?? 1;
    if (!Number.isInteger(consecutiveChecks) || consecutiveChecks < 1 || consecutiveChecks > 100) throw badInput('consecutiveChecks must be between 1 and 100', 'consecutiveChecks');
    const recoveryChecks = input.recoveryChecks ?? null;
    if (recoveryChecks !== null && (!Number.isInteger(recoveryChecks) || recoveryChecks < 1 || recoveryChecks > 100)) {
      throw badInput('recoveryChecks must be between 1 and 100', 'recoveryChecks');
    }
    if (input.kind === 'SLOW' && !(Number.isInteger(input.thresholdMs) && input.thresholdMs! > 0)) throw badInput('a SLOW rule needs thresholdMs > 0', 'thresholdMs');
    const recoveryThresholdMs = input.kind === 'SLOW' ? input.recoveryThresholdMs ?? null : null;
    if (recoveryThresholdMs !== null && !(Number.isInteger(recoveryThresholdMs) && recoveryThresholdMs > 0 && recoveryThresholdMs <= input.thresholdMs!)) {
      throw badInput('recoveryThresholdMs must be between 1 and thresholdMs', 'recoveryThresholdMs');
    }
    if (input.kind === 'SSL_EXPIRY' && input.days != null && !(Number.isInteger(input.days) && input.days > 0 && input.days <= 365)) {
      throw badInput('days must be between 1 and 365', 'days');
    }
    const holdDownSeconds = input.holdDownSeconds ?? 0;
    if (!Number.isInteger(holdDownSeconds) || holdDownSeconds < 0 || holdDownSeconds > 86_400) throw badInput('holdDownSeconds must be between 0 and 86400', 'holdDownSeconds');
    const webhookUrls = input.webhookUrls ?? [];
    if (webhookUrls.length > 10) throw badInput('at most 10 webhookUrls', 'webhookUrls');
    for (const url of webhookUrls) await checkTarget('HTTP', url, 'webhookUrls');
    return {
      name,
      kind: input.kind,
      monitorId: input.monitorId ?? null,
      thresholdMs: input.kind === 'SLOW' ? input.thresholdMs! : null,
      consecutiveChecks,
      recoveryChecks,
      recoveryThresholdMs,
      days: input.kind === 'SSL_EXPIRY' ? input.days ?? 14 : null,
      holdDownSeconds,
      webhookUrls,
    };
  }

  async function getRule(tenantId: string, id: string): Promise<AlertRuleRow> {
    if (!isUuid(id)) throw notFound('No such alert rule');
    const [row] = await db.select().from(alertRules).where(and(eq(alertRules.tenantId, tenantId), eq(alertRules.id, id)));
    if (!row) throw notFound('No such alert rule');
    return row;
  }

  function validateWindow(input: MaintenanceWindowInput) {
    if (input.monitorIds.length === 0) throw badInput('monitorIds must not be empty', 'monitorIds');
    if (input.monitorIds.length > 500) throw badInput('at most 500 monitorIds', 'monitorIds');
    if (!(input.endsAt > input.startsAt)) throw badInput('endsAt must be after startsAt', 'endsAt');
    const title = input.title?.trim() || null;
    if (title && title.length > 200) throw badInput('title must be at most 200 characters', 'title');
    return { title, monitorIds: [...new Set(input.monitorIds)], startsAt: input.startsAt, endsAt: input.endsAt };
  }

  async function getOwned(tenantId: string, id: string): Promise<MonitorRow> {
    if (!isUuid(id)) throw notFound('No such monitor');
    const [row] = await db.select().from(monitors).where(and(eq(monitors.tenantId, tenantId), eq(monitors.id, id)));
    if (!row) throw notFound('No such monitor');
    return row;
  }

  async function inMaintenance(tx: Database, monitor: MonitorRow): Promise<boolean> {
    const [row] = await tx
      .select({ id: maintenanceWindows.id })
      .from(maintenanceWindows)
      .where(
        and(
          eq(maintenanceWindows.tenantId, monitor.tenantId),
          arrayContains(maintenanceWindows.monitorIds, [monitor.id]),
          lte(maintenanceWindows.startsAt, sql`now()`),
          gte(maintenanceWindows.endsAt, sql`now()`),
        ),
      )
      .limit(1);
    return !!row;
  }

  /**
   * Opens, keeps or resolves each applicable rule's incident after a check. `now` is the
   * database's (the transaction's) time.
   *
   * Lock order, shared with acknowledge/resolve/addNote (server/domain/incidents/incidents.ts):
   * monitor row, then incident rows (all of this monitor's active ones at once, by id), then
   * the tenant's stream heads. Locking an incident only when its rule comes up would let a rule
   * opening an incident hold the 'incidents' head while the next rule waits for an incident
   * that an acknowledgement holds while it waits for that head: a deadlock.
   */
  async function evaluate(tx: Database, monitor: MonitorRow, now: number): Promise<IncidentEvent[]> {
    const rules = await tx
      .select()
      .from(alertRules)
      .where(and(eq(alertRules.tenantId, monitor.tenantId), or(isNull(alertRules.monitorId), eq(alertRules.monitorId, monitor.id))));
    if (rules.length === 0) return [];
    const depth = Math.max(1, ...rules.map(checksNeeded));
    const recent = await tx.select().from(monitorChecks).where(eq(monitorChecks.monitorId, monitor.id)).orderBy(...newestChecksFirst).limit(depth);
    const quiet = await inMaintenance(tx, monitor);
    const activeRows = await tx
      .select()
      .from(incidents)
      .where(and(eq(incidents.monitorId, monitor.id), inArray(incidents.status, ['OPEN', 'ACKNOWLEDGED'])))
      .orderBy(asc(incidents.id))
      .for('update');
    const activeByRule = new Map(activeRows.filter((i) => i.ruleId).map((i) => [i.ruleId!, i]));
    const events: IncidentEvent[] = [];
    for (const rule of rules) {
      const state = assess(rule, monitor, recent, now);
      const active = activeByRule.get(rule.id);
      if (!active) {
        // maintenance: checks go on, but no incident opens and nobody is paged
        if (state === 'FIRING' && !quiet) events.push(await openIncident(tx, rule, monitor.id, describeCondition(rule, monitor, recent[0]), true));
      } else if (state === 'RECOVERED') {
        const clearingSince = active.clearingSince ?? new Date(now);
        if (now - clearingSince.getTime() >= rule.holdDownSeconds * 1000) {
          const [resolved] = await tx
            .update(incidents)
            .set({ status: 'RESOLVED', resolvedAt: sql`now()`, resolutionNote: 'Condition cleared', clearingSince: null })
            .where(eq(incidents.id, active.id))
            .returning();
          events.push(await recordTransition(tx, resolved!, 'RESOLVED', quiet ? [] : rule.webhookUrls, { note: 'Condition cleared' }));
        } else if (!active.clearingSince) {
          await tx.update(incidents).set({ clearingSince }).where(eq(incidents.id, active.id));
        }
      } else if (active.clearingSince) {
        // flapped back, or not yet good enough, within the hold-down: the clock starts over
        await tx.update(incidents).set({ clearingSince: null }).where(eq(incidents.id, active.id));
      }
    }
    return events;
  }

  return {
    checkTarget,

    async create(tenantId: string, input: MonitorInput): Promise<MonitorRow> {
      const values = await validate(input);
      // spread first checks over the interval so monitors created together do not fire together
      const jitterSeconds = Math.floor(Math.random() * Math.min(values.intervalSeconds * 1000, 5_000)) / 1000;
      const [row] = await db
        .insert(monitors)
        .values({ tenantId, ...values, nextCheckAt: sql`now() + make_interval(secs => ${jitterSeconds})` })
        .returning();
      return row!;
    },

    async update(tenantId: string, id: string, input: MonitorInput): Promise<MonitorRow> {
      await getOwned(tenantId, id);
      const values = await validate(input);
      const [row] = await db.update(monitors).set({ ...values, nextCheckAt: sql`now()` }).where(and(eq(monitors.tenantId, tenantId), eq(monitors.id, id))).returning();
      return row!;
    },

    /**
     * A new monitor with the settings of `id` (not its checks, incidents or rules), named
     * `name` or "<name> (copy)", checked from now on.
     */
    async clone(tenantId: string, id: string, name?: string | null): Promise<MonitorRow> {
      const source = await getOwned(tenantId, id);
      const copyName = name?.trim() || `${source.name} (copy)`.slice(0, 200);
      if (copyName.length > 200) throw badInput('name must be 1–200 characters', 'name');
      const { id: _id, createdAt: _c, lastCheckedAt: _l, status: _s, consecutiveFailures: _f, paused: _p, nextCheckAt: _n, ...settings } = source;
      const [row] = await db.insert(monitors).values({ ...settings, name: copyName, nextCheckAt: sql`now()` }).returning();
      return row!;
    },

    async remove(tenantId: string, id: string): Promise<void> {
      await getOwned(tenantId, id);
      await db.delete(monitors).where(and(eq(monitors.tenantId, tenantId), eq(monitors.id, id)));
    },

    async setPaused(tenantId: string, id: string, paused: boolean): Promise<MonitorRow> {
      await getOwned(tenantId, id);
      const [row] = await db
        .update(monitors)
        .set({ paused, ...(paused ? {} : { nextCheckAt: sql`now()`, status: 'PENDING' as const, consecutiveFailures: 0 }) })
        .where(eq(monitors.id, id))
        .returning();
      return row!;
    },

    get: (tenantId: string, id: string) => getOwned(tenantId, id).catch(nullIfNotFound),
    getOwned,

    /** The tenant's monitors among `ids`, in the order of `ids`; ids of no monitor are left out. */
    async getMany(tenantId: string, ids: string[]): Promise<MonitorRow[]> {
      const valid = ids.filter(isUuid);
      if (valid.length === 0) return [];
      const rows = await db.select().from(monitors).where(and(eq(monitors.tenantId, tenantId), inArray(monitors.id, valid)));
      const byId = new Map(rows.map((r) => [r.id, r]));
      return valid.flatMap((id) => byId.get(id) ?? []);
    },

    /** Maintenance windows in force now that cover any of `monitorIds`. */
    activeMaintenance: (monitorIds: string[]) =>
      monitorIds.length === 0
        ? Promise.resolve([])
        : db
            .select()
            .from(maintenanceWindows)
            .where(
              and(
                arrayOverlaps(maintenanceWindows.monitorIds, monitorIds),
                lte(maintenanceWindows.startsAt, sql`now()`),
                gte(maintenanceWindows.endsAt, sql`now()`),
              ),
            ),

    /** The tenant's monitors among `ids`, by id. */
    async byIds(tenantId: string, ids: string[]): Promise<Map<string, MonitorRow>> {
      const valid = ids.filter(isUuid);
      if (valid.length === 0) return new Map();
      const rows = await db.select().from(monitors).where(and(eq(monitors.tenantId, tenantId), inArray(monitors.id, valid)));
      return new Map(rows.map((m) => [m.id, m]));
    },

    /** The tenant's rules among `ids`. */
    async rulesByIds(tenantId: string, ids: string[]): Promise<Map<string, AlertRuleRow>> {
      const valid = ids.filter(isUuid);
      if (valid.length === 0) return new Map();
      const rows = await db.select().from(alertRules).where(and(eq(alertRules.tenantId, tenantId), inArray(alertRules.id, valid)));
      return new Map(rows.map((r) => [r.id, r]));
    },

    /** The rules that apply to each of `monitorIds` (its own and the tenant-wide ones, oldest first), in one query. */
    async rulesForMany(tenantId: string, monitorIds: string[]): Promise<Map<string, AlertRuleRow[]>> {
      const rows = await db
        .select()
        .from(alertRules)
        .where(and(eq(alertRules.tenantId, tenantId), or(isNull(alertRules.monitorId), inArray(alertRules.monitorId, monitorIds.filter(isUuid)))))
        .orderBy(asc(alertRules.createdAt));
      return new Map(monitorIds.map((id) => [id, rows.filter((r) => r.monitorId === null || r.monitorId === id)]));
    },

    /** The rules that apply to a monitor: its own and the tenant-wide ones. */
    rulesFor: (tenantId: string, monitorId: string) =>
      db
        .select()
        .from(alertRules)
        .where(and(eq(alertRules.tenantId, tenantId), or(isNull(alertRules.monitorId), eq(alertRules.monitorId, monitorId))))
        .orderBy(asc(alertRules.createdAt)),

    list: (tenantId: string) => db.select().from(monitors).where(eq(monitors.tenantId, tenantId)).orderBy(asc(monitors.name), asc(monitors.id)),

    /**
     * Claims up to `limit` due monitors across every tenant. SKIP LOCKED lets instances claim
     * side by side; the claim moves next_check_at forward by a lease, so a monitor whose
     * instance died mid-check is due again once the lease runs out. The lease outlives the
     * worst-case check: the checker's hard deadline is the timeout (DNS and body included), and
     * recording may wait on row locks, hence twice the timeout and half a minute more.
     */
    async claimDue(limit: number): Promise<MonitorRow[]> {
      if (limit <= 0) return [];
      const result = (await db.execute(sql`
        update monitors m set next_check_at = now() + make_interval(secs => m.timeout_ms * 2 / 1000.0 + ${CHECK_LEASE_MARGIN_SECONDS})
        from (
          select id from monitors where not paused and next_check_at <= now()
          order by next_check_at limit ${limit} for update skip locked
        ) due
        where m.id = due.id
        returning m.id
      `)) as unknown as { rows: { id: string }[] };
      const ids = result.rows.map((r) => r.id);
      if (ids.length === 0) return [];
      return db.select().from(monitors).where(inArray(monitors.id, ids));
    },

    /** Stores a check, moves the monitor's status, evaluates its rules; publishes after commit. */
    async recordCheck(monitor: MonitorRow, outcome: CheckOutcome, { reschedule = true } = {}): Promise<MonitorCheckRow> {
      const { check, events } = await db.transaction(async (txRaw) => {
        const tx = txRaw as unknown as Database;
        const [current] = await tx.select().from(monitors).where(eq(monitors.id, monitor.id)).for('update');
        if (!current) throw notFound('No such monitor');
        const [check] = await tx.insert(monitorChecks).values({ tenantId: current.tenantId, monitorId: current.id, ...outcome }).returning();
        await addToRollup(tx, check!);
        const failures = outcome.ok ? 0 : current.consecutiveFailures + 1;
        const status = outcome.ok ? 'UP' : failures > current.retries ? 'DOWN' : current.status === 'DOWN' ? 'DOWN' : current.status;
        const jitterSeconds = Math.floor(Math.random() * Math.min(1_000, current.intervalSeconds * 50)) / 1000;
        const [updated] = await tx
          .update(monitors)
          .set({
            status,
            consecutiveFailures: failures,
            lastCheckedAt: check!.checkedAt,
            ...(reschedule ? { nextCheckAt: sql`now() + make_interval(secs => ${current.intervalSeconds + jitterSeconds})` } : {}),
          })
          .where(eq(monitors.id, current.id))
          .returning();
        // the check's checked_at is the transaction's now(): the rules' clock is the database's
        return { check: check!, events: await evaluate(tx, updated!, check!.checkedAt.getTime()) };
      });
      await bus.publish(monitor.tenantId, topics.monitorChecks(), toCheckEvent(check)).catch(afterCommitPublishFailed);
      await incidentsDomain.publish(monitor.tenantId, events);
      return check;
    },

    async checks(monitorId: string, last: number): Promise<MonitorCheckRow[]> {
      if (!Number.isInteger(last) || last < 1 || last > 1000) throw badInput('last must be between 1 and 1000', 'last');
      const rows = await db.select().from(monitorChecks).where(eq(monitorChecks.monitorId, monitorId)).orderBy(...newestChecksFirst).limit(last);
      return rows.reverse();
    },

    async uptime(monitorId: string, hours: number): Promise<number | null> {
      if (!(hours > 0 && hours <= 24 * 90)) throw badInput('hours must be between 1 and 2160', 'hours');
      const result = (await db.execute(sql`
        select count(*) filter (where ok)::float / nullif(count(*), 0) as ratio
        from monitor_checks where monitor_id = ${monitorId} and checked_at > now() - make_interval(hours => ${hours})
      `)) as unknown as { rows: { ratio: number | null }[] };
      return result.rows[0]?.ratio ?? null;
    },

    async responseTimes(monitorId: string, hours: number) {
      if (!(hours > 0 && hours <= 24 * 90)) throw badInput('hours must be between 1 and 2160', 'hours');
      return db
        .select({ at: monitorChecks.checkedAt, ms: monitorChecks.responseTimeMs, ok: monitorChecks.ok })
        .from(monitorChecks)
        .where(and(eq(monitorChecks.monitorId, monitorId), gte(monitorChecks.checkedAt, sql`now() - make_interval(hours => ${hours})`)))
        .orderBy(asc(monitorChecks.id))
        .limit(5_000);
    },

    async createRule(tenantId: string, input: AlertRuleInput): Promise<AlertRuleRow> {
      const [row] = await db.insert(alertRules).values({ tenantId, ...(await validateRule(tenantId, input)) }).returning();
      return row!;
    },

    /** Replaces a rule's settings; its open incidents stay open and are judged by the new settings from the next check. */
    async updateRule(tenantId: string, id: string, input: AlertRuleInput): Promise<AlertRuleRow> {
      await getRule(tenantId, id);
      const [row] = await db.update(alertRules).set(await validateRule(tenantId, input)).where(and(eq(alertRules.tenantId, tenantId), eq(alertRules.id, id))).returning();
      return row!;
    },

    getRule,

    listRules: (tenantId: string) => db.select().from(alertRules).where(eq(alertRules.tenantId, tenantId)).orderBy(asc(alertRules.createdAt)),

    async deleteRule(tenantId: string, id: string) {
      if (!isUuid(id)) throw notFound('No such alert rule');
      const deleted = await db.delete(alertRules).where(and(eq(alertRules.tenantId, tenantId), eq(alertRules.id, id))).returning({ id: alertRules.id });
      if (deleted.length === 0) throw notFound('No such alert rule');
    },

    async createMaintenanceWindow(tenantId: string, input: MaintenanceWindowInput) {
      const values = validateWindow(input);
      for (const id of values.monitorIds) await getOwned(tenantId, id);
      const [row] = await db.insert(maintenanceWindows).values({ tenantId, ...values }).returning();
      return row!;
    },

    async updateMaintenanceWindow(tenantId: string, id: string, input: MaintenanceWindowInput) {
      if (!isUuid(id)) throw notFound('No such maintenance window');
      const values = validateWindow(input);
      for (const monitorId of values.monitorIds) await getOwned(tenantId, monitorId);
      const [row] = await db.update(maintenanceWindows).set(values).where(and(eq(maintenanceWindows.tenantId, tenantId), eq(maintenanceWindows.id, id))).returning();
      if (!row) throw notFound('No such maintenance window');
      return row;
    },

    listMaintenanceWindows: (tenantId: string) =>
      db.select().from(maintenanceWindows).where(eq(maintenanceWindows.tenantId, tenantId)).orderBy(desc(maintenanceWindows.startsAt)),

    async deleteMaintenanceWindow(tenantId: string, id: string) {
      if (!isUuid(id)) throw notFound('No such maintenance window');
      const deleted = await db.delete(maintenanceWindows).where(and(eq(maintenanceWindows.tenantId, tenantId), eq(maintenanceWindows.id, id))).returning({ id: maintenanceWindows.id });
      if (deleted.length === 0) throw notFound('No such maintenance window');
    },
  };
}
