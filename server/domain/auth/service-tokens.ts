import { createHash, randomBytes } from 'node:crypto';
import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import type { Bus } from '../../bus/index.js';
import { topics } from '../../bus/topics.js';
import type { Database } from '../../db/client.js';
import { serviceTokens, type ServiceTokenRow } from '../../db/schema.js';
import { parseChannelPattern } from '../logs/channels.js';
import { badInput, notFound, unauthenticated } from '../shared/errors.js';
import type { CredentialCache } from './credential-cache.js';
import type { UsageRecorder } from './usage-recorder.js';
import { SERVICE_TOKEN_SCOPES, type ServiceTokenScope, type ServiceViewer } from './viewer.js';
import { isUuid, parseName } from './input.js';

export const SERVICE_TOKEN_PREFIX = 'pbs_';

export interface CreateServiceTokensOptions {
  db: Database;
  bus: Bus;
  cache: CredentialCache;
  usage: UsageRecorder;
}

export type ServiceTokens = ReturnType<typeof createServiceTokens>;

/**
 * Opaque service tokens for publishers: `pbs_` + 256 random bits, stored as a SHA-256 (a slow
 * hash buys nothing for a random secret). Authenticating one costs a hash and a cache hit;
 * revoking one reaches every instance's cache and open streams through the bus.
 */
export function createServiceTokens({ db, bus, cache, usage }: CreateServiceTokensOptions) {
  async function read(secretHash: string): Promise<ServiceViewer | null> {
    const [row] = await db
      .select()
      .from(serviceTokens)
      .where(and(eq(serviceTokens.secretHash, secretHash), isNull(serviceTokens.revokedAt)));
    return row
      ? { kind: 'service', tokenId: row.id, tenantId: row.tenantId, name: row.name, channels: row.channels, scopes: row.scopes as ServiceTokenScope[] }
      : null;
  }

  return {
    /** Bearer secret -> the service (cached per instance; the viewer is shared, never mutate it). */
    async authenticate(secret: string): Promise<ServiceViewer> {
      const hash = sha256(secret);
      const viewer = await cache.lookup(`token:${hash}`, () => read(hash));
      if (!viewer) throw unauthenticated('Invalid or revoked service token');
      usage.useToken(viewer.tokenId);
      return viewer;
    },

    /** A new service token; the secret is returned here and never again. */
    async create(tenantId: string, createdBy: string | null, name: string, channels: string[], scopes: readonly string[] = []) {
      const tokenName = parseName(name, 'name');
      if (channels.length === 0) throw badInput('A service token needs at least one channel pattern', 'channels');
      if (channels.length > 100) throw badInput('A service token may have at most 100 channel patterns', 'channels');
      channels.forEach((c) => parseChannelPattern(c, 'channels'));
      const unknown = scopes.find((s) => !SERVICE_TOKEN_SCOPES.includes(s as ServiceTokenScope));
      if (unknown !== undefined) throw badInput(`Unknown scope "${unknown.slice(0, 40)}"`, 'scopes');
      const secret = SERVICE_TOKEN_PREFIX + randomBytes(32).toString('base64url');
      const [token] = await db
        .insert(serviceTokens)
        .values({ tenantId, name: tokenName, channels: [...new Set(channels)], scopes: [...new Set(scopes)], secretHash: sha256(secret), createdBy })
        .returning();
      return { token: token!, secret };
    },

    /** The tenant's tokens; "last used" includes uses this instance has not written yet. */
    async list(tenantId: string): Promise<ServiceTokenRow[]> {
      const rows = await db
        .select()
        .from(serviceTokens)
        .where(eq(serviceTokens.tenantId, tenantId))
        .orderBy(asc(serviceTokens.createdAt), asc(serviceTokens.id));
      return rows.map((row) => {
        const pending = usage.pendingTokenUse(row.id);
        return pending && (!row.lastUsedAt || row.lastUsedAt.getTime() < pending) ? { ...row, lastUsedAt: new Date(pending) } : row;
      });
    },

    /** Revokes the token and tells every instance to forget it and end its open streams. */
    async revoke(tenantId: string, id: string): Promise<ServiceTokenRow> {
      if (!isUuid(id)) throw notFound('No such service token');
      const [token] = await db
        .update(serviceTokens)
        .set({ revokedAt: sql`coalesce(${serviceTokens.revokedAt}, now())` })
        .where(and(eq(serviceTokens.tenantId, tenantId), eq(serviceTokens.id, id)))
        .returning();
      if (!token) throw notFound('No such service token');
      await bus.publish(tenantId, topics.tokenRevoked(), { tokenId: id });
      return token;
    },
  };
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
