import type { Bus, Unsubscribe } from '../bus/index.js';
import { topics, type TicketPresence } from '../bus/topics.js';
import { onAbort, type EndSignal } from './lifecycle.js';
import { SharedFeeds, type SharedFeed } from './shared-feeds.js';

type Who = TicketPresence['who'];
export type PresenceListener = (ticketId: string, kind: TicketPresence['kind'], who: Who[], expiresAt: number | null) => void;

/** One tenant's presence on this instance: the pings it has heard and who listens. */
class TenantPresence implements SharedFeed {
  /** `${ticketId}|${kind}|${who.id}` -> ping */
  readonly pings = new Map<string, TicketPresence>();
  readonly listeners = new Set<PresenceListener>();
  /** viewers connected to this instance, re-announced before they expire */
  readonly local = new Map<symbol, { ticketId: string; who: Who }>();
  readonly ready: Promise<void>;
  private unsubscribe: Unsubscribe | undefined;
  private closed = false;

  constructor(tenantId: string, bus: Bus, receive: (state: TenantPresence, ping: TicketPresence) => void) {
    this.ready = bus.subscribe(tenantId, topics.ticketPresence(), (ping) => receive(this, ping)).then((off) => {
      if (this.closed) off();
      else this.unsubscribe = off;
    });
  }

  close() {
    if (this.closed) return;
    this.closed = true;
    this.unsubscribe?.();
  }
}

export interface CreateTicketPresenceOptions {
  bus: Bus;
  /** @default 5000 */
  typingTtlMs?: number;
  /** @default 15000 */
  viewingTtlMs?: number;
  /** One timer for every ticket: expiry and re-announcing local viewers. @default 1000 */
  sweepMs?: number;
}

/**
 * Who is typing on, or looking at, which ticket: ephemeral pings on the bus that expire by
 * themselves and are never stored. Listeners hear the current list of a ticket whenever it
 * changes, including when somebody's ping runs out. Each tenant's state is held while some
 * listener or viewer of this instance needs it, and released with the last one's signal.
 */
export function createTicketPresence({ bus, typingTtlMs = 5_000, viewingTtlMs = 15_000, sweepMs = 1_000 }: CreateTicketPresenceOptions) {
  const tenants = new SharedFeeds((tenantId) => new TenantPresence(tenantId, bus, receive));

  function current(state: TenantPresence, ticketId: string, kind: TicketPresence['kind']): Who[] {
    const now = Date.now();
    return [...state.pings.values()].filter((p) => p.ticketId === ticketId && p.kind === kind && p.expiresAt > now).map((p) => p.who);
  }

  function notify(state: TenantPresence, ping: TicketPresence) {
    const who = current(state, ping.ticketId, ping.kind);
    for (const listener of state.listeners) listener(ping.ticketId, ping.kind, who, ping.kind === 'TYPING' ? ping.expiresAt : null);
  }

  function receive(state: TenantPresence, ping: TicketPresence) {
    const key = `${ping.ticketId}|${ping.kind}|${ping.who.id}`;
    const known = state.pings.get(key);
    if (ping.expiresAt <= Date.now()) state.pings.delete(key);
    else state.pings.set(key, ping);
    // a refresh of someone already listed changes nothing a viewer can see, except typing (expiry moves)
    if (!known || known.expiresAt <= Date.now() || ping.expiresAt <= Date.now() || ping.kind === 'TYPING') notify(state, ping);
  }

  const publish = (tenantId: string, ping: TicketPresence, onError = () => {}) => bus.publish(tenantId, topics.ticketPresence(), ping).catch(onError);
  const announce = (tenantId: string, ticketId: string, who: Who) => publish(tenantId, { ticketId, kind: 'VIEWING', who, expiresAt: Date.now() + viewingTtlMs });

  let sweeps = 0;
  const timer = setInterval(() => {
    const now = Date.now();
    sweeps++;
    for (const [tenantId, state] of tenants.entries()) {
      for (const [key, ping] of state.pings) {
        if (ping.expiresAt <= now) {
          state.pings.delete(key);
          notify(state, ping);
        }
      }
      // re-announce local viewers at a third of their lifetime
      if (sweeps % Math.max(1, Math.floor(viewingTtlMs / 3 / sweepMs)) === 0) {
        for (const { ticketId, who } of state.local.values()) void announce(tenantId, ticketId, who);
      }
    }
  }, sweepMs);
  timer.unref();

  return {
    /** Listens to every presence change in the tenant until `signal` aborts; resolves once live. */
    async listen(tenantId: string, listener: PresenceListener, signal: EndSignal): Promise<void> {
      const state = await tenants.join(tenantId, signal);
      if (!state) return;
      state.listeners.add(listener);
      onAbort(signal, () => state.listeners.delete(listener));
    },

    /** Marks `who` as looking at the ticket until `signal` aborts (re-announced while it lasts). */
    async view(tenantId: string, ticketId: string, who: Who, signal: EndSignal): Promise<void> {
      const state = await tenants.join(tenantId, signal);
      if (!state) return;
      const id = Symbol(who.id);
      state.local.set(id, { ticketId, who });
      onAbort(signal, () => {
        state.local.delete(id);
        // an already expired ping: everyone drops them now rather than at expiry
        void publish(tenantId, { ticketId, kind: 'VIEWING', who, expiresAt: 0 });
      });
      await announce(tenantId, ticketId, who);
    },

    async typing(tenantId: string, ticketId: string, who: Who): Promise<number> {
      const expiresAt = Date.now() + typingTtlMs;
      await bus.publish(tenantId, topics.ticketPresence(), { ticketId, kind: 'TYPING', who, expiresAt });
      return expiresAt;
    },

    /** Ends `who`'s typing on the ticket at once (they sent their message). */
    async stoppedTyping(tenantId: string, ticketId: string, who: Who): Promise<void> {
      await publish(tenantId, { ticketId, kind: 'TYPING', who, expiresAt: 0 });
    },

    /** The current list on this instance (complete while anyone here listens to the tenant). */
    snapshot(tenantId: string, ticketId: string, kind: TicketPresence['kind']): Who[] {
      const state = tenants.peek(tenantId);
      return state ? current(state, ticketId, kind) : [];
    },

    /** Tenants whose presence this instance holds. */
    get size() {
      return tenants.size;
    },

    close() {
      clearInterval(timer);
      tenants.close();
    },
  };
}

export type TicketPresenceRegistry = ReturnType<typeof createTicketPresence>;
