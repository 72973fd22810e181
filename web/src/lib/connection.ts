import { useSyncExternalStore } from 'react';
import type { ConnectionState } from './stream/protocol';

export type { ConnectionState };

export interface ConnectionView {
  /** The browser's event stream, as the hub reports it. */
  stream: ConnectionState;
  /** A query or mutation has waited longer than `stallMs` for an answer. */
  stalled: boolean;
  /** The stream was live once since sign-in: a later loss is a reconnect, not a first connect. */
  wasLive: boolean;
}

/**
 * What the header dot and the outage banner show. Honest: the stream being open is not enough
 * to say "live" — a request that hangs (a saturated connection pool, a stuck proxy) shows too.
 */
export function createConnectionStore({ stallMs = 5_000 }: { stallMs?: number } = {}) {
  let view: ConnectionView = { stream: 'connecting', stalled: false, wasLive: false };
  const pending = new Map<number, number>();
  let nextRequest = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const listeners = new Set<() => void>();
  const set = (next: Partial<ConnectionView>) => {
    const merged = { ...view, ...next };
    if (merged.stream === view.stream && merged.stalled === view.stalled && merged.wasLive === view.wasLive) return;
    view = merged;
    for (const l of listeners) l();
  };
  const checkStall = () => {
    clearTimeout(timer);
    const oldest = Math.min(...pending.values());
    if (!pending.size) return set({ stalled: false });
    const waited = Date.now() - oldest;
    set({ stalled: waited >= stallMs });
    if (waited < stallMs) timer = setTimeout(checkStall, stallMs - waited + 10);
  };
  return {
    setStream(stream: ConnectionState) {
      set({ stream, wasLive: view.wasLive || stream === 'live' });
    },
    /** Wraps `fetch` so every request's wait counts (urql's `fetch` option). */
    trackedFetch(fetchFn: typeof fetch = globalThis.fetch.bind(globalThis)): typeof fetch {
      return async (input, init) => {
        const id = ++nextRequest;
        const done = () => {
          if (pending.delete(id)) checkStall();
        };
        pending.set(id, Date.now());
        checkStall();
        // an abandoned request is no longer waited for, whether or not its promise settles
        init?.signal?.addEventListener('abort', done, { once: true });
        try {
          return await fetchFn(input, init);
        } finally {
          done();
        }
      };
    },
    get: () => view,
    subscribe(listener: () => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

export type ConnectionStore = ReturnType<typeof createConnectionStore>;

export const useConnection = (store: ConnectionStore) => useSyncExternalStore(store.subscribe, store.get);
