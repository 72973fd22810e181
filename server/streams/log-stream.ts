import type { LogEntry } from '../bus/topics.js';
import { DomainError } from '../domain/shared/errors.js';
import type { LogFeeds } from './log-feed.js';
import { toCursor } from '../domain/shared/cursor.js';
import type { Logs } from '../domain/logs/logs.js';

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
  const stream = new LogStream(minLevel, bufferLimit, onOverflow);
  const { head, stop } = await feeds.listen(tenantId, pattern, (entries) => stream.receive(entries));
  try {
    if (after !== undefined) await logs.checkResume(tenantId, pattern, after, head);
  } catch (error) {
    stop();
    throw error;
  }
  stream.start(after !== undefined ? logs.replay(tenantId, pattern, after, head) : undefined, after ?? head, stop);
  return stream;
}

/**
 * The subscription's iterator, written out rather than as an async generator: it is pulled
 * once per entry per subscriber, so it hands out buffered entries without a generator resume
 * or a wrapper, and `return()` wakes a pending `next()` (a generator parked in `await` could
 * not be returned, and its subscriber would keep its feed forever).
 */
class LogStream implements AsyncGenerator<LogEntry | DomainError> {
  /** live entries not yet taken by `next()` */
  private live: LogEntry[] = [];
  private overflowed = false;
  private wake: (() => void) | undefined;
  /** the entries `next()` is handing out: a replay page, then live batches */
  private page: LogEntry[] = [];
  private index = 0;
  private replay: AsyncGenerator<LogEntry[]> | undefined;
  private lastDelivered = 0;
  private stop = () => {};
  private finished = false;

  constructor(
    private readonly minLevel: number,
    private readonly bufferLimit: number,
    private readonly onOverflow: () => void,
  ) {}

  /** The feed's listener: buffers what this subscriber has not pulled yet, up to the limit. */
  receive(entries: LogEntry[]) {
    if (this.overflowed) return;
    for (const entry of entries) if (entry.level >= this.minLevel) this.live.push(entry);
    if (this.live.length > this.bufferLimit) {
      this.overflowed = true;
      this.live = [];
      // the entries are in the store; the client resumes from its last cursor
      this.onOverflow();
    }
    this.wakeUp();
  }

  start(replay: AsyncGenerator<LogEntry[]> | undefined, from: number, stop: () => void) {
    this.replay = replay;
    this.lastDelivered = from;
    this.stop = stop;
  }

  async next(): Promise<IteratorResult<LogEntry | DomainError>> {
    for (;;) {
      if (this.finished) return { done: true, value: undefined };
      if (this.overflowed) {
        const error = new DomainError('SLOW_CONSUMER', `Fell more than ${this.bufferLimit} entries behind: resume with after: "${this.lastDelivered}"`, {
          resumeAfter: toCursor(this.lastDelivered),
        });
        await this.finish();
        return { done: false, value: error };
      }
      if (this.index < this.page.length) {
        const entry = this.page[this.index++]!;
        this.lastDelivered = entry.seq;
        return { done: false, value: entry };
      }
      if (this.replay) {
        const page = await this.replay.next();
        if (page.done) this.replay = undefined;
        this.page = page.done ? [] : page.value.filter((entry) => entry.level >= this.minLevel);
        this.index = 0;
        continue;
      }
      this.page = this.live;
      this.live = [];
      this.index = 0;
      if (this.page.length === 0) await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }

  async return(): Promise<IteratorResult<LogEntry | DomainError>> {
    await this.finish();
    return { done: true, value: undefined };
  }

  async throw(error: unknown): Promise<IteratorResult<LogEntry | DomainError>> {
    await this.finish();
    throw error;
  }

  async [Symbol.asyncDispose]() {
    await this.finish();
  }

  [Symbol.asyncIterator]() {
    return this;
  }

  private wakeUp() {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  private async finish() {
    if (this.finished) return;
    this.finished = true;
    this.page = [];
    this.live = [];
    this.stop();
    this.wakeUp();
    await this.replay?.return(undefined);
  }
}
