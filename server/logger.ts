import { randomUUID } from 'node:crypto';
import { GraphQLError } from 'graphql';
import { pino, type DestinationStream, type Logger as Pino } from 'pino';
import type { Config } from './config.js';
import { errorFields } from './log-redaction.js';

export interface Logger {
  debug(...args: unknown[]): void;
  info(...args: unknown[]): void;
  warn(...args: unknown[]): void;
  error(...args: unknown[]): void;
  /** A logger whose every line also carries `bindings`. */
  child(bindings: Record<string, unknown>): Logger;
}

/**
 * pino, as JSON lines on stdout: `{"level","time","msg",...fields}`. Call sites pass words and
 * objects in any order (`logger.warn('check failed', { monitorId }, error)`); an Error is logged
 * under `error` with its stack, through the redaction of log-redaction.ts — a failed statement's
 * parameters never reach the logs, not even through the message the stack repeats.
 */
export function createLogger(level: Config['logLevel'] = 'info', write?: (line: string) => void): Logger {
  const destination: DestinationStream = write ? { write } : pino.destination({ dest: 1, sync: true });
  const root = pino(
    {
      level,
      base: undefined,
      messageKey: 'msg',
      errorKey: 'error',
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      serializers: { error: serializeError },
    },
    destination,
  );
  const wrap = (target: Pino): Logger => {
    const log = (name: 'debug' | 'info' | 'warn' | 'error') => (...args: unknown[]) => {
      if (!target.isLevelEnabled(name)) return;
      const fields: Record<string, unknown> = {};
      const words: string[] = [];
      for (const arg of args) {
        if (arg instanceof Error) fields.error = arg;
        else if (arg && typeof arg === 'object') Object.assign(fields, arg);
        else words.push(String(arg));
      }
      target[name](fields, words.join(' '));
    };
    return {
      debug: log('debug'),
      info: log('info'),
      warn: log('warn'),
      error: log('error'),
      child: (bindings) => wrap(target.child(bindings)),
    };
  };
  return wrap(root);
}

/** The caller's request id when it is a plain token (a proxy's), otherwise a new one. */
export function requestIdFrom(header: string | string[] | undefined): string {
  return typeof header === 'string' && /^[\w.:-]{1,100}$/.test(header) ? header : randomUUID();
}

/**
 * An error's redacted fields (log-redaction.ts) and its stack frames. The stack's first lines
 * repeat the message — a failed statement's quotes its parameters — so only the `at …` frames
 * are kept, after the redacted name and message; a cause gets the same treatment.
 */
function serializeError(error: unknown, depth = 0): unknown {
  if (!(error instanceof Error)) return error;
  const fields = errorFields(error);
  const root = error instanceof GraphQLError && error.originalError ? error.originalError : error;
  const frames = (root.stack ?? '').split('\n').filter((line) => /^\s+at /.test(line));
  const out: Record<string, unknown> = { ...fields, stack: [`${String(fields.name)}: ${String(fields.message)}`, ...frames].join('\n') };
  // a failed statement's cause is already summarised (and scrubbed) by errorFields
  if (root.cause instanceof Error && !('query' in fields) && depth < 3) out.cause = serializeError(root.cause, depth + 1);
  return out;
}
