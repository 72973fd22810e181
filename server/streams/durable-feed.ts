import type { Unsubscribe } from '../bus/index.js';
import { FeedRouter, type Listener } from './feed-router.js';
import { onAbort } from './lifecycle.js';
import { SharedFeeds, type SharedFeed } from './shared-feeds.js';

/** Committed entries as the bus carries them: `prevSeq` is the cursor just before `entries[0]`. */
export interface FeedBatch<E> {
  prevSeq: number;
  lastSeq: number;
  entries: E[];
}

/** Where a durable feed reads: the bus for what is new, the store for the truth. */
export interface DurableSource<E extends { seq: number }> {
  /** Subscribes to the tenant's committed batches; resolves once active. */
  subscribe(tenantId: string, onBatch: (batch: FeedBatch<E>) => void): Promise<Unsubscribe>;
  /** The last cursor handed out in the tenant. */
  head(tenantId: string): Promise<number>;
  /** Stored entries with after < seq <= through, in cursor order, at most `limit`. */
  range(tenantId: string, after: number, through: number, limit: number): Promise<E[]>;
  /** The key listeners match with a key or prefix pattern (logs: the channel). */
  keyOf(entry: E): string;
}

export interface CreateDurableFeedsOptions<E extends { seq: number }> {
  source: DurableSource<E>;
  /** How long a gap may wait for the missing batch before it is read from the store. @default 100 */
  gapWaitMs?: number;
  /** How often each feed compares its head with the store's (a lost *last* message). @default 2000 */
  syncIntervalMs?: number;
  /** Batches held ahead of a missing one; past it they are dropped and read from the store. @default 1000 */
  maxPending?: number;
  /** Entries read per query when filling a gap. @default 1000 */
  fillPageSize?: number;
  /** Failures of background reads (they are retried by the next sync). */
  onError?: (error: unknown) => void;
}

class DurableFeed<E extends { seq: number }> implements SharedFeed {
  head = 0;
  /** the highest cursor any batch has announced */
  target = 0;
  /** batches that arrived ahead of a missing one, by their prevSeq */
  readonly pending = new Map<number, FeedBatch<E>>();
  readonly router: FeedRouter<E>;
  readonly ready: Promise<void>;
  filling = false;
  fillTimer: NodeJS.Timeout | undefined;
  /** the store's head at the previous sync, to tell a message in flight from a lost one */
  lastSeenStoreHead = 0;
  private unsubscribe: Unsubscribe | undefined;
  private closed = false;

  constructor(
    readonly tenantId: string,
    private readonly feeds: DurableFeedsInternals<E>,
  ) {
    this.router = new FeedRouter(feeds.source.keyOf);
    this.ready = this.start();
  }

  get isClosed() {
    return this.closed;
  }

  private async start() {
    // subscribe first, then read the head: nothing committed after the read is missed
    const off = await this.feeds.source.subscribe(this.tenantId, (batch) => this.feeds.onBatch(this, batch));
    if (this.closed) return off();
    this.unsubscribe = off;
    const head = await this.feeds.source.head(this.tenantId);
    if (head > this.head) this.head = head;
    this.target = Math.max(this.target, head);
    this.lastSeenStoreHead = head;
    this.feeds.drain(this);
  }

  close() {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.fillTimer);
    this.pending.clear();
    this.unsubscribe?.();
  }
}

interface DurableFeedsInternals<E extends { seq: number }> {
  source: DurableSource<E>;
  onBatch(feed: DurableFeed<E>, batch: FeedBatch<E>): void;
  drain(feed: DurableFeed<E>): void;
}

/**
 * One ordered feed per tenant on this instance, shared by every durable subscription of that
 * tenant: it delivers cursors in order with no gap. A batch that arrives early waits for the
 * one before it; a gap that does not close by itself (Redis is at-most-once) is read from the
 * store, which is the truth; a periodic sync finds a lost *last* message without waiting for
 * the next one. What it holds is bounded: past `maxPending` early batches it drops them and
 * reads the store instead.
 */
export function createDurableFeeds<E extends { seq: number }>({
  source,
  gapWaitMs = 100,
  syncIntervalMs = 2_000,
  maxPending = 1_000,
  fillPageSize = 1_000,
  onError = () => {},
}: CreateDurableFeedsOptions<E>) {
  const internals: DurableFeedsInternals<E> = { source, onBatch, drain };
  const feeds = new SharedFeeds((tenantId) => new DurableFeed<E>(tenantId, internals));

  function drain(feed: DurableFeed<E>) {
    for (;;) {
      const next = feed.pending.get(feed.head);
      if (!next) break;
      feed.pending.delete(feed.head);
      feed.head = next.lastSeq;
      feed.router.dispatch(next.entries);
    }
    for (const [prev, batch] of feed.pending) if (batch.lastSeq <= feed.head) feed.pending.delete(prev);
  }

  function onBatch(feed: DurableFeed<E>, batch: FeedBatch<E>) {
    if (feed.isClosed || batch.lastSeq <= feed.head) return;
    if (batch.lastSeq > feed.target) feed.target = batch.lastSeq;
    if (batch.prevSeq === feed.head) {
      feed.head = batch.lastSeq;
      feed.router.dispatch(batch.entries);
      drain(feed);
      return;
    }
    if (batch.prevSeq < feed.head) return;
    if (feed.pending.size >= maxPending) {
      // the store has all of them (published after commit): read it rather than hold more
      feed.pending.clear();
      clearTimeout(feed.fillTimer);
      feed.fillTimer = undefined;
      void fill(feed, feed.target).catch(onError);
      return;
    }
    feed.pending.set(batch.prevSeq, batch);
    feed.fillTimer ??= setTimeout(() => {
      feed.fillTimer = undefined;
      void fill(feed, fillTarget(feed)).catch(onError);
    }, gapWaitMs);
  }

  /** Up to where the store must be read: the first early batch, or all that was announced. */
  const fillTarget = (feed: DurableFeed<E>) => (feed.pending.size > 0 ? Math.min(...feed.pending.keys()) : feed.target);

  /** Reads (head, through] from the store, a page at a time, delivering what is still above the head. */
  async function fill(feed: DurableFeed<E>, through: number): Promise<void> {
    if (feed.filling) return;
    feed.filling = true;
    try {
      while (through > feed.head && !feed.isClosed) {
        const from = feed.head;
        const entries = await source.range(feed.tenantId, from, through, fillPageSize);
        const reached = entries.length < fillPageSize ? through : entries[entries.length - 1]!.seq;
        // batches may have advanced the head while the store answered
        if (reached > feed.head && !feed.isClosed) {
          const head = feed.head;
          feed.head = reached;
          feed.router.dispatch(head === from ? entries : entries.filter((e) => e.seq > head));
          drain(feed);
        }
      }
    } finally {
      feed.filling = false;
    }
  }

  /** One pass: fill known gaps; a store head ahead of ours on two passes in a row was lost. */
  async function sync(force = false) {
    for (const [tenantId, feed] of [...feeds.entries()]) {
      if (feed.isClosed) continue;
      try {
        if (feed.pending.size > 0 || feed.target > feed.head) {
          await fill(feed, fillTarget(feed));
          continue;
        }
        const storeHead = await source.head(tenantId);
        if (storeHead > feed.head && (force || feed.lastSeenStoreHead > feed.head)) {
          await fill(feed, force ? storeHead : Math.min(storeHead, feed.lastSeenStoreHead));
        }
        feed.lastSeenStoreHead = storeHead;
      } catch (error) {
        onError(error);
      }
    }
  }

  let syncing = false;
  const syncTimer = setInterval(() => {
    if (syncing) return;
    syncing = true;
    void sync().finally(() => (syncing = false));
  }, syncIntervalMs);
  syncTimer.unref();

  return {
    /**
     * Adds `listener` for `pattern` (a key, or a prefix ending in `*`) in the tenant, until
     * `signal` aborts. Resolves with the feed's head once the listener is live: it receives
     * every entry with a cursor above that head, in order.
     */
    async listen(tenantId: string, pattern: string, listener: Listener<E>, signal: AbortSignal): Promise<number> {
      const feed = await feeds.join(tenantId, signal);
      if (!feed) return 0;
      onAbort(signal, feed.router.add(pattern, listener));
      return feed.head;
    },
    /** Reads the store now for every feed (after the bus reconnects: what it carried meanwhile is lost). */
    resync: () => sync(true),
    /** Feeds held on this instance (one per tenant with a subscriber). */
    get size() {
      return feeds.size;
    },
    close() {
      clearInterval(syncTimer);
      feeds.close();
    },
  };
}

export type DurableFeeds<E extends { seq: number }> = ReturnType<typeof createDurableFeeds<E>>;
