import { and, asc, eq, ilike, or, sql } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import { escapeLike } from '../../db/escape-like.js';
import { cannedReplies, type CannedReplyRow } from '../../db/schema.js';
import { isUuid } from '../auth/auth.js';
import { badInput, notFound } from '../shared/errors.js';

export interface CannedReplyInput {
  shortcut: string;
  title: string;
  body: string;
}

export interface CreateCannedRepliesOptions {
  db: Database;
  /** The longest reply, as for ticket messages. @default 10000 */
  maxBodyChars?: number;
  /** Replies per workspace. @default 500 */
  maxPerTenant?: number;
}

const SHORTCUT = /^[a-z0-9][a-z0-9_-]{0,31}$/;

export type CannedReplies = ReturnType<typeof createCannedReplies>;

/** Saved replies shared by a workspace's agents, picked by shortcut in the composer. */
export function createCannedReplies({ db, maxBodyChars = 10_000, maxPerTenant = 500 }: CreateCannedRepliesOptions) {
  function validate(input: CannedReplyInput) {
    const shortcut = input.shortcut.trim().replace(/^\//, '').toLowerCase();
    if (!SHORTCUT.test(shortcut)) throw badInput('shortcut must be 1–32 lower-case letters, digits, "-" or "_"', 'shortcut');
    const title = input.title.trim();
    if (!title || title.length > 200) throw badInput('title must be 1–200 characters', 'title');
    if (!input.body.trim()) throw badInput('body must not be empty', 'body');
    if (input.body.length > maxBodyChars) throw badInput(`body must be at most ${maxBodyChars} characters`, 'body');
    return { shortcut, title, body: input.body };
  }

  const taken = (shortcut: string) => badInput(`The shortcut "${shortcut}" is taken in this workspace`, 'shortcut');

  return {
    async create(tenantId: string, userId: string, input: CannedReplyInput): Promise<CannedReplyRow> {
      const values = validate(input);
      const [count] = await db.select({ n: sql<number>`count(*)::int` }).from(cannedReplies).where(eq(cannedReplies.tenantId, tenantId));
      if (Number(count?.n ?? 0) >= maxPerTenant) throw badInput(`A workspace keeps at most ${maxPerTenant} canned replies`, 'shortcut');
      const [row] = await db.insert(cannedReplies).values({ tenantId, createdBy: userId, ...values }).onConflictDoNothing().returning();
      if (!row) throw taken(values.shortcut);
      return row;
    },

    async update(tenantId: string, id: string, input: CannedReplyInput): Promise<CannedReplyRow> {
      if (!isUuid(id)) throw notFound('No such canned reply');
      const values = validate(input);
      const [clash] = await db
        .select({ id: cannedReplies.id })
        .from(cannedReplies)
        .where(and(eq(cannedReplies.tenantId, tenantId), eq(cannedReplies.shortcut, values.shortcut)));
      if (clash && clash.id !== id) throw taken(values.shortcut);
      const [row] = await db
        .update(cannedReplies)
        .set({ ...values, updatedAt: sql`now()` })
        .where(and(eq(cannedReplies.tenantId, tenantId), eq(cannedReplies.id, id)))
        .returning();
      if (!row) throw notFound('No such canned reply');
      return row;
    },

    async remove(tenantId: string, id: string): Promise<void> {
      if (!isUuid(id)) throw notFound('No such canned reply');
      const deleted = await db.delete(cannedReplies).where(and(eq(cannedReplies.tenantId, tenantId), eq(cannedReplies.id, id))).returning({ id: cannedReplies.id });
      if (deleted.length === 0) throw notFound('No such canned reply');
    },

    /** By shortcut; `search` matches the shortcut's start, or the title or body anywhere (case-insensitive). */
    list(tenantId: string, search?: string) {
      const term = search?.trim().replace(/^\//, '');
      const conditions = [eq(cannedReplies.tenantId, tenantId)];
      if (term) {
        const escaped = escapeLike(term);
        conditions.push(or(ilike(cannedReplies.shortcut, `${escaped}%`), ilike(cannedReplies.title, `%${escaped}%`), ilike(cannedReplies.body, `%${escaped}%`))!);
      }
      return db.select().from(cannedReplies).where(and(...conditions)).orderBy(asc(cannedReplies.shortcut));
    },
  };
}
