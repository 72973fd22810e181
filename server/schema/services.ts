import type { ServiceSnapshot } from '../bus/topics.js';
import type { ServiceHistoryRow } from '../db/schema.js';
import { badInput } from '../domain/shared/errors.js';
import type { ServiceStatusEvent as EventShape } from '../streams/service-stream.js';
import { REPORTED_STATES } from '../domain/services/services.js';
import { principalKey, type Viewer } from '../domain/auth/viewer.js';
import { patternCovers } from '../domain/logs/channels.js';
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
    description: 'Every service of the tenant (a service token: those its patterns cover)',
    resolve: async (_root, _args, { viewer, services }) => (await services.list(viewer.tenantId)).filter((s) => mayRead(viewer, s.key)),
  }),
  service: t.field({
    type: Service,
    nullable: true,
    args: { key: t.arg.string({ required: true }) },
    authScopes: (_root, args) => ({ readFrom: args.key }),
    resolve: (_root, { key }, { viewer, services }) => services.get(viewer!.tenantId, key),
  }),
  serviceHistory: t.field({
    type: [ServiceStateChange],
    description: 'State changes of a service, oldest first',
    args: { key: t.arg.string({ required: true }), last: t.arg.int({ defaultValue: 50 }) },
    authScopes: (_root, args) => ({ readFrom: args.key }),
    resolve: (_root, { key, last }, { viewer, services }) => services.history(viewer!.tenantId, key, last ?? 50),
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
    subscribe: async (_root, _args, { viewer, streams, signal }) => {
      const stream = await streams.serviceStatus({ tenantId: viewer.tenantId, signal });
      return viewer.kind === 'user' ? stream : onlyCovered(stream, (key) => mayRead(viewer, key));
    },
    resolve: (event) => event,
  }),
);

/** A person reads every service; a service token those its patterns cover. */
const mayRead = (viewer: Viewer, key: string) => viewer.kind === 'user' || viewer.channels.some((p) => patternCovers(p, key));

/** A service token's view of serviceStatus: the snapshot and the changes of the services its patterns cover. */
function onlyCovered(source: AsyncIterator<EventShape>, covers: (key: string) => boolean): AsyncIterableIterator<EventShape> {
  const iterator: AsyncIterableIterator<EventShape> = {
    async next() {
      for (;;) {
        const result = await source.next();
        if (result.done) return result;
        const event = result.value;
        if (event.kind === 'SNAPSHOT') return { done: false, value: { ...event, services: event.services.filter((s) => covers(s.key)) } };
        if (event.key !== null && covers(event.key)) return result;
      }
    },
    return: () => source.return?.() ?? Promise.resolve({ done: true, value: undefined }),
    throw: (error) => source.throw?.(error) ?? Promise.reject(error),
    [Symbol.asyncIterator]: () => iterator,
  };
  return iterator;
}
