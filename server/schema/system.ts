import { EventStream } from '../streams/event-stream.js';
import { onAbort } from '../streams/lifecycle.js';
import { badInput } from '../domain/shared/errors.js';
import { builder } from './builder.js';

builder.subscriptionField('heartbeat', (t) =>
  t.field({
    type: 'DateTime',
    description: 'The server time every intervalMs until the stream ends: an end-to-end check of a stream',
    args: { intervalMs: t.arg.int({ defaultValue: 15_000, description: 'Milliseconds between events, 100 to 60000' }) },
    subscribe: (_root, { intervalMs }, { signal }) => {
      if (intervalMs! < 100 || intervalMs! > 60_000) throw badInput('intervalMs must be between 100 and 60000', 'intervalMs');
      return ticks(intervalMs!, signal);
    },
    resolve: (time) => time,
  }),
);

/** The time now and every `intervalMs`, until the operation ends (its timer goes with it). */
function ticks(intervalMs: number, signal: AbortSignal): EventStream<Date> {
  // latest-wins: a reader that stops reading holds one tick, not a queue of them
  const stream = new EventStream<Date>({ signal, bufferLimit: 1, overflow: 'drop-oldest' });
  stream.push([new Date()]);
  const timer = setInterval(() => stream.push([new Date()]), intervalMs);
  onAbort(stream.signal, () => clearInterval(timer));
  return stream;
}

const SubscriptionCount = builder.objectRef<{ field: string; count: number }>('SubscriptionCount').implement({
  description: 'How many subscriptions of one kind are open',
  fields: (t) => ({
    field: t.exposeString('field', { description: 'The subscription field, e.g. "logs"' }),
    count: t.exposeInt('count', { description: 'How many are open now' }),
  }),
});

const GatewayStats = builder
  .objectRef<{ openStreams: number; subscriptions: { field: string; count: number }[]; eventsPublished: number; eventsDelivered: number; eventsDropped: number }>(
    'GatewayStats',
  )
  .implement({
    description: 'This tenant on the instance that answers (counters since it started)',
    fields: (t) => ({
      openStreams: t.exposeInt('openStreams', { description: 'Open subscriptions' }),
      subscriptions: t.field({ type: [SubscriptionCount], description: 'Active subscriptions by field', resolve: (s) => s.subscriptions }),
      eventsPublished: t.exposeInt('eventsPublished', { description: 'Events published by this tenant through this instance' }),
      eventsDelivered: t.exposeInt('eventsDelivered', { description: 'Events this instance delivered to the tenant’s subscribers' }),
      eventsDropped: t.exposeInt('eventsDropped', { description: 'Subscriptions ended for slow consumers' }),
    }),
  });

builder.queryField('gatewayStats', (t) =>
  t.withAuth({ admin: true }).field({
    type: GatewayStats,
    description: 'Live counters of your tenant on the instance that answers (ADMIN); /metrics has them for all tenants',
    resolve: (_root, _args, { viewer, metrics }) => metrics.tenantStats(viewer.tenantId),
  }),
);
