import type { IncidentRow, MonitorRow, StatusPageRow } from '../../db/schema.js';

/**
 * What an anonymous reader of a status page sees. Built field by field from an allow-list:
 * no monitor URL, id, setting or error text, no internal incident title or note, no member —
 * a public incident's title is made from the monitor's public name and the rule's kind.
 */
export interface PublicStatusPage {
  slug: string;
  title: string;
  description: string | null;
  status: PublicPageStatus;
  /** When this view was read from the store (ISO 8601). */
  updatedAt: string;
  /** How often a reader should poll for a fresh view. */
  refreshAfterSeconds: number;
  monitors: PublicMonitor[];
  incidents: PublicIncident[];
}

export type PublicPageStatus = 'OPERATIONAL' | 'DEGRADED' | 'PARTIAL_OUTAGE' | 'MAJOR_OUTAGE' | 'MAINTENANCE';
export type PublicMonitorStatus = 'UP' | 'DEGRADED' | 'DOWN' | 'MAINTENANCE' | 'PAUSED' | 'PENDING';

export interface PublicMonitor {
  /** Its place on the page, from 0. */
  position: number;
  name: string;
  status: PublicMonitorStatus;
  /** Share of successful checks over every day shown (null: no checks). */
  uptime: number | null;
  /** One per UTC day, oldest first, today last. */
  days: PublicUptimeDay[];
}

export interface PublicUptimeDay {
  /** YYYY-MM-DD, UTC. */
  date: string;
  checks: number;
  failures: number;
  uptime: number | null;
}

/** Status-page words for an incident: OPEN, ACKNOWLEDGED, RESOLVED as the public reads them. */
export type PublicIncidentStatus = 'INVESTIGATING' | 'IDENTIFIED' | 'RESOLVED';
const publicIncidentStatus = { OPEN: 'INVESTIGATING', ACKNOWLEDGED: 'IDENTIFIED', RESOLVED: 'RESOLVED' } as const;

export interface PublicIncident {
  monitorName: string;
  title: string;
  status: PublicIncidentStatus;
  startedAt: string;
  acknowledgedAt: string | null;
  resolvedAt: string | null;
  updates: { at: string; body: string }[];
}

/** Seconds a reader waits between polls (the server caches a page for less than this). */
export const REFRESH_AFTER_SECONDS = 15;

const headline: Record<string, string> = {
  DOWN: 'is not reachable',
  SLOW: 'is responding slowly',
  SSL_EXPIRY: 'has a certificate about to expire',
  STATUS_CODE: 'is answering with errors',
};

export interface PublicViewInput {
  page: StatusPageRow;
  entries: { entry: { position: number; label: string | null }; monitor: MonitorRow }[];
  daily: { monitorId: string; day: Date; checks: number; failures: number }[];
  inMaintenance: Set<string>;
  /** Open and recently resolved incidents of the page's monitors. */
  incidents: IncidentRow[];
  /** Their public notes. */
  notes: { incidentId: string; note: string | null; at: Date }[];
  now: Date;
  days: number;
}

export function publicView({ page, entries, daily, inMaintenance, incidents, notes, now, days }: PublicViewInput): PublicStatusPage {
  const nameOf = new Map(entries.map(({ entry, monitor }) => [monitor.id, entry.label ?? monitor.name]));
  const open = incidents.filter((i) => i.status !== 'RESOLVED');
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const dates = Array.from({ length: days }, (_, i) => new Date(today - (days - 1 - i) * 86_400_000).toISOString().slice(0, 10));

  const monitors = entries.map(({ entry, monitor }): PublicMonitor => {
    const counts = new Map(daily.filter((d) => d.monitorId === monitor.id).map((d) => [d.day.toISOString().slice(0, 10), d]));
    const bars = dates.map((date) => {
      const c = counts.get(date);
      const checks = c?.checks ?? 0;
      const failures = c?.failures ?? 0;
      return { date, checks, failures, uptime: checks ? (checks - failures) / checks : null };
    });
    const checks = bars.reduce((n, d) => n + d.checks, 0);
    const failures = bars.reduce((n, d) => n + d.failures, 0);
    return {
      position: entry.position,
      name: nameOf.get(monitor.id)!,
      status: monitorStatus(monitor, inMaintenance.has(monitor.id), open.some((i) => i.monitorId === monitor.id)),
      uptime: checks ? (checks - failures) / checks : null,
      days: bars,
    };
  });

  return {
    slug: page.slug,
    title: page.title,
    description: page.description,
    status: pageStatus(monitors),
    updatedAt: now.toISOString(),
    refreshAfterSeconds: REFRESH_AFTER_SECONDS,
    monitors,
    incidents: incidents.map((i) => {
      const name = nameOf.get(i.monitorId!) ?? 'A service';
      return {
        monitorName: name,
        title: `${name} ${headline[i.kind] ?? 'has a problem'}`,
        status: publicIncidentStatus[i.status],
        startedAt: i.openedAt.toISOString(),
        acknowledgedAt: i.acknowledgedAt?.toISOString() ?? null,
        resolvedAt: i.resolvedAt?.toISOString() ?? null,
        updates: notes.filter((n) => n.incidentId === i.id && n.note).map((n) => ({ at: n.at.toISOString(), body: n.note! })),
      };
    }),
  };
}

function monitorStatus(monitor: MonitorRow, maintenance: boolean, hasOpenIncident: boolean): PublicMonitorStatus {
  if (maintenance) return 'MAINTENANCE';
  if (monitor.paused) return 'PAUSED';
  if (monitor.status === 'DOWN') return 'DOWN';
  if (hasOpenIncident) return 'DEGRADED';
  return monitor.status === 'UP' ? 'UP' : 'PENDING';
}

/** The page's headline: the worst of its monitors. */
export function pageStatus(monitors: { status: PublicMonitorStatus }[]): PublicPageStatus {
  const down = monitors.filter((m) => m.status === 'DOWN').length;
  if (down > 0) return down === monitors.length ? 'MAJOR_OUTAGE' : 'PARTIAL_OUTAGE';
  if (monitors.some((m) => m.status === 'DEGRADED')) return 'DEGRADED';
  if (monitors.some((m) => m.status === 'MAINTENANCE')) return 'MAINTENANCE';
  return 'OPERATIONAL';
}
