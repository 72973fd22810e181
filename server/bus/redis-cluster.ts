import { Cluster } from 'ioredis';
import { type Bus, isPattern, qualify } from './bus.js';

export interface CreateRedisClusterBusOptions {
  /** Seed nodes (`host:port`); the rest of the cluster is discovered from them. */
  nodes: string[];
  /** Namespace on a shared cluster. @default 'pb:' */
  prefix?: string;
  onError?: (error: Error) => void;
  onReconnect?: () => void;
}

type Handler = (payload: unknown) => void;

/**
 * An SUNSUBSCRIBE reply nobody waits for: the listener is already gone, and a connection that closes
 * meanwhile drops the reply, which is no failure (the subscription ends with the connection).
 */
function ignoreClosingReply(_error: unknown) {}

function parseNode(node: string): { host: string; port: number } {
  const colon = node.lastIndexOf(':');
  const host = node.slice(0, colon).replace(/^\[|\]$/g, '');
  const port = Number(node.slice(colon + 1));
  if (colon <= 0 || !Number.isInteger(port) || port < 1 || port > 65_535) throw new Error(`invalid Redis Cluster node "${node}": expected host:port`);
  return { host, port };
}

/**
 * Redis Cluster engine on sharded pub/sub: `SPUBLISH` goes to the shard owning the topic's slot
 * and only that shard's subscribers hear it, so pub/sub traffic scales with the shards instead
 * of crossing every node (classic `PUBLISH` in a cluster is broadcast to all of them). ioredis
 * keeps one subscriber connection per master that owns a slot we subscribe in, follows slot
 * moves and failovers, and re-subscribes after a node comes back.
 *
 * Sharded pub/sub has no patterns: a topic ending in `*` is refused. Nothing in Pulseboard
 * subscribes by pattern — wildcard log streams read the tenant's log topic.
 */
export function createRedisClusterBus({ nodes, prefix = 'pb:', onError = () => {}, onReconnect = () => {} }: CreateRedisClusterBusOptions): Bus {
  if (nodes.length === 0) throw new Error('a Redis Cluster bus needs at least one node');
  const cluster = new Cluster(nodes.map(parseNode), {
    shardedSubscribers: true,
    // bounded backoff, forever: the bus must come back by itself after an outage
    clusterRetryStrategy: (attempt: number) => Math.min(100 * 2 ** attempt, 2_000),
    retryDelayOnClusterDown: 200,
    enableOfflineQueue: true,
    redisOptions: { maxRetriesPerRequest: 1 },
  });
  cluster.on('error', onError);
  cluster.on('nodeError', onError);

  const handlers = new Map<string, Set<Handler>>();
  const traffic = { messages: 0, bytes: 0 };
  cluster.on('smessage', (channel: string, message: string) => {
    traffic.messages++;
    traffic.bytes += Buffer.byteLength(channel) + Buffer.byteLength(message);
    const set = handlers.get(channel);
    if (!set) return;
    const payload = JSON.parse(message) as unknown;
    for (const handler of set) handler(payload);
  });

  // a shard's subscriber lost (a master down, a failover): what it carried meanwhile is gone,
  // so once every shard is subscribed again the views reread the store
  const reconnectListeners = new Set<() => void>([onReconnect]);
  let lostShard = false;
  cluster.on('-node', () => void (lostShard = true));
  cluster.on('-subscriber', () => void (lostShard = true));
  cluster.on('subscribersReady', () => {
    if (!lostShard) return;
    lostShard = false;
    for (const listener of reconnectListeners) listener();
  });
  let closed = false;

  return {
    kind: 'redis-cluster',
    async publish(tenantId, topic, payload) {
      if (closed) throw new Error('bus is closed');
      await cluster.spublish(prefix + qualify(tenantId, topic), JSON.stringify(payload));
    },
    async subscribe(tenantId, topic, onMessage) {
      const key = qualify(tenantId, topic);
      if (isPattern(key)) throw new Error(`the Redis Cluster bus has no pattern subscriptions (sharded pub/sub): "${topic}"`);
      const channel = prefix + key;
      const handler = onMessage as Handler;
      let set = handlers.get(channel);
      if (!set) {
        handlers.set(channel, (set = new Set()));
        set.add(handler);
        try {
          await cluster.ssubscribe(channel);
        } catch (error) {
          set.delete(handler);
          if (set.size === 0 && handlers.get(channel) === set) handlers.delete(channel);
          throw error;
        }
      } else {
        set.add(handler);
      }
      const held = set;
      let active = true;
      return () => {
        if (!active) return;
        active = false;
        held.delete(handler);
        if (held.size > 0 || handlers.get(channel) !== held) return;
        handlers.delete(channel);
        // the reply is not needed; one the closing connection drops must not be an unhandled rejection
        if (!closed) cluster.sunsubscribe(channel).catch(ignoreClosingReply);
      };
    },
    received: () => ({ ...traffic }),
    onReconnect(listener) {
      reconnectListeners.add(listener);
      return () => void reconnectListeners.delete(listener);
    },
    async ping() {
      if (cluster.status !== 'ready') throw new Error(`redis cluster is ${cluster.status}`);
      const info = String(await cluster.cluster('INFO'));
      if (!/cluster_state:ok/.test(info)) throw new Error('redis cluster state is fail (a shard is down)');
    },
    async close() {
      closed = true;
      handlers.clear();
      cluster.disconnect();
    },
  };
}
