import { and, asc, desc, eq, gt, inArray, lt, lte, sql } from 'drizzle-orm';
import type { Bus } from '../../bus/index.js';
import { topics, type IncidentEvent } from '../../bus/topics.js';
import type { Database } from '../../db/client.js';
import { incidentEvents, incidents, notificationAttempts, notificationDeliveries, type AlertRuleRow, type IncidentRow } from '../../db/schema.js';
import { isUuid } from '../auth/auth.js';
import { badInput, notFound } from '../shared/errors.js';
import { streamHead, takeCursor } from '../shared/stream-heads.js';

export type IncidentStatus = IncidentRow['status'];
export type Incidents = ReturnType<typeof createIncidents>;

/** Writes a transition into the tenant's incident stream; publish the result after commit. */
export async function recordTransition(
  tx: Database,
  incident: IncidentRow,
  kind: IncidentEvent['kind'],
  webhookUrls: string[],
): Promise<IncidentEvent> {
  const seq = await takeCursor(tx, incident.tenantId, 'incidents');
  const [row] = await tx.insert(incidentEvents).values({ tenantId: incident.tenantId, seq, incidentId: incident.id, kind }).returning();
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
    await tx.insert(notificationDeliveries).values(webhookUrls.map((url) => ({ tenantId: incident.tenantId, incidentId: incident.id, url, payload })));
  }
  return { seq, kind, incidentId: incident.id, at: row!.at.toISOString() };
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
    for (const event of events) await bus.publish(tenantId, topics.incidents(), event).catch(() => {});
  }

  async function transitionByHand(tenantId: string, id: string, apply: (row: IncidentRow) => Partial<IncidentRow> | null, kind: IncidentEvent['kind']) {
    if (!isUuid(id)) throw notFound('No such incident');
    const result = await db.transaction(async (tx) => {
      const [current] = await tx.select().from(incidents).where(and(eq(incidents.tenantId, tenantId), eq(incidents.id, id))).for('update');
      if (!current) throw notFound('No such incident');
      const changes = apply(current);
      if (!changes) return { incident: current, event: null };
      const [updated] = await tx.update(incidents).set(changes).where(eq(incidents.id, id)).returning();
      const webhooks = await rulesWebhooks(tx as unknown as Database, updated!);
      const event = await recordTransition(tx as unknown as Database, updated!, kind, webhooks);
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

    /** Newest first; `after` is the cursor (incident number) of the last edge seen. */
    async list(tenantId: string, { status, first, after }: { status?: IncidentStatus; first: number; after?: string }) {
      if (first < 1 || first > 200) throw badInput('first must be between 1 and 200', 'first');
      const conditions = [eq(incidents.tenantId, tenantId)];
      if (status) conditions.push(eq(incidents.status, status));
      if (after !== undefined) {
        if (!/^\d{1,15}$/.test(after)) throw badInput('Invalid cursor: use an edge cursor from incidents', 'after');
        conditions.push(lt(incidents.number, Number(after)));
      }
      const rows = await db.select().from(incidents).where(and(...conditions)).orderBy(desc(incidents.number)).limit(first + 1);
      return { incidents: rows.slice(0, first), hasNextPage: rows.length > first, hasPreviousPage: after !== undefined };
    },

    acknowledge(tenantId: string, id: string, userId: string | null) {
      return transitionByHand(
        tenantId,
        id,
        (row) => (row.status === 'OPEN' ? { status: 'ACKNOWLEDGED', acknowledgedAt: new Date(), acknowledgedBy: userId } : null),
        'ACKNOWLEDGED',
      );
    },

    resolve(tenantId: string, id: string, note: string | null) {
      if (note && note.length > 2_000) throw badInput('note must be at most 2000 characters', 'note');
      return transitionByHand(
        tenantId,
        id,
        (row) => (row.status !== 'RESOLVED' ? { status: 'RESOLVED', resolvedAt: new Date(), resolutionNote: note, clearingSince: null } : null),
        'RESOLVED',
      );
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
      return rows.map((r) => ({ seq: r.seq, kind: r.kind, incidentId: r.incidentId, at: r.at.toISOString() }));
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
