import type { MonitorCheckEvent } from '../bus/topics.js';
import type { Context } from '../context.js';
import type { AlertRuleRow, MaintenanceWindowRow, MonitorCheckRow, MonitorRow } from '../db/schema.js';
import { toCheckEvent } from '../domain/monitors/monitors.js';
import { maskUrl } from '../domain/monitors/mask-url.js';
import { recoveryChecksOf } from '../domain/monitors/alerts.js';
import type { CheckBucket, CheckNumbers, CheckSeries } from '../domain/monitors/check-stats.js';
import { badInput, forbidden, found } from '../domain/shared/errors.js';
import { batchLoader, batchOnly, loadPerTenant, tenantKey } from './loaders.js';
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
    responseTimeMs: t.exposeInt('responseTimeMs', {
      nullable: true,
      description:
        'How long the target took to answer, in ms (HTTP: the whole response; TCP: the connect). Null when it never answered — refused, timed out, host not found — so a failure is never charted as a fast response. A wrong status or missing keyword did answer and keeps its time.',
    }),
    durationMs: t.exposeInt('durationMs', {
      nullable: true,
      description: 'How long the attempt took in ms, answered or not (a timeout’s is about the monitor’s timeoutMs). Null for checks stored before it was recorded.',
    }),
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

export const AlertRule = builder.objectRef<AlertRuleRow>('AlertRule');
const MaintenanceWindow = builder.objectRef<MaintenanceWindowRow>('MaintenanceWindow');

const CheckSeriesRange = builder.enumType('CheckSeriesRange', {
  description: 'The span of a response-time chart and its bucket width',
  values: {
    HOUR: { description: 'The last hour in 1-minute buckets, from the raw checks' },
    DAY: { description: 'The last 24 hours in 15-minute buckets, from the raw checks' },
    WEEK: { description: 'The last 7 days in 1-hour buckets, from the hourly rollup' },
    MONTH: { description: 'The last 30 days in 6-hour buckets, from the hourly rollup' },
  } as const,
});

type Types = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : never;

const statsFields = <T extends CheckNumbers>(t: PothosSchemaTypes.ObjectFieldBuilder<Types, T>) => ({
  count: t.int({ description: 'Checks run', resolve: (s) => s.count }),
  failures: t.int({ description: 'Checks that failed (not ok)', resolve: (s) => s.failures }),
  uptime: t.float({
    nullable: true,
    description: 'Share of checks that succeeded, 0–1 (null without checks)',
    resolve: (s) => (s.count ? (s.count - s.failures) / s.count : null),
  }),
  avgResponseTimeMs: t.int({ nullable: true, description: 'Mean response time of the checks that got an answer (null: none did)', resolve: (s) => s.avgMs }),
  p95ResponseTimeMs: t.int({
    nullable: true,
    description:
      '95th percentile response time of the checks that got an answer. HOUR and DAY: exact; WEEK and MONTH: estimated from hourly histograms (within one histogram bin, at most 20 % wide)',
    resolve: (s) => s.p95Ms,
  }),
  minResponseTimeMs: t.int({ nullable: true, description: 'Fastest answer', resolve: (s) => s.minMs }),
  maxResponseTimeMs: t.int({ nullable: true, description: 'Slowest answer', resolve: (s) => s.maxMs }),
});

const CheckStatsRef = builder.objectRef<CheckNumbers>('CheckStats').implement({
  description: 'Checks over a span: counts, and response times of those that got an answer',
  fields: (t) => statsFields(t),
});

const CheckBucketRef = builder.objectRef<CheckBucket>('CheckBucket').implement({
  description: 'One bucket of a check series: the checks whose time falls in [start, start + bucketSeconds)',
  fields: (t) => ({
    start: t.expose('start', { type: 'DateTime', description: 'Start of the bucket (aligned to whole buckets in UTC)' }),
    ...statsFields(t),
  }),
});

const CheckSeriesRef = builder.objectRef<CheckSeries>('CheckSeries').implement({
  description: 'A monitor’s checks aggregated on the server into equal buckets, for a response-time chart',
  fields: (t) => ({
    range: t.field({ type: CheckSeriesRange, description: 'The span asked for', resolve: (s) => s.range }),
    bucketSeconds: t.exposeInt('bucketSeconds', { description: 'Width of each bucket in seconds' }),
    from: t.expose('from', { type: 'DateTime', description: 'Start of the first bucket' }),
    to: t.expose('to', { type: 'DateTime', description: 'The moment the series was read (the last bucket is still filling)' }),
    buckets: t.field({
      type: [CheckBucketRef],
      description: 'Every bucket from `from` to `to`, oldest first; a bucket without checks has count 0 and null times (a gap, not a zero)',
      resolve: (s) => s.buckets,
    }),
    summary: t.field({ type: CheckStatsRef, description: 'The whole span at once: the chart’s headline average, p95 and uptime', resolve: (s) => s.summary }),
  }),
});

const MonitorUptime = builder.objectRef<{ monitorId: string }>('MonitorUptime').implement({
  description: 'Share of successful checks (0–1) over fixed windows ending now; null for a window without checks',
  fields: (t) => {
    const window = (hours: number, description: string) =>
      t.float({
        nullable: true,
        description,
        resolve: async ({ monitorId }, _a, ctx) => ratio(await uptimeLoader(ctx, hours).load(monitorId)),
      });
    return {
      last24Hours: window(24, 'The last 24 hours'),
      last7Days: window(24 * 7, 'The last 7 days'),
      last30Days: window(24 * 30, 'The last 30 days'),
    };
  },
});

const ratio = (c: { checks: number; failures: number }) => (c.checks ? (c.checks - c.failures) / c.checks : null);

/** Checks and failures of many monitors over one window: one query per page and window. */
const uptimeLoader = (ctx: Context, hours: number) =>
  batchLoader<string, { checks: number; failures: number }>(ctx, `uptime:${hours}`, async (ids) => {
    const counts = await ctx.checkStats.uptimes([...ids], [hours]);
    return ids.map((id) => counts.get(`${id}:${hours}`) ?? { checks: 0, failures: 0 });
  });

/** The last `last` checks of many monitors: one query per page (heartbeat bars). */
const recentChecksLoader = (ctx: Context, last: number) =>
  batchLoader<string, MonitorCheckRow[]>(ctx, `checks:${last}`, async (ids) => {
    const byMonitor = await ctx.checkStats.recent([...ids], last);
    return ids.map((id) => byMonitor.get(id) ?? []);
  });

/** Maintenance windows in force now for many monitors. */
const activeMaintenanceLoader = (ctx: Context) =>
  batchLoader<string, MaintenanceWindowRow | null>(ctx, 'maintenance', async (ids) => {
    const windows = await ctx.monitors.activeMaintenance([...ids]);
    return ids.map((id) => windows.find((w) => w.monitorIds.includes(id)) ?? null);
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
      resolve: async (m, _args, ctx) => {
        const [last] = await recentChecksLoader(ctx, 1).load(m.id);
        return last ? toCheckEvent(last) : null;
      },
    }),
    checks: t.field({
      type: [MonitorCheck],
      description: 'The latest checks, oldest first — a heartbeat bar. In a list of monitors, one query serves every row.',
      args: { last: t.arg.int({ defaultValue: 20, description: 'How many (1–1000)' }) },
      resolve: async (m, { last }, ctx) => {
        if (!Number.isInteger(last) || last! < 1 || last! > 1000) throw badInput('last must be between 1 and 1000', 'last');
        return (await recentChecksLoader(ctx, last!).load(m.id)).map(toCheckEvent);
      },
    }),
    uptime: t.float({
      nullable: true,
      description: 'Share of successful checks over the last `hours` (null before the first check)',
      args: { hours: t.arg.int({ defaultValue: 24, description: 'How far back, in hours' }) },
      resolve: async (m, { hours }, ctx) => {
        if (!(Number.isInteger(hours) && hours! > 0 && hours! <= 24 * 90)) throw badInput('hours must be between 1 and 2160', 'hours');
        return ratio(await uptimeLoader(ctx, hours!).load(m.id));
      },
    }),
    uptimes: t.field({
      type: MonitorUptime,
      description: 'Uptime over the last 24 hours, 7 days and 30 days (from the hourly rollup, exact to the check); one query per window for a whole list',
      resolve: (m) => ({ monitorId: m.id }),
    }),
    checkSeries: t.field({
      type: CheckSeriesRef,
      description: 'Checks aggregated into buckets on the server for a response-time chart: counts, failures, and average, p95, min and max of the answers per bucket (a check that never answered has no response time)',
      args: { range: t.arg({ type: CheckSeriesRange, required: true, description: 'The span, which also sets the bucket width' }) },
      resolve: (m, { range }, { checkStats }) => checkStats.series(m.id, range),
    }),
    paused: t.exposeBoolean('paused', { description: 'Paused monitors are not checked (status is PAUSED)' }),
    activeMaintenance: t.field({
      type: MaintenanceWindow,
      nullable: true,
      description: 'A maintenance window in force now: checks go on, but no incident opens and nobody is paged',
      resolve: (m, _a, ctx) => activeMaintenanceLoader(ctx).load(m.id),
    }),
    alertRules: t.loadableList({
      type: AlertRule,
      description: 'The alert rules that apply to this monitor: its own and the tenant-wide ones. In a list of monitors, one query serves every row.',
      load: async (keys: string[], { monitors }) =>
        (await loadPerTenant((tenantId, ids) => monitors.rulesForMany(tenantId, ids))(keys)).map((rules) => rules ?? []),
      loaderOptions: batchOnly,
      resolve: (m) => tenantKey(m.tenantId, m.id),
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

AlertRule.implement({
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
    recoveryChecks: t.int({
      description: 'Good checks in a row before an open incident may resolve (hysteresis); defaults to consecutiveChecks',
      resolve: (r) => recoveryChecksOf(r),
    }),
    recoveryThresholdMs: t.int({
      nullable: true,
      description: 'SLOW: a check counts as good at or under this many ms (below thresholdMs to keep a target hovering near the threshold from flapping); defaults to thresholdMs',
      resolve: (r) => (r.kind === 'SLOW' ? r.recoveryThresholdMs ?? r.thresholdMs : null),
    }),
    monitor: t.loadable({
      type: Monitor,
      nullable: true,
      description: 'The monitor it watches; null for a tenant-wide rule',
      load: (keys: string[], { monitors }) => loadPerTenant((tenantId, ids) => monitors.byIds(tenantId, ids))(keys),
      loaderOptions: batchOnly,
      resolve: (r) => (r.monitorId ? tenantKey(r.tenantId, r.monitorId) : null),
    }),
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
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When the rule was created' }),
  }),
});

MaintenanceWindow.implement({
  description: 'A planned time when monitors keep being checked but open no incident and page nobody',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Stable identifier' }),
    title: t.exposeString('title', { nullable: true, description: 'What the maintenance is, e.g. "Database upgrade"' }),
    monitorIds: t.idList({ description: 'The monitors it silences', resolve: (w) => w.monitorIds }),
    monitors: t.field({
      type: [Monitor],
      description: 'The monitors it covers (monitors deleted since are left out)',
      resolve: (w, _a, { monitors }) => monitors.getMany(w.tenantId, w.monitorIds),
    }),
    startsAt: t.expose('startsAt', { type: 'DateTime', description: 'When it starts' }),
    endsAt: t.expose('endsAt', { type: 'DateTime', description: 'When it ends' }),
    active: t.boolean({
      description: 'True while now is between startsAt and endsAt',
      resolve: (w) => w.startsAt.getTime() <= Date.now() && Date.now() <= w.endsAt.getTime(),
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When the window was created' }),
  }),
});

const MaintenanceWindowInput = builder.inputType('MaintenanceWindowInput', {
  description: 'A maintenance window: during it checks go on, but no incident opens and nobody is paged',
  fields: (t) => ({
    title: t.string({ description: 'What the maintenance is (up to 200 characters)' }),
    monitorIds: t.idList({ required: true, description: 'The monitors it covers (1–500, of this tenant)' }),
    startsAt: t.field({ type: 'DateTime', required: true, description: 'When it begins' }),
    endsAt: t.field({ type: 'DateTime', required: true, description: 'When it ends (after startsAt)' }),
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
    recoveryChecks: t.int({ description: 'Hysteresis: good checks in a row before the incident may resolve (1–100, default consecutiveChecks)' }),
    recoveryThresholdMs: t.int({ description: 'SLOW: a check is good at or under this many ms (1–thresholdMs, default thresholdMs)' }),
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
  alertRule: t.withAuth({ readMonitors: true }).field({
    type: AlertRule,
    nullable: true,
    description: 'One alert rule of your tenant; null with NOT_FOUND when there is none with this id',
    args: { id: t.arg.id({ required: true, description: 'The rule’s id' }) },
    resolve: (_r, { id }, { viewer, monitors }) => monitors.getRule(viewer.tenantId, String(id)),
  }),
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
  cloneMonitor: t.withAuth({ member: true }).field({
    type: Monitor,
    description: 'A new monitor with the settings of another (not its checks, incidents or alert rules), checked from now on',
    args: {
      id: t.arg.id({ required: true, description: 'The monitor to copy' }),
      name: t.arg.string({ description: 'The copy’s name; default "<name> (copy)"' }),
    },
    resolve: (_r, { id, name }, { viewer, monitors }) => monitors.clone(viewer.tenantId, String(id), name),
  }),
  createAlertRule: t.withAuth({ member: true }).field({
    type: AlertRule,
    description: 'Adds an alert rule (ADMIN or MEMBER)',
    args: { input: t.arg({ type: AlertRuleInput, required: true, description: 'The condition and whom to page' }) },
    resolve: (_r, { input }, { viewer, monitors }) => monitors.createRule(viewer.tenantId, { ...input, monitorId: input.monitorId ? String(input.monitorId) : null }),
  }),
  updateAlertRule: t.withAuth({ member: true }).field({
    type: AlertRule,
    description: 'Replaces a rule’s settings (send every field, as on create); an open incident is judged by the new settings from the next check',
    args: {
      id: t.arg.id({ required: true, description: 'The rule to change' }),
      input: t.arg({ type: AlertRuleInput, required: true, description: 'The rule’s new settings' }),
    },
    resolve: (_r, { id, input }, { viewer, monitors }) =>
      monitors.updateRule(viewer.tenantId, String(id), { ...input, monitorId: input.monitorId ? String(input.monitorId) : null }),
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
      title: t.arg.string({ description: 'What the maintenance is (up to 200 characters)' }),
    },
    resolve: (_r, args, { viewer, monitors }) =>
      monitors.createMaintenanceWindow(viewer.tenantId, { title: args.title, monitorIds: args.monitorIds.map(String), startsAt: args.startsAt, endsAt: args.endsAt }),
  }),
  updateMaintenanceWindow: t.withAuth({ member: true }).field({
    type: MaintenanceWindow,
    description: 'Replaces a maintenance window’s title, monitors and times',
    args: {
      id: t.arg.id({ required: true, description: 'The window to change' }),
      input: t.arg({ type: MaintenanceWindowInput, required: true, description: 'Its new settings' }),
    },
    resolve: (_r, { id, input }, { viewer, monitors }) =>
      monitors.updateMaintenanceWindow(viewer.tenantId, String(id), { ...input, monitorIds: input.monitorIds.map(String) }),
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
