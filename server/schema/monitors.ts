import type { MonitorCheckEvent } from '../bus/topics.js';
import type { AlertRuleRow, MaintenanceWindowRow, MonitorCheckRow, MonitorRow } from '../db/schema.js';
import { toCheckEvent } from '../domain/monitors/monitors.js';
import { maskUrl } from '../domain/monitors/mask-url.js';
import { forbidden } from '../domain/shared/errors.js';
import { builder } from './builder.js';

const MonitorKind = builder.enumType('MonitorKind', { values: ['HTTP', 'TCP'] as const });
const MonitorStatus = builder.enumType('MonitorStatus', { values: ['PENDING', 'UP', 'DOWN', 'PAUSED'] as const });
const AlertRuleKind = builder.enumType('AlertRuleKind', { values: ['DOWN', 'SLOW', 'SSL_EXPIRY', 'STATUS_CODE'] as const });

export const MonitorCheck = builder.objectRef<MonitorCheckEvent>('MonitorCheck').implement({
  fields: (t) => ({
    id: t.id({ resolve: (c) => String(c.id) }),
    monitorId: t.exposeID('monitorId'),
    ok: t.exposeBoolean('ok'),
    httpStatus: t.exposeInt('httpStatus', { nullable: true }),
    responseTimeMs: t.exposeInt('responseTimeMs', { nullable: true }),
    error: t.exposeString('error', { nullable: true }),
    certExpiresAt: t.field({ type: 'DateTime', nullable: true, resolve: (c) => c.certExpiresAt }),
    certValid: t.exposeBoolean('certValid', { nullable: true }),
    checkedAt: t.field({ type: 'DateTime', resolve: (c) => c.checkedAt }),
  }),
});

const ResponseTimePoint = builder.objectRef<{ at: Date; ms: number | null; ok: boolean }>('ResponseTimePoint').implement({
  fields: (t) => ({
    at: t.expose('at', { type: 'DateTime' }),
    ms: t.exposeInt('ms', { nullable: true }),
    ok: t.exposeBoolean('ok'),
  }),
});

export const Monitor = builder.objectRef<MonitorRow>('Monitor').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    kind: t.field({ type: MonitorKind, resolve: (m) => m.kind }),
    url: t.string({ description: 'HTTP: the URL; TCP: host:port', resolve: (m) => m.target }),
    method: t.exposeString('method'),
    intervalSeconds: t.exposeInt('intervalSeconds'),
    timeoutMs: t.exposeInt('timeoutMs'),
    expectedStatus: t.exposeString('expectedStatus'),
    keyword: t.exposeString('keyword', { nullable: true }),
    retries: t.exposeInt('retries', { description: 'Consecutive failures tolerated before DOWN' }),
    checkSsl: t.exposeBoolean('checkSsl'),
    sslAlertDays: t.exposeInt('sslAlertDays'),
    status: t.field({ type: MonitorStatus, resolve: (m) => (m.paused ? 'PAUSED' : m.status) }),
    lastCheckedAt: t.expose('lastCheckedAt', { type: 'DateTime', nullable: true }),
    lastCheck: t.field({
      type: MonitorCheck,
      nullable: true,
      resolve: async (m, _args, { monitors }) => {
        const [last] = await monitors.checks(m.id, 1);
        return last ? toCheckEvent(last) : null;
      },
    }),
    checks: t.field({
      type: [MonitorCheck],
      description: 'The latest checks, oldest first',
      args: { last: t.arg.int({ defaultValue: 20 }) },
      resolve: async (m, { last }, { monitors }) => (await monitors.checks(m.id, last ?? 20)).map(toCheckEvent),
    }),
    uptime: t.float({
      nullable: true,
      description: 'Share of successful checks over the last `hours` (null before the first check)',
      args: { hours: t.arg.int({ defaultValue: 24 }) },
      resolve: (m, { hours }, { monitors }) => monitors.uptime(m.id, hours ?? 24),
    }),
    responseTimes: t.field({
      type: [ResponseTimePoint],
      args: { hours: t.arg.int({ defaultValue: 24 }) },
      resolve: (m, { hours }, { monitors }) => monitors.responseTimes(m.id, hours ?? 24),
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

const AlertRule = builder.objectRef<AlertRuleRow>('AlertRule').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    kind: t.field({ type: AlertRuleKind, resolve: (r) => r.kind }),
    monitorId: t.exposeID('monitorId', { nullable: true, description: 'null: every monitor of the tenant' }),
    thresholdMs: t.exposeInt('thresholdMs', { nullable: true }),
    consecutiveChecks: t.exposeInt('consecutiveChecks'),
    days: t.exposeInt('days', { nullable: true }),
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
  fields: (t) => ({
    id: t.exposeID('id'),
    monitorIds: t.idList({ resolve: (w) => w.monitorIds }),
    startsAt: t.expose('startsAt', { type: 'DateTime' }),
    endsAt: t.expose('endsAt', { type: 'DateTime' }),
  }),
});

const MonitorInput = builder.inputType('MonitorInput', {
  fields: (t) => ({
    name: t.string({ required: true }),
    kind: t.field({ type: MonitorKind, defaultValue: 'HTTP' }),
    url: t.string({ required: true, description: 'HTTP: http(s) URL; TCP: host:port' }),
    method: t.string(),
    intervalSeconds: t.int(),
    timeoutMs: t.int(),
    expectedStatus: t.string({ description: 'Codes and ranges, e.g. "200-399" (default) or "200,204"' }),
    keyword: t.string(),
    retries: t.int(),
    checkSsl: t.boolean(),
    sslAlertDays: t.int(),
  }),
});

const AlertRuleInput = builder.inputType('AlertRuleInput', {
  fields: (t) => ({
    name: t.string({ required: true }),
    kind: t.field({ type: AlertRuleKind, required: true }),
    monitorId: t.id({ description: 'Omit to apply to every monitor of the tenant' }),
    thresholdMs: t.int({ description: 'SLOW: response time over this…' }),
    consecutiveChecks: t.int({ description: '…for this many checks in a row (default 1)' }),
    days: t.int({ description: 'SSL_EXPIRY: fewer than this many days left (default 14)' }),
    holdDownSeconds: t.int({ description: 'Flap suppression: the condition must stay clear this long to resolve' }),
    webhookUrls: t.stringList(),
  }),
});

const monitorInput = (input: typeof MonitorInput.$inferInput) => ({ ...input, kind: input.kind ?? 'HTTP' });

builder.queryFields((t) => ({
  monitors: t.withAuth({ readMonitors: true }).field({ type: [Monitor], resolve: (_r, _a, { viewer, monitors }) => monitors.list(viewer.tenantId) }),
  monitor: t.withAuth({ readMonitors: true }).field({
    type: Monitor,
    nullable: true,
    args: { id: t.arg.id({ required: true }) },
    resolve: (_r, { id }, { viewer, monitors }) => monitors.get(viewer.tenantId, String(id)),
  }),
  alertRules: t.withAuth({ readMonitors: true }).field({ type: [AlertRule], resolve: (_r, _a, { viewer, monitors }) => monitors.listRules(viewer.tenantId) }),
  maintenanceWindows: t.withAuth({ readMonitors: true }).field({
    type: [MaintenanceWindow],
    resolve: (_r, _a, { viewer, monitors }) => monitors.listMaintenanceWindows(viewer.tenantId),
  }),
}));

builder.mutationFields((t) => ({
  createMonitor: t.withAuth({ member: true }).field({
    type: Monitor,
    args: { input: t.arg({ type: MonitorInput, required: true }) },
    resolve: (_r, { input }, { viewer, monitors }) => monitors.create(viewer.tenantId, monitorInput(input)),
  }),
  updateMonitor: t.withAuth({ member: true }).field({
    type: Monitor,
    args: { id: t.arg.id({ required: true }), input: t.arg({ type: MonitorInput, required: true }) },
    resolve: (_r, { id, input }, { viewer, monitors }) => monitors.update(viewer.tenantId, String(id), monitorInput(input)),
  }),
  deleteMonitor: t.withAuth({ member: true }).field({
    type: 'Boolean',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_r, { id }, { viewer, monitors }) => (await monitors.remove(viewer.tenantId, String(id)), true),
  }),
  pauseMonitor: t.withAuth({ member: true }).field({
    type: Monitor,
    args: { id: t.arg.id({ required: true }) },
    resolve: (_r, { id }, { viewer, monitors }) => monitors.setPaused(viewer.tenantId, String(id), true),
  }),
  resumeMonitor: t.withAuth({ member: true }).field({
    type: Monitor,
    args: { id: t.arg.id({ required: true }) },
    resolve: (_r, { id }, { viewer, monitors }) => monitors.setPaused(viewer.tenantId, String(id), false),
  }),
  runMonitorCheck: t.withAuth({ member: true }).field({
    type: MonitorCheck,
    description: 'Checks now, outside the schedule',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_r, { id }, { viewer, monitors, scheduler }) =>
      toCheckEvent((await scheduler.runNow(await monitors.getOwned(viewer.tenantId, String(id)))) as MonitorCheckRow),
  }),
  createAlertRule: t.withAuth({ member: true }).field({
    type: AlertRule,
    args: { input: t.arg({ type: AlertRuleInput, required: true }) },
    resolve: (_r, { input }, { viewer, monitors }) => monitors.createRule(viewer.tenantId, { ...input, monitorId: input.monitorId ? String(input.monitorId) : null }),
  }),
  deleteAlertRule: t.withAuth({ member: true }).field({
    type: 'Boolean',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_r, { id }, { viewer, monitors }) => (await monitors.deleteRule(viewer.tenantId, String(id)), true),
  }),
  createMaintenanceWindow: t.withAuth({ member: true }).field({
    type: MaintenanceWindow,
    args: {
      monitorIds: t.arg.idList({ required: true }),
      startsAt: t.arg({ type: 'DateTime', required: true }),
      endsAt: t.arg({ type: 'DateTime', required: true }),
    },
    resolve: (_r, args, { viewer, monitors }) => monitors.createMaintenanceWindow(viewer.tenantId, args.monitorIds.map(String), args.startsAt, args.endsAt),
  }),
  deleteMaintenanceWindow: t.withAuth({ member: true }).field({
    type: 'Boolean',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_r, { id }, { viewer, monitors }) => (await monitors.deleteMaintenanceWindow(viewer.tenantId, String(id)), true),
  }),
}));

builder.subscriptionField('monitorChecks', (t) =>
  t.withAuth({ readMonitors: true }).field({
    type: MonitorCheck,
    description: 'Every check as it completes: one monitor, or all monitors of the tenant when no id',
    args: { monitorId: t.arg.id() },
    subscribe: async (_r, { monitorId }, { viewer, streams, monitors, signal }) => {
      if (monitorId) await monitors.getOwned(viewer.tenantId, String(monitorId));
      return streams.monitorChecks({ tenantId: viewer.tenantId, signal, monitorId: monitorId ? String(monitorId) : undefined });
    },
    resolve: (check) => check,
  }),
);
