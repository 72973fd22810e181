import { onAbort, type EndSignal } from './lifecycle.js';

/** A per-tenant feed shared by every subscriber of that tenant on this instance. */
export interface SharedFeed {
  /** Settles once the feed is live (subscribed to the bus, head read). */
  readonly ready: Promise<void>;
  /** Releases what the feed holds (its bus subscription, timers). */
  close(): void;
}

/**
 * Reference-counted per-tenant feeds. A reference is taken synchronously, before the first
 * `await`, and released by the operation's signal, so a subscriber joining while the last
 * one leaves keeps the feed alive instead of joining one that has just unsubscribed from the
 * bus (an open subscription that is silently dead).
 */
export class SharedFeeds<F extends SharedFeed> {
  private readonly feeds = new Map<string, { feed: F; refs: number }>();

  constructor(private readonly open: (tenantId: string) => F) {}

  get size(): number {
    return this.feeds.size;
  }

  /**
   * Holds `tenantId`'s feed until `signal` aborts. Resolves with the feed once it is ready,
   * or with undefined when the signal aborted first (nothing is held then); rejects, holding
   * nothing, when the feed could not start (the next join tries afresh).
   */
  async join(tenantId: string, signal: EndSignal): Promise<F | undefined> {
    let entry = this.feeds.get(tenantId);
    if (!entry) {
      entry = { feed: this.open(tenantId), refs: 0 };
      this.feeds.set(tenantId, entry);
      const created = entry;
      created.feed.ready.catch(() => this.drop(tenantId, created));
    }
    entry.refs++;
    const held = entry;
    const hold = { released: false };
    // (an unnamed arrow: an open stream holds one small closure here)
    const unhook = onAbort(signal, () => this.leave(tenantId, held, hold));
    try {
      await held.feed.ready;
    } catch (error) {
      unhook();
      this.leave(tenantId, held, hold);
      throw error;
    }
    return hold.released ? undefined : held.feed;
  }

  private leave(tenantId: string, held: { feed: F; refs: number }, hold: { released: boolean }) {
    if (hold.released) return;
    hold.released = true;
    if (--held.refs === 0) this.drop(tenantId, held);
  }

  /** The tenant's feed if this instance holds one (nothing is joined). */
  peek(tenantId: string): F | undefined {
    return this.feeds.get(tenantId)?.feed;
  }

  /** Every live feed (for periodic work such as resyncing against the store). */
  *entries(): IterableIterator<[string, F]> {
    for (const [tenantId, { feed }] of this.feeds) yield [tenantId, feed];
  }

  close() {
    for (const { feed } of this.feeds.values()) feed.close();
    this.feeds.clear();
  }

  private drop(tenantId: string, entry: { feed: F }) {
    if (this.feeds.get(tenantId) === entry) this.feeds.delete(tenantId);
    entry.feed.close();
  }
}
