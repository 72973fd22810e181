import type { LogEntry } from '../bus/topics.js';
import { DomainError } from './errors.js';
import type { LogFeeds } from './log-feed.js';
import { toCursor } from './log-cursor.js';
import type { Logs } from './logs.js';
import { closable } from './closable.js';

export interface OpenLogStreamOptions {
  logs: Logs;
  feeds: LogFeeds;
  tenantId: string;
  /** a channel, or a prefix pattern ending in `*` */
  pattern: string;
  /** resume after this cursor: replay what is stored, then go live */
  after?: number;
  minLevel?: number;
  /** live entries held for a consumer that is not keeping up. @default 1000 */
  bufferLimit?: number;
  /** Called once when the consumer falls behind past the buffer (it is then ended). */
  onOverflow?: () => void;
}

/**
 * A `logs` subscription: stored entries after `after`, then live ones, each exactly once and
 * in cursor order. Listening starts before the store is read, at the feed's head H: the
 * replay covers (after, H], the feed everything above H. A consumer that falls more than
 * `bufferLimit` entries behind gets SLOW_CONSUMER with the cursor to resume after.
 */
export async function openLogStream({
  logs,
  feeds,
  tenantId,
  pattern,
  after,
  minLevel = 0,
  bufferLimit = 1_000,
  onOverflow = () => {},
}: OpenLogStreamOptions): Promise<AsyncGenerator<LogEntry | DomainError>> {
  let live: LogEntry[] = [];
  let overflowed = false;
  let wake: (() => void) | undefined;
  let closed = false;
  const { head, stop } = await feeds.listen(tenantId, pattern, (entries) => {
    if (overflowed) return;
    for (const entry of entries) if (entry.level >= minLevel) live.push(entry);
    if (live.length > bufferLimit) {
      overflowed = true;
      live = [];
      // the entries are in the store; the client resumes from its last cursor
      onOverflow();
    }
    wake?.();
  });
  try {
    if (after !== undefined) await logs.checkResume(tenantId, pattern, after, head);
  } catch (error) {
    stop();
    throw error;
  }

  let lastDelivered = after ?? head;
  async function* entries(): AsyncGenerator<LogEntry | DomainError> {
    try {
      if (after !== undefined) {
        for await (const page of logs.replay(tenantId, pattern, after, head)) {
          for (const entry of page) {
            if (overflowed || closed) break;
            if (entry.level < minLevel) continue;
            lastDelivered = entry.seq;
            yield entry;
          }
        }
      }
      for (;;) {
        if (closed) return;
        if (overflowed) {
          yield new DomainError('SLOW_CONSUMER', `Fell more than ${bufferLimit} entries behind: resume with after: "${lastDelivered}"`, {
            resumeAfter: toCursor(lastDelivered),
          });
          return;
        }
        if (live.length > 0) {
          const batch = live;
          live = [];
          for (let i = 0; i < batch.length; i++) {
            lastDelivered = batch[i]!.seq;
            yield batch[i]!;
            if (overflowed) break;
          }
          continue;
        }
        await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
      }
    } finally {
      stop();
    }
  }
  return closable(entries(), () => {
    closed = true;
    wake?.();
  });
}
