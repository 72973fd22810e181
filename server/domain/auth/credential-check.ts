import { and, gt, inArray, isNull, sql } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import { serviceTokens, sessions } from '../../db/schema.js';
import { credentialKey, type Viewer } from './viewer.js';

/**
 * Which of `viewers` still hold a valid credential according to the store, by
 * `credentialKey`: the service token is not revoked; the person's sign-in session is neither
 * revoked nor expired (and so the person is still a member: removing one deletes their
 * sessions). One query per kind however many streams are open — open streams are re-checked
 * with it periodically, so an access change whose bus message was lost still ends them.
 */
export async function validPrincipals(db: Database, viewers: Viewer[]): Promise<Set<string>> {
  const tokenIds = [...new Set(viewers.flatMap((v) => (v.kind === 'service' ? [v.tokenId] : [])))];
  const sessionIds = [...new Set(viewers.flatMap((v) => (v.kind === 'user' ? [v.sessionId] : [])))];
  const [tokens, live] = await Promise.all([
    tokenIds.length
      ? db.select({ id: serviceTokens.id, tenantId: serviceTokens.tenantId }).from(serviceTokens).where(and(inArray(serviceTokens.id, tokenIds), isNull(serviceTokens.revokedAt)))
      : [],
    sessionIds.length
      ? db
          .select({ id: sessions.id, tenantId: sessions.tenantId, userId: sessions.userId })
          .from(sessions)
          .where(and(inArray(sessions.id, sessionIds), isNull(sessions.revokedAt), gt(sessions.expiresAt, sql`now()`)))
      : [],
  ]);
  const valid = new Set<string>();
  for (const t of tokens) valid.add(`${t.tenantId}|service:${t.id}`);
  for (const s of live) valid.add(`${s.tenantId}|${s.userId}|session:${s.id}`);
  const keyOf = (v: Viewer) => (v.kind === 'user' ? `${v.tenantId}|${v.userId}|${credentialKey(v)}` : `${v.tenantId}|${credentialKey(v)}`);
  return new Set(viewers.filter((v) => valid.has(keyOf(v))).map(credentialKey));
}
