import type { Bus } from '../bus/index.js';
import { topics, type LogEntry } from '../bus/topics.js';
import type { Logs } from '../domain/logs/logs.js';
import { createDurableFeeds, type CreateDurableFeedsOptions } from './durable-feed.js';

export interface CreateLogFeedsOptions extends Omit<CreateDurableFeedsOptions<LogEntry>, 'source'> {
  bus: Bus;
  logs: Logs;
}

/**
 * The tenant's log as a durable feed: every committed batch travels one tenant topic, so each
 * instance sees the tenant's cursors contiguously and tells a lost message from a quiet
 * channel; listeners watch a channel or a prefix pattern (`etl:*`).
 */
export function createLogFeeds({ bus, logs, ...options }: CreateLogFeedsOptions) {
  return createDurableFeeds<LogEntry>({
    ...options,
    source: {
      subscribe: (tenantId, onBatch) => bus.subscribe(tenantId, topics.logs(), onBatch),
      head: (tenantId) => logs.head(tenantId),
      range: (tenantId, after, through, limit) => logs.range(tenantId, after, through, limit),
      keyOf: (entry) => entry.channel,
    },
  });
}

export type LogFeeds = ReturnType<typeof createLogFeeds>;
