import { found } from '../domain/shared/errors.js';
import type { MonitorCheckEvent } from '../bus/topics.js';
import type { AlertRuleRow, MaintenanceWindowRow, MonitorCheckRow, MonitorRow } from '../db/schema.js';
import { toCheckEvent } from '../domain/monitors/monitors.js';
import { maskUrl } from '../domain/monitors/mask-url.js';
import { forbidden } from '../domain/shared/errors.js';
import { builder } from './builder.js';

const MonitorKind = builder.enumType('MonitorKind', {
  description: 'How a monitor checks its target',
  values: {
    HTTP: { description: 'Requests a URL and checks the status (and keyword, and certificate)' },
    TCP: { description: 'Opens a TCP connection to host:port' },
  },
});
const MonitorStatus = builder.enumType('MonitorStatus', {
  description: 'What a monitor’s checks say now',
  values: {
    PENDING: { description: 'Not checked yet' },
    UP: { description: 'The last check succeeded (or failed fewer times in a row than `retries` allows)' },
    DOWN: { description: 'More consecutive checks failed than `retries` allows' },
    PAUSED: { description: 'Not being checked: resumeMonitor starts it again' },
  },
});
const AlertRuleKind = builder.enumType('AlertRuleKind', {
  description: 'The condition an alert rule watches for',
  values: {
    DOWN: { description: 'The monitor is DOWN' },
    SLOW: { description: 'Responses slower than `thresholdMs` for `consecutiveChecks` checks in a row' },
    SSL_EXPIRY: { description: 'The certificate expires in fewer than `days` days' },
    STATUS_CODE: { description: 'A response status outside the monitor’s `expectedStatus`' },
  },
});

export const MonitorCheck = builder.objectRef<MonitorCheckEvent>('MonitorCheck').implement({
  description: 'The result of one check of a monitor',
  fields: (t) => ({
    id: t.id({ description: 'Stable identifier of the check', resolve: (c) => String(c.id) }),
    monitorId: t.exposeID('monitorId', { description: 'The monitor it checked' }),
    ok: t.exposeBoolean('ok', { description: 'Whether the check passed' }),
    httpStatus: t.exposeInt('httpStatus', { nullable: true, description: 'The HTTP status answered; null for TCP or when nothing answered' }),
    responseTimeMs: t.exposeInt('responseTimeMs', { nullable: true, description: 'How long the answer took; null when nothing answered' }),
    error: t.exposeString('error', { nullable: true, description: 'Why it failed ("connection refused", "keyword not found"); null when it passed' }),
    certExpiresAt: t.field({ type: 'DateTime', nullable: true, description: 'https: when the certificate expires', resolve: (c) => c.certExpiresAt }),
    certValid: t.exposeBoolean('certValid', { nullable: true, description: 'https: whether the certificate is valid for the host' }),
    checkedAt: t.field({ type: 'DateTime', description: 'When the check ran', resolve: (c) => c.checkedAt }),
  }),
});

const ResponseTimePoint = builder.objectRef<{ at: Date; ms: number | null; ok: boolean }>('ResponseTimePoint').implement({
  description: 'One point of a monitor’s response-time chart',
  fields: (t) => ({
    at: t.expose('at', { type: 'DateTime', description: 'When the check ran' }),
    ms: t.exposeInt('ms', { nullable: true, description: 'Response time; null when nothing answered' }),
    ok: t.exposeBoolean('ok', { description: 'Whether the check passed' }),
  }),
});

export const Monitor = builder.objectRef<MonitorRow>('Monitor').implement({
  description: 'An endpoint checked on a schedule (uptime monitoring)',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Stable identifier' }),
    name: t.exposeString('name', { description: 'What it watches, e.g. "API"' }),
    kind: t.field({ type: MonitorKind, description: 'HTTP or TCP', resolve: (m) => m.kind }),
    url: t.string({ description: 'HTTP: the URL; TCP: host:port', resolve: (m) => m.target }),
    method: t.exposeString('method', { description: 'HTTP method of the request (GET by default)' }),
    intervalSeconds: t.exposeInt('intervalSeconds', { description: 'Seconds between checks' }),
    timeoutMs: t.exposeInt('timeoutMs', { description: 'A check that takes longer fails' }),
    expectedStatus: t.exposeString('expectedStatus', { description: 'Statuses that count as up: codes and ranges, e.g. "200-399"' }),
    keyword: t.exposeString('keyword', { nullable: true, description: 'Text the response body must contain; null: any body' }),
    retries: t.exposeInt('retries', { description: 'Consecutive failures tolerated before DOWN' }),
    checkSsl: t.exposeBoolean('checkSsl', { description: 'https: an invalid certificate fails the check' }),
    sslAlertDays: t.exposeInt('sslAlertDays', { description: 'https: warn when the certificate expires within this many days' }),
    status: t.field({ type: MonitorStatus, description: 'Up, down, pending or paused', resolve: (m) => (m.paused ? 'PAUSED' : m.status) }),
    lastCheckedAt: t.expose('lastCheckedAt', { type: 'DateTime', nullable: true, description: 'When it was last checked; null before the first check' }),
    lastCheck: t.field({
      type: MonitorCheck,
      nullable: true,
      description: 'The latest check; null before the first',
      resolve: async (m, _args, { monitors }) => {
        const [last] = await monitors.checks(m.id, 1);
        return last ? toCheckEvent(last) : null;
      },
    }),
    checks: t.field({
      type: [MonitorCheck],
      description: 'The latest checks, oldest first',
      args: { last: t.arg.int({ defaultValue: 20, description: 'How many of the latest checks' }) },
      resolve: async (m, { last }, { monitors }) => (await monitors.checks(m.id, last ?? 20)).map(toCheckEvent),
    }),
    uptime: t.float({
      nullable: true,
      description: 'Share of successful checks over the last `hours` (null before the first check)',
      args: { hours: t.arg.int({ defaultValue: 24, description: 'How far back, in hours' }) },
      resolve: (m, { hours }, { monitors }) => monitors.uptime(m.id, hours ?? 24),
    }),
    responseTimes: t.field({
      type: [ResponseTimePoint],
      description: 'Response time of every check over the last `hours`, oldest first (for a chart)',
      args: { hours: t.arg.int({ defaultValue: 24, description: 'How far back, in hours' }) },
      resolve: (m, { hours }, { monitors }) => monitors.responseTimes(m.id, hours ?? 24),
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When the monitor was created' }),
  }),
});

const AlertRule = builder.objectRef<AlertRuleRow>('AlertRule').implement({
  description: 'When to open an incident for monitors, and which webhooks to page',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Stable identifier' }),
    name: t.exposeString('name', { description: 'What the rule is called, e.g. "down"' }),
    kind: t.field({ type: AlertRuleKind, description: 'The condition it watches for', resolve: (r) => r.kind }),
    monitorId: t.exposeID('monitorId', { nullable: true, description: 'null: every monitor of the tenant' }),
    thresholdMs: t.exposeInt('thresholdMs', { nullable: true, description: 'SLOW: the response time it must exceed' }),
    consecutiveChecks: t.exposeInt('consecutiveChecks', { description: 'How many checks in a row the condition must hold' }),
    days: t.exposeInt('days', { nullable: true, description: 'SSL_EXPIRY: days of validity left below which it holds' }),
    holdDownSeconds: t.exposeInt('holdDownSeconds', { description: 'How long the condition must stay clear before the incident resolves' }),
    webhookUrls: t.stringList({
      description:
        'Where incident notifications go. Webhook URLs carry secrets, so they read masked (scheme and host only); an ADMIN editing the rule asks for them with `reveal: true`.',
      args: { reveal: t.arg.boolean({ defaultValue: false, description: 'The full URLs (ADMIN only; FORBIDDEN otherwise)' }) },
      resolve: (rule, { reveal }, { viewer }) => {
        if (!reveal) return rule.webhookUrls.map(maskUrl);
        if (viewer?.kind !== 'user' || viewer.role !== 'ADMIN') throw forbidden('Only an ADMIN may see webhook URLs unmasked');
        return rule.webhookUrls;
      },
    }),
  }),
});

const MaintenanceWindow = builder.objectRef<MaintenanceWindowRow>('MaintenanceWindow').implement({
  description: 'A planned time when monitors keep being checked but open no incident and page nobody',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Stable identifier' }),
    monitorIds: t.idList({ description: 'The monitors it silences', resolve: (w) => w.monitorIds }),
    startsAt: t.expose('startsAt', { type: 'DateTime', description: 'When it starts' }),
    endsAt: t.expose('endsAt', { type: 'DateTime', description: 'When it ends' }),
  }),
});

const MonitorInput = builder.inputType('MonitorInput', {
  description: 'A monitor to create, or all of its settings to update',
  fields: (t) => ({
    name: t.string({ required: true, description: 'What it watches, e.g. "API"' }),
    kind: t.field({ type: MonitorKind, defaultValue: 'HTTP', description: 'HTTP or TCP' }),
    url: t.string({ required: true, description: 'HTTP: http(s) URL; TCP: host:port' }),
    method: t.string({ description: 'HTTP method (default GET)' }),
    intervalSeconds: t.int({ description: 'Seconds between checks (default 60; at least MONITOR_MIN_INTERVAL_SECONDS)' }),
    timeoutMs: t.int({ description: 'A check that takes longer fails (default 10,000, or the interval when that is shorter)' }),
    expectedStatus: t.string({ description: 'Codes and ranges, e.g. "200-399" (default) or "200,204"' }),
    keyword: t.string({ description: 'Text the response body must contain' }),
    retries: t.int({ description: 'Consecutive failures tolerated before DOWN (default 0)' }),
    checkSsl: t.boolean({ description: 'https: fail the check on an invalid certificate (default false)' }),
    sslAlertDays: t.int({ description: 'https: days before expiry to warn (default 14)' }),
  }),
});

const AlertRuleInput = builder.inputType('AlertRuleInput', {
  description: 'An alert rule to create',
  fields: (t) => ({
    name: t.string({ required: true, description: 'What to call it, e.g. "down"' }),
    kind: t.field({ type: AlertRuleKind, required: true, description: 'The condition to watch for' }),
    monitorId: t.id({ description: 'Omit to apply to every monitor of the tenant' }),
    thresholdMs: t.int({ description: 'SLOW: response time over this…' }),
    consecutiveChecks: t.int({ description: '…for this many checks in a row (default 1)' }),
    days: t.int({ description: 'SSL_EXPIRY: fewer than this many days left (default 14)' }),
    holdDownSeconds: t.int({ description: 'Flap suppression: the condition must stay clear this long to resolve' }),
    webhookUrls: t.stringList({ description: 'Where to post each incident transition (JSON); none: incidents only' }),
  }),
});

const monitorInput = (input: typeof MonitorInput.$inferInput) => ({ ...input, kind: input.kind ?? 'HTTP' });

builder.queryFields((t) => ({
  monitors: t.withAuth({ readMonitors: true }).field({ type: [Monitor], description: 'Every monitor of your tenant', resolve: (_r, _a, { viewer, monitors }) => monitors.list(viewer.tenantId) }),
  monitor: t.withAuth({ readMonitors: true }).field({
    type: Monitor,
    nullable: true,
    description: 'One monitor; null with NOT_FOUND when your tenant has none with this id',
    args: { id: t.arg.id({ required: true, description: 'The monitor’s id' }) },
    resolve: async (_r, { id }, { viewer, monitors }) => found(await monitors.get(viewer.tenantId, String(id)), 'No such monitor'),
  }),
  alertRules: t.withAuth({ readMonitors: true }).field({ type: [AlertRule], description: 'Every alert rule of your tenant', resolve: (_r, _a, { viewer, monitors }) => monitors.listRules(viewer.tenantId) }),
  maintenanceWindows: t.withAuth({ readMonitors: true }).field({
    type: [MaintenanceWindow],
    description: 'Every maintenance window of your tenant',
    resolve: (_r, _a, { viewer, monitors }) => monitors.listMaintenanceWindows(viewer.tenantId),
  }),
}));

builder.mutationFields((t) => ({
  createMonitor: t.withAuth({ member: true }).field({
    type: Monitor,
    description: 'Starts checking an endpoint (ADMIN or MEMBER)',
    args: { input: t.arg({ type: MonitorInput, required: true, description: 'What to check, and how' }) },
    resolve: (_r, { input }, { viewer, monitors }) => monitors.create(viewer.tenantId, monitorInput(input)),
  }),
  updateMonitor: t.withAuth({ member: true }).field({
    type: Monitor,
    description: 'Replaces a monitor’s settings (ADMIN or MEMBER)',
    args: {
      id: t.arg.id({ required: true, description: 'The monitor’s id' }),
      input: t.arg({ type: MonitorInput, required: true, description: 'All of its settings' }),
    },
    resolve: (_r, { id, input }, { viewer, monitors }) => monitors.update(viewer.tenantId, String(id), monitorInput(input)),
  }),
  deleteMonitor: t.withAuth({ member: true }).field({
    type: 'Boolean',
    description: 'Deletes a monitor and its checks; true when done (ADMIN or MEMBER)',
    args: { id: t.arg.id({ required: true, description: 'The monitor’s id' }) },
    resolve: async (_r, { id }, { viewer, monitors }) => (await monitors.remove(viewer.tenantId, String(id)), true),
  }),
  pauseMonitor: t.withAuth({ member: true }).field({
    type: Monitor,
    description: 'Stops checking a monitor until resumeMonitor (ADMIN or MEMBER)',
    args: { id: t.arg.id({ required: true, description: 'The monitor’s id' }) },
    resolve: (_r, { id }, { viewer, monitors }) => monitors.setPaused(viewer.tenantId, String(id), true),
  }),
  resumeMonitor: t.withAuth({ member: true }).field({
    type: Monitor,
    description: 'Starts checking a paused monitor again (ADMIN or MEMBER)',
    args: { id: t.arg.id({ required: true, description: 'The monitor’s id' }) },
    resolve: (_r, { id }, { viewer, monitors }) => monitors.setPaused(viewer.tenantId, String(id), false),
  }),
  runMonitorCheck: t.withAuth({ member: true }).field({
    type: MonitorCheck,
    description: 'Checks now, outside the schedule',
    args: { id: t.arg.id({ required: true, description: 'The monitor’s id' }) },
    resolve: async (_r, { id }, { viewer, monitors, scheduler }) =>
      toCheckEvent((await scheduler.runNow(await monitors.getOwned(viewer.tenantId, String(id)))) as MonitorCheckRow),
  }),
  createAlertRule: t.withAuth({ member: true }).field({
    type: AlertRule,
    description: 'Adds an alert rule (ADMIN or MEMBER)',
    args: { input: t.arg({ type: AlertRuleInput, required: true, description: 'The condition and whom to page' }) },
    resolve: (_r, { input }, { viewer, monitors }) => monitors.createRule(viewer.tenantId, { ...input, monitorId: input.monitorId ? String(input.monitorId) : null }),
  }),
  deleteAlertRule: t.withAuth({ member: true }).field({
    type: 'Boolean',
    description: 'Deletes an alert rule; true when done (ADMIN or MEMBER)',
    args: { id: t.arg.id({ required: true, description: 'The rule’s id' }) },
    resolve: async (_r, { id }, { viewer, monitors }) => (await monitors.deleteRule(viewer.tenantId, String(id)), true),
  }),
  createMaintenanceWindow: t.withAuth({ member: true }).field({
    type: MaintenanceWindow,
    description: 'Plans a time when monitors open no incident (ADMIN or MEMBER)',
    args: {
      monitorIds: t.arg.idList({ required: true, description: 'The monitors to silence' }),
      startsAt: t.arg({ type: 'DateTime', required: true, description: 'When it starts' }),
      endsAt: t.arg({ type: 'DateTime', required: true, description: 'When it ends' }),
    },
    resolve: (_r, args, { viewer, monitors }) => monitors.createMaintenanceWindow(viewer.tenantId, args.monitorIds.map(String), args.startsAt, args.endsAt),
  }),
  deleteMaintenanceWindow: t.withAuth({ member: true }).field({
    type: 'Boolean',
    description: 'Deletes a maintenance window; true when done (ADMIN or MEMBER)',
    args: { id: t.arg.id({ required: true, description: 'The window’s id' }) },
    resolve: async (_r, { id }, { viewer, monitors }) => (await monitors.deleteMaintenanceWindow(viewer.tenantId, String(id)), true),
  }),
}));

builder.subscriptionField('monitorChecks', (t) =>
  t.withAuth({ readMonitors: true }).field({
    type: MonitorCheck,
    description: 'Every check as it completes: one monitor, or all monitors of the tenant when no id',
    args: { monitorId: t.arg.id({ description: 'Only this monitor’s checks' }) },
    subscribe: async (_r, { monitorId }, { viewer, streams, monitors, signal }) => {
      if (monitorId) await monitors.getOwned(viewer.tenantId, String(monitorId));
      return streams.monitorChecks({ tenantId: viewer.tenantId, signal, monitorId: monitorId ? String(monitorId) : undefined });
    },
    resolve: (check) => check,
  }),
);
