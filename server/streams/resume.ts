import { parseCursor, toCursor } from '../domain/shared/cursor.js';
import { DomainError } from '../domain/shared/errors.js';

/**
 * Where a durable subscription starts: after `Last-Event-ID` when a reconnecting SSE reader
 * sends one (the cursor of the last frame it received, later than any `after` it started
 * with), else after the `after` argument, else live from now.
 */
export function resumeCursor(after: string | null | undefined, lastEventId: string | null): number | undefined {
  if (lastEventId) return parseCursor(lastEventId.trim(), 'Last-Event-ID');
  return after ? parseCursor(after) : undefined;
}

/** A durable event's cursor, for the SSE `id:` of the frame that carries it (none for errors or ephemeral events). */
export function eventCursor(event: unknown): string | undefined {
  if (event instanceof DomainError) return undefined;
  const seq = (event as { seq?: number | null } | null)?.seq;
  return typeof seq === 'number' ? toCursor(seq) : undefined;
}
