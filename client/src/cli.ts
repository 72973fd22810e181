import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { postGraphQL, RequestError, RetryableError } from './http.js';
import { fromPinoLevel, LEVELS, toLevel, type Level } from './levels.js';
import { createPublisher, type Fields } from './publisher.js';
import { createSubscriber, type LogEntry } from './subscribe.js';

const HELP = `pulseboard — publish to and read from a Pulseboard server

  pulseboard publish <channel> [--level info]    one entry per stdin line; JSON lines become
                                                 entries (level, msg|message, time|timestamp) and fields
  pulseboard tail <channel|pattern> [--after <cursor>] [--min-level warn] [--json] [--no-color]
                                                 live entries (after <cursor> first: 0 = all kept),
                                                 each once and in order across reconnects and restarts
  pulseboard status <key> <state> [message] [--interval 3600] [--name n] [--queue n] [--processed n] [--failed n]
                                                 report a service's status (from a cron job: --interval
                                                 is its period; the service turns STALE after 3 missed)

Environment: PULSEBOARD_URL (default http://localhost:4000), PULSEBOARD_TOKEN (a service token
or an access token; required). Exit status 0 when everything was delivered, 1 otherwise.`;

const COLOURS: Record<Level, string> = { TRACE: '90', DEBUG: '36', INFO: '32', WARN: '33', ERROR: '31', FATAL: '1;31' };

interface Io {
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream;
  env: Record<string, string | undefined>;
}

function endpoint(env: Io['env']) {
  const token = env.PULSEBOARD_TOKEN;
  if (!token) throw new UsageError('PULSEBOARD_TOKEN is not set: a service token (createServiceToken) or an access token');
  return { url: env.PULSEBOARD_URL || 'http://localhost:4000', token };
}

class UsageError extends Error {}

/** One stdin line as an entry: JSON objects (pino, bunyan, your own) keep their fields. */
export function lineToEntry(line: string, defaultLevel: Level): { level: Level; message: string; fields?: Fields; at?: string | number } {
  const trimmed = line.trim();
  if (trimmed.startsWith('{')) {
    try {
      const parsed = JSON.parse(trimmed) as Record<string, unknown>;
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
        const { level, msg, message, time, timestamp, ...fields } = parsed;
        const named = typeof level === 'number' ? fromPinoLevel(level) : typeof level === 'string' ? toLevel(level) : undefined;
        const text = typeof msg === 'string' ? msg : typeof message === 'string' ? message : '';
        const at = typeof time === 'number' || typeof time === 'string' ? time : typeof timestamp === 'number' || typeof timestamp === 'string' ? timestamp : undefined;
        if (level !== undefined && !named) fields.level = level;
        return { level: named ?? defaultLevel, message: text, ...(Object.keys(fields).length ? { fields } : {}), ...(at !== undefined ? { at } : {}) };
      }
    } catch {
      // not JSON after all: the line is the message
    }
  }
  return { level: defaultLevel, message: line };
}

async function publish(args: string[], io: Io, stop: AbortSignal): Promise<number> {
  const { positionals, values } = parseArgs({ args, allowPositionals: true, options: { level: { type: 'string', default: 'info' }, 'batch-size': { type: 'string' } } });
  const channel = positionals[0];
  if (!channel) throw new UsageError('publish needs a channel: pulseboard publish <channel>');
  const defaultLevel = toLevel(values.level!);
  if (!defaultLevel) throw new UsageError(`unknown level "${values.level}" (one of ${LEVELS.join(', ').toLowerCase()})`);
  const errors: string[] = [];
  const publisher = createPublisher({
    ...endpoint(io.env),
    batchSize: values['batch-size'] ? Number(values['batch-size']) : 500,
    flushOnExit: false,
    onError: (error) => errors.push(error.message),
  });
  let lines = 0;
  const input = createInterface({ input: io.stdin, crlfDelay: Infinity });
  // Ctrl-C: stop reading, give the server a moment for what is buffered, say what was not sent
  const onStop = () => {
    input.close();
    void publisher.close({ timeoutMs: 2_000 });
  };
  stop.addEventListener('abort', onStop, { once: true });
  for await (const line of input) {
    if (!line.trim()) continue;
    const entry = lineToEntry(line, defaultLevel);
    publisher.log(channel, entry.level, entry.message, entry.fields, entry.at);
    lines++;
    // a pipe can outrun the server: wait for it rather than drop (the publisher's buffer is bounded)
    if (publisher.stats().queued >= 5_000) await publisher.flush();
  }
  await publisher.flush();
  stop.removeEventListener('abort', onStop);
  const stats = publisher.stats();
  await publisher.close();
  for (const error of errors) io.stderr.write(`pulseboard: ${error}\n`);
  io.stderr.write(`pulseboard: published ${stats.sent} of ${lines} lines to ${channel}${stats.rejected ? `, ${stats.rejected} refused` : ''}\n`);
  return stats.sent === lines ? 0 : 1;
}

export function formatEntry(entry: LogEntry, colour: boolean): string {
  const level = entry.level.padEnd(5);
  const fields = entry.fields && Object.keys(entry.fields).length ? ` ${JSON.stringify(entry.fields)}` : '';
  const head = `${entry.timestamp} ${colour ? `\x1b[${COLOURS[entry.level] ?? '0'}m${level}\x1b[0m` : level} ${entry.channel}`;
  return `${head} ${entry.message}${colour && fields ? `\x1b[2m${fields}\x1b[0m` : fields}`;
}

async function tail(args: string[], io: Io, stop: AbortSignal): Promise<number> {
  const { positionals, values } = parseArgs({
    args,
    allowPositionals: true,
    options: { after: { type: 'string' }, json: { type: 'boolean', default: false }, 'min-level': { type: 'string' }, color: { type: 'boolean' }, 'no-color': { type: 'boolean' } },
  });
  const channel = positionals[0];
  if (!channel) throw new UsageError('tail needs a channel or pattern: pulseboard tail <channel|etl:*>');
  const minLevel = values['min-level'] ? toLevel(values['min-level']) : undefined;
  if (values['min-level'] && !minLevel) throw new UsageError(`unknown level "${values['min-level']}"`);
  const colour = values['no-color'] ? false : (values.color ?? (!!io.stdout.isTTY && !io.env.NO_COLOR));
  const subscriber = createSubscriber(endpoint(io.env));
  return new Promise<number>((resolve) => {
    let state = 'connecting';
    const stream = subscriber.subscribeLogs(
      { channel, after: values.after ?? null, minLevel },
      (entry) => io.stdout.write(`${values.json ? JSON.stringify(entry) : formatEntry(entry, colour)}\n`),
      {
        onGap: (gap) => io.stderr.write(`pulseboard: entries after ${gap.after ?? 'the start'} up to ${gap.resumedAfter} were removed by retention before they could be read\n`),
        onState: (next) => {
          if (next === 'reconnecting' && state !== 'reconnecting') io.stderr.write(`pulseboard: connection lost, reconnecting (resuming after ${stream.cursor ?? 'the start'})\n`);
          if (next === 'connected' && state === 'reconnecting') io.stderr.write('pulseboard: reconnected\n');
          state = next;
        },
        onError: (error) => {
          io.stderr.write(`pulseboard: ${error.code ? `${error.code}: ` : ''}${error.message}\n`);
          if (!error.errors.length || error.code === 'UNAUTHENTICATED' || error.code === 'FORBIDDEN') finish(1);
        },
        onComplete: () => finish(0),
      },
    );
    const finish = (code: number) => {
      stream.close();
      stop.removeEventListener('abort', onStop);
      if (stream.cursor) io.stderr.write(`pulseboard: last cursor ${stream.cursor} (--after ${stream.cursor} resumes here)\n`);
      resolve(code);
    };
    const onStop = () => finish(0);
    stop.addEventListener('abort', onStop, { once: true });
  });
}

async function status(args: string[], io: Io): Promise<number> {
  const { positionals, values } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      interval: { type: 'string', default: '3600' },
      name: { type: 'string' },
      queue: { type: 'string' },
      processed: { type: 'string' },
      failed: { type: 'string' },
    },
  });
  const [key, state, ...message] = positionals;
  if (!key || !state) throw new UsageError('status needs a key and a state: pulseboard status nightly-backup RUNNING "copying"');
  const number = (value: string | undefined) => (value === undefined ? undefined : Number(value));
  const input = {
    key,
    state: state.toUpperCase(),
    intervalSeconds: Number(values.interval),
    ...(message.length ? { message: message.join(' ') } : {}),
    ...(values.name ? { name: values.name } : {}),
    ...(values.queue !== undefined ? { queueSize: number(values.queue) } : {}),
    ...(values.processed !== undefined ? { processedCount: number(values.processed) } : {}),
    ...(values.failed !== undefined ? { failedCount: number(values.failed) } : {}),
  };
  // a cron job has a minute to spare, not an hour: a few tries, then say so
  for (let attempt = 0; ; attempt++) {
    try {
      const result = await postGraphQL<{ reportServiceStatus: { state: string } }>(endpoint(io.env), {
        query: 'mutation ($input: ServiceStatusInput!) { reportServiceStatus(input: $input) { state } }',
        variables: { input },
      });
      if (result.errors?.length) throw new RequestError(result.errors[0]!.message, result.errors[0]!.extensions?.code as string | undefined, 200, result.errors);
      io.stderr.write(`pulseboard: ${key} is ${result.data!.reportServiceStatus.state}\n`);
      return 0;
    } catch (error) {
      if (error instanceof RetryableError && attempt < 5) {
        await new Promise((r) => setTimeout(r, error.retryAfterMs ?? 500 * 2 ** attempt));
        continue;
      }
      const code = error instanceof RequestError || error instanceof RetryableError ? error.code : undefined;
      io.stderr.write(`pulseboard: ${code ? `${code}: ` : ''}${(error as Error).message}\n`);
      return 1;
    }
  }
}

/** Runs one command; resolves with the exit status. */
export async function main(argv: string[], io: Io, stop: AbortSignal): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'publish':
        return await publish(rest, io, stop);
      case 'tail':
        return await tail(rest, io, stop);
      case 'status':
        return await status(rest, io);
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        io.stdout.write(`${HELP}\n`);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.stderr.write(`pulseboard: ${(error as Error).message}\n\n${HELP}\n`);
      return 2;
    }
    throw error;
  }
}
