import { Writable } from 'node:stream';
import { fromPinoLevel, toLevel, type Level } from './levels.js';
import { createPublisher, type Fields, type PublisherOptions } from './publisher.js';

export interface PinoTransportOptions extends Omit<PublisherOptions, 'flushOnExit' | 'fetch' | 'onError' | 'token'> {
  /** The channel every line of this logger goes to, e.g. "etl:nightly". */
  channel: string;
  /** A service token (a function cannot cross into pino's worker thread). @default process.env.PULSEBOARD_TOKEN */
  token?: string;
  /** @default process.env.PULSEBOARD_URL, else http://localhost:4000 */
  url?: string;
  /** The key of the message in pino's lines. @default 'msg' */
  messageKey?: string;
  /** Keys left out of the entry's fields. @default ['pid', 'hostname'] */
  omit?: string[];
}

/** One pino line as an entry: numeric or labelled level, `time` as the timestamp, the rest as fields. */
export function pinoLineToEntry(line: Record<string, unknown>, messageKey = 'msg', omit: string[] = ['pid', 'hostname']) {
  const { level, time, [messageKey]: msg, ...rest } = line;
  for (const key of omit) delete rest[key];
  const named: Level = typeof level === 'number' ? fromPinoLevel(level) : (typeof level === 'string' && toLevel(level)) || 'INFO';
  const err = rest.err as { message?: string } | undefined;
  const message = typeof msg === 'string' ? msg : typeof err?.message === 'string' ? err.message : msg === undefined ? '' : JSON.stringify(msg);
  return { level: named, message, fields: Object.keys(rest).length ? (rest as Fields) : undefined, at: typeof time === 'number' || typeof time === 'string' ? time : undefined };
}

/**
 * The pino transport (`pulseboard-client/pino`), run by pino in its worker thread:
 *
 *     pino({ transport: { target: 'pulseboard-client/pino', options: { url, token, channel: 'etl:nightly' } } })
 *
 * Each line becomes an entry (levels mapped: trace…fatal, `time` kept, objects as fields),
 * batched and retried by the kit's publisher; when the logger ends (process exit included),
 * what is buffered is sent before the worker stops — pino waits up to 10 s for it.
 */
export default function pulseboardTransport(options: PinoTransportOptions): Writable {
  const { channel, messageKey = 'msg', omit = ['pid', 'hostname'], ...publisherOptions } = options;
  if (!channel) throw new Error('pulseboard-client/pino: options.channel is required');
  const publisher = createPublisher({
    ...publisherOptions,
    // the worker ends when the logger does: the stream's end is the flush
    flushOnExit: false,
    onError: (error) => process.stderr.write(`pulseboard-client/pino: ${error.message}\n`),
  });
  let partial = '';
  const take = (line: string) => {
    if (!line.trim()) return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      return publisher.log(channel, 'INFO', line);
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return publisher.log(channel, 'INFO', line);
    const entry = pinoLineToEntry(parsed as Record<string, unknown>, messageKey, omit);
    publisher.log(channel, entry.level, entry.message, entry.fields, entry.at);
  };
  const stream = new Writable({
    decodeStrings: false,
    write(chunk: string | Buffer, _encoding, callback) {
      // pino writes whole lines, but the worker hands them over in pieces of any size
      const text = partial + chunk.toString();
      const lines = text.split('\n');
      partial = lines.pop()!;
      for (const line of lines) take(line);
      callback();
    },
    final(callback) {
      take(partial);
      partial = '';
      publisher.close({ timeoutMs: 9_000 }).then(() => callback(), callback);
    },
  });
  // logger.flush(): pino asks the worker's destination, which is this stream
  return Object.assign(stream, { flush: () => publisher.flush() });
}
