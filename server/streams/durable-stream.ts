import { DomainError, badInput } from '../domain/shared/errors.js';
import { toCursor } from '../domain/shared/cursor.js';
import type { DurableFeeds } from './durable-feed.js';
import { EventStream } from './event-stream.js';

export interface FollowDurableOptions<E extends { seq: number }> {
  feeds: DurableFeeds<E>;
  tenantId: string;
  /** a key, or a prefix pattern ending in `*` (`*`: every entry of the tenant) */
  pattern: string;
  /** resume after this cursor: what is stored comes first, then live entries */
  after?: number;
  /** which entries this subscriber gets (live ones; `replay` filters stored ones itself) */
  accept?: (entry: E) => boolean;
  /** stored entries with after < seq <= through, as pages in cursor order, already filtered */
  replay: (after: number, through: number) => AsyncIterator<E[]>;
  /** refuses an `after` the store cannot resume from (CURSOR_EXPIRED), given the head */
  checkResume?: (after: number, head: number) => Promise<void>;
  /**
   * The tenant's last cursor, when the feed covers only part of it (one log channel): a
   * cursor above that part's head may still be one the tenant handed out.
   */
  latest?: () => Promise<number>;
}

const identity = <T>(value: T) => value;

/**
 * Wires a durable feed into `stream`: listening starts before the store is read, at the
 * feed's head H; the replay covers (after, H] and the feed everything above H — each entry
 * once, in cursor order. The listener is released with the stream, whatever ends it.
 */
export async function followDurable<E extends { seq: number }, T>(
  stream: EventStream<T>,
  { feeds, tenantId, pattern, after, accept, replay, checkResume, latest }: FollowDurableOptions<E>,
  map: (entry: E) => T = identity as (entry: E) => T,
): Promise<void> {
  const deliver = accept
    ? (entries: E[]) => {
        const wanted = entries.filter(accept);
        if (wanted.length) stream.push(wanted.map(map));
      }
    : (entries: E[]) => stream.push(entries.map(map));
  // live entries come above the feed's head; a resume cursor above that head (a scoped feed:
  // the cursor came from another part of the tenant's stream) must not see them twice
  const listener =
    after === undefined
      ? deliver
      : (entries: E[]) => {
          if (entries[entries.length - 1]!.seq <= after) return;
          deliver(entries[0]!.seq > after ? entries : entries.filter((e) => e.seq > after));
        };
  const head = await feeds.listen(tenantId, pattern, listener, stream.signal);
  if (stream.ended) return;
  if (after === undefined) return stream.startFrom(head);
  try {
    const known = after > head && latest ? Math.max(head, await latest()) : head;
    if (after > known) throw badInput(`Cursor ${after} is ahead of this stream (latest is ${known})`, 'after');
    await checkResume?.(after, known);
  } catch (error) {
    stream.end();
    throw error;
  }
  const pages = replay(after, head);
  stream.replayFrom(map === identity ? (pages as AsyncIterator<unknown[]> as AsyncIterator<T[]>) : mapPages(pages, map));
}

async function* mapPages<E, T>(pages: AsyncIterator<E[]>, map: (entry: E) => T): AsyncGenerator<T[]> {
  try {
    for (let page = await pages.next(); !page.done; page = await pages.next()) yield page.value.map(map);
  } finally {
    await pages.return?.();
  }
}

export interface OpenDurableStreamOptions<E extends { seq: number }> extends FollowDurableOptions<E> {
  /** the operation's signal */
  signal: AbortSignal;
  /** live entries held for a consumer that is not keeping up. @default 1000 */
  bufferLimit?: number;
  /** called once when the consumer falls behind past the buffer (metrics) */
  onOverflow?: () => void;
}

/**
 * A durable subscription: stored entries after `after`, then live ones, each exactly once
 * and in cursor order. A consumer more than `bufferLimit` entries behind gets SLOW_CONSUMER
 * carrying the cursor to resume after, as its last event.
 */
export async function openDurableStream<E extends { seq: number }>(options: OpenDurableStreamOptions<E>): Promise<EventStream<E | DomainError>> {
  const stream = durableEventStream<E>(options);
  await followDurable(stream, options);
  return stream;
}

/** The bounded per-subscriber buffer of a durable stream, ending with SLOW_CONSUMER on overflow. */
export function durableEventStream<E extends { seq: number }, T = E>({
  signal,
  after,
  bufferLimit = 1_000,
  onOverflow,
}: Pick<OpenDurableStreamOptions<E>, 'signal' | 'after' | 'bufferLimit' | 'onOverflow'>): EventStream<T | DomainError> {
  return new EventStream<T | DomainError>({
    signal,
    bufferLimit,
    from: after ?? 0,
    cursorOf: cursorOfDurable,
    onOverflow: slowConsumer,
    overflowed: onOverflow,
  });
}

/** A durable item's cursor (a module function: an open stream holds no closure for it). */
function cursorOfDurable(item: unknown): number | undefined {
  return item instanceof DomainError ? undefined : ((item as { seq?: number | null }).seq ?? undefined);
}

/** A durable stream's last item past its buffer: SLOW_CONSUMER with the cursor to resume after. */
function slowConsumer(lastDelivered: number, bufferLimit: number): DomainError {
  return new DomainError('SLOW_CONSUMER', `Fell more than ${bufferLimit} events behind: resume with after: "${toCursor(lastDelivered)}"`, {
    resumeAfter: toCursor(lastDelivered),
  });
}
