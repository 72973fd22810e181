import type { Bus } from '../bus/index.js';
import { topics, type IncidentEvent, type LogEntry, type MonitorCheckEvent, type TicketEvent, type TicketPresence, type Topic } from '../bus/topics.js';
import type { Incidents } from '../domain/incidents/incidents.js';
import type { Logs } from '../domain/logs/logs.js';
import type { Services } from '../domain/services/services.js';
import type { DomainError } from '../domain/shared/errors.js';
import type { Tickets } from '../domain/tickets/tickets.js';
import { createDurableFeeds, type DurableSource } from './durable-feed.js';
import { durableEventStream, followDurable, openDurableStream } from './durable-stream.js';
import { EventStream, pagesOf } from './event-stream.js';
import { createLiveFeeds } from './live-feed.js';
import { createLogFeeds } from './log-feed.js';
import { openLogStream } from './log-stream.js';
import { createServiceStatusFeeds } from './service-stream.js';
import { createTicketPresence } from './ticket-presence.js';

type Who = TicketPresence['who'];

/** What `ticketEvents` delivers: a stored event, or an ephemeral one (TYPING, VIEWING) with no cursor. */
export type TicketStreamEvent =
  | (TicketEvent & { tenantId: string })
  | { tenantId: string; seq: null; ticketId: string; kind: 'TYPING' | 'VIEWING'; people: Who[]; expiresAt: number | null; at: string };

export interface CreateStreamsOptions {
  bus: Bus;
  logs: Logs;
  incidents: Incidents;
  tickets: Tickets;
  services: Services;
  /** @default 5000 */
  typingTtlMs?: number;
  /** Live events held per subscriber that is not keeping up (durable: then SLOW_CONSUMER). @default 1000 */
  bufferLimit?: number;
  /** How long a durable gap waits for its message before the store is read. @default 100 */
  gapWaitMs?: number;
  /** How often durable feeds compare their head with the store's. @default 2000 */
  syncIntervalMs?: number;
  /** Failures of background reads (each is retried by the next sync). */
  onError?: (error: unknown) => void;
}

interface Operation {
  tenantId: string;
  /** the operation's signal: everything the subscription holds is released when it aborts */
  signal: AbortSignal;
}

/** Durable events published one at a time: each is a batch of one, right after the cursor before it. */
function oneByOne<E extends { seq: number }>(bus: Bus, topic: Topic<E>): DurableSource<E>['subscribe'] {
  return (tenantId, _scope, onBatch) => bus.subscribe(tenantId, topic, (event) => onBatch({ prevSeq: event.seq - 1, lastSeq: event.seq, entries: [event] }));
}

/**
 * The subscription engine: every live root field opens its stream here. Each stream is
 * bound to its operation's signal; each tenant's bus subscription is one shared feed per
 * instance, reference-counted, released with its last subscriber.
 */
export function createStreams({ bus, logs, incidents, tickets, services, typingTtlMs, bufferLimit = 1_000, gapWaitMs, syncIntervalMs, onError }: CreateStreamsOptions) {
  const feedOptions = { gapWaitMs, syncIntervalMs, onError };
  const logFeeds = createLogFeeds({ bus, logs, ...feedOptions });
  const incidentFeeds = createDurableFeeds<IncidentEvent>({
    ...feedOptions,
    source: {
      subscribe: oneByOne(bus, topics.incidents()),
      head: (tenantId) => incidents.head(tenantId),
      range: (tenantId, _scope, after, through, limit) => incidents.range(tenantId, after, through, limit),
      keyOf: (event) => event.incidentId,
    },
  });
  const ticketFeeds = createDurableFeeds<TicketEvent>({
    ...feedOptions,
    source: {
      subscribe: oneByOne(bus, topics.tickets()),
      head: (tenantId) => tickets.head(tenantId),
      range: (tenantId, _scope, after, through, limit) => tickets.range(tenantId, after, through, limit),
      keyOf: (event) => event.ticketId,
    },
  });
  const statusFeeds = createServiceStatusFeeds({ bus, services, onError });
  const checkFeeds = createLiveFeeds<MonitorCheckEvent>({
    subscribe: (tenantId, onEvent) => bus.subscribe(tenantId, topics.monitorChecks(), onEvent),
    keyOf: (check) => check.monitorId,
  });
  const presence = createTicketPresence({ bus, typingTtlMs });

  return {
    presence,

    logs: (options: Operation & { pattern: string; after?: number; minLevel?: number; onOverflow?: () => void }): Promise<EventStream<LogEntry | DomainError>> =>
      openLogStream({ logs, feeds: logFeeds, bufferLimit, ...options }),

    /** The tenant's incident events, or one incident's (`incidentId`: its detail page). */
    incidents: ({ tenantId, signal, after, incidentId, onOverflow }: Operation & { after?: number; incidentId?: string; onOverflow?: () => void }): Promise<EventStream<IncidentEvent | DomainError>> =>
      openDurableStream<IncidentEvent>({
        feeds: incidentFeeds,
        tenantId,
        pattern: incidentId ?? '*',
        after,
        signal,
        bufferLimit,
        onOverflow,
        replay: (from, through) => pagesOf((a, t, limit) => incidents.range(tenantId, a, t, limit), from, through, (e) => !incidentId || e.incidentId === incidentId),
      }),

    /** One ticket's events (or the inbox's), with who is typing on or viewing them. */
    async ticketEvents({
      tenantId,
      signal,
      ticketId,
      after,
      includeInternal,
      viewer,
      onOverflow,
    }: Operation & { ticketId?: string; after?: number; includeInternal: boolean; viewer?: Who; onOverflow?: () => void }): Promise<EventStream<TicketStreamEvent | DomainError>> {
      const stream = durableEventStream<TicketEvent, TicketStreamEvent>({ signal, after, bufferLimit, onOverflow });
      const accept = (event: TicketEvent) => includeInternal || !event.internal;
      await followDurable(
        stream,
        {
          feeds: ticketFeeds,
          tenantId,
          pattern: ticketId ?? '*',
          after,
          accept,
          replay: (from, through) => pagesOf((a, t, limit) => tickets.range(tenantId, a, t, limit), from, through, (e) => accept(e) && (!ticketId || e.ticketId === ticketId)),
        },
        (event): TicketStreamEvent => ({ ...event, tenantId }),
      );
      await presence.listen(
        tenantId,
        (id, kind, people, expiresAt) => {
          if (!ticketId || id === ticketId) stream.push([{ tenantId, seq: null, ticketId: id, kind, people, expiresAt, at: new Date().toISOString() }]);
        },
        stream.signal,
      );
      if (ticketId && viewer) await presence.view(tenantId, ticketId, viewer, stream.signal);
      return stream;
    },

    serviceStatus: ({ tenantId, signal }: Operation) => statusFeeds.open(tenantId, signal),

    /** Latest-wins: a consumer far behind keeps the newest checks (history is a query away). */
    async monitorChecks({ tenantId, signal, monitorId }: Operation & { monitorId?: string }): Promise<EventStream<MonitorCheckEvent>> {
      const stream = new EventStream<MonitorCheckEvent>({ signal, bufferLimit, overflow: 'drop-oldest' });
      await checkFeeds.listen(tenantId, monitorId ?? '*', (checks) => stream.push(checks), stream.signal);
      return stream;
    },

    /** After the bus reconnects: what it carried meanwhile is lost, so feeds reread the store now. */
    async resync() {
      await Promise.all([logFeeds.resync(), incidentFeeds.resync(), ticketFeeds.resync(), statusFeeds.resync()]);
    },

    /** Shared feeds held on this instance, by kind (each holds one bus subscription). */
    held() {
      return {
        logs: logFeeds.size,
        incidents: incidentFeeds.size,
        tickets: ticketFeeds.size,
        serviceStatus: statusFeeds.size,
        monitorChecks: checkFeeds.size,
        ticketPresence: presence.size,
      };
    },

    close() {
      for (const feeds of [logFeeds, incidentFeeds, ticketFeeds, statusFeeds, checkFeeds, presence]) feeds.close();
    },
  };
}

export type Streams = ReturnType<typeof createStreams>;
