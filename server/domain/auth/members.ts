import { createHash, randomBytes } from 'node:crypto';
import { and, asc, eq, gt, inArray, isNull, sql } from 'drizzle-orm';
import type { Bus } from '../../bus/index.js';
import { topics } from '../../bus/topics.js';
import type { Database } from '../../db/client.js';
import { accountCodes, tenants, users, type AccountCodeRow, type UserRow } from '../../db/schema.js';
import { DomainError, badInput, notFound } from '../shared/errors.js';
import { isUuid, parseEmail, parseName } from './input.js';
import { checkPasswordPolicy } from './password-policy.js';
import { hashPassword, verifyPassword } from './passwords.js';
import type { Sessions, SignedIn } from './sessions.js';
import type { SignInThrottle } from './sign-in-throttle.js';
import { roleRank, type Role, type UserViewer } from './viewer.js';

export interface CreateMemberInput {
  email: string;
  password: string;
  name: string;
  role: Role;
}

/** A one-time code as handed over: shown once, stored hashed. */
export interface IssuedCode {
  code: string;
  row: AccountCodeRow;
}

export interface CreateMembersOptions {
  db: Database;
  bus: Bus;
  sessions: Sessions;
  throttle: SignInThrottle;
  /** @default 3600 (1 h) */
  passwordResetTtlSeconds?: number;
  /** @default 604800 (7 days) */
  invitationTtlSeconds?: number;
}

export type Members = ReturnType<typeof createMembers>;

const CODE_PREFIX = 'pbc_';

/**
 * A tenant's people: adding, inviting, removing, changing roles and passwords. Changes that
 * take access away reach every instance at once through the bus (caches drop the person, open
 * streams end). Changes that could leave a tenant without an ADMIN are serialised per tenant
 * (a row lock) and refused, so two admins demoting each other at once cannot both succeed.
 */
export function createMembers({ db, bus, sessions, throttle, passwordResetTtlSeconds = 3_600, invitationTtlSeconds = 7 * 86_400 }: CreateMembersOptions) {
  type Tx = Parameters<Parameters<Database['transaction']>[0]>[0];

  /** Locks the tenant's membership for the transaction and returns `id`, a member of it. */
  async function lockMember(tx: Tx, tenantId: string, id: string): Promise<UserRow> {
    await tx.execute(sql`select 1 from ${tenants} where ${tenants.id} = ${tenantId} for update`);
    const [user] = isUuid(id) ? await tx.select().from(users).where(and(eq(users.tenantId, tenantId), eq(users.id, id))) : [];
    if (!user) throw notFound('No such member');
    return user;
  }

  async function adminCount(tx: Tx, tenantId: string): Promise<number> {
    const [row] = await tx.select({ n: sql<number>`count(*)::int` }).from(users).where(and(eq(users.tenantId, tenantId), eq(users.role, 'ADMIN')));
    return row!.n;
  }

  const lastAdmin = () =>
    new DomainError('FORBIDDEN', 'The last ADMIN cannot be removed or demoted: make another member ADMIN first', { reason: 'LAST_ADMIN' });

  async function issueCode(values: Omit<typeof accountCodes.$inferInsert, 'codeHash' | 'expiresAt'>, ttlSeconds: number): Promise<IssuedCode> {
    const code = CODE_PREFIX + randomBytes(24).toString('base64url');
    const [row] = await db
      .insert(accountCodes)
      .values({ ...values, codeHash: sha256(code), expiresAt: sql`now() + make_interval(secs => ${ttlSeconds})` })
      .returning();
    return { code, row: row! };
  }

  const invalidCode = (kind: AccountCodeRow['kind']) =>
    badInput(`This ${kind === 'INVITATION' ? 'invitation' : 'reset code'} is not valid: it may have expired or been used already; ask your admin for a new one`, 'code');

  const validCode = (kind: AccountCodeRow['kind'], code: string) =>
    and(eq(accountCodes.codeHash, sha256(code)), eq(accountCodes.kind, kind), isNull(accountCodes.usedAt), gt(accountCodes.expiresAt, sql`now()`));

  /** A valid, unused code of `kind` (and, for a reset, whose it is), without using it. */
  async function peek(kind: AccountCodeRow['kind'], code: string): Promise<{ row: AccountCodeRow; user?: UserRow }> {
    if (!code.startsWith(CODE_PREFIX) || code.length > 100) throw invalidCode(kind);
    const [found] = await db.select({ row: accountCodes, user: users }).from(accountCodes).leftJoin(users, eq(users.id, accountCodes.userId)).where(validCode(kind, code));
    if (!found || (kind === 'PASSWORD_RESET' && !found.user)) throw invalidCode(kind);
    return { row: found.row, user: found.user ?? undefined };
  }

  /** Marks the code used, once: concurrent redemptions race on this update and one wins. */
  async function redeem(tx: Tx, kind: AccountCodeRow['kind'], code: string): Promise<AccountCodeRow> {
    const [row] = await tx.update(accountCodes).set({ usedAt: sql`now()` }).where(validCode(kind, code)).returning();
    if (!row) throw invalidCode(kind);
    return row;
  }

  return {
    async list(tenantId: string): Promise<UserRow[]> {
      return db.select().from(users).where(eq(users.tenantId, tenantId)).orderBy(asc(users.createdAt), asc(users.email));
    },

    async userById(tenantId: string, id: string): Promise<UserRow | undefined> {
      if (!isUuid(id)) return undefined;
      const [user] = await db.select().from(users).where(and(eq(users.tenantId, tenantId), eq(users.id, id)));
      return user;
    },

    /** The tenant's people among `ids` (one query for a page of rows that name them). */
    async usersByIds(tenantId: string, ids: string[]): Promise<Map<string, UserRow>> {
      const valid = ids.filter(isUuid);
      if (valid.length === 0) return new Map();
      const rows = await db.select().from(users).where(and(eq(users.tenantId, tenantId), inArray(users.id, valid)));
      return new Map(rows.map((u) => [u.id, u]));
    },

    /** An admin adds a person with an initial password. */
    async create(tenantId: string, input: CreateMemberInput): Promise<UserRow> {
      const email = parseEmail(input.email);
      const name = parseName(input.name, 'name');
      const password = await checkPasswordPolicy(input.password, { userInputs: [email, name] });
      const [created] = await db
        .insert(users)
        .values({ tenantId, email, name, passwordHash: await hashPassword(password), role: input.role })
        .onConflictDoNothing()
        .returning();
      if (!created) throw badInput('That email already has an account', 'email');
      return created;
    },

    /** Removes a member: their sessions end and their open streams close on every instance. */
    async remove(tenantId: string, id: string): Promise<UserRow> {
      const removed = await db.transaction(async (tx) => {
        const user = await lockMember(tx, tenantId, id);
        if (user.role === 'ADMIN' && (await adminCount(tx, tenantId)) <= 1) throw lastAdmin();
        await tx.delete(users).where(eq(users.id, user.id));
        return user;
      });
      await bus.publish(tenantId, topics.accessChanged(), { userId: removed.id, reason: 'REMOVED' });
      return removed;
    },

    /** Changes a member's role; lowering it ends their open streams (they re-subscribe as what they now are). */
    async setRole(tenantId: string, id: string, role: Role): Promise<UserRow> {
      const [before, after] = await db.transaction(async (tx) => {
        const user = await lockMember(tx, tenantId, id);
        if (user.role === 'ADMIN' && role !== 'ADMIN' && (await adminCount(tx, tenantId)) <= 1) throw lastAdmin();
        const [updated] = await tx.update(users).set({ role }).where(eq(users.id, user.id)).returning();
        return [user, updated!] as const;
      });
      if (before.role !== role) {
        await bus.publish(tenantId, topics.accessChanged(), {
          userId: id,
          reason: roleRank(role) < roleRank(before.role) ? 'ROLE_LOWERED' : 'ROLE_RAISED',
        });
      }
      return after;
    },

    /** A person changes their own password; every other session of theirs ends. */
    async changePassword(viewer: UserViewer, currentPassword: string, newPassword: string, address: string): Promise<void> {
      const [user] = await db.select().from(users).where(and(eq(users.id, viewer.userId), eq(users.tenantId, viewer.tenantId)));
      if (!user) throw notFound('No such member');
      // the current password is a secret someone holding a stolen token would guess at: throttle it like sign-in
      await throttle.check(user.email, address);
      if (currentPassword.length > 256 || !(await verifyPassword(currentPassword, user.passwordHash))) {
        await throttle.failed(user.email, address);
        throw badInput('The current password is not right', 'currentPassword');
      }
      await throttle.succeeded(user.email, address);
      const password = await checkPasswordPolicy(newPassword, { field: 'newPassword', userInputs: [user.email, user.name] });
      await db.update(users).set({ passwordHash: await hashPassword(password) }).where(eq(users.id, user.id));
      await sessions.endAll(viewer.tenantId, viewer.userId, 'PASSWORD_CHANGED', viewer.sessionId);
    },

    /** An admin issues a one-time reset code for a member (no mail server: the admin hands it over). */
    async createPasswordReset(tenantId: string, createdBy: string, id: string): Promise<IssuedCode> {
      const user = isUuid(id) ? (await db.select().from(users).where(and(eq(users.tenantId, tenantId), eq(users.id, id))))[0] : undefined;
      if (!user) throw notFound('No such member');
      // one live reset per person: an earlier code stops working
      await db
        .update(accountCodes)
        .set({ usedAt: sql`now()` })
        .where(and(eq(accountCodes.userId, user.id), eq(accountCodes.kind, 'PASSWORD_RESET'), isNull(accountCodes.usedAt)));
      return issueCode({ tenantId, kind: 'PASSWORD_RESET', userId: user.id, createdBy }, passwordResetTtlSeconds);
    },

    /** Redeems a reset code: sets the password, ends every session of that person, signs in anew. */
    async resetPassword(code: string, newPassword: string, userAgent?: string | null): Promise<SignedIn> {
      const { row, user } = await peek('PASSWORD_RESET', code);
      // hashed before the transaction: scrypt must not hold the store
      const password = await checkPasswordPolicy(newPassword, { field: 'newPassword', userInputs: [user!.email, user!.name] });
      const passwordHash = await hashPassword(password);
      await db.transaction(async (tx) => {
        await redeem(tx, 'PASSWORD_RESET', code);
        await tx.update(users).set({ passwordHash }).where(eq(users.id, row.userId!));
      });
      await sessions.endAll(user!.tenantId, user!.id, 'PASSWORD_RESET');
      return sessions.start(user!, userAgent);
    },

    /** An admin invites someone by email, as `role`; the code (or link) is handed over and works once. */
    async invite(tenantId: string, createdBy: string, emailInput: string, role: Role): Promise<IssuedCode> {
      const email = parseEmail(emailInput);
      return issueCode({ tenantId, kind: 'INVITATION', email, role, createdBy }, invitationTtlSeconds);
    },

    /** Invitations not yet accepted, revoked or expired. */
    async invitations(tenantId: string): Promise<AccountCodeRow[]> {
      return db
        .select()
        .from(accountCodes)
        .where(and(eq(accountCodes.tenantId, tenantId), eq(accountCodes.kind, 'INVITATION'), isNull(accountCodes.usedAt), gt(accountCodes.expiresAt, sql`now()`)))
        .orderBy(asc(accountCodes.createdAt));
    },

    async revokeInvitation(tenantId: string, id: string): Promise<AccountCodeRow> {
      const [row] = isUuid(id)
        ? await db
            .update(accountCodes)
            .set({ usedAt: sql`coalesce(${accountCodes.usedAt}, now())` })
            .where(and(eq(accountCodes.tenantId, tenantId), eq(accountCodes.id, id), eq(accountCodes.kind, 'INVITATION')))
            .returning()
        : [];
      if (!row) throw notFound('No such invitation');
      return row;
    },

    /** Joins the invitation's tenant as its role, with a name and password of one's own, and signs in. */
    async acceptInvitation(code: string, nameInput: string, password: string, userAgent?: string | null): Promise<SignedIn> {
      const name = parseName(nameInput, 'name');
      const { row } = await peek('INVITATION', code);
      const passwordHash = await hashPassword(await checkPasswordPolicy(password, { userInputs: [row.email!, name] }));
      const user = await db.transaction(async (tx) => {
        await redeem(tx, 'INVITATION', code);
        const [created] = await tx
          .insert(users)
          .values({ tenantId: row.tenantId, email: row.email!, name, passwordHash, role: row.role! })
          .onConflictDoNothing()
          .returning();
        if (!created) throw badInput('This email already has an account: sign in with it instead', 'code');
        return created;
      });
      return sessions.start(user, userAgent);
    },

    /** Deletes codes that expired or were used more than a day ago. */
    async prune(): Promise<void> {
      await db.delete(accountCodes).where(sql`${accountCodes.expiresAt} < now() - interval '1 day' or ${accountCodes.usedAt} < now() - interval '1 day'`);
    },
  };
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
