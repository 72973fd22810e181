export const LOG_LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export const levelNumber = (level: LogLevel): number => LOG_LEVELS.indexOf(level);
export const levelName = (n: number): LogLevel => LOG_LEVELS[n] ?? 'INFO';
