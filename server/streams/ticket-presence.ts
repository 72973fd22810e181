import type { Bus, Unsubscribe } from '../bus/index.js';
import { topics, type TicketPresence } from '../bus/topics.js';

type Who = TicketPresence['who'];
export type PresenceListener = (ticketId: string, kind: TicketPresence['kind'], who: Who[], expiresAt: number | null) => void;

interface TenantPresence {
  /** `${ticketId}|${kind}|${who.id}` -> ping */
  pings: Map<string, TicketPresence>;
  listeners: Set<PresenceListener>;
  /** viewers connected to this instance, re-announced before they expire */
  local: Map<symbol, { ticketId: string; who: Who }>;
  unsubscribe: Promise<Unsubscribe>;
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
 * changes, including when somebody's ping runs out.
 */
export function createTicketPresence({ bus, typingTtlMs = 5_000, viewingTtlMs = 15_000, sweepMs = 1_000 }: CreateTicketPresenceOptions) {
  const tenants = new Map<string, TenantPresence>();

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
    state.pings.set(key, ping);
    // a refresh of someone already listed changes nothing a viewer can see, except typing (expiry moves)
    if (!known || known.expiresAt <= Date.now() || ping.expiresAt <= Date.now() || ping.kind === 'TYPING') notify(state, ping);
  }

  function tenant(tenantId: string): TenantPresence {
    let state = tenants.get(tenantId);
    if (!state) {
      const created: TenantPresence = { pings: new Map(), listeners: new Set(), local: new Map(), unsubscribe: Promise.resolve(() => {}) };
      created.unsubscribe = bus.subscribe(tenantId, topics.ticketPresence(), (ping) => receive(created, ping));
      created.unsubscribe.catch(() => {});
      tenants.set(tenantId, created);
      state = created;
    }
    return state;
  }

  function release(tenantId: string, state: TenantPresence) {
    if (state.listeners.size === 0 && state.local.size === 0 && tenants.get(tenantId) === state) {
      tenants.delete(tenantId);
      state.unsubscribe.then((off) => off(), () => {});
    }
  }

  const announce = (tenantId: string, ticketId: string, who: Who) =>
    bus.publish(tenantId, topics.ticketPresence(), { ticketId, kind: 'VIEWING', who, expiresAt: Date.now() + viewingTtlMs }).catch(() => {});

  let sweeps = 0;
  const timer = setInterval(() => {
    const now = Date.now();
    sweeps++;
    for (const [tenantId, state] of tenants) {
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
    /** Listens to every presence change in the tenant; resolves once live. */
    async listen(tenantId: string, listener: PresenceListener): Promise<() => void> {
      const state = tenant(tenantId);
      await state.unsubscribe;
      state.listeners.add(listener);
      return () => {
        state.listeners.delete(listener);
        release(tenantId, state);
      };
    },

    /** Marks `who` as looking at the ticket until `stop()` (re-announced while it lasts). */
    async view(tenantId: string, ticketId: string, who: Who): Promise<() => void> {
      const state = tenant(tenantId);
      await state.unsubscribe;
      const id = Symbol(who.id);
      state.local.set(id, { ticketId, who });
      await announce(tenantId, ticketId, who);
      return () => {
        state.local.delete(id);
        // a ping that has already expired: everyone drops them now rather than at expiry
        void bus.publish(tenantId, topics.ticketPresence(), { ticketId, kind: 'VIEWING', who, expiresAt: 0 }).catch(() => {});
        release(tenantId, state);
      };
    },

    async typing(tenantId: string, ticketId: string, who: Who): Promise<number> {
      const expiresAt = Date.now() + typingTtlMs;
      await bus.publish(tenantId, topics.ticketPresence(), { ticketId, kind: 'TYPING', who, expiresAt });
      return expiresAt;
    },

    /** The current list on this instance (complete while anyone here listens to the tenant). */
    snapshot(tenantId: string, ticketId: string, kind: TicketPresence['kind']): Who[] {
      const state = tenants.get(tenantId);
      return state ? current(state, ticketId, kind) : [];
    },

    close() {
      clearInterval(timer);
      for (const state of tenants.values()) state.unsubscribe.then((off) => off(), () => {});
      tenants.clear();
    },
  };
}

export type TicketPresenceRegistry = ReturnType<typeof createTicketPresence>;
