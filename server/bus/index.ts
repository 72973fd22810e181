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
