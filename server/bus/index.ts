import type { Bus } from './bus.js';
import { createMemoryBus } from './memory.js';
import { createRedisBus, type CreateRedisBusOptions } from './redis.js';

export type { Bus, Unsubscribe } from './bus.js';

/** The Redis engine when `redisUrl` is set, the in-process engine otherwise. */
export function createBus({ redisUrl, ...redis }: Partial<CreateRedisBusOptions> & { redisUrl?: string } = {}): Bus {
  return redisUrl ? createRedisBus({ url: redisUrl, ...redis }) : createMemoryBus();
}
