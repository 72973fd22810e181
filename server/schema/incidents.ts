import type { IncidentEvent as IncidentEventShape } from '../bus/topics.js';
import type { IncidentRow } from '../db/schema.js';
import { EVENT_ID } from '../plugins/use-shared-execution.js';
import { DomainError } from '../domain/shared/errors.js';
import { eventCursor, resumeCursor } from '../streams/resume.js';
import { parseCursor } from '../domain/shared/cursor.js';
import { builder } from './builder.js';
import { Monitor } from './monitors.js';
import { connection } from './pagination.js';

const IncidentStatus = builder.enumType('IncidentStatus', { values: ['OPEN', 'ACKNOWLEDGED', 'RESOLVED'] as const });
const IncidentEventKind = builder.enumType('IncidentEventKind', { values: ['OPENED', 'ACKNOWLEDGED', 'RESOLVED'] as const });

const DeliveryAttempt = builder
  .objectRef<{ attempt: number; httpStatus: number | null; error: string | null; at: Date }>('WebhookAttempt')
  .implement({
    fields: (t) => ({
      attempt: t.exposeInt('attempt'),
      httpStatus: t.exposeInt('httpStatus', { nullable: true }),
      error: t.exposeString('error', { nullable: true }),
      at: t.expose('at', { type: 'DateTime' }),
    }),
  });

const WebhookDelivery = builder
  .objectRef<{ url: string; status: string; attempts: number; attemptLog: { attempt: number; httpStatus: number | null; error: string | null; at: Date }[] }>('WebhookDelivery')
  .implement({
    fields: (t) => ({
      url: t.exposeString('url'),
      status: t.exposeString('status', { description: 'PENDING, DELIVERED or FAILED' }),
      attempts: t.field({ type: [DeliveryAttempt], resolve: (d) => d.attemptLog }),
    }),
  });

export const Incident = builder.objectRef<IncidentRow>('Incident').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    number: t.exposeInt('number'),
    title: t.exposeString('title'),
    kind: t.exposeString('kind', { description: 'The alert rule kind that opened it' }),
    status: t.field({ type: IncidentStatus, resolve: (i) => i.status }),
    monitor: t.field({
      type: Monitor,
      nullable: true,
      resolve: (i, _a, { monitors }) => (i.monitorId ? monitors.get(i.tenantId, i.monitorId) : null),
    }),
    openedAt: t.expose('openedAt', { type: 'DateTime' }),
    acknowledgedAt: t.expose('acknowledgedAt', { type: 'DateTime', nullable: true }),
    resolvedAt: t.expose('resolvedAt', { type: 'DateTime', nullable: true }),
    resolutionNote: t.exposeString('resolutionNote', { nullable: true }),
    webhookDeliveries: t.field({ type: [WebhookDelivery], resolve: (i, _a, { incidents }) => incidents.deliveries(i.id) }),
  }),
});

const IncidentConnection = connection('Incident', Incident, (i) => String(i.number));

const IncidentEvent = builder.objectRef<IncidentEventShape & { tenantId: string }>('IncidentEvent').implement({
  fields: (t) => ({
    cursor: t.string({ description: 'Pass as `after` to resume', resolve: (e) => String(e.seq) }),
    kind: t.field({ type: IncidentEventKind, resolve: (e) => e.kind }),
    at: t.field({ type: 'DateTime', resolve: (e) => e.at }),
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
    description: 'Newest first',
    args: { status: t.arg({ type: IncidentStatus }), first: t.arg.int({ defaultValue: 50 }), after: t.arg.string() },
    resolve: async (_r, args, { viewer, incidents }) => {
      const page = await incidents.list(viewer.tenantId, { status: args.status ?? undefined, first: args.first ?? 50, after: args.after ?? undefined });
      return { nodes: page.incidents, hasNextPage: page.hasNextPage, hasPreviousPage: page.hasPreviousPage };
    },
  }),
  incident: t.withAuth({ readIncidents: true }).field({
    type: Incident,
    nullable: true,
    args: { id: t.arg.id({ required: true }) },
    resolve: (_r, { id }, { viewer, incidents }) => incidents.get(viewer.tenantId, String(id)),
  }),
}));

builder.mutationFields((t) => ({
  acknowledgeIncident: t.withAuth({ member: true }).field({
    type: Incident,
    args: { id: t.arg.id({ required: true }) },
    resolve: (_r, { id }, { viewer, incidents }) => incidents.acknowledge(viewer.tenantId, String(id), viewer.userId),
  }),
  resolveIncident: t.withAuth({ member: true }).field({
    type: Incident,
    args: { id: t.arg.id({ required: true }), note: t.arg.string() },
    resolve: (_r, { id, note }, { viewer, incidents }) => incidents.resolve(viewer.tenantId, String(id), note ?? null),
  }),
}));

builder.subscriptionField('incidents', (t) =>
  t.withAuth({ readIncidents: true }).field({
    type: IncidentEvent,
    description: 'OPENED, ACKNOWLEDGED and RESOLVED transitions; with `after`, the stored ones after that cursor first',
    args: { after: t.arg.string() },
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
