import { closable } from './closable.js';
import { badInput } from '../domain/shared/errors.js';

export interface DurableStreamOptions<E extends { seq: number }> {
  /** Subscribes to the tenant's live events of this stream; resolves once active. */
  listen: (onEvent: (event: E) => void) => Promise<() => void>;
  /** The last cursor handed out. */
  head: () => Promise<number>;
  /** Stored events with after < seq <= through, in order. */
  range: (after: number, through: number) => Promise<E[]>;
  after?: number;
  /** Which events this subscriber wants (applied after ordering, so gaps stay visible). */
  filter?: (event: E) => boolean;
  /** How long a gap may wait for the missing event before it is read from the store. @default 100 */
  gapWaitMs?: number;
}

/**
 * A durable stream read by one subscriber: stored events after `after`, then live ones,
 * each once and in cursor order. Cursors are contiguous per tenant and stream, so a live
 * event beyond the next expected one reveals a gap, which the store fills.
 */
export async function openDurableStream<E extends { seq: number }>({
  listen,
  head,
  range,
  after,
  filter = () => true,
  gapWaitMs = 100,
}: DurableStreamOptions<E>): Promise<AsyncGenerator<E>> {
  const incoming = new Map<number, E>();
  let wake: (() => void) | undefined;
  let closed = false;
  const stop = await listen((event) => {
    incoming.set(event.seq, event);
    wake?.();
  });
  let delivered: number;
  let replay: E[];
  try {
    const h = await head();
    if (after !== undefined && after > h) throw badInput(`Cursor ${after} is ahead of this stream (latest is ${h})`, 'after');
    delivered = after ?? h;
    replay = after !== undefined ? await range(after, h) : [];
  } catch (error) {
    stop();
    throw error;
  }

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => (clearTimeout(timer), resolve());
    });

  async function* events(): AsyncGenerator<E> {
    try {
      for (const event of replay) {
        delivered = event.seq;
        if (filter(event)) yield event;
      }
      for (;;) {
        if (closed) return;
        for (const seq of incoming.keys()) if (seq <= delivered) incoming.delete(seq);
        const next = incoming.get(delivered + 1);
        if (next) {
          incoming.delete(next.seq);
          delivered = next.seq;
          if (filter(next)) yield next;
          continue;
        }
        if (incoming.size === 0) {
          await new Promise<void>((resolve) => (wake = resolve));
          continue;
        }
        // a later event arrived first: give the missing one a moment, then read the store
        await sleep(gapWaitMs);
        if (incoming.has(delivered + 1) || closed) continue;
        const through = Math.max(...incoming.keys());
        for (const event of await range(delivered, through)) {
          if (event.seq <= delivered) continue;
          incoming.delete(event.seq);
          delivered = event.seq;
          if (filter(event)) yield event;
        }
      }
    } finally {
      stop();
    }
  }
  return closable(events(), () => {
    closed = true;
    wake?.();
  });
}
