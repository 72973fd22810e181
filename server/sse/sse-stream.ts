import type { ServerResponse } from 'node:http';
import { Readable } from 'node:stream';

type Sink = NodeJS.WritableStream;

export const SSE_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
  connection: 'keep-alive',
  // nginx and friends must not buffer a stream
  'x-accel-buffering': 'no',
} as const;

const KEEP_ALIVE = Buffer.from(':\n\n');

/**
 * A Readable the server adapter pipes into the socket's response. When it does, frames are
 * written to the response directly (`attach`): no Readable buffering, `'data'` event or
 * read-more tick per frame per subscriber. Piped anywhere else, it is a plain Readable.
 */
class SseBody extends Readable {
  constructor(
    highWaterMark: number,
    private readonly attach: (sink: Sink) => boolean,
    onDestroy: () => void,
    onRead: () => void,
  ) {
    super({
      highWaterMark,
      read: onRead,
      destroy: (error, callback) => {
        onDestroy();
        callback(error);
      },
    });
  }

  override pipe<T extends NodeJS.WritableStream>(destination: T, options?: { end?: boolean }): T {
    if (this.attach(destination)) return destination;
    return super.pipe(destination, options);
  }
}

/** A sink an SseStream writes to, and which finds it for the shared listeners below. */
type SinkOf = Sink & { sseStream?: SseStream };

function drainedStreamOf(this: SinkOf) {
  this.sseStream?.drained();
}

function closeStreamOf(this: SinkOf) {
  this.sseStream?.close();
}

/** One open text/event-stream response. */
export class SseStream {
  private readable: SseBody | undefined;
  private sink: Sink | undefined;
  /** the sink's last write was refused: wait for 'drain' */
  private full = false;
  private closed = false;
  /** run once when the stream closes (an array: a stream has two or three) */
  private onClose: (() => void)[] = [];
  private waiting: (() => void)[] = [];

  /**
   * @param highWaterMark bytes queued (the client not reading) before `ready()` makes producers wait
   * @param response a Node response to write to directly (its head is written here); without
   *   one, the stream is a `body` for a fetch `Response`
   */
  constructor(
    private readonly highWaterMark = 64 * 1024,
    response?: ServerResponse,
  ) {
    if (response) {
      response.writeHead(200, SSE_HEADERS);
      // Node keeps the head it wrote (`_header`) for the response's life as a rope of a piece
      // per header line (~27 small strings, ~0.9 KB per open stream); converting it to a number
      // (NaN, discarded) makes V8 flatten it into one string
      Number((response as { _header?: unknown })._header);
      this.attach(response);
      // the client hung up (or the response ended): the stream is over
      response.once('close', closeStreamOf);
    }
    // a comment first, so proxies and browsers see the headers flushed at once
    this.write(KEEP_ALIVE);
  }

  /** What a fetch `Response` carries: the frames, as a Readable the server adapter pipes out. */
  get body(): Readable {
    return (this.readable ??= new SseBody(this.highWaterMark, (sink) => this.attach(sink), () => this.close(), () => this.release()));
  }

  get isOpen() {
    return !this.closed;
  }

  private attach(sink: Sink): boolean {
    if (this.sink) return false;
    this.sink = sink;
    for (let chunk; (chunk = this.readable?.read()) != null; ) this.full = !sink.write(chunk);
    // listeners shared by every stream, which find theirs on the sink: an open stream holds no
    // closure of its own for them
    (sink as SinkOf).sseStream = this;
    sink.on('drain', drainedStreamOf);
    if (this.closed) sink.end();
    return true;
  }

  /**
   * Undefined when the client has room, else a promise of when it has: producers wait on it
   * before pulling the next event, so a client that stops reading stops the pulls (and its
   * subscription's bounded buffer fills) instead of growing a queue here.
   */
  ready(): Promise<void> | undefined {
    if (this.closed) return undefined;
    if (this.sink ? !this.full : this.body.readableLength < this.highWaterMark) return undefined;
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release() {
    if (this.waiting.length === 0) return;
    const waiting = this.waiting;
    this.waiting = [];
    for (const resolve of waiting) resolve();
  }

  /** Writes whole SSE frames as one chunk; the same Buffer may go to many streams. */
  write(frame: Buffer | string) {
    if (this.closed) return;
    if (this.sink) {
      if (!this.sink.write(frame)) this.full = true;
    } else {
      this.body.push(frame);
    }
  }

  /** Runs `listener` once, when the stream closes from either side. */
  onClosed(listener: () => void) {
    if (this.closed) listener();
    else this.onClose.push(listener);
  }

  /** The sink drained: producers waiting for room go on. */
  drained() {
    this.full = false;
    this.release();
  }

  close() {
    if (this.closed) return;
    this.closed = true;
    if (this.sink) this.sink.end();
    else if (this.readable && !this.readable.destroyed) this.readable.push(null);
    this.release();
    const listeners = this.onClose;
    this.onClose = [];
    for (const listener of listeners) listener();
  }
}

/** `event: next` with `data` as JSON. */
export function nextFrame(data: unknown): Buffer {
  return nextFrameOfJson(JSON.stringify(data));
}

/**
 * `event: next` around an already serialized payload (serialized once, framed once). A
 * durable stream's frame carries its cursor as the SSE `id:`, so a reconnecting EventSource
 * (or any reader) sends it back as `Last-Event-ID` and resumes right after it.
 */
export function nextFrameOfJson(json: string, id?: string): Buffer {
  return Buffer.from(id === undefined ? `event: next\ndata: ${json}\n\n` : `id: ${id}\nevent: next\ndata: ${json}\n\n`);
}

export function completeFrame(data: unknown = null): Buffer {
  return Buffer.from(data === null ? 'event: complete\ndata:\n\n' : `event: complete\ndata: ${JSON.stringify(data)}\n\n`);
}

/** The error a stream ended by a server drain carries, so a client can tell it from a normal end. */
export function shutdownPayload(retryAfterMs: number) {
  return {
    errors: [
      {
        message: 'The server is shutting down: reconnect (another instance will answer) and resume from your last cursor',
        extensions: { code: 'SHUTTING_DOWN', retryAfterMs },
      },
    ],
  };
}

/**
 * The last frame of a drained stream: `retry:` sets how soon an EventSource reconnects,
 * and the event names SHUTTING_DOWN. No `complete` follows, so standard clients reconnect.
 */
export function shutdownFrame(retryAfterMs: number, payload: unknown = shutdownPayload(retryAfterMs)): Buffer {
  return Buffer.from(`retry: ${retryAfterMs}\nevent: next\ndata: ${JSON.stringify(payload)}\n\n`);
}

/**
 * Every open stream of the server: one timer writes a keep-alive comment to all of them (not
 * one timer per stream), and a drain ends each with its own last frames.
 */
export function createOpenStreams(keepAliveMs: number) {
  const streams = new Map<SseStream, () => Buffer[]>();
  const timer = setInterval(() => {
    for (const stream of streams.keys()) stream.write(KEEP_ALIVE);
  }, keepAliveMs);
  timer.unref();
  return {
    /** Tracks `stream` until it closes; `lastFrames` are what it is sent when the server drains. */
    add(stream: SseStream, lastFrames: () => Buffer[] = () => []) {
      streams.set(stream, lastFrames);
      stream.onClosed(() => streams.delete(stream));
    },
    get size() {
      return streams.size;
    },
    /**
     * Sends each stream its last frames and closes it `closeAfterMs` later without `complete`,
     * so clients reconnect elsewhere. The pause matters: graphql-sse's client reconnects only
     * if a stream ends while it is waiting for the next event, and it is not waiting while it
     * handles the last one — an end arriving with that event would leave it hanging.
     */
    async drain(closeAfterMs = 100) {
      const draining = [...streams];
      for (const [stream, lastFrames] of draining) for (const frame of lastFrames()) stream.write(frame);
      if (draining.length) await new Promise((resolve) => setTimeout(resolve, closeAfterMs));
      for (const [stream] of draining) stream.close();
    },
    stop() {
      clearInterval(timer);
    },
  };
}
