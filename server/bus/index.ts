import type { Bus } from './bus.js';
import { createMemoryBus } from './memory.js';
import { createRedisBus, type CreateRedisBusOptions } from './redis.js';
import { createRedisClusterBus } from './redis-cluster.js';

export type { Bus, BusTraffic, Unsubscribe } from './bus.js';

export interface CreateBusOptions extends Partial<Omit<CreateRedisBusOptions, 'url'>> {
  redisUrl?: string;
  /** Redis Cluster seed nodes (`host:port`): sharded pub/sub, chosen over `redisUrl`. */
  redisClusterNodes?: string[];
}

/** The Redis Cluster engine when nodes are given, else Redis when `redisUrl` is set, else the in-process engine. */
export function createBus({ redisUrl, redisClusterNodes, ...redis }: CreateBusOptions = {}): Bus {
  if (redisClusterNodes?.length) return createRedisClusterBus({ nodes: redisClusterNodes, ...redis });
  return redisUrl ? createRedisBus({ url: redisUrl, ...redis }) : createMemoryBus();
}

/**
 * For a publish after the write has committed: the stored row stands, the Redis bus reports its
 * own connection failures (`onError`, logged as "bus error"), and every live view rereads the
 * store when the bus reconnects — so the caller has nothing to add and must not fail the write.
 */
export const afterCommitPublishFailed = (): void => {};
