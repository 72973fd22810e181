import { createHmac, timingSafeEqual } from 'node:crypto';
import { and, eq, isNull, ne, sql } from 'drizzle-orm';
import { SignJWT, errors as joseErrors, jwtVerify } from 'jose';
import type { Bus } from '../../bus/index.js';
import { topics, type AccessChanged } from '../../bus/topics.js';
import type { Database } from '../../db/client.js';
import { sessions, users, type UserRow } from '../../db/schema.js';
import { DomainError, unauthenticated } from '../shared/errors.js';
import type { CredentialCache } from './credential-cache.js';
import type { UsageRecorder } from './usage-recorder.js';
import type { Role, UserViewer } from './viewer.js';

export const REFRESH_TOKEN_PREFIX = 'pbr_';

/** What signing in (or renewing) hands the client. */
export interface SignedIn {
  /** short-lived access token (JWT) for `Authorization: Bearer` */
  token: string;
  expiresAt: Date;
  /** the session's refresh credential; also set as the HttpOnly session cookie */
  refreshToken: string;
  /** the session ends then unless it is used before */
  refreshExpiresAt: Date;
  sessionId: string;
  user: UserRow;
}

interface CachedSession {
  tenantId: string;
  userId: string;
  role: Role;
  generation: number;
  rotatedAt: number | null;
  expiresAt: number;
}

interface AccessClaims {
  userId: string;
  tenantId: string;
  sessionId: string;
  expiresAt: number;
}

export interface CreateSessionsOptions {
  db: Database;
  bus: Bus;
  cache: CredentialCache;
  usage: UsageRecorder;
  jwtSecret: Uint8Array;
  /** Lifetime of an access token. */
  accessTtlSeconds: number;
  /** A session unused this long ends. */
  idleTtlSeconds: number;
  /** How long the refresh credential just rotated out still renews (two tabs renewing at once). @default 30000 */
  reuseGraceMs?: number;
}

export type Sessions = ReturnType<typeof createSessions>;

/**
 * Sign-in sessions: a short-lived access token (JWT: sub, tid, sid) renewed from a rotating
 * refresh credential. The refresh credential is `pbr_` + (session id, generation, HMAC) under a
 * key derived from the JWT secret, so the store keeps no secret: renewing moves the generation
 * on, and presenting an older one again — outside a short grace for tabs renewing at once —
 * is taken as theft and ends the session. Every access token is checked against its session
 * and person in the store (cached, invalidated through the bus): a forged `sub`, a removed
 * member or an ended session is refused whatever the token says.
 */
export function createSessions({ db, bus, cache, usage, jwtSecret, accessTtlSeconds, idleTtlSeconds, reuseGraceMs = 30_000 }: CreateSessionsOptions) {
  const refreshKey = createHmac('sha256', jwtSecret).update('pulseboard/refresh-credential/v1').digest();
  // verified signatures by token string: a token reads the same every time; expiry is checked on each use
  const verified = new Map<string, AccessClaims>();

  function refreshTokenFor(sessionId: string, generation: number): string {
    const body = Buffer.alloc(20);
    Buffer.from(sessionId.replace(/-/g, ''), 'hex').copy(body);
    body.writeUInt32BE(generation, 16);
    const mac = createHmac('sha256', refreshKey).update(body).digest();
    return REFRESH_TOKEN_PREFIX + Buffer.concat([body, mac]).toString('base64url');
  }

  function parseRefreshToken(token: string): { sessionId: string; generation: number } | null {
    if (!token.startsWith(REFRESH_TOKEN_PREFIX) || token.length > 100) return null;
    const raw = Buffer.from(token.slice(REFRESH_TOKEN_PREFIX.length), 'base64url');
    if (raw.length !== 52) return null;
    const body = raw.subarray(0, 20);
    const expected = createHmac('sha256', refreshKey).update(body).digest();
    if (!timingSafeEqual(expected, raw.subarray(20))) return null;
    const hex = body.subarray(0, 16).toString('hex');
    const sessionId = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
    return { sessionId, generation: body.readUInt32BE(16) };
  }

  async function accessTokenFor(userId: string, tenantId: string, sessionId: string) {
    const expiresAt = new Date((Math.floor(Date.now() / 1000) + accessTtlSeconds) * 1000);
    const token = await new SignJWT({ tid: tenantId, sid: sessionId })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(userId)
      .setIssuedAt()
      .setExpirationTime(expiresAt.getTime() / 1000)
      .sign(jwtSecret);
    return { token, expiresAt };
  }

  async function signedIn(user: UserRow, sessionId: string, generation: number, refreshExpiresAt: Date): Promise<SignedIn> {
    const access = await accessTokenFor(user.id, user.tenantId, sessionId);
    return { ...access, refreshToken: refreshTokenFor(sessionId, generation), refreshExpiresAt, sessionId, user };
  }

  async function readSession(sessionId: string): Promise<CachedSession | null> {
    const [row] = await db
      .select({
        tenantId: sessions.tenantId,
        userId: sessions.userId,
        role: users.role,
        generation: sessions.generation,
        rotatedAt: sessions.rotatedAt,
        expiresAt: sessions.expiresAt,
      })
      .from(sessions)
      .innerJoin(users, and(eq(users.id, sessions.userId), eq(users.tenantId, sessions.tenantId)))
      .where(and(eq(sessions.id, sessionId), isNull(sessions.revokedAt)));
    return row ? { ...row, rotatedAt: row.rotatedAt?.getTime() ?? null, expiresAt: row.expiresAt.getTime() } : null;
  }

  /** The live session `sessionId`, from the cache when it can be trusted. */
  async function liveSession(sessionId: string, generation?: number): Promise<CachedSession | null> {
    const key = `session:${sessionId}`;
    let session = await cache.lookup(key, () => readSession(sessionId));
    // expiry slides with use written in batches, and generations move on renewal: read again before refusing
    if (session && (session.expiresAt <= Date.now() || (generation !== undefined && generation > session.generation))) {
      cache.forget(key);
      session = await cache.lookup(key, () => readSession(sessionId));
    }
    return session && session.expiresAt > Date.now() ? session : null;
  }

  async function verifyAccessToken(token: string): Promise<AccessClaims> {
    let claims = verified.get(token);
    if (!claims) {
      try {
        const { payload } = await jwtVerify(token, jwtSecret, { algorithms: ['HS256'] });
        if (typeof payload.sub !== 'string' || typeof payload.tid !== 'string' || typeof payload.sid !== 'string' || typeof payload.exp !== 'number') {
          throw unauthenticated('Invalid token');
        }
        claims = { userId: payload.sub, tenantId: payload.tid, sessionId: payload.sid, expiresAt: payload.exp * 1000 };
      } catch (error) {
        if (error instanceof joseErrors.JWTExpired) throw expired();
        throw unauthenticated('Invalid token');
      }
      verified.set(token, claims);
      if (verified.size > 10_000) verified.delete(verified.keys().next().value!);
    }
    if (claims.expiresAt <= Date.now()) {
      verified.delete(token);
      throw expired();
    }
    return claims;
  }

  async function publish(tenantId: string, change: AccessChanged) {
    await bus.publish(tenantId, topics.accessChanged(), change);
  }

  return {
    parseRefreshToken,

    /** Opens a session for `user` and signs it in. */
    async start(user: UserRow, userAgent?: string | null): Promise<SignedIn> {
      const [session] = await db
        .insert(sessions)
        .values({
          tenantId: user.tenantId,
          userId: user.id,
          expiresAt: sql`now() + make_interval(secs => ${idleTtlSeconds})`,
          userAgent: userAgent ? userAgent.slice(0, 200) : null,
        })
        .returning({ id: sessions.id, expiresAt: sessions.expiresAt });
      return signedIn(user, session!.id, 0, session!.expiresAt);
    },

    /**
     * A new access token and the next refresh credential for a valid refresh credential. The
     * one rotated out keeps working for `reuseGraceMs` (handing back the current one); after
     * that, presenting it ends the session.
     */
    async refresh(refreshToken: string): Promise<SignedIn> {
      const parsed = parseRefreshToken(refreshToken);
      if (!parsed) throw unauthenticated('Invalid refresh token: sign in again');
      const { sessionId, generation } = parsed;
      const read = async () => {
        const [row] = await db
          .select({ session: sessions, user: users })
          .from(sessions)
          .innerJoin(users, and(eq(users.id, sessions.userId), eq(users.tenantId, sessions.tenantId)))
          .where(eq(sessions.id, sessionId));
        return row;
      };
      let row = await read();
      if (!row || row.session.revokedAt || row.session.expiresAt.getTime() <= Date.now()) throw sessionEnded();
      if (generation === row.session.generation) {
        const [rotated] = await db
          .update(sessions)
          .set({
            generation: sql`${sessions.generation} + 1`,
            rotatedAt: sql`now()`,
            lastUsedAt: sql`now()`,
            expiresAt: sql`now() + make_interval(secs => ${idleTtlSeconds})`,
          })
          .where(and(eq(sessions.id, sessionId), eq(sessions.generation, generation), isNull(sessions.revokedAt)))
          .returning({ generation: sessions.generation, expiresAt: sessions.expiresAt });
        if (rotated) return signedIn(row.user, sessionId, rotated.generation, rotated.expiresAt);
        // another tab renewed at the same moment: fall through to the grace rule with what it wrote
        row = await read();
        if (!row || row.session.revokedAt) throw sessionEnded();
      }
      const { session } = row;
      if (generation === session.generation - 1 && session.rotatedAt && Date.now() - session.rotatedAt.getTime() <= reuseGraceMs) {
        return signedIn(row.user, sessionId, session.generation, session.expiresAt);
      }
      // an old credential came back: whoever holds it is not the session's owner (or is replaying)
      await db.update(sessions).set({ revokedAt: sql`now()` }).where(and(eq(sessions.id, sessionId), isNull(sessions.revokedAt)));
      await publish(session.tenantId, { userId: session.userId, reason: 'SESSION_REUSED', sessionId });
      throw new DomainError('UNAUTHENTICATED', 'This refresh token was already used, so the session was ended for safety: sign in again', {
        reason: 'SESSION_REUSED',
      });
    },

    /** Bearer access token -> the person, read from the store (cached). */
    async authenticateAccessToken(token: string): Promise<UserViewer> {
      const claims = await verifyAccessToken(token);
      const session = await liveSession(claims.sessionId);
      if (!session || session.userId !== claims.userId || session.tenantId !== claims.tenantId) throw unauthenticated('Invalid token');
      usage.useSession(claims.sessionId);
      return { kind: 'user', userId: session.userId, tenantId: session.tenantId, role: session.role, sessionId: claims.sessionId, expiresAt: claims.expiresAt };
    },

    /** The session cookie (a refresh credential, not rotated here) -> the person, for a browser's EventSource. */
    async authenticateRefreshToken(refreshToken: string): Promise<UserViewer> {
      const parsed = parseRefreshToken(refreshToken);
      if (!parsed) throw unauthenticated('Invalid session cookie: sign in again');
      const session = await liveSession(parsed.sessionId, parsed.generation);
      const current =
        session &&
        (parsed.generation === session.generation ||
          (parsed.generation === session.generation - 1 && session.rotatedAt !== null && Date.now() - session.rotatedAt <= reuseGraceMs));
      if (!session || !current) throw sessionEnded();
      usage.useSession(parsed.sessionId);
      return { kind: 'user', userId: session.userId, tenantId: session.tenantId, role: session.role, sessionId: parsed.sessionId, expiresAt: session.expiresAt };
    },

    /** Ends one session (sign-out); its streams end on every instance. */
    async end(sessionId: string): Promise<boolean> {
      const [ended] = await db
        .update(sessions)
        .set({ revokedAt: sql`now()` })
        .where(and(eq(sessions.id, sessionId), isNull(sessions.revokedAt)))
        .returning({ tenantId: sessions.tenantId, userId: sessions.userId });
      if (ended) await publish(ended.tenantId, { userId: ended.userId, reason: 'SIGNED_OUT', sessionId });
      return !!ended;
    },

    /**
     * Ends every session of a person but `keep` (sign out everywhere, password change or
     * reset) and tells every instance: credentials stop working and streams end.
     */
    async endAll(tenantId: string, userId: string, reason: AccessChanged['reason'], keep?: string): Promise<void> {
      await db
        .update(sessions)
        .set({ revokedAt: sql`now()` })
        .where(and(eq(sessions.userId, userId), eq(sessions.tenantId, tenantId), isNull(sessions.revokedAt), keep ? ne(sessions.id, keep) : undefined));
      await publish(tenantId, { userId, reason, sessionId: keep });
    },

    /** Deletes sessions that ended more than a day ago. */
    async prune(): Promise<void> {
      await db.delete(sessions).where(sql`${sessions.expiresAt} < now() - interval '1 day' or ${sessions.revokedAt} < now() - interval '1 day'`);
    },
  };
}

const expired = () =>
  new DomainError('UNAUTHENTICATED', 'Token expired: renew it with refreshSession, or sign in again', { reason: 'TOKEN_EXPIRED' });
const sessionEnded = () => new DomainError('UNAUTHENTICATED', 'Session ended: sign in again', { reason: 'SESSION_ENDED' });
