import { backoff, postGraphQL, RequestError, resolveEndpoint, RetryableError, type Endpoint } from './http.js';
import { toLevel, type Level, type LevelName } from './levels.js';
import { onProcessExit } from './exit.js';
import { Fifo } from './queue.js';

export type Fields = Record<string, unknown>;

export type ServiceState = 'STARTING' | 'RUNNING' | 'IDLE' | 'DEGRADED' | 'FAILED' | 'STOPPED' | (string & {});

/** What `reportStatus` sends (the `ServiceStatusInput` of the schema). */
export interface ServiceStatus {
  /** Stable id, e.g. "balance-sync" */
  key: string;
  state: ServiceState;
  /** How often the service reports; it turns STALE after 3 × this without a report */
  intervalSeconds: number;
  name?: string;
  message?: string;
  queueSize?: number;
  processedCount?: number;
  failedCount?: number;
  details?: Fields;
}

export interface PublisherOptions extends Endpoint {
  /** Entries per `publishLogs` call (the server takes up to LOG_MAX_BATCH, 1,000 by default). @default 500 */
  batchSize?: number;
  /** Bytes of messages and fields per call, under the server's MAX_BODY_BYTES (1 MB by default). @default 512_000 */
  maxBatchBytes?: number;
  /** How long an entry waits for others to share its call. @default 200 */
  flushIntervalMs?: number;
  /**
   * Entries held while the server cannot take them (down, or asking to wait). Past it the oldest
   * waiting entry is dropped and counted (`stats().dropped`); once the server takes entries again
   * the channel gets one WARN entry saying how many it lost. The batches in flight come on top.
   * @default 10_000
   */
  maxBufferedEntries?: number;
  /** Channels sending at once (one call at a time per channel keeps each channel in order). @default 4 */
  concurrency?: number;
  /** Longest wait between two tries of a batch when the server gives no `Retry-After`. @default 30_000 */
  maxRetryDelayMs?: number;
  /** Messages longer than this many bytes are cut (the server refuses more than LOG_MAX_MESSAGE_BYTES). @default 16_384 */
  maxMessageBytes?: number;
  /**
   * Node: send what is buffered when the event loop empties and on SIGINT/SIGTERM (then exit as
   * the signal would have, unless the program handles the signal itself).
   * @default true
   */
  flushOnExit?: boolean;
  /** How long the exit flush may take before the rest is given up. @default 5_000 */
  exitTimeoutMs?: number;
  /** A batch or a status report the server refused for good (bad input, bad credential). @default prints a warning */
  onError?: (error: Error) => void;
}

export interface PublisherStats {
  /** Entries waiting to be sent */
  queued: number;
  /** Entries in calls not yet answered */
  inFlight: number;
  /** Entries the server stored */
  sent: number;
  /** Entries dropped because the buffer was full (oldest first) or the publisher was closed */
  dropped: number;
  /** Entries the server refused for good (each is reported to `onError`) */
  rejected: number;
  /** Calls sent again after a network error, a 429 or a 5xx */
  retries: number;
}

export interface Publisher {
  /**
   * Queues one entry; returns at once. Batched per channel, sent in order. `at` is when it
   * happened (a Date, ISO string or epoch milliseconds); @default now
   */
  log(channel: string, level: LevelName, message: string, fields?: Fields, at?: Date | string | number): void;
  /** Resolves once every entry logged before the call is stored (or dropped/refused). */
  flush(): Promise<void>;
  /** Reports a service's status now (retried like a batch; a newer report for the same key replaces a waiting one). */
  reportStatus(status: ServiceStatus): Promise<void>;
  /**
   * Reports `getStatus()` now and every `intervalSeconds`, so the service never turns STALE
   * while the process runs. Returns a function that stops it.
   */
  heartbeat(intervalSeconds: number, getStatus: () => Omit<ServiceStatus, 'intervalSeconds'> | Promise<Omit<ServiceStatus, 'intervalSeconds'>>): () => void;
  stats(): PublisherStats;
  /** Flushes (waiting at most `timeoutMs`), stops heartbeats and timers; later entries are dropped. */
  close(options?: { timeoutMs?: number }): Promise<void>;
}

interface Entry {
  seq: number;
  level: Level;
  message: string;
  fields?: Fields;
  timestamp: string;
  bytes: number;
}

interface Channel {
  name: string;
  queue: Fifo<Entry>;
  busy: boolean;
  /** entries dropped since the channel last got a call through */
  dropped: number;
  /** lowest seq of the batch in flight */
  inFlightFrom: number;
}

const PUBLISH = /* GraphQL */ `mutation PublishLogs($channel: String!, $entries: [LogEntryInput!]!, $idempotencyKey: String) {
  publishLogs(channel: $channel, entries: $entries, idempotencyKey: $idempotencyKey) { count }
}`;
// servers before idempotency keys: a retry after a lost answer may store a batch twice
const PUBLISH_WITHOUT_KEY = /* GraphQL */ `mutation PublishLogs($channel: String!, $entries: [LogEntryInput!]!) {
  publishLogs(channel: $channel, entries: $entries) { count }
}`;
const REPORT = /* GraphQL */ `mutation ReportServiceStatus($input: ServiceStatusInput!) {
  reportServiceStatus(input: $input) { key }
}`;

const encoder = new TextEncoder();
const randomId = () => globalThis.crypto?.randomUUID?.() ?? `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
const sleep = (ms: number, signal: AbortSignal, keepAlive: () => boolean) =>
  new Promise<void>((resolve) => {
    if (signal.aborted || ms <= 0) return resolve();
    const timer = setTimeout(done, ms);
    // a library's timer never keeps a process alive by itself, except while it flushes on exit
    if (!keepAlive()) (timer as { unref?: () => void }).unref?.();
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });

/** Plain JSON (a copy, so later changes by the caller do not leak in); errors keep name, message and stack. */
function toFields(fields: unknown): Fields | undefined {
  if (fields === undefined || fields === null) return undefined;
  try {
    const json = JSON.stringify(fields, (_key, value) =>
      value instanceof Error ? { ...value, name: value.name, message: value.message, stack: value.stack } : typeof value === 'bigint' ? value.toString() : value,
    );
    const parsed: unknown = json === undefined ? undefined : JSON.parse(json);
    if (parsed === undefined) return undefined;
    return typeof parsed === 'object' && !Array.isArray(parsed) && parsed !== null ? (parsed as Fields) : { value: parsed };
  } catch (error) {
    return { unserializable: String((error as Error)?.message ?? error) };
  }
}

function timestampOf(at: Date | string | number | undefined): string {
  if (at === undefined) return new Date().toISOString();
  const date = at instanceof Date ? at : new Date(at);
  return Number.isNaN(date.getTime()) ? new Date().toISOString() : date.toISOString();
}

function cut(message: string, maxBytes: number): string {
  if (message.length * 3 <= maxBytes) return message;
  const bytes = encoder.encode(message);
  if (bytes.length <= maxBytes) return message;
  const marker = '…[cut]';
  return new TextDecoder().decode(bytes.slice(0, maxBytes - 16)).replace(/\uFFFD$/, '') + marker;
}

/**
 * A publisher for one server and credential. `log()` queues and returns; entries go out per
 * channel in batches (by size, or after `flushIntervalMs`), in order, each batch with an
 * idempotency key so a retry after a lost answer never stores it twice. Network errors, 429s and
 * 5xx are retried with backoff, waiting as long as `Retry-After` / `retryAfterMs` says.
 *
 * @example
 * const pb = createPublisher(); // PULSEBOARD_URL and PULSEBOARD_TOKEN, or { url, token }
 * pb.log('etl:nightly', 'info', 'extract done', { rows: 5000 });
 */
export function createPublisher(given: PublisherOptions = {}): Publisher {
  const options = resolveEndpoint(given);
  const {
    batchSize = 500,
    maxBatchBytes = 512_000,
    flushIntervalMs = 200,
    maxBufferedEntries = 10_000,
    concurrency = 4,
    maxRetryDelayMs = 30_000,
    maxMessageBytes = 16_384,
    flushOnExit = true,
    exitTimeoutMs = 5_000,
    onError = (error: Error) => console.warn(`pulseboard-client: ${error.message}`),
  } = options;
  const endpoint: Endpoint = { url: options.url, token: options.token, fetch: options.fetch };
  // short keys: a batch's key is the publisher's id and the batch's number (plus a letter per split)
  const publisherId = randomId().replace(/-/g, '');
  const channels = new Map<string, Channel>();
  const counts = { queued: 0, inFlight: 0, sent: 0, dropped: 0, rejected: 0, retries: 0 };
  const stopped = new AbortController();
  const heartbeats = new Set<() => void>();
  const flushWaiters: { through: number; resolve: () => void }[] = [];
  const statusQueue = new Map<string, { status: ServiceStatus; waiters: { resolve: () => void; reject: (e: Error) => void }[] }>();
  let statusSending = false;
  let seq = 0;
  let batchSeq = 0;
  let active = 0;
  let pausedUntil = 0;
  let flushThrough = 0;
  let keysAccepted = true;
  let exiting = false;
  let closed = false;
  let wakeTimer: ReturnType<typeof setTimeout> | undefined;
  let wakeAt = Infinity;
  const firstQueuedAt = new Map<string, number>();

  const keepAlive = () => exiting;

  function channelOf(name: string): Channel {
    let channel = channels.get(name);
    if (!channel) {
      channel = { name, queue: new Fifo(), busy: false, dropped: 0, inFlightFrom: Infinity };
      channels.set(name, channel);
    }
    return channel;
  }

  /** Drops the oldest waiting entry of all channels (by seq). */
  function dropOldest() {
    let oldest: Channel | undefined;
    for (const channel of channels.values()) {
      const head = channel.queue.peek();
      if (head && (!oldest || head.seq < oldest.queue.peek()!.seq)) oldest = channel;
    }
    if (!oldest) return;
    oldest.queue.shift();
    oldest.dropped++;
    counts.dropped++;
    counts.queued--;
    if (!oldest.queue.length) firstQueuedAt.delete(oldest.name);
  }

  /** The lowest seq not yet settled (stored, refused or dropped). */
  function lowestUnsettled(): number {
    let lowest = Infinity;
    for (const channel of channels.values()) {
      lowest = Math.min(lowest, channel.inFlightFrom, channel.queue.peek()?.seq ?? Infinity);
    }
    return lowest;
  }

  function settleFlushes() {
    if (!flushWaiters.length) return;
    const lowest = lowestUnsettled();
    for (const waiter of [...flushWaiters]) {
      if (waiter.through < lowest) {
        flushWaiters.splice(flushWaiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  }

  function ready(channel: Channel, now: number): boolean {
    if (channel.busy || !channel.queue.length) return false;
    if (channel.queue.length >= batchSize || channel.queue.peek()!.seq <= flushThrough || exiting) return true;
    return now - (firstQueuedAt.get(channel.name) ?? now) >= flushIntervalMs;
  }

  function schedule(at: number) {
    if (at >= wakeAt || closed) return;
    if (wakeTimer) clearTimeout(wakeTimer);
    wakeAt = at;
    wakeTimer = setTimeout(() => {
      wakeTimer = undefined;
      wakeAt = Infinity;
      pump();
    }, Math.max(0, at - Date.now()));
    if (!exiting) (wakeTimer as { unref?: () => void }).unref?.();
  }

  function pump() {
    if (closed && !exiting) return;
    const now = Date.now();
    if (now < pausedUntil) return schedule(pausedUntil);
    let next = Infinity;
    for (const channel of channels.values()) {
      if (active >= concurrency) break;
      if (ready(channel, now)) void send(channel);
      else if (!channel.busy && channel.queue.length) next = Math.min(next, (firstQueuedAt.get(channel.name) ?? now) + flushIntervalMs);
    }
    if (next < Infinity) schedule(next);
  }

  /** The next batch of a channel, and how many of its entries came from the queue (a drop notice did not). */
  function takeBatch(channel: Channel): { batch: Entry[]; taken: number } {
    const batch: Entry[] = [];
    let bytes = 0;
    if (channel.dropped) {
      // the readers of this channel learn that lines are missing, and how many
      const notice = `pulseboard-client: dropped ${channel.dropped} entries (buffer full while the server could not take them)`;
      batch.push({ seq: channel.queue.peek()!.seq, level: 'WARN', message: notice, fields: { droppedEntries: channel.dropped }, timestamp: new Date().toISOString(), bytes: notice.length });
      channel.dropped = 0;
    }
    const notices = batch.length;
    while (channel.queue.length && batch.length < batchSize) {
      const entry = channel.queue.peek()!;
      if (batch.length && bytes + entry.bytes > maxBatchBytes) break;
      channel.queue.shift();
      batch.push(entry);
      bytes += entry.bytes;
    }
    return { batch, taken: batch.length - notices };
  }

  async function send(channel: Channel) {
    const { batch, taken } = takeBatch(channel);
    counts.queued -= taken;
    // to the back of the line: under a flood every channel gets its turn
    channels.delete(channel.name);
    channels.set(channel.name, channel);
    counts.inFlight += batch.length;
    channel.busy = true;
    channel.inFlightFrom = batch[0]?.seq ?? Infinity;
    if (channel.queue.length) firstQueuedAt.set(channel.name, Date.now());
    else firstQueuedAt.delete(channel.name);
    active++;
    try {
      await deliver(channel.name, batch, `${publisherId}-${++batchSeq}`);
    } finally {
      counts.inFlight -= batch.length;
      active--;
      channel.busy = false;
      channel.inFlightFrom = Infinity;
      // a service may log to many short-lived channels: an idle one holds nothing
      if (!channel.queue.length && !channel.dropped) channels.delete(channel.name);
      settleFlushes();
      pump();
    }
  }

  /** Sends one batch until the server stores it or refuses it for good. */
  async function deliver(channel: string, batch: Entry[], key: string): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      if (stopped.signal.aborted) {
        counts.dropped += batch.length;
        return;
      }
      const wait = pausedUntil - Date.now();
      if (wait > 0) await sleep(wait, stopped.signal, keepAlive);
      const withKey = keysAccepted;
      try {
        const entries = batch.map(({ level, message, fields, timestamp }) => (fields ? { level, message, fields, timestamp } : { level, message, timestamp }));
        await postGraphQL(
          endpoint,
          withKey ? { query: PUBLISH, variables: { channel, entries, idempotencyKey: key } } : { query: PUBLISH_WITHOUT_KEY, variables: { channel, entries } },
          stopped.signal,
        );
        counts.sent += batch.length;
        return;
      } catch (error) {
        if (stopped.signal.aborted) continue;
        if (error instanceof RetryableError) {
          counts.retries++;
          const delay = error.retryAfterMs ?? backoff(attempt, 250, maxRetryDelayMs);
          // a limit is the caller's (the token's), not the batch's: every channel waits
          if (error.retryAfterMs !== undefined) pausedUntil = Math.max(pausedUntil, Date.now() + delay);
          else await sleep(delay, stopped.signal, keepAlive);
          continue;
        }
        if (error instanceof RequestError && withKey && /idempotencyKey/.test(error.message)) {
          // a server without keys (or with rules for them this publisher does not meet): without keys from now on
          keysAccepted = false;
          attempt--;
          continue;
        }
        if (error instanceof RequestError && error.code === 'BAD_USER_INPUT' && batch.length > 1) {
          // find the entry the server refuses: only it is lost
          const half = Math.ceil(batch.length / 2);
          await deliver(channel, batch.slice(0, half), `${key}a`);
          await deliver(channel, batch.slice(half), `${key}b`);
          return;
        }
        counts.rejected += batch.length;
        onError(new Error(`${channel}: ${batch.length} entr${batch.length === 1 ? 'y' : 'ies'} refused: ${(error as Error).message}`, { cause: error }));
        return;
      }
    }
  }

  async function sendStatuses() {
    if (statusSending) return;
    statusSending = true;
    try {
      while (statusQueue.size && !stopped.signal.aborted) {
        const [key, pending] = statusQueue.entries().next().value!;
        statusQueue.delete(key);
        try {
          for (let attempt = 0; ; attempt++) {
            try {
              await postGraphQL(endpoint, { query: REPORT, variables: { input: pending.status } }, stopped.signal);
              break;
            } catch (error) {
              if (!(error instanceof RetryableError) || stopped.signal.aborted) throw error;
              // a newer report for this key is waiting: this one is out of date
              if (statusQueue.has(key)) break;
              await sleep(error.retryAfterMs ?? backoff(attempt, 250, maxRetryDelayMs), stopped.signal, keepAlive);
            }
          }
          for (const waiter of pending.waiters) waiter.resolve();
        } catch (error) {
          for (const waiter of pending.waiters) waiter.reject(error as Error);
        }
      }
    } finally {
      statusSending = false;
    }
  }

  const flush = (): Promise<void> => {
    const through = seq;
    if (lowestUnsettled() > through) return Promise.resolve();
    flushThrough = Math.max(flushThrough, through);
    const done = new Promise<void>((resolve) => flushWaiters.push({ through, resolve }));
    pump();
    return done;
  };

  const close = async ({ timeoutMs = exitTimeoutMs }: { timeoutMs?: number } = {}) => {
    if (closed) return;
    for (const stop of heartbeats) stop();
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([flush(), new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
    clearTimeout(timer);
    closed = true;
    stopped.abort();
    if (wakeTimer) clearTimeout(wakeTimer);
    // what could not be sent in time is lost: count it
    for (const channel of channels.values()) {
      counts.dropped += channel.queue.length;
      counts.queued -= channel.queue.length;
      while (channel.queue.shift());
    }
    for (const waiter of flushWaiters.splice(0)) waiter.resolve();
    detachExit?.();
  };

  const detachExit = flushOnExit
    ? onProcessExit({
        beforeExit: () => {
          if (closed || (counts.queued === 0 && counts.inFlight === 0)) return;
          exiting = true; // timers now hold the process until the flush ends
          return close();
        },
        signal: () => close(),
        exit: () => {
          const left = counts.queued + counts.inFlight;
          if (left && !closed) process.stderr?.write?.(`pulseboard-client: ${left} log entries not sent (the process exited before they could be)\n`);
        },
      })
    : undefined;

  return {
    log(channel, level, message, fields, at) {
      if (closed) {
        counts.dropped++;
        return;
      }
      const text = cut(typeof message === 'string' ? message : String(message), maxMessageBytes);
      const known = toLevel(String(level));
      const copy = toFields(known ? fields : { ...fields, level });
      const entry: Entry = {
        seq: ++seq,
        level: known ?? 'INFO',
        message: text,
        ...(copy ? { fields: copy } : {}),
        timestamp: timestampOf(at),
        bytes: text.length + (copy ? JSON.stringify(copy).length : 0) + 64,
      };
      const target = channelOf(channel);
      if (!target.queue.length) firstQueuedAt.set(channel, Date.now());
      target.queue.push(entry);
      counts.queued++;
      while (counts.queued > maxBufferedEntries) dropOldest();
      if (target.queue.length >= batchSize) pump();
      else if (!target.busy) schedule(Math.max(pausedUntil, (firstQueuedAt.get(channel) ?? Date.now()) + flushIntervalMs));
    },
    flush,
    reportStatus(status) {
      if (closed) return Promise.reject(new Error('pulseboard-client: the publisher is closed'));
      return new Promise<void>((resolve, reject) => {
        const pending = statusQueue.get(status.key);
        // a report not yet sent is replaced by the newer one: the server wants the latest
        if (pending) {
          pending.status = status;
          pending.waiters.push({ resolve, reject });
        } else statusQueue.set(status.key, { status, waiters: [{ resolve, reject }] });
        void sendStatuses();
      });
    },
    heartbeat(intervalSeconds, getStatus) {
      let running = false;
      const beat = async () => {
        if (running) return; // the last report is still being retried: it carries the news
        running = true;
        try {
          await this.reportStatus({ ...(await getStatus()), intervalSeconds });
        } catch (error) {
          if (!closed) onError(error as Error);
        } finally {
          running = false;
        }
      };
      void beat();
      const timer = setInterval(() => void beat(), intervalSeconds * 1000);
      (timer as { unref?: () => void }).unref?.();
      const stop = () => {
        clearInterval(timer);
        heartbeats.delete(stop);
      };
      heartbeats.add(stop);
      return stop;
    },
    stats: () => ({ ...counts }),
    close,
  };
}
