import type { Config } from './config.js';
import { errorFields } from './log-redaction.js';

const LEVELS = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 } as const;

export interface Logger {
  debug(...args: unknown[]): void;
  info(...args: unknown[]): void;
  warn(...args: unknown[]): void;
  error(...args: unknown[]): void;
}

/** Structured JSON lines on stdout: `{"time","level","msg",...fields}`. */
export function createLogger(level: Config['logLevel'] = 'info', write: (line: string) => void = (l) => process.stdout.write(l)): Logger {
  const threshold = LEVELS[level];
  const log = (name: keyof typeof LEVELS) => (...args: unknown[]) => {
    if (LEVELS[name] < threshold) return;
    const fields: Record<string, unknown> = {};
    const words: string[] = [];
    for (const arg of args) {
      // statement parameters never reach the logs (see log-redaction.ts)
      if (arg instanceof Error) fields.error = errorFields(arg);
      else if (arg && typeof arg === 'object') Object.assign(fields, arg);
      else words.push(String(arg));
    }
    write(`${JSON.stringify({ time: new Date().toISOString(), level: name, msg: words.join(' '), ...fields })}\n`);
  };
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}
