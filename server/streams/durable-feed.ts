import type { Unsubscribe } from '../bus/index.js';
import { FeedRouter, type Listener } from './feed-router.js';
import { onAbort, type EndSignal } from './lifecycle.js';
import { SharedFeeds, type SharedFeed } from './shared-feeds.js';

/** Committed entries as the bus carries them: `prevSeq` is the cursor just before `entries[0]`. */
export interface FeedBatch<E> {
  prevSeq: number;
  lastSeq: number;
  entries: E[];
}

/**
 * Where a durable feed reads: the bus for what is new, the store for the truth. A feed covers
 * a tenant's whole stream (scope '') or one part of it (logs: one channel, scope = the
 * channel); `prevSeq` and `head` are within that scope, so a scoped feed tells a lost message
 * from a quiet scope without seeing the rest of the tenant's traffic.
 */
export interface DurableSource<E extends { seq: number }> {
  /** Subscribes to the scope's committed batches; resolves once active. */
  subscribe(tenantId: string, scope: string, onBatch: (batch: FeedBatch<E>) => void): Promise<Unsubscribe>;
  /** The last cursor handed out in the scope. */
  head(tenantId: string, scope: string): Promise<number>;
  /** The heads of several scopes of one tenant in one read (periodic sync); absent: `head` each. */
  heads?(tenantId: string, scopes: string[]): Promise<Map<string, number>>;
  /** Stored entries of the scope with after < seq <= through, in cursor order, at most `limit`. */
  range(tenantId: string, scope: string, after: number, through: number, limit: number): Promise<E[]>;
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
  /** The scope whose feed serves a listener's pattern. @default every pattern: '' (the whole tenant) */
  scopeOf?: (pattern: string) => string;
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
    readonly scope: string,
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
    const off = await this.feeds.source.subscribe(this.tenantId, this.scope, (batch) => this.feeds.onBatch(this, batch));
    if (this.closed) return off();
    this.unsubscribe = off;
    const head = await this.feeds.source.head(this.tenantId, this.scope);
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
  scopeOf = () => '',
}: CreateDurableFeedsOptions<E>) {
  const internals: DurableFeedsInternals<E> = { source, onBatch, drain };
  // keyed by tenant, or by tenant and scope (a space is in neither a tenant id nor a scope)
  const feeds = new SharedFeeds((key) => {
    const space = key.indexOf(' ');
    return space < 0 ? new DurableFeed<E>(key, '', internals) : new DurableFeed<E>(key.slice(0, space), key.slice(space + 1), internals);
  });

  function drain(feed: DurableFeed<E>) {
    while (feed.pending.size > 0) {
      const next = feed.pending.get(feed.head) ?? straddling(feed);
      if (!next) break;
      feed.pending.delete(next.prevSeq);
      advance(feed, next);
    }
    for (const [prev, batch] of feed.pending) if (batch.lastSeq <= feed.head) feed.pending.delete(prev);
  }

  /** A held batch that begins at or below the head and ends above it (the head moved mid-batch by a fill). */
  function straddling(feed: DurableFeed<E>): FeedBatch<E> | undefined {
    for (const batch of feed.pending.values()) if (batch.prevSeq < feed.head && batch.lastSeq > feed.head) return batch;
    return undefined;
  }

  /** Moves the head to the end of `batch` (which starts at or below it), delivering what lies above the old head. */
  function advance(feed: DurableFeed<E>, batch: FeedBatch<E>) {
    const head = feed.head;
    feed.head = batch.lastSeq;
    feed.router.dispatch((batch.entries[0]?.seq ?? Infinity) > head ? batch.entries : batch.entries.filter((e) => e.seq > head));
  }

  function onBatch(feed: DurableFeed<E>, batch: FeedBatch<E>) {
    if (feed.isClosed || batch.lastSeq <= feed.head) return;
    if (batch.lastSeq > feed.target) feed.target = batch.lastSeq;
    // prevSeq below the head: nothing of the scope lies between them, so the entries above
    // the head are the next ones (a scoped feed starts at the store's head, not at a batch)
    if (batch.prevSeq <= feed.head) {
      advance(feed, batch);
      drain(feed);
      return;
    }
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
        const entries = await source.range(feed.tenantId, feed.scope, from, through, fillPageSize);
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
    const byTenant = new Map<string, DurableFeed<E>[]>();
    for (const [, feed] of feeds.entries()) {
      if (feed.isClosed) continue;
      const list = byTenant.get(feed.tenantId);
      if (list) list.push(feed);
      else byTenant.set(feed.tenantId, [feed]);
    }
    for (const [tenantId, list] of byTenant) {
      try {
        const quiet: DurableFeed<E>[] = [];
        for (const feed of list) {
          if (feed.pending.size > 0 || feed.target > feed.head) await fill(feed, fillTarget(feed));
          else quiet.push(feed);
        }
        if (quiet.length === 0) continue;
        // one read for every scope of the tenant held here (an instance may watch many channels)
        const heads = source.heads && quiet.length > 1 ? await source.heads(tenantId, quiet.map((f) => f.scope)) : undefined;
        for (const feed of quiet) {
          const storeHead = heads ? (heads.get(feed.scope) ?? 0) : await source.head(tenantId, feed.scope);
          if (storeHead > feed.head && (force || feed.lastSeenStoreHead > feed.head)) {
            await fill(feed, force ? storeHead : Math.min(storeHead, feed.lastSeenStoreHead));
          }
          feed.lastSeenStoreHead = storeHead;
        }
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
    async listen(tenantId: string, pattern: string, listener: Listener<E>, signal: EndSignal): Promise<number> {
      const scope = scopeOf(pattern);
      const feed = await feeds.join(scope ? `${tenantId} ${scope}` : tenantId, signal);
      if (!feed) return 0;
      onAbort(signal, feed.router.add(pattern, listener));
      return feed.head;
    },
    /** Reads the store now for every feed (after the bus reconnects: what it carried meanwhile is lost). */
    resync: () => sync(true),
    /** Feeds held on this instance (one per tenant, or per tenant and scope, with a subscriber). */
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
