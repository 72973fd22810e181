import { and, asc, desc, eq, gte, inArray, isNull, ne, or, sql } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import { incidentEvents, incidents, monitors, statusPageMonitors, statusPages, type StatusPageRow } from '../../db/schema.js';
import { isUuid } from '../auth/auth.js';
import type { CheckStats } from '../monitors/check-stats.js';
import { badInput, notFound, nullIfNotFound } from '../shared/errors.js';
import { publicView, type PublicStatusPage } from './public-view.js';

export interface StatusPageInput {
  slug: string;
  title: string;
  description?: string | null;
  /** In the order the page shows them. */
  monitors: { monitorId: string; label?: string | null }[];
}

export interface StatusPageEntry {
  monitorId: string;
  position: number;
  label: string | null;
}

export interface CreateStatusPagesOptions {
  db: Database;
  checkStats: CheckStats;
  /** How long a public page is served from memory before it is read again. @default 10000 */
  cacheMs?: number;
  /** Pages (and unknown slugs) held in memory at most. @default 1000 */
  cacheSize?: number;
}

/** Days of uptime bars on a public page. */
export const UPTIME_DAYS = 90;
/** Resolved incidents stay on a public page this long. */
export const RECENT_INCIDENT_DAYS = 14;

const SLUG = /^[a-z0-9](?:[a-z0-9-]{1,62}[a-z0-9])$/;

export type StatusPages = ReturnType<typeof createStatusPages>;

/**
 * Public status pages: an ADMIN picks monitors, a slug and a title; anyone reads the page by
 * its slug without signing in. The public view is assembled from an allow-list of fields (see
 * public-view.ts) and cached per slug, so a crowd of anonymous readers costs one read of the
 * store per slug per `cacheMs` on each instance, whatever their number.
 */
export function createStatusPages({ db, checkStats, cacheMs = 10_000, cacheSize = 1_000 }: CreateStatusPagesOptions) {
  const cache = new Map<string, { expires: number; page: Promise<PublicStatusPage | null> }>();

  async function validate(tenantId: string, input: StatusPageInput) {
    const slug = input.slug.trim().toLowerCase();
    if (!SLUG.test(slug)) throw badInput('slug must be 3–64 lower-case letters, digits and dashes, starting and ending with a letter or digit', 'slug');
    const title = input.title.trim();
    if (!title || title.length > 200) throw badInput('title must be 1–200 characters', 'title');
    const description = input.description?.trim() || null;
    if (description && description.length > 2_000) throw badInput('description must be at most 2000 characters', 'description');
    if (input.monitors.length > 100) throw badInput('at most 100 monitors per page', 'monitors');
    const ids = input.monitors.map((m) => m.monitorId);
    if (new Set(ids).size !== ids.length) throw badInput('a monitor can appear once per page', 'monitors');
    const owned = ids.every(isUuid)
      ? await db.select({ id: monitors.id }).from(monitors).where(and(eq(monitors.tenantId, tenantId), inArray(monitors.id, ids.length ? ids : ['00000000-0000-0000-0000-000000000000'])))
      : [];
    if (owned.length !== ids.length) throw badInput('monitors must be monitors of this workspace', 'monitors');
    const entries = input.monitors.map((m, position) => {
      const label = m.label?.trim() || null;
      if (label && label.length > 200) throw badInput('a label must be at most 200 characters', 'monitors');
      return { monitorId: m.monitorId, position, label };
    });
    return { slug, title, description, entries };
  }

  async function owned(tenantId: string, id: string): Promise<StatusPageRow> {
    if (!isUuid(id)) throw notFound('No such status page');
    const [row] = await db.select().from(statusPages).where(and(eq(statusPages.tenantId, tenantId), eq(statusPages.id, id)));
    if (!row) throw notFound('No such status page');
    return row;
  }

  const slugTaken = () => badInput('That slug is taken: status page addresses are shared by every workspace', 'slug');

  function forget(...slugs: string[]) {
    for (const slug of slugs) cache.delete(slug);
  }

  /** Reads one page's public view from the store (no cache). */
  async function load(slug: string): Promise<PublicStatusPage | null> {
    const [page] = await db.select().from(statusPages).where(eq(statusPages.slug, slug));
    if (!page) return null;
    const rows = await db
      .select({ entry: statusPageMonitors, monitor: monitors })
      .from(statusPageMonitors)
      .innerJoin(monitors, eq(monitors.id, statusPageMonitors.monitorId))
      .where(and(eq(statusPageMonitors.pageId, page.id), eq(monitors.tenantId, page.tenantId)))
      .orderBy(asc(statusPageMonitors.position));
    const ids = rows.map((r) => r.monitor.id);
    const [daily, maintenance, pageIncidents] = await Promise.all([
      checkStats.daily(ids, UPTIME_DAYS),
      ids.length
        ? db.execute(sql`
            select distinct unnest(monitor_ids) as monitor_id from maintenance_windows
            where tenant_id = ${page.tenantId} and starts_at <= now() and ends_at >= now()`)
        : Promise.resolve({ rows: [] }),
      ids.length
        ? db
            .select()
            .from(incidents)
            .where(
              and(
                eq(incidents.tenantId, page.tenantId),
                inArray(incidents.monitorId, ids),
                or(isNull(incidents.resolvedAt), gte(incidents.resolvedAt, sql`now() - make_interval(days => ${RECENT_INCIDENT_DAYS})`)),
              ),
            )
            .orderBy(desc(incidents.openedAt))
            .limit(50)
        : Promise.resolve([]),
    ]);
    const notes = pageIncidents.length
      ? await db
          .select()
          .from(incidentEvents)
          .where(and(inArray(incidentEvents.incidentId, pageIncidents.map((i) => i.id)), eq(incidentEvents.public, true), ne(incidentEvents.kind, 'OPENED')))
          .orderBy(asc(incidentEvents.seq))
      : [];
    const [now] = ((await db.execute(sql`select now() as now`)) as unknown as { rows: { now: string | Date }[] }).rows;
    return publicView({
      page,
      entries: rows,
      daily,
      inMaintenance: new Set((maintenance as unknown as { rows: { monitor_id: string }[] }).rows.map((r) => r.monitor_id)),
      incidents: pageIncidents,
      notes,
      now: new Date(now!.now),
      days: UPTIME_DAYS,
    });
  }

  return {
    async create(tenantId: string, input: StatusPageInput): Promise<StatusPageRow> {
      const { entries, ...values } = await validate(tenantId, input);
      const page = await db.transaction(async (tx) => {
        const [row] = await tx.insert(statusPages).values({ tenantId, ...values }).onConflictDoNothing().returning();
        if (!row) throw slugTaken();
        if (entries.length) await tx.insert(statusPageMonitors).values(entries.map((e) => ({ pageId: row.id, ...e })));
        return row;
      });
      forget(page.slug);
      return page;
    },

    /** Replaces the page's slug, title, description and monitors (send them all, as on create). */
    async update(tenantId: string, id: string, input: StatusPageInput): Promise<StatusPageRow> {
      const before = await owned(tenantId, id);
      const { entries, ...values } = await validate(tenantId, input);
      const page = await db.transaction(async (tx) => {
        const [taken] = await tx.select({ id: statusPages.id }).from(statusPages).where(and(eq(statusPages.slug, values.slug), ne(statusPages.id, id)));
        if (taken) throw slugTaken();
        const [row] = await tx
          .update(statusPages)
          .set({ ...values, updatedAt: sql`now()` })
          .where(and(eq(statusPages.tenantId, tenantId), eq(statusPages.id, id)))
          .returning()
          .catch((error: unknown) => {
            throw isUniqueViolation(error) ? slugTaken() : error;
          });
        await tx.delete(statusPageMonitors).where(eq(statusPageMonitors.pageId, id));
        if (entries.length) await tx.insert(statusPageMonitors).values(entries.map((e) => ({ pageId: id, ...e })));
        return row!;
      });
      forget(before.slug, page.slug);
      return page;
    },

    async remove(tenantId: string, id: string): Promise<void> {
      const page = await owned(tenantId, id);
      await db.delete(statusPages).where(and(eq(statusPages.tenantId, tenantId), eq(statusPages.id, id)));
      forget(page.slug);
    },

    list: (tenantId: string) => db.select().from(statusPages).where(eq(statusPages.tenantId, tenantId)).orderBy(asc(statusPages.title), asc(statusPages.id)),

    get: (tenantId: string, id: string) => owned(tenantId, id).catch(nullIfNotFound),

    entries: (pageId: string): Promise<StatusPageEntry[]> =>
      db
        .select({ monitorId: statusPageMonitors.monitorId, position: statusPageMonitors.position, label: statusPageMonitors.label })
        .from(statusPageMonitors)
        .where(eq(statusPageMonitors.pageId, pageId))
        .orderBy(asc(statusPageMonitors.position)),

    /**
     * The page anyone may read, or null for an unknown slug. Served from memory for up to
     * `cacheMs` (unknown slugs too, so guessing slugs does not reach the store each time).
     */
    async publicPage(slugInput: string): Promise<PublicStatusPage | null> {
      const slug = slugInput.trim().toLowerCase();
      if (!SLUG.test(slug)) return null;
      const now = Date.now();
      const hit = cache.get(slug);
      if (hit && hit.expires > now) return hit.page;
      const page = load(slug);
      cache.delete(slug);
      cache.set(slug, { expires: now + cacheMs, page });
      // a failed read is not kept: the next reader tries again
      page.catch(() => cache.get(slug)?.page === page && cache.delete(slug));
      // oldest first out: Map keeps insertion order
      while (cache.size > cacheSize) cache.delete(cache.keys().next().value!);
      return page;
    },
  };
}

function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string; cause?: { code?: string } };
  return e?.code === '23505' || e?.cause?.code === '23505';
}
