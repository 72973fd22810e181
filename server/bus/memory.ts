import { type Bus, isPattern, qualify } from './bus.js';

type Handler = (payload: unknown) => void;

/**
 * In-process engine for a single instance. Payloads are delivered by reference,
 * asynchronously (as Redis would), so a publisher never runs subscriber code inline.
 */
export function createMemoryBus(): Bus {
  const exact = new Map<string, Set<Handler>>();
  const prefixes = new Map<string, Set<Handler>>();
  let closed = false;

  function add(map: Map<string, Set<Handler>>, key: string, handler: Handler) {
    let set = map.get(key);
    if (!set) map.set(key, (set = new Set()));
    set.add(handler);
    return () => {
      set.delete(handler);
      if (set.size === 0 && map.get(key) === set) map.delete(key);
    };
  }

  let messages = 0;

  function deliver(key: string, payload: unknown) {
    const handlers: Handler[] = [...(exact.get(key) ?? [])];
    for (const [prefix, set] of prefixes) {
      if (key.startsWith(prefix)) handlers.push(...set);
    }
    if (handlers.length > 0) messages++;
    for (const handler of handlers) handler(payload);
  }

  return {
    kind: 'memory',
    async publish(tenantId, topic, payload) {
      if (closed) throw new Error('bus is closed');
      const key = qualify(tenantId, topic);
      queueMicrotask(() => deliver(key, payload));
    },
    async subscribe(tenantId, topic, onMessage) {
      const key = qualify(tenantId, topic);
      const handler = onMessage as Handler;
      return isPattern(key) ? add(prefixes, key.slice(0, -1), handler) : add(exact, key, handler);
    },
    received: () => ({ messages, bytes: 0 }),
    // in process, nothing is ever disconnected
    onReconnect: () => () => {},
    async ping() {
      if (closed) throw new Error('bus is closed');
    },
    async close() {
      closed = true;
      exact.clear();
      prefixes.clear();
    },
  };
}
