import { Lifetime, type EndSignal } from './lifecycle.js';

const DONE: IteratorReturnResult<undefined> = { done: true, value: undefined };
const noCursor = () => undefined;

export interface EventStreamOptions<T> {
  /** The operation's signal: when it aborts the stream ends and releases what it holds. */
  signal?: EndSignal;
  /** Live items held for a consumer that is not keeping up. @default 1000 */
  bufferLimit?: number;
  /**
   * What happens past `bufferLimit`: `end` stops taking items and ends the stream with
   * `onOverflow`'s item (durable streams: the client resumes from the store by cursor);
   * `drop-oldest` keeps the newest items (latest-wins streams: history is a query away).
   * @default 'end'
   */
  overflow?: 'end' | 'drop-oldest';
  /** The cursor of an item, for the resume cursor an overflow hands out. */
  cursorOf?: (item: T) => number | undefined;
  /** Where delivery starts (the subscriber's `after`, or the feed's head). @default 0 */
  from?: number;
  /** The last item of a stream ended by overflow, given the last cursor delivered. */
  onOverflow?: (lastDelivered: number, bufferLimit: number) => T;
  /** Told once when the stream ends by overflow (metrics). */
  overflowed?: () => void;
}

/**
 * One subscriber's events, as the async iterator a subscribe resolver returns: optional
 * replay pages from the store first, then live items pushed by a feed, through a bounded
 * buffer with a stated overflow policy.
 *
 * Written out rather than as an async generator because it is pulled once per event per
 * subscriber (no generator resume or wrapper per item), and because its lifecycle must not
 * depend on being pulled: a generator returned before its first `next()` never runs its
 * `finally`, and one parked in `await` cannot be returned. Here every resource is bound to
 * `signal`, which aborts with the operation or on `return()`, whichever comes first.
 */
export class EventStream<T> implements AsyncIterableIterator<T> {
  /** Aborts when this stream ends, for any reason: bind each resource's release to it. */
  readonly signal: EndSignal;
  private readonly lifetime: Lifetime;
  private readonly bufferLimit: number;
  private readonly overflow: 'end' | 'drop-oldest';
  private readonly cursorOf: (item: T) => number | undefined;
  private readonly onOverflow: ((lastDelivered: number, bufferLimit: number) => T) | undefined;
  private readonly overflowed: (() => void) | undefined;
  /** pushed, not yet taken by `next()` */
  private live: T[] = [];
  /** the items `next()` is handing out: a replay page, then live batches */
  private page: T[] = [];
  private index = 0;
  private replay: AsyncIterator<T[]> | undefined;
  private last: { value: T } | undefined;
  private wake: (() => void) | undefined;
  private lastDelivered: number;
  // `signal.aborted` validates its receiver on every read (a few % of a broadcast's CPU when
  // read per event per subscriber): the abort listener keeps the answer in a field instead
  private aborted = false;

  constructor({ signal, bufferLimit = 1_000, overflow = 'end', cursorOf = noCursor, from = 0, onOverflow, overflowed }: EventStreamOptions<T> = {}) {
    this.lifetime = new Lifetime(signal, this);
    this.signal = this.lifetime;
    this.bufferLimit = bufferLimit;
    this.overflow = overflow;
    this.cursorOf = cursorOf;
    this.onOverflow = onOverflow;
    this.overflowed = overflowed;
    this.lastDelivered = from;
  }

  /** Its lifetime ended (the operation, `end()`, `return()`): drop what it holds and wake the consumer. */
  lifetimeEnded() {
    this.aborted = true;
    this.live = [];
    this.page = [];
    // eslint-disable-next-line no-restricted-syntax -- closing an aborted stream's store reader: nobody is left to tell, and the read's own failure was reported by the reader
    void this.replay?.return?.().catch(() => {});
    this.replay = undefined;
    this.wakeUp();
  }

  get ended(): boolean {
    return this.aborted;
  }

  /** Where delivery starts when it was not known at construction (a live tail: the feed's head). */
  startFrom(cursor: number) {
    this.lastDelivered = cursor;
  }

  /** Stored items to hand out before any live one (they must all precede the live ones). */
  replayFrom(pages: AsyncIterator<T[]>) {
    // eslint-disable-next-line no-restricted-syntax -- closing an aborted stream's store reader: nobody is left to tell
    if (this.ended) void pages.return?.().catch(() => {});
    else this.replay = pages;
  }

  /** A feed's listener: buffers what this subscriber has not pulled yet, up to the limit. */
  push(items: readonly T[]) {
    if (this.ended || items.length === 0) return;
    // a consumer that has taken everything keeps up, however large the batch (one group commit
    // may carry more than the limit): only what waits from earlier batches counts against it
    const waiting = this.live.length;
    for (const item of items) this.live.push(item);
    if (waiting > 0 && this.live.length > this.bufferLimit) {
      if (this.overflow === 'drop-oldest') {
        this.live.splice(0, this.live.length - this.bufferLimit);
      } else {
        this.overflowed?.();
        return this.end(this.onOverflow?.(this.lastDelivered, this.bufferLimit));
      }
    }
    this.wakeUp();
  }

  /** Ends the stream now: `last` (if any) is the final item, whatever was still buffered is dropped. */
  end(last?: T) {
    if (this.ended) return;
    if (last !== undefined) this.last = { value: last };
    this.lifetime.end();
  }

  /**
   * The next item if one is in hand, else undefined: `next()` without a promise, for a consumer
   * that is woken (`whenReady`) rather than awaiting. Undefined too while a replay is being read
   * (`replaying`): that consumer awaits `next()` until it is over.
   */
  take(): IteratorResult<T> | undefined {
    for (;;) {
      if (this.last) {
        const { value } = this.last;
        this.last = undefined;
        return { done: false, value };
      }
      if (this.ended) return DONE;
      if (this.index < this.page.length) {
        const item = this.page[this.index++]!;
        const cursor = this.cursorOf(item);
        if (cursor !== undefined) this.lastDelivered = cursor;
        return { done: false, value: item };
      }
      if (this.replay || this.live.length === 0) return undefined;
      this.page = this.live;
      this.live = [];
      this.index = 0;
    }
  }

  /** Stored pages are still being handed out: `take()` waits for `next()` to read them. */
  get replaying(): boolean {
    return this.replay !== undefined;
  }

  /**
   * Calls `wake` once, synchronously, when an item arrives or the stream ends — inside the
   * feed's delivery, so a consumer that writes there and then costs no promise per event.
   */
  whenReady(wake: () => void) {
    this.wake = wake;
  }

  async next(): Promise<IteratorResult<T>> {
    for (;;) {
      const taken = this.take();
      if (taken) return taken;
      if (this.replay) {
        const replay = this.replay;
        let page: IteratorResult<T[]>;
        try {
          page = await replay.next();
        } catch (error) {
          this.end();
          throw error;
        }
        if (this.replay !== replay) continue;
        if (page.done) this.replay = undefined;
        this.page = page.done ? [] : page.value;
        this.index = 0;
        continue;
      }
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }

  async return(): Promise<IteratorResult<T>> {
    this.last = undefined;
    this.end();
    return { done: true, value: undefined };
  }

  async throw(error: unknown): Promise<IteratorResult<T>> {
    this.last = undefined;
    this.end();
    throw error;
  }

  [Symbol.asyncIterator]() {
    return this;
  }

  private wakeUp() {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}

/** Pages of `range(after, through, limit)` (stored items in cursor order), filtered. */
export async function* pagesOf<E extends { seq: number }>(
  range: (after: number, through: number, limit: number) => Promise<E[]>,
  after: number,
  through: number,
  accept: (entry: E) => boolean = () => true,
  pageSize = 500,
): AsyncGenerator<E[]> {
  let from = after;
  while (from < through) {
    const rows = await range(from, through, pageSize);
    if (rows.length === 0) return;
    const page = rows.filter(accept);
    if (page.length) yield page;
    from = rows[rows.length - 1]!.seq;
    if (rows.length < pageSize) return;
  }
}
