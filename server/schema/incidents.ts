import { found } from '../domain/shared/errors.js';
import type { IncidentEvent as IncidentEventShape } from '../bus/topics.js';
import type { IncidentRow } from '../db/schema.js';
import { EVENT_ID } from '../plugins/use-shared-execution.js';
import { DomainError } from '../domain/shared/errors.js';
import { eventCursor, resumeCursor } from '../streams/resume.js';
import { parseCursor } from '../domain/shared/cursor.js';
import { builder } from './builder.js';
import { Monitor } from './monitors.js';
import { connection } from './pagination.js';

const IncidentStatus = builder.enumType('IncidentStatus', {
  description: 'Where an incident is in its life',
  values: {
    OPEN: { description: 'An alert rule holds and nobody has taken it yet' },
    ACKNOWLEDGED: { description: 'Someone is on it; the rule may still hold' },
    RESOLVED: { description: 'Over: the rule stopped holding (for its hold-down time) or someone resolved it' },
  },
});
const IncidentEventKind = builder.enumType('IncidentEventKind', {
  description: 'The transition an incident event reports',
  values: {
    OPENED: { description: 'A new incident: an alert rule started to hold' },
    ACKNOWLEDGED: { description: 'Someone acknowledged it' },
    RESOLVED: { description: 'It was resolved, by itself or by hand' },
  },
});

const DeliveryAttempt = builder
  .objectRef<{ attempt: number; httpStatus: number | null; error: string | null; at: Date }>('WebhookAttempt')
  .implement({
    description: 'One try at delivering a webhook',
    fields: (t) => ({
      attempt: t.exposeInt('attempt', { description: 'Which try this was, from 1' }),
      httpStatus: t.exposeInt('httpStatus', { nullable: true, description: 'The status the webhook answered; null when it could not be reached' }),
      error: t.exposeString('error', { nullable: true, description: 'Why it failed; null when it succeeded' }),
      at: t.expose('at', { type: 'DateTime', description: 'When the try was made' }),
    }),
  });

const WebhookDelivery = builder
  .objectRef<{ url: string; status: string; attempts: number; attemptLog: { attempt: number; httpStatus: number | null; error: string | null; at: Date }[] }>('WebhookDelivery')
  .implement({
    description: 'An incident transition posted to one webhook URL, with every try',
    fields: (t) => ({
      url: t.exposeString('url', { description: 'The webhook it was posted to' }),
      status: t.exposeString('status', { description: 'PENDING, DELIVERED or FAILED' }),
      attempts: t.field({ type: [DeliveryAttempt], description: 'Every try so far, oldest first', resolve: (d) => d.attemptLog }),
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
    monitor: t.field({
      type: Monitor,
      nullable: true,
      description: 'The monitor whose checks opened it; null once that monitor is deleted',
      resolve: (i, _a, { monitors }) => (i.monitorId ? monitors.get(i.tenantId, i.monitorId) : null),
    }),
    openedAt: t.expose('openedAt', { type: 'DateTime', description: 'When the rule started to hold' }),
    acknowledgedAt: t.expose('acknowledgedAt', { type: 'DateTime', nullable: true, description: 'When someone acknowledged it; null until then' }),
    resolvedAt: t.expose('resolvedAt', { type: 'DateTime', nullable: true, description: 'When it was resolved; null while it is not' }),
    resolutionNote: t.exposeString('resolutionNote', { nullable: true, description: 'What the person who resolved it wrote, if anything' }),
    webhookDeliveries: t.field({ type: [WebhookDelivery], description: 'Every webhook its transitions were posted to, with every try', resolve: (i, _a, { incidents }) => incidents.deliveries(i.id) }),
  }),
});

const IncidentConnection = connection('Incident', Incident, (i) => String(i.number), 'incidents');

const IncidentEvent = builder.objectRef<IncidentEventShape & { tenantId: string }>('IncidentEvent').implement({
  description: 'One transition of an incident, as the incidents subscription delivers it',
  fields: (t) => ({
    cursor: t.string({ description: 'Pass as `after` to resume', resolve: (e) => String(e.seq) }),
    kind: t.field({ type: IncidentEventKind, description: 'Opened, acknowledged or resolved', resolve: (e) => e.kind }),
    at: t.field({ type: 'DateTime', description: 'When the transition happened', resolve: (e) => e.at }),
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
      first: t.arg.int({ defaultValue: 50, description: 'How many to return (a page)' }),
      after: t.arg.string({ description: 'Continue after this edge cursor (the previous page’s endCursor)' }),
    },
    resolve: async (_r, args, { viewer, incidents }) => {
      const page = await incidents.list(viewer.tenantId, { status: args.status ?? undefined, first: args.first ?? 50, after: args.after ?? undefined });
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
}));

builder.mutationFields((t) => ({
  acknowledgeIncident: t.withAuth({ member: true }).field({
    type: Incident,
    description: 'Says someone is on it (ADMIN or MEMBER)',
    args: { id: t.arg.id({ required: true, description: 'The incident’s id' }) },
    resolve: (_r, { id }, { viewer, incidents }) => incidents.acknowledge(viewer.tenantId, String(id), viewer.userId),
  }),
  resolveIncident: t.withAuth({ member: true }).field({
    type: Incident,
    description: 'Closes an incident by hand (ADMIN or MEMBER)',
    args: {
      id: t.arg.id({ required: true, description: 'The incident’s id' }),
      note: t.arg.string({ description: 'What was done, kept on the incident' }),
    },
    resolve: (_r, { id, note }, { viewer, incidents }) => incidents.resolve(viewer.tenantId, String(id), note ?? null),
  }),
}));

builder.subscriptionField('incidents', (t) =>
  t.withAuth({ readIncidents: true }).field({
    type: IncidentEvent,
    description: 'OPENED, ACKNOWLEDGED and RESOLVED transitions; with `after`, the stored ones after that cursor first',
    args: { after: t.arg.string({ description: 'Replay every transition after this cursor (an event’s or an edge’s, or the SSE Last-Event-ID), then go live' }) },
    extensions: { [EVENT_ID]: eventCursor },
    subscribe: (_r, { after }, { viewer, streams, metrics, signal, lastEventId }) =>
      streams.incidents({
        tenantId: viewer.tenantId,
        signal,
        after: resumeCursor(after, lastEventId),
        onOverflow: () => metrics.dropped(viewer.tenantId, 'slow_consumer'),
      }),
    resolve: (event, _a, { viewer }) => {
      // a stream that fell behind ends with SLOW_CONSUMER (and the cursor to resume after)
      if (event instanceof DomainError) throw event;
      return { ...event, tenantId: viewer.tenantId };
    },
  }),
);
