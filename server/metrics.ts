import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

interface TenantStats {
  openStreams: number;
  subscriptions: Map<string, number>;
  published: number;
  delivered: number;
  dropped: number;
}

/**
 * Prometheus metrics of one app instance (its own registry: two apps in one process, as in
 * tests, do not share counters), plus the same figures per tenant for `gatewayStats`.
 */
export function createMetrics({ defaults = true }: { defaults?: boolean } = {}) {
  const registry = new Registry();
  if (defaults) collectDefaultMetrics({ register: registry, prefix: 'pulseboard_' });
  const openStreams = new Gauge({ name: 'pulseboard_open_streams', help: 'Open SSE responses on this instance', registers: [registry] });
  const reservations = new Gauge({ name: 'pulseboard_stream_reservations', help: 'Single-connection reservations held (opened or not)', registers: [registry] });
  const subscriptionSlots = new Gauge({ name: 'pulseboard_subscription_slots', help: 'Per-caller subscription slots held', registers: [registry] });
  const feeds = new Gauge({ name: 'pulseboard_feeds', help: 'Shared per-tenant live feeds held, by kind (each holds one bus subscription)', labelNames: ['kind'], registers: [registry] });
  const busSubscriptions = new Gauge({ name: 'pulseboard_bus_subscriptions', help: 'Bus subscriptions held by this instance', registers: [registry] });
  const subscriptions = new Gauge({ name: 'pulseboard_active_subscriptions', help: 'Active subscriptions by root field', labelNames: ['field'], registers: [registry] });
  const published = new Counter({ name: 'pulseboard_events_published_total', help: 'Events published on the bus by this instance', labelNames: ['topic'], registers: [registry] });
  // counted in plain numbers per delivery (a broadcast counts one per subscriber per event) and
  // added to the counter when it is read: prom-client's inc() was ~1% of a broadcast's CPU
  const deliveredPending = new Map<string, { count: number }>();
  // registered with the registry, which reads it: nothing else holds it
  new Counter({
    name: 'pulseboard_events_delivered_total',
    help: 'Subscription results written to clients',
    labelNames: ['field'],
    registers: [registry],
    collect() {
      for (const [field, pending] of deliveredPending) {
        if (pending.count === 0) continue;
        this.inc({ field }, pending.count);
        pending.count = 0;
      }
    },
  });
  const dropped = new Counter({ name: 'pulseboard_events_dropped_total', help: 'Subscriptions ended or events dropped for slow consumers', labelNames: ['reason'], registers: [registry] });
  const latency = new Histogram({
    name: 'pulseboard_publish_to_delivery_seconds',
    help: 'From a log entry being received to it being handed to a subscriber',
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const busReconnects = new Counter({ name: 'pulseboard_bus_reconnects_total', help: 'Times the bus reconnected', registers: [registry] });
  const storeErrors = new Counter({ name: 'pulseboard_store_errors_total', help: 'Unexpected errors (store and other internal failures)', registers: [registry] });
  const busPublishesDropped = new Counter({
    name: 'pulseboard_bus_publishes_dropped_total',
    help: 'Bus publishes of committed log entries dropped because too many were waiting on the bus (feeds fill the gap from the store)',
    registers: [registry],
  });
  const rejected = new Counter({ name: 'pulseboard_requests_rejected_total', help: 'Requests refused by a limit', labelNames: ['limit'], registers: [registry] });

  const tenants = new Map<string, TenantStats>();
  const tenant = (id: string) => {
    let stats = tenants.get(id);
    if (!stats) tenants.set(id, (stats = { openStreams: 0, subscriptions: new Map(), published: 0, delivered: 0, dropped: 0 }));
    return stats;
  };

  return {
    registry,
    /** What this instance holds right now: after every client leaves, it returns to what it held before. */
    setHoldings(held: { openStreams: number; reservations: number; subscriptionSlots: number; feeds: Record<string, number>; busSubscriptions: number }) {
      openStreams.set(held.openStreams);
      reservations.set(held.reservations);
      subscriptionSlots.set(held.subscriptionSlots);
      for (const [kind, n] of Object.entries(held.feeds)) feeds.set({ kind }, n);
      busSubscriptions.set(held.busSubscriptions);
    },
    subscriptionStarted(tenantId: string, field: string) {
      subscriptions.inc({ field });
      const t = tenant(tenantId);
      t.openStreams++;
      t.subscriptions.set(field, (t.subscriptions.get(field) ?? 0) + 1);
    },
    subscriptionEnded(tenantId: string, field: string) {
      subscriptions.dec({ field });
      const t = tenant(tenantId);
      t.openStreams--;
      t.subscriptions.set(field, (t.subscriptions.get(field) ?? 1) - 1);
    },
    published(tenantId: string, topic: string) {
      published.inc({ topic: topic.split(':')[0] });
      tenant(tenantId).published++;
    },
    /** Counts one subscription's deliveries: resolved once per subscription, called per result. */
    deliveries(tenantId: string, field: string): () => void {
      let pending = deliveredPending.get(field);
      if (!pending) deliveredPending.set(field, (pending = { count: 0 }));
      const counter = pending;
      const stats = tenant(tenantId);
      return () => {
        counter.count++;
        stats.delivered++;
      };
    },
    dropped(tenantId: string, reason: string) {
      dropped.inc({ reason });
      tenant(tenantId).dropped++;
    },
    observeLatency: (seconds: number) => latency.observe(seconds),
    busReconnected: () => busReconnects.inc(),
    storeError: () => storeErrors.inc(),
    rejected: (limit: string) => rejected.inc({ limit }),
    busPublishDropped: () => busPublishesDropped.inc(),
    tenantStats(tenantId: string) {
      const t = tenant(tenantId);
      return {
        openStreams: t.openStreams,
        subscriptions: [...t.subscriptions].filter(([, n]) => n > 0).map(([field, count]) => ({ field, count })),
        eventsPublished: t.published,
        eventsDelivered: t.delivered,
        eventsDropped: t.dropped,
      };
    },
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
