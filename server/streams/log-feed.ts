import type { Bus } from '../bus/index.js';
import { topics, type LogEntry } from '../bus/topics.js';
import type { Logs } from '../domain/logs/logs.js';
import { createDurableFeeds, type CreateDurableFeedsOptions } from './durable-feed.js';

export interface CreateLogFeedsOptions extends Omit<CreateDurableFeedsOptions<LogEntry>, 'source' | 'scopeOf'> {
  bus: Bus;
  logs: Logs;
}

/**
 * The tenant's log as durable feeds whose bus traffic follows the watchers: a subscriber to
 * one channel joins that channel's feed (its own topic, its own cursor chain: `prevSeq` is
 * the channel's previous cursor), so an instance receives from the bus only the channels its
 * subscribers watch; a wildcard subscriber (`etl:*`, `*`) joins the tenant's feed, on the
 * tenant topic, whose contiguous cursors keep entries of different channels in cursor order
 * (a resume cursor must never skip an entry of another channel delivered later). Either way a
 * gap the bus leaves is read from the store.
 */
export function createLogFeeds({ bus, logs, ...options }: CreateLogFeedsOptions) {
  return createDurableFeeds<LogEntry>({
    ...options,
    scopeOf: (pattern) => (pattern.endsWith('*') ? '' : pattern),
    source: {
      subscribe: (tenantId, channel, onBatch) => bus.subscribe(tenantId, channel ? topics.logChannel(channel) : topics.logs(), onBatch),
      head: async (tenantId, channel) => (channel ? ((await logs.channelHeads(tenantId, [channel])).get(channel) ?? 0) : logs.head(tenantId)),
      async heads(tenantId, scopes) {
        const heads = await logs.channelHeads(tenantId, scopes.filter(Boolean));
        if (scopes.includes('')) heads.set('', await logs.head(tenantId));
        return heads;
      },
      range: (tenantId, channel, after, through, limit) =>
        channel ? logs.channelRange(tenantId, channel, after, through, limit) : logs.range(tenantId, after, through, limit),
      keyOf: (entry) => entry.channel,
    },
  });
}

export type LogFeeds = ReturnType<typeof createLogFeeds>;
