import { DomainError, forbidden, found } from '../domain/shared/errors.js';
import type { IncidentEvent as IncidentEventShape } from '../bus/topics.js';
import type { IncidentRow, MonitorCheckRow, NotificationAttemptRow } from '../db/schema.js';
import type { Context } from '../context.js';
import { EVENT_ID } from '../plugins/use-shared-execution.js';
import { maskUrl } from '../domain/monitors/mask-url.js';
import type { IncidentActor as IncidentActorShape } from '../domain/incidents/incidents.js';
import { deliveryCursor, type WebhookDeliveryView } from '../domain/incidents/notifications.js';
import { toCheckEvent } from '../domain/monitors/monitors.js';
import { principalKey, type UserViewer } from '../domain/auth/viewer.js';
import { eventCursor, resumeCursor } from '../streams/resume.js';
import { builder } from './builder.js';
import { AlertRule, Monitor, MonitorCheck } from './monitors.js';
import { connection } from './pagination.js';
import { batchOnly, loadPerTenant, tenantKey } from './loaders.js';

const IncidentStatus = builder.enumType('IncidentStatus', {
  description: 'Where an incident is in its life',
  values: {
    OPEN: { description: 'An alert rule holds and nobody has taken it yet' },
    ACKNOWLEDGED: { description: 'Someone is on it; the rule may still hold' },
    RESOLVED: { description: 'Over: the rule stopped holding (for its hold-down time) or someone resolved it' },
  },
});
const IncidentEventKind = builder.enumType('IncidentEventKind', {
  description: 'What an incident event reports',
  values: {
    OPENED: { description: 'A new incident: an alert rule started to hold' },
    ACKNOWLEDGED: { description: 'Someone acknowledged it' },
    RESOLVED: { description: 'It was resolved, by the rule once the condition cleared or by hand' },
    NOTE: { description: 'A member added a note (the incident’s status is unchanged)' },
  },
});

const IncidentActor = builder.objectRef<IncidentActorShape>('IncidentActor').implement({
  description: 'The person who changed an incident or wrote a note, as they were named then',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'The member’s user id' }),
    name: t.exposeString('name', { description: 'The member’s name at the time' }),
  }),
});

const DeliveryAttempt = builder.objectRef<NotificationAttemptRow>('WebhookAttempt').implement({
  description: 'One POST of a webhook delivery and what the receiver answered',
  fields: (t) => ({
    attempt: t.exposeInt('attempt', { description: 'Which try this was, from 1' }),
    httpStatus: t.exposeInt('httpStatus', { nullable: true, description: 'The receiver’s HTTP status (null: no answer; see error)' }),
    error: t.exposeString('error', { nullable: true, description: 'Why there was no usable answer (refused, timed out, address refused)' }),
    durationMs: t.exposeInt('durationMs', { nullable: true, description: 'How long the POST took, in ms' }),
    responseBody: t.exposeString('responseBody', { nullable: true, description: 'The start of the receiver’s answer (up to 1000 characters), to see why it refused' }),
    at: t.expose('at', { type: 'DateTime', description: 'When it was made' }),
  }),
});

const WebhookDelivery = builder.objectRef<WebhookDeliveryView>('WebhookDelivery').implement({
  description: 'One webhook notification to one URL (an incident transition, or a test), retried until delivered or out of attempts',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'The delivery’s id' }),
    url: t.string({
      description:
        'The webhook it was posted to. Webhook URLs carry secrets, so it reads masked (scheme and host only), as on AlertRule.webhookUrls; an ADMIN asks for it with `reveal: true`.',
      args: { reveal: t.arg.boolean({ defaultValue: false, description: 'The full URL (ADMIN only; FORBIDDEN otherwise)' }) },
      resolve: (d, { reveal }, { viewer }) => {
        if (!reveal) return maskUrl(d.url);
        if (viewer?.kind !== 'user' || viewer.role !== 'ADMIN') throw forbidden('Only an ADMIN may see webhook URLs unmasked');
        return d.url;
      },
    }),
    event: t.string({
      description: 'What it announced: incident.opened, incident.acknowledged, incident.resolved, or test',
      resolve: (d) => String((d.payload as { event?: string }).event ?? 'unknown'),
    }),
    test: t.exposeBoolean('test', { description: 'A test sent by sendTestWebhook or testAlertRuleWebhooks (sent once, never retried)' }),
    status: t.exposeString('status', { description: 'PENDING, DELIVERED or FAILED' }),
    incidentId: t.exposeID('incidentId', { nullable: true, description: 'The incident it announced (null for tests)' }),
    ruleId: t.exposeID('ruleId', { nullable: true, description: 'The alert rule whose webhook it is (null: an ad-hoc test, or a deleted rule)' }),
    nextAttemptAt: t.field({ type: 'DateTime', nullable: true, description: 'PENDING: when the next attempt is due', resolve: (d) => (d.status === 'PENDING' ? d.nextAttemptAt : null) }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When it was queued' }),
    attempts: t.field({ type: [DeliveryAttempt], description: 'Every try so far, oldest first', resolve: (d) => d.attemptLog }),
  }),
});

const WebhookDeliveryConnection = connection('WebhookDelivery', WebhookDelivery, deliveryCursor, 'webhook deliveries');

type TimelineEntry =
  | { kind: IncidentEventShape['kind']; at: Date; event: IncidentEventShape }
  | { kind: 'CHECK'; at: Date; check: MonitorCheckRow }
  | { kind: 'WEBHOOK_ATTEMPT'; at: Date; delivery: WebhookDeliveryView; attempt: NotificationAttemptRow };

const TimelineEntryKind = builder.enumType('IncidentTimelineEntryKind', {
  description: 'What a timeline entry records',
  values: {
    OPENED: { description: 'The incident opened (actor null: the alert rule)' },
    ACKNOWLEDGED: { description: 'A member acknowledged it' },
    RESOLVED: { description: 'It resolved (actor null: the condition cleared)' },
    NOTE: { description: 'A member’s note' },
    CHECK: { description: 'A check of the monitor around the incident' },
    WEBHOOK_ATTEMPT: { description: 'One attempt to deliver a webhook about the incident, with the receiver’s answer' },
  } as const,
});

const IncidentTimelineEntry = builder.objectRef<TimelineEntry>('IncidentTimelineEntry').implement({
  description: 'One moment of an incident’s timeline; the fields that do not apply to its kind are null',
  fields: (t) => ({
    kind: t.field({ type: TimelineEntryKind, description: 'What happened', resolve: (e) => e.kind }),
    at: t.expose('at', { type: 'DateTime', description: 'When it happened' }),
    cursor: t.string({
      nullable: true,
      description: 'State changes and notes: their cursor in the `incidents` stream',
      resolve: (e) => ('event' in e ? String(e.event.seq) : null),
    }),
    actor: t.field({
      type: IncidentActor,
      nullable: true,
      description: 'State changes and notes: who; null when the alert rule did it',
      resolve: (e) => ('event' in e && e.event.actorId ? { id: e.event.actorId, name: e.event.actorName ?? '' } : null),
    }),
    note: t.string({ nullable: true, description: 'NOTE: the note; RESOLVED: the resolution note', resolve: (e) => ('event' in e ? e.event.note ?? null : null) }),
    public: t.boolean({ description: 'NOTE: shown on public status pages', resolve: (e) => ('event' in e ? e.event.public ?? false : false) }),
    check: t.field({ type: MonitorCheck, nullable: true, description: 'CHECK: the check', resolve: (e) => ('check' in e ? toCheckEvent(e.check) : null) }),
    webhook: t.field({ type: WebhookDelivery, nullable: true, description: 'WEBHOOK_ATTEMPT: the delivery it belongs to', resolve: (e) => ('delivery' in e ? e.delivery : null) }),
    attempt: t.field({ type: DeliveryAttempt, nullable: true, description: 'WEBHOOK_ATTEMPT: the attempt', resolve: (e) => ('attempt' in e ? e.attempt : null) }),
  }),
});

const IncidentTimeline = builder.objectRef<{ entries: TimelineEntry[]; omittedChecks: number }>('IncidentTimeline').implement({
  description: 'Everything about one incident in time order: state changes with who and when, notes, checks around it, webhook attempts',
  fields: (t) => ({
    entries: t.field({ type: [IncidentTimelineEntry], description: 'Oldest first', resolve: (x) => x.entries }),
    omittedChecks: t.exposeInt('omittedChecks', { description: 'Checks while it was open that were left out beyond maxChecks (the earliest ones)' }),
  }),
});

export const Incident = builder.objectRef<IncidentRow>('Incident').implement({
  description: 'Something is wrong with a monitored endpoint: opened when an alert rule starts to hold, resolved when it stops',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Stable identifier, for acknowledgeIncident and resolveIncident' }),
    number: t.exposeInt('number', { description: 'Human-friendly number, counting up per tenant (#12)' }),
    title: t.exposeString('title', { description: 'What happened, e.g. "API is down"' }),
    kind: t.exposeString('kind', { description: 'The alert rule kind that opened it' }),
    status: t.field({ type: IncidentStatus, description: 'Open, acknowledged or resolved', resolve: (i) => i.status }),
    monitor: t.loadable({
      type: Monitor,
      nullable: true,
      description: 'The monitor whose checks opened it; null once that monitor is deleted',
      // one query for a page of incidents
      load: (keys: string[], { monitors }) => loadPerTenant((tenantId, ids) => monitors.byIds(tenantId, ids))(keys),
      loaderOptions: batchOnly,
      resolve: (i) => (i.monitorId ? tenantKey(i.tenantId, i.monitorId) : null),
    }),
    openedAt: t.expose('openedAt', { type: 'DateTime', description: 'When the rule started to hold' }),
    acknowledgedAt: t.expose('acknowledgedAt', { type: 'DateTime', nullable: true, description: 'When someone acknowledged it; null until then' }),
    resolvedAt: t.expose('resolvedAt', { type: 'DateTime', nullable: true, description: 'When it was resolved; null while it is not' }),
    resolutionNote: t.exposeString('resolutionNote', { nullable: true, description: 'What the person who resolved it wrote, if anything' }),
    rule: t.loadable({
      type: AlertRule,
      nullable: true,
      description: 'The alert rule that opened it (null once the rule is deleted)',
      load: (keys: string[], { monitors }) => loadPerTenant((tenantId, ids) => monitors.rulesByIds(tenantId, ids))(keys),
      loaderOptions: batchOnly,
      resolve: (i) => (i.ruleId ? tenantKey(i.tenantId, i.ruleId) : null),
    }),
    webhookDeliveries: t.field({ type: [WebhookDelivery], description: 'Every webhook its transitions were posted to, with every try', resolve: (i, _a, { incidents }) => incidents.deliveries(i.id) }),
    timeline: t.field({
      type: IncidentTimeline,
      description: 'State changes (who, when), notes, the monitor’s checks around it and every webhook attempt with its answer, in time order',
      args: {
        checksBefore: t.arg.int({ defaultValue: 3, description: 'Checks before it opened (0–50)' }),
        checksAfter: t.arg.int({ defaultValue: 3, description: 'Checks after it resolved (0–50)' }),
        maxChecks: t.arg.int({ defaultValue: 100, description: 'At most this many checks while it was open, the latest (0–500)' }),
      },
      resolve: async (i, args, { incidents }) => {
        const [events, checks, deliveries] = await Promise.all([
          incidents.events(i.id),
          incidents.checksAround(i, { before: args.checksBefore!, after: args.checksAfter!, limit: args.maxChecks! }),
          incidents.deliveries(i.id),
        ]);
        const entries: TimelineEntry[] = [
          ...events.map((event) => ({ kind: event.kind, at: new Date(event.at), event })),
          ...checks.checks.map((check) => ({ kind: 'CHECK' as const, at: check.checkedAt, check })),
          ...deliveries.flatMap((delivery) => delivery.attemptLog.map((attempt) => ({ kind: 'WEBHOOK_ATTEMPT' as const, at: attempt.at, delivery, attempt }))),
        ];
        // stable: a state change and the check that caused it share a time; the check comes first
        const rank = (e: TimelineEntry) => (e.kind === 'CHECK' ? 0 : e.kind === 'WEBHOOK_ATTEMPT' ? 2 : 1);
        entries.sort((a, b) => a.at.getTime() - b.at.getTime() || rank(a) - rank(b));
        return { entries, omittedChecks: checks.omitted };
      },
    }),
  }),
});

const IncidentConnection = connection('Incident', Incident, (i) => String(i.number), 'incidents');

const IncidentEvent = builder.objectRef<IncidentEventShape & { tenantId: string }>('IncidentEvent').implement({
  description: 'One transition of an incident, as the incidents subscription delivers it',
  fields: (t) => ({
    cursor: t.string({ description: 'Pass as `after` to resume', resolve: (e) => String(e.seq) }),
    kind: t.field({ type: IncidentEventKind, description: 'Opened, acknowledged, resolved, or a note', resolve: (e) => e.kind }),
    at: t.field({ type: 'DateTime', description: 'When it happened', resolve: (e) => e.at }),
    incidentId: t.exposeID('incidentId', { description: 'The incident it is about' }),
    actor: t.field({
      type: IncidentActor,
      nullable: true,
      description: 'Who did it; null when the alert rule did (opened, or resolved when the condition cleared)',
      resolve: (e) => (e.actorId ? { id: e.actorId, name: e.actorName ?? '' } : null),
    }),
    note: t.string({ nullable: true, description: 'NOTE: the note; RESOLVED: the resolution note', resolve: (e) => e.note ?? null }),
    public: t.boolean({ description: 'NOTE: shown on public status pages', resolve: (e) => e.public ?? false }),
    incident: t.field({
      type: Incident,
      description: 'The incident as it is now',
      resolve: async (e, _a, { incidents }) => (await incidents.get(e.tenantId, e.incidentId))!,
    }),
  }),
});

builder.queryFields((t) => ({
  incidents: t.withAuth({ readIncidents: true }).field({
    type: IncidentConnection,
    description: 'The incidents of your tenant, newest first',
    args: {
      status: t.arg({ type: IncidentStatus, description: 'Only incidents in this state' }),
      statuses: t.arg({ type: [IncidentStatus], description: 'Any of these statuses (with `status`, either matches)' }),
      monitorId: t.arg.id({ description: 'Only this monitor’s incidents' }),
      from: t.arg({ type: 'DateTime', description: 'Only incidents still open at or after this time (resolved before it are left out)' }),
      to: t.arg({ type: 'DateTime', description: 'Only incidents opened at or before this time' }),
      first: t.arg.int({ defaultValue: 50, description: 'How many to return (a page)' }),
      after: t.arg.string({ description: 'Continue after this edge cursor (the previous page’s endCursor)' }),
    },
    resolve: async (_r, args, { viewer, incidents }) => {
      const status = [...(args.status ? [args.status] : []), ...(args.statuses ?? [])];
      const page = await incidents.list(viewer.tenantId, {
        status,
        monitorId: args.monitorId ? String(args.monitorId) : undefined,
        from: args.from ?? undefined,
        to: args.to ?? undefined,
        first: args.first ?? 50,
        after: args.after ?? undefined,
      });
      return { nodes: page.incidents, hasNextPage: page.hasNextPage, hasPreviousPage: page.hasPreviousPage };
    },
  }),
  incident: t.withAuth({ readIncidents: true }).field({
    type: Incident,
    nullable: true,
    description: 'One incident; null with NOT_FOUND when your tenant has none with this id',
    args: { id: t.arg.id({ required: true, description: 'The incident’s id' }) },
    resolve: async (_r, { id }, { viewer, incidents }) => found(await incidents.get(viewer.tenantId, String(id)), 'No such incident'),
  }),
  webhookDeliveries: t.withAuth({ user: true }).field({
    type: WebhookDeliveryConnection,
    description: 'The webhook delivery log, newest first: incident notifications and tests, each with its attempts and the answers',
    args: {
      ruleId: t.arg.id({ description: 'Only this alert rule’s deliveries (its notification targets)' }),
      incidentId: t.arg.id({ description: 'Only deliveries about this incident' }),
      first: t.arg.int({ defaultValue: 50, description: 'Page size (1–200)' }),
      after: t.arg.string({ description: 'The endCursor of the previous page' }),
    },
    resolve: async (_r, args, { viewer, webhookLog }) => {
      const page = await webhookLog.list(viewer.tenantId, {
        ruleId: args.ruleId ? String(args.ruleId) : undefined,
        incidentId: args.incidentId ? String(args.incidentId) : undefined,
        first: args.first!,
        after: args.after ?? undefined,
      });
      return { nodes: page.deliveries, hasNextPage: page.hasNextPage, hasPreviousPage: page.hasPreviousPage };
    },
  }),
}));

builder.mutationFields((t) => ({
  acknowledgeIncident: t.withAuth({ member: true }).field({
    type: Incident,
    description: 'Says someone is on it (ADMIN or MEMBER)',
    args: { id: t.arg.id({ required: true, description: 'The incident’s id' }) },
    resolve: async (_r, { id }, ctx) => ctx.incidents.acknowledge(ctx.viewer.tenantId, String(id), await actorOf(ctx)),
  }),
  resolveIncident: t.withAuth({ member: true }).field({
    type: Incident,
    description: 'Closes an incident by hand (ADMIN or MEMBER)',
    args: {
      id: t.arg.id({ required: true, description: 'The incident’s id' }),
      note: t.arg.string({ description: 'What was done, kept on the incident' }),
    },
    resolve: async (_r, { id, note }, ctx) => ctx.incidents.resolve(ctx.viewer.tenantId, String(id), note ?? null, await actorOf(ctx)),
  }),
  addIncidentNote: t.withAuth({ member: true }).field({
    type: IncidentEvent,
    description: 'Adds a note to the incident’s timeline; it arrives live on `incidents` as a NOTE event',
    args: {
      id: t.arg.id({ required: true, description: 'The incident' }),
      body: t.arg.string({ required: true, description: 'The note (1–2000 characters)' }),
      public: t.arg.boolean({ defaultValue: false, description: 'Also show it on the status pages that list the incident’s monitor' }),
    },
    resolve: async (_r, args, ctx) => ({
      ...(await ctx.incidents.addNote(ctx.viewer.tenantId, String(args.id), args.body, args.public ?? false, await actorOf(ctx))),
      tenantId: ctx.viewer.tenantId,
    }),
  }),
  sendTestWebhook: t.withAuth({ member: true }).field({
    type: WebhookDelivery,
    description:
      'POSTs a test event to a URL now (the rules for webhook URLs apply) and answers with what the receiver said; recorded in webhookDeliveries. At most 5 at once, then 1 per second per caller.',
    args: { url: t.arg.string({ required: true, description: 'The http(s) URL to try, e.g. before saving it on a rule' }) },
    resolve: async (_r, { url }, ctx) => {
      ctx.webhookTestLimiter.take(principalKey(ctx.viewer), 'webhook tests');
      await ctx.monitors.checkTarget('HTTP', url.trim(), 'url');
      return ctx.notifier.sendTest(ctx.viewer.tenantId, url.trim(), null);
    },
  }),
  testAlertRuleWebhooks: t.withAuth({ member: true }).field({
    type: [WebhookDelivery],
    description: 'POSTs a test event to each webhook URL of an alert rule now and answers with each receiver’s answer; recorded in webhookDeliveries',
    args: { id: t.arg.id({ required: true, description: 'The alert rule' }) },
    resolve: async (_r, { id }, ctx) => {
      const rule = await ctx.monitors.getRule(ctx.viewer.tenantId, String(id));
      ctx.webhookTestLimiter.take(principalKey(ctx.viewer), 'webhook tests');
      return Promise.all(rule.webhookUrls.map((url) => ctx.notifier.sendTest(ctx.viewer.tenantId, url, { id: rule.id, name: rule.name })));
    },
  }),
}));

/** The signed-in member, as an incident's timeline names them. */
async function actorOf(ctx: Context & { viewer: UserViewer }): Promise<IncidentActorShape> {
  const user = await ctx.auth.userById(ctx.viewer.tenantId, ctx.viewer.userId);
  return { id: ctx.viewer.userId, name: user?.name ?? 'Member' };
}

builder.subscriptionField('incidents', (t) =>
  t.withAuth({ readIncidents: true }).field({
    type: IncidentEvent,
    description: 'OPENED, ACKNOWLEDGED and RESOLVED transitions and NOTEs; with `after`, the stored ones after that cursor first',
    args: {
      after: t.arg.string({ description: 'Replay every event after this cursor (an event’s or an edge’s, or the SSE Last-Event-ID), then go live' }),
      incidentId: t.arg.id({ description: 'Only this incident’s events (its detail page, live)' }),
    },
    extensions: { [EVENT_ID]: eventCursor },
    subscribe: (_r, { after, incidentId }, { viewer, streams, metrics, signal, lastEventId }) =>
      streams.incidents({
        tenantId: viewer.tenantId,
        signal,
        after: resumeCursor(after, lastEventId),
        incidentId: incidentId ? String(incidentId) : undefined,
        onOverflow: () => metrics.dropped(viewer.tenantId, 'slow_consumer'),
      }),
    resolve: (event, _a, { viewer }) => {
      // a stream that fell behind ends with SLOW_CONSUMER (and the cursor to resume after)
      if (event instanceof DomainError) throw event;
      return { ...event, tenantId: viewer.tenantId };
    },
  }),
);
