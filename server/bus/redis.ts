import { Redis } from 'ioredis';
import { RedisPubSub } from 'graphql-redis-subscriptions';
import { type Bus, isPattern, qualify } from './bus.js';

export interface CreateRedisBusOptions {
  url: string;
  /** Namespace on a shared Redis. @default 'pb:' */
  prefix?: string;
  onError?: (error: Error) => void;
  onReconnect?: () => void;
}

// glob metacharacters a Redis PSUBSCRIBE would interpret
const escapeGlob = (s: string) => s.replace(/[\\*?[\]]/g, '\\$&');

/**
 * Redis engine: graphql-redis-subscriptions over two ioredis connections (a subscribed
 * connection cannot publish). ioredis reconnects by itself and re-subscribes on reconnect.
 */
export function createRedisBus({ url, prefix = 'pb:', onError = () => {}, onReconnect = () => {} }: CreateRedisBusOptions): Bus {
  const options = {
    // bounded backoff, forever: the bus must come back by itself after an outage
    retryStrategy: (attempt: number) => Math.min(100 * 2 ** attempt, 2_000),
    maxRetriesPerRequest: 1,
    enableOfflineQueue: true,
    lazyConnect: false,
  };
  const publisher = new Redis(url, options);
  const subscriber = new Redis(url, { ...options, maxRetriesPerRequest: null });
  for (const connection of [publisher, subscriber]) {
    connection.on('error', onError);
  }
  let connectedOnce = false;
  const reconnectListeners = new Set<() => void>([onReconnect]);
  subscriber.on('ready', () => {
    if (connectedOnce) for (const listener of reconnectListeners) listener();
    connectedOnce = true;
  });
  // graphql-redis-subscriptions fires these without handling the reply: one the connection
  // drops while closing (a stream ending during shutdown) would be an unhandled rejection
  for (const command of ['unsubscribe', 'punsubscribe'] as const) {
    const send = subscriber[command].bind(subscriber) as (...args: unknown[]) => Promise<unknown>;
    subscriber[command] = ((...args: unknown[]) => {
      const reply = send(...args);
      // eslint-disable-next-line no-restricted-syntax -- the caller still gets `reply`; this copy only keeps a close-time drop from being unhandled
      reply.catch(() => {});
      return reply;
    }) as (typeof subscriber)[typeof command];
  }
  const pubsub = new RedisPubSub({ publisher, subscriber });
  // what Redis sends this instance (traffic follows the watchers: an instance gets only the
  // topics its subscribers hold); Redis counts per client only from 7.4 on, so counted here
  const traffic = { messages: 0, bytes: 0 };
  subscriber.on('message', (channel: string, message: string) => {
    traffic.messages++;
    traffic.bytes += Buffer.byteLength(channel) + Buffer.byteLength(message);
  });
  subscriber.on('pmessage', (_pattern: string, channel: string, message: string) => {
    traffic.messages++;
    traffic.bytes += Buffer.byteLength(channel) + Buffer.byteLength(message);
  });

  return {
    kind: 'redis',
    async publish(tenantId, topic, payload) {
      await pubsub.publish(prefix + qualify(tenantId, topic), payload);
    },
    async subscribe(tenantId, topic, onMessage) {
      const key = qualify(tenantId, topic);
      const pattern = isPattern(key);
      const trigger = prefix + (pattern ? `${escapeGlob(key.slice(0, -1))}*` : key);
      const id = await pubsub.subscribe(trigger, onMessage as (message: unknown) => void, { pattern });
      let active = true;
      return () => {
        if (!active) return;
        active = false;
        pubsub.unsubscribe(id);
      };
    },
    received: () => ({ ...traffic }),
    onReconnect(listener) {
      reconnectListeners.add(listener);
      return () => void reconnectListeners.delete(listener);
    },
    async ping() {
      if (publisher.status !== 'ready' || subscriber.status !== 'ready') {
        throw new Error(`redis is ${publisher.status === 'ready' ? subscriber.status : publisher.status}`);
      }
      await publisher.ping();
    },
    async close() {
      publisher.disconnect();
      subscriber.disconnect();
    },
  };
}
