import type { LogEntry } from '../bus/topics.js';
import type { DomainError } from '../domain/shared/errors.js';
import type { Logs } from '../domain/logs/logs.js';
import { openDurableStream } from './durable-stream.js';
import type { EventStream } from './event-stream.js';
import type { LogFeeds } from './log-feed.js';

export interface OpenLogStreamOptions {
  logs: Logs;
  feeds: LogFeeds;
  tenantId: string;
  /** a channel, or a prefix pattern ending in `*` */
  pattern: string;
  /** resume after this cursor: replay what is stored, then go live */
  after?: number;
  minLevel?: number;
  /** the operation's signal: everything the stream holds is released when it aborts */
  signal: AbortSignal;
  /** live entries held for a consumer that is not keeping up. @default 1000 */
  bufferLimit?: number;
  /** Called once when the consumer falls behind past the buffer (it is then ended). */
  onOverflow?: () => void;
}

/**
 * A `logs` subscription: stored entries after `after` (level filter applied by the store),
 * then live ones, each exactly once and in cursor order; SLOW_CONSUMER with the cursor to
 * resume after for a consumer more than `bufferLimit` entries behind.
 */
export function openLogStream({ logs, feeds, tenantId, pattern, after, minLevel = 0, signal, bufferLimit, onOverflow }: OpenLogStreamOptions): Promise<EventStream<LogEntry | DomainError>> {
  return openDurableStream<LogEntry>({
    feeds,
    tenantId,
    pattern,
    after,
    signal,
    bufferLimit,
    onOverflow,
    accept: minLevel > 0 ? (entry) => entry.level >= minLevel : undefined,
    replay: (from, through) => logs.replay(tenantId, pattern, from, through, { minLevel }),
    checkResume: (from, head) => logs.checkResume(tenantId, pattern, from, head),
    latest: () => logs.head(tenantId),
  });
}
