import type { Topic } from './topics.js';

export type Unsubscribe = () => void;

export interface BusTraffic {
  messages: number;
  bytes: number;
}

/**
 * The event bus: at-most-once fan-out between subscribers on every instance.
 * Durability never comes from here — durable streams write to the store first and
 * publish the stored cursor second.
 */
export interface Bus {
  kind: 'memory' | 'redis' | 'redis-cluster';
  /** Publishes to `topic` in `tenantId`. Resolves once the engine has taken the message. */
  publish<P>(tenantId: string, topic: Topic<P>, payload: P): Promise<void>;
  /**
   * Subscribes to `topic` in `tenantId`; a topic ending in `*` matches every topic with
   * that prefix. Resolves once the subscription is active, so nothing published after
   * that is missed.
   */
  subscribe<P>(tenantId: string, topic: Topic<P>, onMessage: (payload: P) => void): Promise<Unsubscribe>;
  /**
   * Calls `listener` each time the engine reconnects after losing its connection: messages
   * published meanwhile never arrived, so durable and latest-wins views reread the store.
   */
  onReconnect(listener: () => void): Unsubscribe;
  /**
   * What this instance has received from the engine since it was created: messages, and the
   * bytes of their topic names and payloads (0 in process, where nothing crosses a wire).
   */
  received(): BusTraffic;
  /** Rejects while the engine cannot deliver (Redis down). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** The engine-level name of a tenant topic; the tenant prefix is not optional. */
export function qualify(tenantId: string, topic: string): string {
  if (!tenantId || tenantId.includes(':') || tenantId.includes('*')) {
    throw new Error(`invalid tenant id for a bus topic: "${tenantId}"`);
  }
  return `${tenantId}:${topic}`;
}

export function isPattern(topic: string): boolean {
  return topic.endsWith('*');
}
