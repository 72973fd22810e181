import { and, asc, desc, eq, gt, gte, inArray, isNull, lt, lte, or, sql, type SQL } from 'drizzle-orm';
import type { Bus } from '../../bus/index.js';
import { afterCommitPublishFailed } from '../../bus/index.js';
import { topics, type IncidentEvent } from '../../bus/topics.js';
import type { Database } from '../../db/client.js';
import {
  incidentEvents,
  incidents,
  monitorChecks,
  notificationAttempts,
  notificationDeliveries,
  type AlertRuleRow,
  type IncidentRow,
  type MonitorCheckRow,
} from '../../db/schema.js';
import { isUuid } from '../auth/auth.js';
import { badInput, notFound } from '../shared/errors.js';
import { streamHead, takeCursor } from '../shared/stream-heads.js';

export type IncidentStatus = IncidentRow['status'];

export interface IncidentFilter {
  /** Any of these statuses (none: all). */
  status?: IncidentStatus[];
  monitorId?: string;
  from?: Date;
  to?: Date;
}
export type Incidents = ReturnType<typeof createIncidents>;

/** A person acting on an incident, by id and name as they were at the time. */
export interface IncidentActor {
  id: string;
  name: string;
}

export interface TransitionDetails {
  /** Null: the alert rule did it (checks opened or cleared the condition). */
  actor?: IncidentActor | null;
  note?: string | null;
  /** NOTE: shown on public status pages. */
  public?: boolean;
}

export const toIncidentEvent = (row: typeof incidentEvents.$inferSelect): IncidentEvent => ({
  seq: row.seq,
  kind: row.kind,
  incidentId: row.incidentId,
  at: row.at.toISOString(),
  actorId: row.actorId,
  actorName: row.actorName,
  note: row.note,
  public: row.public,
});

/** Writes a transition (or note) into the tenant's incident stream; publish the result after commit. */
export async function recordTransition(
  tx: Database,
  incident: IncidentRow,
  kind: IncidentEvent['kind'],
  webhookUrls: string[],
  { actor = null, note = null, public: isPublic = false }: TransitionDetails = {},
): Promise<IncidentEvent> {
  const seq = await takeCursor(tx, incident.tenantId, 'incidents');
  const [row] = await tx
    .insert(incidentEvents)
    .values({ tenantId: incident.tenantId, seq, incidentId: incident.id, kind, actorId: actor?.id ?? null, actorName: actor?.name ?? null, note, public: isPublic })
    .returning();
  if (webhookUrls.length > 0) {
    const payload = {
      event: `incident.${kind.toLowerCase()}`,
      cursor: String(seq),
      incident: {
        id: incident.id,
        number: incident.number,
        title: incident.title,
        kind: incident.kind,
        status: incident.status,
        monitorId: incident.monitorId,
        openedAt: incident.openedAt,
        resolvedAt: incident.resolvedAt,
        resolutionNote: incident.resolutionNote,
      },
    };
    await tx
      .insert(notificationDeliveries)
      .values(webhookUrls.map((url) => ({ tenantId: incident.tenantId, incidentId: incident.id, ruleId: incident.ruleId, url, payload })));
  }
  return toIncidentEvent(row!);
}

export async function openIncident(tx: Database, rule: AlertRuleRow, monitorId: string, title: string, webhooks: boolean) {
  const number = await takeCursor(tx, rule.tenantId, 'incident-numbers');
  const [incident] = await tx
    .insert(incidents)
    .values({ tenantId: rule.tenantId, number, ruleId: rule.id, monitorId, kind: rule.kind, title, status: 'OPEN' })
    .returning();
  return recordTransition(tx, incident!, 'OPENED', webhooks ? rule.webhookUrls : []);
}

export function createIncidents({ db, bus }: { db: Database; bus: Bus }) {
  async function publish(tenantId: string, events: IncidentEvent[]) {
    for (const event of events) await bus.publish(tenantId, topics.incidents(), event).catch(afterCommitPublishFailed);
  }

  async function transitionByHand(
    tenantId: string,
    id: string,
    apply: (row: IncidentRow) => { [K in keyof IncidentRow]?: IncidentRow[K] | SQL } | null,
    kind: IncidentEvent['kind'],
    details: TransitionDetails,
  ) {
    if (!isUuid(id)) throw notFound('No such incident');
    // lock order as rule evaluation's (server/domain/monitors/monitors.ts): the incident row,
    // then the stream heads recordTransition takes
    const result = await db.transaction(async (tx) => {
      const [current] = await tx.select().from(incidents).where(and(eq(incidents.tenantId, tenantId), eq(incidents.id, id))).for('update');
      if (!current) throw notFound('No such incident');
      const changes = apply(current);
      if (!changes) return { incident: current, event: null };
      const [updated] = await tx.update(incidents).set(changes).where(eq(incidents.id, id)).returning();
      const webhooks = kind === 'NOTE' ? [] : await rulesWebhooks(tx as unknown as Database, updated!);
      const event = await recordTransition(tx as unknown as Database, updated!, kind, webhooks, details);
      return { incident: updated!, event };
    });
    if (result.event) await publish(tenantId, [result.event]);
    return result.incident;
  }

  async function rulesWebhooks(tx: Database, incident: IncidentRow): Promise<string[]> {
    if (!incident.ruleId) return [];
    const rows = (await tx.execute(sql`select webhook_urls from alert_rules where id = ${incident.ruleId}`)) as unknown as { rows: { webhook_urls: string[] }[] };
    return rows.rows[0]?.webhook_urls ?? [];
  }

  return {
    publish,

    async get(tenantId: string, id: string): Promise<IncidentRow | null> {
      if (!isUuid(id)) return null;
      const [row] = await db.select().from(incidents).where(and(eq(incidents.tenantId, tenantId), eq(incidents.id, id)));
      return row ?? null;
    },

    async getMany(tenantId: string, ids: string[]): Promise<Map<string, IncidentRow>> {
      if (ids.length === 0) return new Map();
      const rows = await db.select().from(incidents).where(and(eq(incidents.tenantId, tenantId), inArray(incidents.id, ids)));
      return new Map(rows.map((r) => [r.id, r]));
    },

    /**
     * Newest first; `after` is the cursor (incident number) of the last edge seen. `from`/`to`:
     * incidents active at some moment in that span (opened before its end, not resolved before its start).
     */
    async list(tenantId: string, { status, monitorId, from, to, first, after }: IncidentFilter & { first: number; after?: string }) {
      if (first < 1 || first > 200) throw badInput('first must be between 1 and 200', 'first');
      if (from && to && from > to) throw badInput('from must not be after to', 'from');
      const conditions: SQL[] = [eq(incidents.tenantId, tenantId)];
      if (status?.length) conditions.push(inArray(incidents.status, status));
      if (monitorId) {
        if (!isUuid(monitorId)) return { incidents: [], hasNextPage: false, hasPreviousPage: after !== undefined };
        conditions.push(eq(incidents.monitorId, monitorId));
      }
      if (to) conditions.push(lte(incidents.openedAt, to));
      if (from) conditions.push(or(isNull(incidents.resolvedAt), gte(incidents.resolvedAt, from))!);
      if (after !== undefined) {
        if (!/^\d{1,15}$/.test(after)) throw badInput('Invalid cursor: use an edge cursor from incidents', 'after');
        conditions.push(lt(incidents.number, Number(after)));
      }
      const rows = await db.select().from(incidents).where(and(...conditions)).orderBy(desc(incidents.number)).limit(first + 1);
      return { incidents: rows.slice(0, first), hasNextPage: rows.length > first, hasPreviousPage: after !== undefined };
    },

    acknowledge(tenantId: string, id: string, actor: IncidentActor) {
      return transitionByHand(
        tenantId,
        id,
        (row) => (row.status === 'OPEN' ? { status: 'ACKNOWLEDGED', acknowledgedAt: sql`now()`, acknowledgedBy: actor.id } : null),
        'ACKNOWLEDGED',
        { actor },
      );
    },

    resolve(tenantId: string, id: string, note: string | null, actor: IncidentActor) {
      if (note && note.length > 2_000) throw badInput('note must be at most 2000 characters', 'note');
      return transitionByHand(
        tenantId,
        id,
        (row) => (row.status !== 'RESOLVED' ? { status: 'RESOLVED', resolvedAt: sql`now()`, resolutionNote: note, clearingSince: null } : null),
        'RESOLVED',
        { actor, note },
      );
    },

    /** A member's note on the incident's timeline (live on `incidents`); public ones show on status pages. */
    async addNote(tenantId: string, id: string, body: string, isPublic: boolean, actor: IncidentActor): Promise<IncidentEvent> {
      const note = body.trim();
      if (!note) throw badInput('body must not be empty', 'body');
      if (note.length > 2_000) throw badInput('body must be at most 2000 characters', 'body');
      if (!isUuid(id)) throw notFound('No such incident');
      const event = await db.transaction(async (txRaw) => {
        const tx = txRaw as unknown as Database;
        const [current] = await tx.select().from(incidents).where(and(eq(incidents.tenantId, tenantId), eq(incidents.id, id))).for('update');
        if (!current) throw notFound('No such incident');
        return recordTransition(tx, current, 'NOTE', [], { actor, note, public: isPublic });
      });
      await publish(tenantId, [event]);
      return event;
    },

    /** Its state changes and notes, oldest first. */
    async events(incidentId: string): Promise<IncidentEvent[]> {
      const rows = await db.select().from(incidentEvents).where(eq(incidentEvents.incidentId, incidentId)).orderBy(asc(incidentEvents.seq));
      return rows.map(toIncidentEvent);
    },

    /**
     * The monitor's checks around the incident: `before` checks ahead of the opening, the latest
     * `limit` while it was open (with how many earlier ones were left out), and `after` checks
     * once it resolved. Oldest first.
     */
    async checksAround(incident: IncidentRow, { before = 3, after = 3, limit = 100 } = {}) {
      if (!incident.monitorId) return { checks: [] as MonitorCheckRow[], omitted: 0 };
      for (const [name, value, max] of [['checksBefore', before, 50], ['checksAfter', after, 50], ['maxChecks', limit, 500]] as const) {
        if (!Number.isInteger(value) || value < 0 || value > max) throw badInput(`${name} must be between 0 and ${max}`, name);
      }
      const monitor = eq(monitorChecks.monitorId, incident.monitorId);
      const end = incident.resolvedAt ?? sql`now()`;
      const [leading, during, trailing, [count]] = await Promise.all([
        db.select().from(monitorChecks).where(and(monitor, lt(monitorChecks.checkedAt, incident.openedAt))).orderBy(desc(monitorChecks.checkedAt)).limit(before),
        db.select().from(monitorChecks).where(and(monitor, gte(monitorChecks.checkedAt, incident.openedAt), lte(monitorChecks.checkedAt, end))).orderBy(desc(monitorChecks.checkedAt)).limit(limit),
        incident.resolvedAt
          ? db.select().from(monitorChecks).where(and(monitor, gt(monitorChecks.checkedAt, incident.resolvedAt))).orderBy(asc(monitorChecks.checkedAt)).limit(after)
          : Promise.resolve([]),
        db.select({ n: sql<number>`count(*)::int` }).from(monitorChecks).where(and(monitor, gte(monitorChecks.checkedAt, incident.openedAt), lte(monitorChecks.checkedAt, end))),
      ]);
      return { checks: [...leading.reverse(), ...during.reverse(), ...trailing], omitted: Math.max(0, Number(count?.n ?? 0) - during.length) };
    },

    head: (tenantId: string) => streamHead(db, tenantId, 'incidents'),

    /** Stored events with after < seq <= through, in cursor order, at most `limit`. */
    async range(tenantId: string, after: number, through: number, limit = 1_000): Promise<IncidentEvent[]> {
      const rows = await db
        .select()
        .from(incidentEvents)
        .where(and(eq(incidentEvents.tenantId, tenantId), gt(incidentEvents.seq, after), lte(incidentEvents.seq, through)))
        .orderBy(asc(incidentEvents.seq))
        .limit(limit);
      return rows.map(toIncidentEvent);
    },

    async deliveries(incidentId: string) {
      const rows = await db.select().from(notificationDeliveries).where(eq(notificationDeliveries.incidentId, incidentId)).orderBy(asc(notificationDeliveries.createdAt));
      const attempts = rows.length
        ? await db.select().from(notificationAttempts).where(inArray(notificationAttempts.deliveryId, rows.map((r) => r.id))).orderBy(asc(notificationAttempts.id))
        : [];
      return rows.map((r) => ({ ...r, attemptLog: attempts.filter((a) => a.deliveryId === r.id) }));
    },
  };
}
