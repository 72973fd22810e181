import type { Bus, Unsubscribe } from '../bus/index.js';
import { topics, type LogBatch, type LogEntry } from '../bus/topics.js';
import { matchesPattern } from '../domain/logs/channels.js';
import type { Logs } from '../domain/logs/logs.js';

export type LogListener = (entries: LogEntry[]) => void;

interface TenantFeed {
  tenantId: string;
  head: number;
  /** batches that arrived ahead of a missing one, by their prevSeq */
  pending: Map<number, LogBatch>;
  /**
   * Listeners by pattern, so a batch is matched once per pattern, not per listener: exact
   * channels are looked up by the batch's channels (unicast: one lookup, however many
   * channels are watched), wildcard patterns are each tested.
   */
  exact: Map<string, Set<LogListener>>;
  wildcard: Map<string, Set<LogListener>>;
  ready: Promise<void>;
  unsubscribe?: Unsubscribe;
  filling: boolean;
  fillTimer?: NodeJS.Timeout;
  /** the store's head at the previous sync, to tell a message in flight from a lost one */
  lastSeenStoreHead: number;
}

export interface CreateLogFeedsOptions {
  bus: Bus;
  logs: Logs;
  /** How long a gap may wait for the missing message before it is read from the store. @default 100 */
  gapWaitMs?: number;
  /** How often each tenant feed compares its head with the store's (lost last messages). @default 2000 */
  syncIntervalMs?: number;
}

/** A batch's entries by channel, in cursor order; a one-channel batch (the usual) is not copied. */
function byChannel(entries: LogEntry[]): Iterable<[string, LogEntry[]]> {
  const first = entries[0]!.channel;
  if (entries.every((e) => e.channel === first)) return [[first, entries]];
  const groups = new Map<string, LogEntry[]>();
  for (const entry of entries) {
    const group = groups.get(entry.channel);
    if (group) group.push(entry);
    else groups.set(entry.channel, [entry]);
  }
  return groups;
}

/**
 * One ordered feed of log batches per tenant on this instance, shared by every `logs`
 * subscription of that tenant. It delivers cursors in order with no gap: a batch that
 * arrives early waits for the one before it, and a gap that does not close by itself
 * (Redis is at-most-once) is read from the store, which is the truth.
 */
export function createLogFeeds({ bus, logs, gapWaitMs = 100, syncIntervalMs = 2_000 }: CreateLogFeedsOptions) {
  const feeds = new Map<string, TenantFeed>();

  function emit(feed: TenantFeed, entries: LogEntry[]) {
    if (entries.length === 0) return;
    if (feed.exact.size > 0) {
      for (const [channel, matching] of byChannel(entries)) {
        const listeners = feed.exact.get(channel);
        if (listeners) for (const listener of listeners) listener(matching);
      }
    }
    for (const [pattern, listeners] of feed.wildcard) {
      const matching = entries.filter((e) => matchesPattern(e.channel, pattern));
      if (matching.length === 0) continue;
      for (const listener of listeners) listener(matching);
    }
  }

  function drain(feed: TenantFeed) {
    for (;;) {
      const next = feed.pending.get(feed.head);
      if (!next) break;
      feed.pending.delete(feed.head);
      feed.head = next.lastSeq;
      emit(feed, next.entries);
    }
    for (const [prev, batch] of feed.pending) if (batch.lastSeq <= feed.head) feed.pending.delete(prev);
  }

  function onBatch(feed: TenantFeed, batch: LogBatch) {
    if (batch.lastSeq <= feed.head) return;
    if (batch.prevSeq === feed.head) {
      feed.head = batch.lastSeq;
      emit(feed, batch.entries);
      drain(feed);
    } else if (batch.prevSeq > feed.head) {
      feed.pending.set(batch.prevSeq, batch);
      feed.fillTimer ??= setTimeout(() => {
        feed.fillTimer = undefined;
        const through = Math.min(...feed.pending.keys());
        if (through > feed.head) fill(feed, through).catch(() => {});
      }, gapWaitMs);
    }
  }

  /** Reads (head, through] from the store and delivers what is still above the head. */
  async function fill(feed: TenantFeed, through: number): Promise<void> {
    if (feed.filling || through <= feed.head) return;
    feed.filling = true;
    try {
      const entries = await logs.range(feed.tenantId, feed.head, through);
      // batches may have advanced the head while the store answered
      if (through > feed.head) {
        const head = feed.head;
        feed.head = through;
        emit(feed, entries.filter((e) => e.seq > head));
        drain(feed);
      }
    } finally {
      feed.filling = false;
    }
  }

  const syncTimer = setInterval(async () => {
    for (const [tenantId, feed] of feeds) {
      if (feed.pending.size > 0) {
        await fill(feed, Math.min(...feed.pending.keys())).catch(() => {});
        continue;
      }
      const storeHead = await logs.head(tenantId).catch(() => feed.head);
      // behind on two syncs in a row: the message is not in flight, it was lost
      if (storeHead > feed.head && feed.lastSeenStoreHead > feed.head) {
        await fill(feed, Math.min(storeHead, feed.lastSeenStoreHead)).catch(() => {});
      }
      feed.lastSeenStoreHead = storeHead;
    }
  }, syncIntervalMs);
  syncTimer.unref();

  return {
    /**
     * Adds a listener for `pattern` in the tenant. Resolves with the feed's head once the
     * listener is live: it receives every entry with a cursor above that head, in order.
     */
    async listen(tenantId: string, pattern: string, listener: LogListener): Promise<{ head: number; stop: () => void }> {
      let feed = feeds.get(tenantId);
      if (!feed) {
        const created: TenantFeed = { tenantId, head: 0, pending: new Map(), exact: new Map(), wildcard: new Map(), filling: false, lastSeenStoreHead: 0, ready: Promise.resolve() };
        created.ready = (async () => {
          // subscribe first, then read the head: nothing committed after the read is missed
          created.unsubscribe = await bus.subscribe(tenantId, topics.logs(), (batch) => onBatch(created, batch));
          const head = await logs.head(tenantId);
          if (head > created.head) created.head = head;
          created.lastSeenStoreHead = head;
          drain(created);
        })();
        feeds.set(tenantId, created);
        feed = created;
        try {
          await feed.ready;
        } catch (error) {
          feeds.delete(tenantId);
          throw error;
        }
      } else {
        await feed.ready;
      }
      const current = feed;
      const byPattern = pattern.endsWith('*') ? current.wildcard : current.exact;
      let set = byPattern.get(pattern);
      if (!set) byPattern.set(pattern, (set = new Set()));
      set.add(listener);
      return {
        head: current.head,
        stop() {
          set.delete(listener);
          if (set.size === 0 && byPattern.get(pattern) === set) byPattern.delete(pattern);
          if (current.exact.size === 0 && current.wildcard.size === 0 && feeds.get(tenantId) === current) {
            feeds.delete(tenantId);
            clearTimeout(current.fillTimer);
            current.unsubscribe?.();
          }
        },
      };
    },
    get size() {
      return feeds.size;
    },
    close() {
      clearInterval(syncTimer);
      for (const feed of feeds.values()) {
        clearTimeout(feed.fillTimer);
        feed.unsubscribe?.();
      }
      feeds.clear();
    },
  };
}

export type LogFeeds = ReturnType<typeof createLogFeeds>;
