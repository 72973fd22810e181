import { and, inArray, isNull } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import { serviceTokens, users } from '../../db/schema.js';
import { principalKey, type Viewer } from './viewer.js';

/**
 * Which of `viewers` still hold a valid credential according to the store: the service
 * token is not revoked, the user still exists in that tenant. One query per kind however
 * many streams are open — open streams are re-checked with it periodically, so a revocation
 * whose bus message was lost still ends them.
 */
export async function validPrincipals(db: Database, viewers: Viewer[]): Promise<Set<string>> {
  const tokenIds = [...new Set(viewers.flatMap((v) => (v.kind === 'service' ? [v.tokenId] : [])))];
  const userIds = [...new Set(viewers.flatMap((v) => (v.kind === 'user' ? [v.userId] : [])))];
  const [tokens, people] = await Promise.all([
    tokenIds.length
      ? db.select({ id: serviceTokens.id, tenantId: serviceTokens.tenantId }).from(serviceTokens).where(and(inArray(serviceTokens.id, tokenIds), isNull(serviceTokens.revokedAt)))
      : [],
    userIds.length ? db.select({ id: users.id, tenantId: users.tenantId }).from(users).where(inArray(users.id, userIds)) : [],
  ]);
  const valid = new Set<string>();
  for (const t of tokens) valid.add(`${t.tenantId}|service:${t.id}`);
  for (const u of people) valid.add(`${u.tenantId}|user:${u.id}`);
  return new Set(viewers.filter((v) => valid.has(`${v.tenantId}|${principalKey(v)}`)).map(principalKey));
}
