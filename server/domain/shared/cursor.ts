import { badInput } from './errors.js';

/**
 * A log cursor: the tenant-wide sequence number of an entry, as a string. The same cursor
 * is a connection edge's `cursor` and a subscription's `after`.
 */
export type LogCursor = string;

export const toCursor = (seq: number): LogCursor => String(seq);

export function parseCursor(cursor: string, field = 'after'): number {
  if (!/^\d{1,15}$/.test(cursor)) throw badInput(`Invalid cursor "${cursor.slice(0, 40)}": use the cursor of a log entry`, field);
  return Number(cursor);
}
