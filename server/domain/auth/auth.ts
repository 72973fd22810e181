import { createHash, randomBytes } from 'node:crypto';
import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import { SignJWT, errors as joseErrors, jwtVerify } from 'jose';
import type { Database } from '../../db/client.js';
import { serviceTokens, settings, tenants, users, type ServiceTokenRow, type UserRow } from '../../db/schema.js';
import type { Bus } from '../../bus/index.js';
import { topics } from '../../bus/topics.js';
import { parseChannelPattern } from '../logs/channels.js';
import { badInput, notFound, unauthenticated } from '../shared/errors.js';
import { hashPassword, verifyPassword } from './passwords.js';
import type { Role, ServiceViewer, UserViewer, Viewer } from './viewer.js';

export interface RegisterInput {
  email: string;
  password: string;
  name: string;
  tenantName: string;
}
export interface CreateMemberInput {
  email: string;
  password: string;
  name: string;
  role: Role;
}
export interface AuthPayload {
  token: string;
  user: UserRow;
}

const SERVICE_TOKEN_PREFIX = 'pbs_';
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** The JWT secret: configured, or generated once and kept in the store (first writer wins). */
export async function resolveJwtSecret(db: Database, configured?: string): Promise<Uint8Array> {
  if (configured) return new TextEncoder().encode(configured);
  await db
    .insert(settings)
    .values({ key: 'jwt_secret', value: randomBytes(48).toString('base64url') })
    .onConflictDoNothing();
  const [row] = await db.select().from(settings).where(eq(settings.key, 'jwt_secret'));
  return new TextEncoder().encode(row!.value);
}

export interface CreateAuthOptions {
  db: Database;
  bus: Bus;
  jwtSecret: Uint8Array;
  /** @default 28800 */
  jwtTtlSeconds?: number;
}

export type Auth = ReturnType<typeof createAuth>;

/** Sign-up, sign-in, JWTs and service tokens: the rules, free of GraphQL. */
export function createAuth({ db, bus, jwtSecret, jwtTtlSeconds = 8 * 3600 }: CreateAuthOptions) {
  let decoy: Promise<string> | undefined;

  async function issueToken(user: UserRow): Promise<string> {
    return new SignJWT({ tid: user.tenantId, role: user.role })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(user.id)
      .setIssuedAt()
      .setExpirationTime(`${jwtTtlSeconds}s`)
      .sign(jwtSecret);
  }

  async function verifyJwt(token: string): Promise<UserViewer> {
    try {
      const { payload } = await jwtVerify(token, jwtSecret, { algorithms: ['HS256'] });
      const role = payload.role as Role;
      if (typeof payload.sub !== 'string' || typeof payload.tid !== 'string' || !['ADMIN', 'MEMBER', 'VIEWER'].includes(role)) {
        throw unauthenticated('Invalid token');
      }
      return { kind: 'user', userId: payload.sub, tenantId: payload.tid, role, expiresAt: (payload.exp ?? 0) * 1000 };
    } catch (error) {
      if (error instanceof joseErrors.JWTExpired) throw unauthenticated('Token expired: sign in again');
      throw unauthenticated('Invalid token');
    }
  }

  async function verifyServiceToken(secret: string): Promise<ServiceViewer> {
    const [row] = await db
      .select()
      .from(serviceTokens)
      .where(and(eq(serviceTokens.secretHash, sha256(secret)), isNull(serviceTokens.revokedAt)));
    if (!row) throw unauthenticated('Invalid or revoked service token');
    return { kind: 'service', tokenId: row.id, tenantId: row.tenantId, name: row.name, channels: row.channels };
  }

  return {
    /** Bearer credential -> viewer. Throws UNAUTHENTICATED for a bad or expired one. */
    async authenticate(bearer: string): Promise<Viewer> {
      return bearer.startsWith(SERVICE_TOKEN_PREFIX) ? verifyServiceToken(bearer) : verifyJwt(bearer);
    },

    /** Creates a tenant and its first ADMIN. */
    async register(input: RegisterInput): Promise<AuthPayload> {
      const email = parseEmail(input.email);
      const password = parsePassword(input.password);
      const name = parseName(input.name, 'name');
      const tenantName = parseName(input.tenantName, 'tenantName');
      const passwordHash = await hashPassword(password);
      const user = await db.transaction(async (tx) => {
        const [existing] = await tx.select({ id: users.id }).from(users).where(eq(users.email, email));
        if (existing) throw badInput('That email is already registered', 'email');
        const [tenant] = await tx.insert(tenants).values({ name: tenantName }).returning();
        const [created] = await tx
          .insert(users)
          .values({ tenantId: tenant!.id, email, name, passwordHash, role: 'ADMIN' })
          .onConflictDoNothing()
          .returning();
        // a concurrent sign-up with the same email won the race
        if (!created) throw badInput('That email is already registered', 'email');
        return created;
      });
      return { token: await issueToken(user), user };
    },

    async login(emailInput: string, password: string): Promise<AuthPayload> {
      const email = emailInput.trim().toLowerCase();
      const [user] = await db.select().from(users).where(eq(users.email, email));
      // compare against a decoy when there is no such user, so timing does not reveal accounts
      const ok = await verifyPassword(password, user?.passwordHash ?? (await (decoy ??= hashPassword(randomBytes(16).toString('hex')))));
      if (!user || !ok) throw unauthenticated('Invalid email or password');
      return { token: await issueToken(user), user };
    },

    async anyUser(): Promise<boolean> {
      const [row] = await db.select({ id: users.id }).from(users).limit(1);
      return !!row;
    },

    async userById(tenantId: string, id: string): Promise<UserRow | undefined> {
      const [user] = await db.select().from(users).where(and(eq(users.tenantId, tenantId), eq(users.id, id)));
      return user;
    },

    async listMembers(tenantId: string): Promise<UserRow[]> {
      return db.select().from(users).where(eq(users.tenantId, tenantId)).orderBy(asc(users.createdAt), asc(users.email));
    },

    async createMember(tenantId: string, input: CreateMemberInput): Promise<UserRow> {
      const email = parseEmail(input.email);
      const password = parsePassword(input.password);
      const name = parseName(input.name, 'name');
      const [created] = await db
        .insert(users)
        .values({ tenantId, email, name, passwordHash: await hashPassword(password), role: input.role })
        .onConflictDoNothing()
        .returning();
      if (!created) throw badInput('That email is already registered', 'email');
      return created;
    },

    /** A new service token; the secret is returned here and never again. */
    async createServiceToken(tenantId: string, createdBy: string | null, name: string, channels: string[]) {
      const tokenName = parseName(name, 'name');
      if (channels.length === 0) throw badInput('A service token needs at least one channel pattern', 'channels');
      if (channels.length > 100) throw badInput('A service token may have at most 100 channel patterns', 'channels');
      channels.forEach((c) => parseChannelPattern(c, 'channels'));
      const secret = SERVICE_TOKEN_PREFIX + randomBytes(32).toString('base64url');
      const [token] = await db
        .insert(serviceTokens)
        .values({ tenantId, name: tokenName, channels: [...new Set(channels)], secretHash: sha256(secret), createdBy })
        .returning();
      return { token: token!, secret };
    },

    async listServiceTokens(tenantId: string): Promise<ServiceTokenRow[]> {
      return db
        .select()
        .from(serviceTokens)
        .where(eq(serviceTokens.tenantId, tenantId))
        .orderBy(asc(serviceTokens.createdAt), asc(serviceTokens.id));
    },

    /** Revokes the token and tells every instance to end its open streams. */
    async revokeServiceToken(tenantId: string, id: string): Promise<ServiceTokenRow> {
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

function parseEmail(raw: string): string {
  const email = raw.trim().toLowerCase();
  if (email.length > 254 || !EMAIL.test(email)) throw badInput('Invalid email address', 'email');
  return email;
}

function parsePassword(password: string): string {
  if (password.length < 8) throw badInput('Password must be at least 8 characters', 'password');
  if (password.length > 256) throw badInput('Password must be at most 256 characters', 'password');
  return password;
}

function parseName(raw: string, field: string): string {
  const name = raw.trim();
  if (!name) throw badInput(`${field} must not be empty`, field);
  if (name.length > 100) throw badInput(`${field} must be at most 100 characters`, field);
  return name;
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

export const isUuid = (s: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s);
