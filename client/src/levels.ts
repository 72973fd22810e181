/** The server's levels, least to most serious. */
export const LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'] as const;
export type Level = (typeof LEVELS)[number];

/** What `log()` takes: a server level in any case, or a common alias (`warning`, `err`, `critical`). */
export type LevelName = Level | Lowercase<Level> | 'warning' | 'err' | 'critical' | 'panic';

const ALIASES: Record<string, Level> = { WARNING: 'WARN', ERR: 'ERROR', CRITICAL: 'FATAL', PANIC: 'FATAL' };

/** The server level for a name, or undefined when it is none. */
export function toLevel(name: string): Level | undefined {
  const upper = name.trim().toUpperCase();
  return (LEVELS as readonly string[]).includes(upper) ? (upper as Level) : ALIASES[upper];
}

/** Pino's numeric levels (10 trace … 60 fatal); custom levels go to the nearest one below. */
export function fromPinoLevel(level: number): Level {
  if (level >= 60) return 'FATAL';
  if (level >= 50) return 'ERROR';
  if (level >= 40) return 'WARN';
  if (level >= 30) return 'INFO';
  if (level >= 20) return 'DEBUG';
  return 'TRACE';
}
