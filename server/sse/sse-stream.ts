const encoder = new TextEncoder();

export const SSE_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
  connection: 'keep-alive',
  // nginx and friends must not buffer a stream
  'x-accel-buffering': 'no',
} as const;

/** One open text/event-stream response. */
export class SseStream {
  readonly body: ReadableStream<Uint8Array>;
  private controller!: ReadableStreamDefaultController<Uint8Array>;
  private closed = false;
  private readonly onClose = new Set<() => void>();
  private waiting: (() => void)[] = [];

  /** @param highWaterMark frames queued before `ready()` makes producers wait */
  constructor(highWaterMark = 32) {
    this.body = new ReadableStream<Uint8Array>(
      {
        start: (controller) => {
          this.controller = controller;
        },
        pull: () => this.release(),
        cancel: () => this.close(),
      },
      new CountQueuingStrategy({ highWaterMark }),
    );
    // a comment first, so proxies and browsers see the headers flushed at once
    this.write(':\n\n');
  }

  get isOpen() {
    return !this.closed;
  }

  /**
   * Resolves when the reader has room: producers await it before pulling the next event,
   * so a client that stops reading stops the pulls (and its subscription's bounded buffer
   * fills) instead of growing this queue.
   */
  ready(): Promise<void> {
    if (this.closed || (this.controller.desiredSize ?? 1) > 0) return Promise.resolve();
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release() {
    const waiting = this.waiting;
    this.waiting = [];
    for (const resolve of waiting) resolve();
  }

  /** Writes a whole SSE frame as one chunk. */
  write(frame: string) {
    if (this.closed) return;
    try {
      this.controller.enqueue(encoder.encode(frame));
    } catch {
      this.close();
    }
  }

  next(data: unknown) {
    this.write(`event: next\ndata: ${JSON.stringify(data)}\n\n`);
  }

  complete(data: unknown = null) {
    this.write(data === null ? 'event: complete\ndata:\n\n' : `event: complete\ndata: ${JSON.stringify(data)}\n\n`);
  }

  /** Runs `listener` once, when the stream closes from either side. */
  onClosed(listener: () => void) {
    if (this.closed) listener();
    else this.onClose.add(listener);
  }

  close() {
    if (this.closed) return;
    this.closed = true;
    try {
      this.controller.close();
    } catch {
      // already closed by the reader
    }
    this.release();
    for (const listener of this.onClose) listener();
    this.onClose.clear();
  }
}

/** One timer writing a keep-alive comment to every open stream — not one timer per stream. */
export function createKeepAlive(intervalMs: number) {
  const streams = new Set<SseStream>();
  const timer = setInterval(() => {
    for (const stream of streams) stream.write(':\n\n');
  }, intervalMs);
  timer.unref();
  return {
    add(stream: SseStream) {
      streams.add(stream);
      stream.onClosed(() => streams.delete(stream));
    },
    get size() {
      return streams.size;
    },
    /** Closes every stream without `complete`, so clients reconnect (to another instance). */
    closeAll() {
      for (const stream of streams) stream.close();
    },
    stop() {
      clearInterval(timer);
    },
  };
}
