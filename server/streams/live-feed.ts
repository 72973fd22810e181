import type { Unsubscribe } from '../bus/index.js';
import { FeedRouter, type Listener } from './feed-router.js';
import { onAbort, type EndSignal } from './lifecycle.js';
import { SharedFeeds, type SharedFeed } from './shared-feeds.js';

export interface LiveSource<E> {
  /** Subscribes to the tenant's events; resolves once active. */
  subscribe(tenantId: string, onEvent: (event: E) => void): Promise<Unsubscribe>;
  /** The key listeners match with a key or a prefix pattern (`*`: every event). */
  keyOf(event: E): string;
}

class LiveFeed<E> implements SharedFeed {
  readonly router: FeedRouter<E>;
  readonly ready: Promise<void>;
  private unsubscribe: Unsubscribe | undefined;
  private closed = false;

  constructor(tenantId: string, source: LiveSource<E>) {
    this.router = new FeedRouter(source.keyOf);
    this.ready = source.subscribe(tenantId, (event) => this.router.dispatch([event])).then((off) => {
      if (this.closed) off();
      else this.unsubscribe = off;
    });
  }

  close() {
    if (this.closed) return;
    this.closed = true;
    this.unsubscribe?.();
  }
}

/**
 * Latest-wins events (nothing to resume: history is a query away) through one bus
 * subscription per tenant on this instance, shared by every subscriber of that tenant.
 */
export function createLiveFeeds<E>(source: LiveSource<E>) {
  const feeds = new SharedFeeds((tenantId) => new LiveFeed(tenantId, source));
  return {
    /** Adds `listener` for `pattern` in the tenant until `signal` aborts; resolves once live. */
    async listen(tenantId: string, pattern: string, listener: Listener<E>, signal: EndSignal): Promise<void> {
      const feed = await feeds.join(tenantId, signal);
      if (feed) onAbort(signal, feed.router.add(pattern, listener));
    },
    get size() {
      return feeds.size;
    },
    close: () => feeds.close(),
  };
}

export type LiveFeeds<E> = ReturnType<typeof createLiveFeeds<E>>;
