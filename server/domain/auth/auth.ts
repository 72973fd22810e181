import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import { settings, tenants, users } from '../../db/schema.js';
import type { Bus } from '../../bus/index.js';
import { DomainError, badInput, unauthenticated } from '../shared/errors.js';
import { createCredentialCache } from './credential-cache.js';
import { parseEmail, parseName } from './input.js';
import { createMembers } from './members.js';
import { checkPasswordPolicy, preloadPasswordPolicy } from './password-policy.js';
import { hashPassword, verifyPassword } from './passwords.js';
import { SERVICE_TOKEN_PREFIX, createServiceTokens } from './service-tokens.js';
import { REFRESH_TOKEN_PREFIX, createSessions, type SignedIn } from './sessions.js';
import { createSignInThrottle, type SignInThrottle } from './sign-in-throttle.js';
import { createUsageRecorder } from './usage-recorder.js';
import type { UserViewer, Viewer } from './viewer.js';

export { isUuid } from './input.js';
export { resolveJwtSecret } from './secrets.js';
export type { SignedIn } from './sessions.js';

export interface RegisterInput {
  email: string;
  password: string;
  name: string;
  tenantName: string;
}

/** Where a sign-in attempt comes from: throttling keys and the session's label. */
export interface ClientInfo {
  address: string;
  userAgent?: string | null;
}

export interface CreateAuthOptions {
  db: Database;
  bus: Bus;
  /**
   * The bus the credential cache listens on for revocations and access changes. Its
   * listeners are one per tenant seen (not per client), so an app may hand over a bus whose
   * subscriptions are not counted with the live views'. @default bus
   */
  invalidations?: Bus;
  jwtSecret: Uint8Array;
  /** Lifetime of an access token. @default 900 */
  jwtTtlSeconds?: number;
  /** A session unused this long ends. @default 1209600 (14 days) */
  sessionIdleSeconds?: number;
  /** Anyone may create a workspace (otherwise only the first, then invitations). @default false */
  allowSignup?: boolean;
  /** @default an in-memory throttle */
  throttle?: SignInThrottle;
  /** Credential cache backstop. @default 30000 */
  cacheTtlMs?: number;
  /** How often "last used" is written. @default 30000 */
  usageFlushIntervalMs?: number;
  /** How long a refresh credential just rotated out still renews. @default 30000 */
  reuseGraceMs?: number;
  onError?: (error: unknown) => void;
}

export type Auth = ReturnType<typeof createAuth>;

/** Sign-up, sign-in, sessions, members and service tokens: the rules, free of GraphQL. */
export function createAuth({
  db,
  bus,
  invalidations = bus,
  jwtSecret,
  jwtTtlSeconds = 900,
  sessionIdleSeconds = 14 * 86_400,
  allowSignup = false,
  throttle = createSignInThrottle(),
  cacheTtlMs = 30_000,
  usageFlushIntervalMs = 30_000,
  reuseGraceMs = 30_000,
  onError = () => {},
}: CreateAuthOptions) {
  const cache = createCredentialCache({ bus: invalidations, ttlMs: cacheTtlMs });
  const usage = createUsageRecorder({ db, sessionIdleSeconds, flushIntervalMs: usageFlushIntervalMs, onError });
  const sessions = createSessions({ db, bus, cache, usage, jwtSecret, accessTtlSeconds: jwtTtlSeconds, idleTtlSeconds: sessionIdleSeconds, reuseGraceMs });
  const serviceTokens = createServiceTokens({ db, bus, cache, usage });
  const members = createMembers({ db, bus, sessions, throttle });
  let decoy: Promise<string> | undefined;
  preloadPasswordPolicy();

  async function anyTenant(): Promise<boolean> {
    const [row] = await db.select({ id: tenants.id }).from(tenants).limit(1);
    return !!row;
  }

  const signupClosed = () =>
    new DomainError('FORBIDDEN', 'Sign-up is closed on this server: ask an admin of your workspace for an invitation', { reason: 'SIGNUP_CLOSED' });

  return {
    cache,
    sessions,
    serviceTokens,
    members,
    throttle,

    /** `Authorization: Bearer` credential -> viewer. Throws UNAUTHENTICATED for a bad, expired or ended one. */
    async authenticate(bearer: string): Promise<Viewer> {
      if (bearer.startsWith(SERVICE_TOKEN_PREFIX)) return serviceTokens.authenticate(bearer);
      if (bearer.startsWith(REFRESH_TOKEN_PREFIX)) throw unauthenticated('A refresh token is not an access token: exchange it with refreshSession');
      return sessions.authenticateAccessToken(bearer);
    },

    /** The HttpOnly session cookie -> the person (only for what the cookie may authenticate: see context.ts). */
    authenticateSessionCookie(value: string): Promise<UserViewer> {
      return sessions.authenticateRefreshToken(value);
    },

    /** Whether `register` would create a workspace now. */
    async signupOpen(): Promise<boolean> {
      return allowSignup || !(await anyTenant());
    },

    /**
     * Creates a tenant and its first ADMIN, and signs in. Open for the server's first workspace;
     * after that only with `allowSignup` (invitations are the way in).
     */
    async register(input: RegisterInput, client: ClientInfo): Promise<SignedIn> {
      if (!allowSignup && (await anyTenant())) throw signupClosed();
      const email = parseEmail(input.email);
      const name = parseName(input.name, 'name');
      const tenantName = parseName(input.tenantName, 'tenantName');
      await throttle.check(null, client.address);
      const password = await checkPasswordPolicy(input.password, { userInputs: [email, name, tenantName] });
      const passwordHash = await hashPassword(password);
      const user = await db.transaction(async (tx) => {
        // sign-up closed: only the first workspace, claimed once even by two racing sign-ups
        if (!allowSignup) {
          const claimed = await tx.insert(settings).values({ key: 'first_workspace', value: email }).onConflictDoNothing().returning();
          if (claimed.length === 0) throw signupClosed();
        }
        const [existing] = await tx.select({ id: users.id }).from(users).where(eq(users.email, email));
        if (existing) return null;
        const [tenant] = await tx.insert(tenants).values({ name: tenantName }).returning();
        const [created] = await tx
          .insert(users)
          .values({ tenantId: tenant!.id, email, name, passwordHash, role: 'ADMIN' })
          .onConflictDoNothing()
          .returning();
        // a concurrent sign-up with the same email won the race
        if (!created) throw new DomainError('BAD_USER_INPUT', 'That email is already registered', { field: 'email' });
        return created;
      });
      if (!user) {
        // an open sign-up must say the email is taken; count it like a failed sign-in so it is no free oracle
        await throttle.failed(null, client.address);
        throw badInput('That email is already registered', 'email');
      }
      return sessions.start(user, client.userAgent);
    },

    /** Email and password -> a new session. The same answer, and about the same time, whether or not the email exists. */
    async login(emailInput: string, password: string, client: ClientInfo): Promise<SignedIn> {
      const email = emailInput.trim().toLowerCase().slice(0, 254);
      await throttle.check(email, client.address);
      const [user] = await db.select().from(users).where(eq(users.email, email));
      // compare against a decoy when there is no such user, so timing does not reveal accounts
      const stored = user?.passwordHash ?? (await (decoy ??= hashPassword(randomBytes(16).toString('hex'))));
      const ok = password.length <= 256 && (await verifyPassword(password, stored));
      if (!user || !ok) {
        await throttle.failed(email, client.address);
        throw unauthenticated('Invalid email or password');
      }
      await throttle.succeeded(email, client.address);
      return sessions.start(user, client.userAgent);
    },

    async anyUser(): Promise<boolean> {
      const [row] = await db.select({ id: users.id }).from(users).limit(1);
      return !!row;
    },

    userById: members.userById,
    usersByIds: members.usersByIds,

    /** Writes pending "last used" times and deletes ended sessions and codes. */
    async maintain(): Promise<void> {
      await usage.flush();
      await sessions.prune();
      await members.prune();
    },

    /** Writes what is pending and stops listening. */
    async stop(): Promise<void> {
      cache.close();
      await usage.stop();
    },
  };
}
