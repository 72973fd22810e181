import { and, eq, sql } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import { streamHeads } from '../../db/schema.js';

export type StreamName = 'incidents' | 'incident-numbers' | 'tickets' | 'ticket-numbers';

/**
 * Takes the next cursor of a tenant's durable stream inside the caller's transaction. The
 * row lock orders writers, so cursor order is commit order and cursors are contiguous.
 */
export async function takeCursor(tx: Database, tenantId: string, stream: StreamName): Promise<number> {
  const [row] = await tx
    .insert(streamHeads)
    .values({ tenantId, stream, lastSeq: 1 })
    .onConflictDoUpdate({ target: [streamHeads.tenantId, streamHeads.stream], set: { lastSeq: sql`${streamHeads.lastSeq} + 1` } })
    .returning({ lastSeq: streamHeads.lastSeq });
  return row!.lastSeq;
}

export async function streamHead(db: Database, tenantId: string, stream: StreamName): Promise<number> {
  const [row] = await db
    .select({ lastSeq: streamHeads.lastSeq })
    .from(streamHeads)
    .where(and(eq(streamHeads.tenantId, tenantId), eq(streamHeads.stream, stream)));
  return row?.lastSeq ?? 0;
}
