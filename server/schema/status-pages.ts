import type { StatusPageRow } from '../db/schema.js';
import type { StatusPageEntry } from '../domain/status-pages/status-pages.js';
import type { PublicIncident, PublicMonitor, PublicStatusPage, PublicUptimeDay } from '../domain/status-pages/public-view.js';
import { builder } from './builder.js';
import { Monitor } from './monitors.js';

// ---- what the operator manages (signed in) ----

const StatusPageMonitor = builder.objectRef<StatusPageEntry & { tenantId: string }>('StatusPageMonitor').implement({
  description: 'A monitor shown on a status page',
  fields: (t) => ({
    position: t.exposeInt('position', { description: 'Its place on the page, from 0' }),
    label: t.exposeString('label', { nullable: true, description: 'The name the public sees; null shows the monitor’s own name' }),
    monitor: t.field({
      type: Monitor,
      nullable: true,
      description: 'The monitor (null if it was deleted a moment ago)',
      resolve: (e, _a, { monitors }) => monitors.get(e.tenantId, e.monitorId),
    }),
  }),
});

const StatusPage = builder.objectRef<StatusPageRow>('StatusPage').implement({
  description: 'A public page of chosen monitors, readable without sign-in at /status/<slug>',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'The page’s id' }),
    slug: t.exposeString('slug', { description: 'Its address: /status/<slug> (unique across every workspace)' }),
    title: t.exposeString('title', { description: 'The page’s heading' }),
    description: t.exposeString('description', { nullable: true, description: 'A line under the heading' }),
    path: t.string({ description: 'Where the console serves it; the same data is at <path>.json and a badge at <path>/badge.svg', resolve: (p) => `/status/${p.slug}` }),
    monitors: t.field({
      type: [StatusPageMonitor],
      description: 'The monitors it shows, in order',
      resolve: async (p, _a, { statusPages }) => (await statusPages.entries(p.id)).map((e) => ({ ...e, tenantId: p.tenantId })),
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When it was created' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime', description: 'When its settings last changed' }),
  }),
});

const StatusPageMonitorInput = builder.inputType('StatusPageMonitorInput', {
  description: 'A monitor to show on a status page',
  fields: (t) => ({
    monitorId: t.id({ required: true, description: 'A monitor of this workspace' }),
    label: t.string({ description: 'The name the public sees (default: the monitor’s name; up to 200 characters)' }),
  }),
});

const StatusPageInput = builder.inputType('StatusPageInput', {
  description: 'A status page’s settings',
  fields: (t) => ({
    slug: t.string({ required: true, description: 'Its address /status/<slug>: 3–64 lower-case letters, digits and dashes' }),
    title: t.string({ required: true, description: 'The heading (1–200 characters)' }),
    description: t.string({ description: 'A line under the heading (up to 2000 characters)' }),
    monitors: t.field({ type: [StatusPageMonitorInput], required: true, description: 'The monitors to show, in order (up to 100)' }),
  }),
});

const pageInput = (input: typeof StatusPageInput.$inferInput) => ({
  ...input,
  monitors: input.monitors.map((m) => ({ monitorId: String(m.monitorId), label: m.label })),
});

builder.queryFields((t) => ({
  statusPages: t.withAuth({ user: true }).field({
    type: [StatusPage],
    description: 'The workspace’s status pages',
    resolve: (_r, _a, { viewer, statusPages }) => statusPages.list(viewer.tenantId),
  }),
}));

builder.mutationFields((t) => ({
  createStatusPage: t.withAuth({ admin: true }).field({
    type: StatusPage,
    description: 'Publishes a status page (ADMIN): anyone can read it without signing in',
    args: { input: t.arg({ type: StatusPageInput, required: true, description: 'Its slug, title and monitors' }) },
    resolve: (_r, { input }, { viewer, statusPages }) => statusPages.create(viewer.tenantId, pageInput(input)),
  }),
  updateStatusPage: t.withAuth({ admin: true }).field({
    type: StatusPage,
    description: 'Replaces a status page’s slug, title, description and monitors (ADMIN)',
    args: {
      id: t.arg.id({ required: true, description: 'The page' }),
      input: t.arg({ type: StatusPageInput, required: true, description: 'Its new settings' }),
    },
    resolve: (_r, { id, input }, { viewer, statusPages }) => statusPages.update(viewer.tenantId, String(id), pageInput(input)),
  }),
  deleteStatusPage: t.withAuth({ admin: true }).field({
    type: 'Boolean',
    description: 'Takes a status page down (ADMIN); its address answers 404 from then on',
    args: { id: t.arg.id({ required: true, description: 'The page' }) },
    resolve: async (_r, { id }, { viewer, statusPages }) => (await statusPages.remove(viewer.tenantId, String(id)), true),
  }),
}));

// ---- what anyone may read (no sign-in): types of their own, so no path leads to the tenant's ----

const PublicPageStatus = builder.enumType('PublicPageStatus', {
  description: 'A status page’s headline, the worst of its monitors',
  values: {
    OPERATIONAL: { description: 'Every monitor is up' },
    DEGRADED: { description: 'A monitor has an open incident but is up (slow, errors, certificate)' },
    PARTIAL_OUTAGE: { description: 'Some monitors are down' },
    MAJOR_OUTAGE: { description: 'Every monitor is down' },
    MAINTENANCE: { description: 'A monitor is in a maintenance window, none is down' },
  } as const,
});

const PublicMonitorStatus = builder.enumType('PublicMonitorStatus', {
  description: 'A monitor’s state as the public sees it',
  values: {
    UP: { description: 'Its last checks succeeded' },
    DEGRADED: { description: 'Up, with an open incident (slow, errors, certificate)' },
    DOWN: { description: 'Not reachable' },
    MAINTENANCE: { description: 'In a maintenance window' },
    PAUSED: { description: 'Not being checked' },
    PENDING: { description: 'Not checked yet' },
  } as const,
});

const PublicIncidentStatus = builder.enumType('PublicIncidentStatus', {
  description: 'An incident’s stage in status-page words',
  values: {
    INVESTIGATING: { description: 'Open: the team has been alerted' },
    IDENTIFIED: { description: 'Acknowledged: someone is on it' },
    RESOLVED: { description: 'Over' },
  } as const,
});

const PublicUptimeDayRef = builder.objectRef<PublicUptimeDay>('PublicUptimeDay').implement({
  description: 'One UTC day of a monitor on a status page (an uptime bar)',
  fields: (t) => ({
    date: t.exposeString('date', { description: 'The day, YYYY-MM-DD (UTC)' }),
    checks: t.exposeInt('checks', { description: 'Checks that day' }),
    failures: t.exposeInt('failures', { description: 'Failed checks that day' }),
    uptime: t.exposeFloat('uptime', { nullable: true, description: 'Share of successful checks, 0–1 (null: no checks that day)' }),
  }),
});

const PublicMonitorRef = builder.objectRef<PublicMonitor>('PublicStatusMonitor').implement({
  description: 'A monitor as a status page shows it: its public name, state and daily uptime — nothing of its settings',
  fields: (t) => ({
    position: t.exposeInt('position', { description: 'Its place on the page, from 0' }),
    name: t.exposeString('name', { description: 'Its public name' }),
    status: t.field({ type: PublicMonitorStatus, description: 'Its state now', resolve: (m) => m.status }),
    uptime: t.exposeFloat('uptime', { nullable: true, description: 'Share of successful checks over the days shown (null: no checks)' }),
    days: t.field({ type: [PublicUptimeDayRef], description: 'The last 90 UTC days, oldest first, today last', resolve: (m) => m.days }),
  }),
});

const PublicIncidentUpdate = builder.objectRef<{ at: string; body: string }>('PublicIncidentUpdate').implement({
  description: 'A note the team chose to publish on an incident',
  fields: (t) => ({
    at: t.field({ type: 'DateTime', description: 'When it was written', resolve: (u) => u.at }),
    body: t.exposeString('body', { description: 'The note' }),
  }),
});

const PublicIncidentRef = builder.objectRef<PublicIncident>('PublicIncident').implement({
  description: 'An open or recent incident of a monitor on the page, in public words',
  fields: (t) => ({
    monitorName: t.exposeString('monitorName', { description: 'The public name of the monitor it concerns' }),
    title: t.exposeString('title', { description: 'What is wrong, e.g. "API is not reachable"' }),
    status: t.field({ type: PublicIncidentStatus, description: 'Its stage', resolve: (i) => i.status }),
    startedAt: t.field({ type: 'DateTime', description: 'When it began', resolve: (i) => i.startedAt }),
    acknowledgedAt: t.field({ type: 'DateTime', nullable: true, description: 'When the team took it on', resolve: (i) => i.acknowledgedAt }),
    resolvedAt: t.field({ type: 'DateTime', nullable: true, description: 'When it ended', resolve: (i) => i.resolvedAt }),
    updates: t.field({ type: [PublicIncidentUpdate], description: 'Published notes, oldest first', resolve: (i) => i.updates }),
  }),
});

const PublicStatusPageRef = builder.objectRef<PublicStatusPage>('PublicStatusPage').implement({
  description: 'A status page as anyone may read it, without sign-in',
  fields: (t) => ({
    slug: t.exposeString('slug', { description: 'Its address, /status/<slug>' }),
    title: t.exposeString('title', { description: 'The heading' }),
    description: t.exposeString('description', { nullable: true, description: 'A line under the heading' }),
    status: t.field({ type: PublicPageStatus, description: 'The headline', resolve: (p) => p.status }),
    updatedAt: t.field({ type: 'DateTime', description: 'When this view was read (views are cached for a few seconds)', resolve: (p) => p.updatedAt }),
    refreshAfterSeconds: t.exposeInt('refreshAfterSeconds', { description: 'Poll again after this many seconds to stay current' }),
    monitors: t.field({ type: [PublicMonitorRef], description: 'The monitors, in the page’s order', resolve: (p) => p.monitors }),
    incidents: t.field({
      type: [PublicIncidentRef],
      description: 'Open incidents of these monitors, and those resolved in the last 14 days, newest first',
      resolve: (p) => p.incidents,
    }),
  }),
});

builder.queryFields((t) => ({
  statusPage: t.field({
    type: PublicStatusPageRef,
    nullable: true,
    skipTypeScopes: true,
    description: 'A public status page by its slug, for anyone, signed in or not (null: no such page). Poll it (refreshAfterSeconds) to stay current; GET /status/<slug>.json serves the same.',
    args: { slug: t.arg.string({ required: true, description: 'The page’s slug' }) },
    resolve: (_r, { slug }, { statusPages }) => statusPages.publicPage(slug),
  }),
}));
