import type { ServiceSnapshot } from '../bus/topics.js';
import type { ServiceHistoryRow } from '../db/schema.js';
import { badInput, found } from '../domain/shared/errors.js';
import type { ServiceStatusEvent as EventShape } from '../streams/service-stream.js';
import { REPORTED_STATES, SERVICE_SAMPLE_HOURS, type ServiceSample } from '../domain/services/services.js';
import type { Context } from '../context.js';
import { batchLoader } from './loaders.js';
import { principalKey, type Viewer } from '../domain/auth/viewer.js';
import { patternCovers } from '../domain/logs/channels.js';
import { builder } from './builder.js';

const STATE_MEANINGS: Record<(typeof REPORTED_STATES)[number] | 'STALE', string> = {
  RUNNING: 'Working through its queue',
  IDLE: 'Up, with nothing to do',
  DEGRADED: 'Working, but something is wrong (slow, retrying, partly failing)',
  STOPPED: 'Stopped on purpose',
  FAILED: 'Stopped by an error',
  STALE: 'Set by the server: the service has not reported for 3 × its interval',
};

const ServiceState = builder.enumType('ServiceState', {
  values: Object.fromEntries(Object.entries(STATE_MEANINGS).map(([state, description]) => [state, { description }])) as Record<keyof typeof STATE_MEANINGS, { description: string }>,
  description: 'What a service says it is doing; STALE is set by the server when a service has not reported for 3 × its interval',
});

const ServiceSampleRef = builder.objectRef<ServiceSample>('ServiceSample').implement({
  description: 'One minute of a service: its last queue size and counters reported that minute (a sparkline point)',
  fields: (t) => ({
    at: t.expose('at', { type: 'DateTime', description: 'The minute (UTC) it covers' }),
    queueSize: t.exposeInt('queueSize', { nullable: true, description: 'The last queue size reported in the minute' }),
    maxQueueSize: t.exposeInt('maxQueueSize', { nullable: true, description: 'The largest queue size reported in the minute' }),
    processedCount: t.float({ nullable: true, description: 'The processed counter at the minute’s last report', resolve: (x) => x.processedCount }),
    failedCount: t.float({ nullable: true, description: 'The failed counter at the minute’s last report', resolve: (x) => x.failedCount }),
    processedPerMinute: t.exposeFloat('processedPerMinute', {
      nullable: true,
      description: 'Throughput: processed counter increase per minute since the previous sample (null for the first, after a gap’s start, or when the counter went back)',
    }),
    failedPerMinute: t.exposeFloat('failedPerMinute', { nullable: true, description: 'Failed counter increase per minute since the previous sample' }),
  }),
});

/** Samples of many services at once: one query for a grid of sparklines. */
const samplesLoader = (ctx: Context, tenantId: string, minutes: number) =>
  batchLoader<string, ServiceSample[]>(ctx, `service-samples:${minutes}`, async (keys) => {
    const byKey = await ctx.services.samples(tenantId, [...keys], minutes);
    return keys.map((k) => byKey.get(k) ?? []);
  });

const Service = builder.objectRef<ServiceSnapshot>('Service').implement({
  description: 'A background service (a job, a worker, a sync) as it last reported itself',
  fields: (t) => ({
    key: t.exposeString('key', { description: 'Its stable id, e.g. "balance-sync"' }),
    name: t.exposeString('name', { description: 'Display name' }),
    state: t.field({ type: ServiceState, description: 'What it is doing, or STALE when it went silent', resolve: (s) => s.state as (typeof REPORTED_STATES)[number] | 'STALE' }),
    reportedState: t.field({
      type: ServiceState,
      description: 'The last state the service reported itself: while STALE, what it was doing when it went silent',
      resolve: (s) => (s.reportedState ?? s.state) as (typeof REPORTED_STATES)[number],
    }),
    staleSince: t.field({ type: 'DateTime', nullable: true, description: 'When it turned STALE (null while it reports)', resolve: (s) => s.staleSince ?? null }),
    samples: t.field({
      type: [ServiceSampleRef],
      description: 'Per-minute samples of queue size and throughput over the last `minutes` (kept 24 hours), oldest first; minutes without a report are absent. One query for a whole list.',
      args: { minutes: t.arg.int({ defaultValue: 60, description: 'How far back (1–1440)' }) },
      resolve: (s, { minutes }, ctx) => {
        if (!Number.isInteger(minutes) || minutes! < 1 || minutes! > SERVICE_SAMPLE_HOURS * 60) throw badInput('minutes must be between 1 and 1440', 'minutes');
        return samplesLoader(ctx, ctx.viewer!.tenantId, minutes!).load(s.key);
      },
    }),
    stale: t.exposeBoolean('stale', { description: 'True when it has not reported for 3 × its interval' }),
    queueSize: t.exposeInt('queueSize', { nullable: true, description: 'Work waiting, as it last reported; null if it does not say' }),
    processedCount: t.float({ nullable: true, description: 'Items done so far, as it last reported', resolve: (s) => s.processedCount }),
    failedCount: t.float({ nullable: true, description: 'Items that failed so far, as it last reported', resolve: (s) => s.failedCount }),
    intervalSeconds: t.exposeInt('intervalSeconds', { description: 'How often it promised to report' }),
    message: t.exposeString('message', { nullable: true, description: 'What it said last, e.g. "retrying batch 12"' }),
    details: t.field({ type: 'JSON', nullable: true, description: 'Anything else it reported (a JSON object)', resolve: (s) => s.details }),
    lastReportAt: t.field({ type: 'DateTime', description: 'When it last reported', resolve: (s) => s.lastReportAt }),
    createdAt: t.field({ type: 'DateTime', description: 'When it first reported', resolve: (s) => s.createdAt }),
  }),
});

const ServiceStateChange = builder.objectRef<ServiceHistoryRow>('ServiceStateChange').implement({
  description: 'A service moving from one state to another',
  fields: (t) => ({
    state: t.field({ type: ServiceState, description: 'The state it moved to', resolve: (h) => h.state as 'STALE' }),
    previousState: t.field({ type: ServiceState, nullable: true, description: 'The state it left; null for its first report', resolve: (h) => h.previousState as 'STALE' | null }),
    message: t.exposeString('message', { nullable: true, description: 'What it said with the change' }),
    at: t.expose('at', { type: 'DateTime', description: 'When it changed' }),
  }),
});

const ServiceStatusEventKind = builder.enumType('ServiceStatusEventKind', {
  description: 'What a serviceStatus event carries',
  values: {
    SNAPSHOT: { description: 'Every service of the tenant: the first event of a subscription' },
    UPDATED: { description: 'One service reported, or turned STALE' },
    REMOVED: { description: 'One service was deleted' },
  },
});

const ServiceStatusEvent = builder.objectRef<EventShape>('ServiceStatusEvent').implement({
  description: 'A change to the services of your tenant, or the whole picture (SNAPSHOT)',
  fields: (t) => ({
    kind: t.field({ type: ServiceStatusEventKind, description: 'SNAPSHOT, UPDATED or REMOVED', resolve: (e) => e.kind }),
    services: t.field({
      type: [Service],
      description: 'SNAPSHOT: every service of the tenant; UPDATED: the service that changed; REMOVED: empty',
      resolve: (e) => e.services,
    }),
    key: t.exposeString('key', { nullable: true, description: 'The service an UPDATED or REMOVED event is about' }),
  }),
});

const ServiceStatusInput = builder.inputType('ServiceStatusInput', {
  description: 'A service’s report about itself',
  fields: (t) => ({
    key: t.string({ required: true, description: 'Stable id, e.g. "balance-sync" (the channel rule applies)' }),
    name: t.string({ description: 'Display name; defaults to the key' }),
    state: t.field({ type: ServiceState, required: true, description: 'What it is doing (any state but STALE, which the server sets)' }),
    queueSize: t.int({ description: 'Work waiting' }),
    processedCount: t.float({ description: 'Items done so far' }),
    failedCount: t.float({ description: 'Items that failed so far' }),
    intervalSeconds: t.int({ required: true, description: 'How often the service reports' }),
    message: t.string({ description: 'A line for people, e.g. "retrying batch 12"' }),
    details: t.field({ type: 'JSON', description: 'Anything else worth showing (a JSON object)' }),
  }),
});

builder.queryFields((t) => ({
  services: t.withAuth({ signedIn: true }).field({
    type: [Service],
    description: 'Every service of the tenant (a service token: those its patterns cover), or those matching the filters',
    args: {
      states: t.arg({ type: [ServiceState], description: 'Only services in any of these states (STALE: silent ones; the others: reporting ones)' }),
      search: t.arg.string({ description: 'Only services whose key or name contains this (case-insensitive)' }),
    },
    resolve: async (_root, { states, search }, { viewer, services }) =>
      (await services.list(viewer.tenantId, { states: states ?? [], search: search ?? undefined })).filter((s) => mayRead(viewer, s.key)),
  }),
  service: t.field({
    type: Service,
    nullable: true,
    description: 'One service; null with NOT_FOUND when your tenant has none with this key (or your token does not cover it)',
    args: { key: t.arg.string({ required: true, description: 'The service’s key' }) },
    authScopes: (_root, args) => ({ readFrom: args.key }),
    resolve: async (_root, { key }, { viewer, services }) => found(await services.get(viewer!.tenantId, key), `No service "${key}"`),
  }),
  serviceHistory: t.field({
    type: [ServiceStateChange],
    description: 'State changes of a service, oldest first',
    args: {
      key: t.arg.string({ required: true, description: 'The service’s key' }),
      last: t.arg.int({ defaultValue: 50, description: 'How many of the latest changes (at most 1,000)' }),
    },
    authScopes: (_root, args) => ({ readFrom: args.key }),
    resolve: (_root, { key, last }, { viewer, services }) => services.history(viewer!.tenantId, key, last ?? 50),
  }),
}));

builder.mutationFields((t) => ({
  reportServiceStatus: t.field({
    type: Service,
    description: 'Upserts a service’s status (a service token whose patterns allow the key, or an ADMIN)',
    args: { input: t.arg({ type: ServiceStatusInput, required: true, description: 'The report' }) },
    authScopes: (_root, args) => ({ reportFor: args.input.key }),
    resolve: (_root, { input }, { viewer, services, statusLimiter }) => {
      // a budget of its own: heartbeats are never refused because the same token floods logs
      statusLimiter.take(principalKey(viewer!), 'status reports');
      if (input.state === 'STALE') throw badInput('STALE is set by the server; report RUNNING, IDLE, DEGRADED, STOPPED or FAILED', 'state');
      return services.report(viewer!.tenantId, { ...input, state: input.state });
    },
  }),
  deleteService: t.field({
    type: 'Boolean',
    description: 'Forgets a service that no longer runs; true when done (a token covering its key, or an ADMIN)',
    args: { key: t.arg.string({ required: true, description: 'The service’s key' }) },
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
