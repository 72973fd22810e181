import type { ServiceSnapshot } from '../bus/topics.js';
import type { ServiceHistoryRow } from '../db/schema.js';
import { badInput, found } from '../domain/shared/errors.js';
import type { ServiceStatusEvent as EventShape } from '../streams/service-stream.js';
import { REPORTED_STATES } from '../domain/services/services.js';
import { principalKey } from '../domain/auth/viewer.js';
import { builder } from './builder.js';

const ServiceState = builder.enumType('ServiceState', {
  values: [...REPORTED_STATES, 'STALE'] as const,
  description: 'STALE is set by the server when a service has not reported for 3 × its interval',
});

const Service = builder.objectRef<ServiceSnapshot>('Service').implement({
  fields: (t) => ({
    key: t.exposeString('key'),
    name: t.exposeString('name'),
    state: t.field({ type: ServiceState, resolve: (s) => s.state as (typeof REPORTED_STATES)[number] | 'STALE' }),
    stale: t.exposeBoolean('stale'),
    queueSize: t.exposeInt('queueSize', { nullable: true }),
    processedCount: t.float({ nullable: true, resolve: (s) => s.processedCount }),
    failedCount: t.float({ nullable: true, resolve: (s) => s.failedCount }),
    intervalSeconds: t.exposeInt('intervalSeconds'),
    message: t.exposeString('message', { nullable: true }),
    details: t.field({ type: 'JSON', nullable: true, resolve: (s) => s.details }),
    lastReportAt: t.field({ type: 'DateTime', resolve: (s) => s.lastReportAt }),
    createdAt: t.field({ type: 'DateTime', resolve: (s) => s.createdAt }),
  }),
});

const ServiceStateChange = builder.objectRef<ServiceHistoryRow>('ServiceStateChange').implement({
  fields: (t) => ({
    state: t.field({ type: ServiceState, resolve: (h) => h.state as 'STALE' }),
    previousState: t.field({ type: ServiceState, nullable: true, resolve: (h) => h.previousState as 'STALE' | null }),
    message: t.exposeString('message', { nullable: true }),
    at: t.expose('at', { type: 'DateTime' }),
  }),
});

const ServiceStatusEventKind = builder.enumType('ServiceStatusEventKind', { values: ['SNAPSHOT', 'UPDATED', 'REMOVED'] as const });

const ServiceStatusEvent = builder.objectRef<EventShape>('ServiceStatusEvent').implement({
  fields: (t) => ({
    kind: t.field({ type: ServiceStatusEventKind, resolve: (e) => e.kind }),
    services: t.field({
      type: [Service],
      description: 'SNAPSHOT: every service of the tenant; UPDATED: the service that changed; REMOVED: empty',
      resolve: (e) => e.services,
    }),
    key: t.exposeString('key', { nullable: true, description: 'The service an UPDATED or REMOVED event is about' }),
  }),
});

const ServiceStatusInput = builder.inputType('ServiceStatusInput', {
  fields: (t) => ({
    key: t.string({ required: true, description: 'Stable id, e.g. "balance-sync" (the channel rule applies)' }),
    name: t.string({ description: 'Display name; defaults to the key' }),
    state: t.field({ type: ServiceState, required: true }),
    queueSize: t.int(),
    processedCount: t.float(),
    failedCount: t.float(),
    intervalSeconds: t.int({ required: true, description: 'How often the service reports' }),
    message: t.string(),
    details: t.field({ type: 'JSON' }),
  }),
});

builder.queryFields((t) => ({
  services: t.withAuth({ signedIn: true }).field({
    type: [Service],
    resolve: (_root, _args, { viewer, services }) => services.list(viewer.tenantId),
  }),
  service: t.withAuth({ signedIn: true }).field({
    type: Service,
    nullable: true,
    args: { key: t.arg.string({ required: true }) },
    resolve: async (_root, { key }, { viewer, services }) => found(await services.get(viewer.tenantId, key), `No service "${key}"`),
  }),
  serviceHistory: t.withAuth({ signedIn: true }).field({
    type: [ServiceStateChange],
    description: 'State changes of a service, oldest first',
    args: { key: t.arg.string({ required: true }), last: t.arg.int({ defaultValue: 50 }) },
    resolve: (_root, { key, last }, { viewer, services }) => services.history(viewer.tenantId, key, last ?? 50),
  }),
}));

builder.mutationFields((t) => ({
  reportServiceStatus: t.field({
    type: Service,
    description: 'Upserts a service’s status (a service token whose patterns allow the key, or an ADMIN)',
    args: { input: t.arg({ type: ServiceStatusInput, required: true }) },
    authScopes: (_root, args) => ({ reportFor: args.input.key }),
    resolve: (_root, { input }, { viewer, services, publishLimiter }) => {
      publishLimiter.take(principalKey(viewer!), 'publish calls');
      if (input.state === 'STALE') throw badInput('STALE is set by the server; report RUNNING, IDLE, DEGRADED, STOPPED or FAILED', 'state');
      return services.report(viewer!.tenantId, { ...input, state: input.state });
    },
  }),
  deleteService: t.field({
    type: 'Boolean',
    args: { key: t.arg.string({ required: true }) },
    authScopes: (_root, args) => ({ reportFor: args.key }),
    resolve: async (_root, { key }, { viewer, services }) => {
      await services.remove(viewer!.tenantId, key);
      return true;
    },
  }),
}));

builder.subscriptionField('serviceStatus', (t) =>
  t.withAuth({ signedIn: true }).field({
    type: ServiceStatusEvent,
    description: 'A SNAPSHOT of every service, then one event per change (latest-wins)',
    subscribe: (_root, _args, { viewer, streams, signal }) => streams.serviceStatus({ tenantId: viewer.tenantId, signal }),
    resolve: (event) => event,
  }),
);
