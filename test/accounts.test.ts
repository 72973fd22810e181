import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { resolveJwtSecret } from '../server/domain/auth/auth.js';
import { startApp, type TestApp } from './support/app.js';
import { addMember, codeOf, login } from './support/accounts.js';
import { storeKinds } from './support/services.js';

const MEMBERS = '{ members { id email role } }';
const REMOVE = 'mutation ($id: ID!) { removeMember(id: $id) { id } }';
const SET_ROLE = 'mutation ($id: ID!, $role: Role!) { setMemberRole(id: $id, role: $role) { id role } }';

describe.each(storeKinds)('people and access on %s', (storeKind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp({ storeKind, config: { monitorAllowPrivate: true } });
  });
  afterAll(() => t.close());

  const count = async (table: string) => Number(((await t.store.db.execute(sql.raw(`select count(*)::int as n from ${table}`))) as any).rows[0].n);

  describe('identity comes from the store, not the token', () => {
    it('refuses a correctly signed token whose sub is no member, whose tid is another tenant, or whose session is not theirs', async () => {
      const a = await t.signUp('forge-a');
      const b = await t.signUp('forge-b');
      const secret = await resolveJwtSecret(t.store.db);
      const sessionOfA = JSON.parse(Buffer.from(a.token.split('.')[1]!, 'base64url').toString()).sid;
      const mint = (claims: Record<string, unknown>, sub: string) =>
        new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setSubject(sub).setIssuedAt().setExpirationTime('1h').sign(secret);
      const forgeries = {
        'random sub, real tenant, ADMIN claim': await mint({ tid: a.tenantId, role: 'ADMIN' }, randomUUID()),
        'random sub with a real session': await mint({ tid: a.tenantId, sid: sessionOfA, role: 'ADMIN' }, randomUUID()),
        "B's person in A's session": await mint({ tid: a.tenantId, sid: sessionOfA }, b.userId),
        "A's person and session, B's tenant": await mint({ tid: b.tenantId, sid: sessionOfA }, a.userId),
        'a real person, an invented session': await mint({ tid: a.tenantId, sid: randomUUID() }, a.userId),
      };
      for (const [what, token] of Object.entries(forgeries)) {
        for (const query of [MEMBERS, '{ monitors { id } }', '{ serviceTokens { id } }']) {
          const result = await t.gql(query, {}, token);
          expect(codeOf(result), `${what}: ${query}`).toBe('UNAUTHENTICATED');
          expect(result.data ?? null, what).toBeNull();
        }
      }
      // the genuine token still works
      expect((await t.gql(MEMBERS, {}, a.token)).data.members).toHaveLength(1);
    });

    it('reads the role from the store: a demoted ADMIN is refused admin work at once, with the same token', async () => {
      const owner = await t.signUp('demote');
      const other = await addMember(t, owner.token, 'ADMIN');
      expect(codeOf(await t.gql('{ serviceTokens { id } }', {}, other.token))).toBeUndefined();
      expect((await t.gql(SET_ROLE, { id: other.userId, role: 'VIEWER' }, owner.token)).data.setMemberRole.role).toBe('VIEWER');
      const before = await count('service_tokens');
      expect(codeOf(await t.gql('{ serviceTokens { id } }', {}, other.token))).toBe('FORBIDDEN');
      expect(codeOf(await t.gql('mutation { createServiceToken(name: "x", channels: ["*"]) { secret } }', {}, other.token))).toBe('FORBIDDEN');
      expect(codeOf(await t.gql('mutation { createMonitor(input: {name: "m", url: "http://127.0.0.1:9/"}) { id } }', {}, other.token))).toBe('FORBIDDEN');
      expect(await count('service_tokens')).toBe(before);
      expect((await t.gql('{ viewer { role } }', {}, other.token)).data.viewer.role).toBe('VIEWER');
      // and raised again, it may
      await t.gql(SET_ROLE, { id: other.userId, role: 'ADMIN' }, owner.token);
      expect(codeOf(await t.gql('{ serviceTokens { id } }', {}, other.token))).toBeUndefined();
    });

    it('refuses a removed member’s next request, and their refresh token', async () => {
      const owner = await t.signUp('remove');
      const gone = await addMember(t, owner.token, 'MEMBER');
      expect(codeOf(await t.gql(MEMBERS, {}, gone.token))).toBeUndefined();
      const removed = await t.gql(REMOVE, { id: gone.userId }, owner.token);
      expect(removed.data.removeMember.id).toBe(gone.userId);
      const next = await t.gql(MEMBERS, {}, gone.token);
      expect(codeOf(next)).toBe('UNAUTHENTICATED');
      const renew = await t.gql('mutation ($r: String) { refreshSession(refreshToken: $r) { token } }', { r: gone.refreshToken });
      expect(codeOf(renew)).toBe('UNAUTHENTICATED');
      expect((await t.gql(MEMBERS, {}, owner.token)).data.members.map((m: any) => m.id)).toEqual([owner.userId]);
      await expect(login(t, gone.email, gone.password)).rejects.toThrow(/Invalid email or password/);
    });
  });

  describe('the last ADMIN', () => {
    it('cannot remove or demote themselves; with a second ADMIN they can', async () => {
      const owner = await t.signUp('last');
      for (const result of [await t.gql(REMOVE, { id: owner.userId }, owner.token), await t.gql(SET_ROLE, { id: owner.userId, role: 'MEMBER' }, owner.token)]) {
        expect(result.errors![0]).toMatchObject({ extensions: { code: 'FORBIDDEN', reason: 'LAST_ADMIN' } });
        expect(result.errors![0]!.message).toMatch(/last ADMIN/);
      }
      expect((await t.gql('{ viewer { role } }', {}, owner.token)).data.viewer.role).toBe('ADMIN');
      const second = await addMember(t, owner.token, 'ADMIN');
      expect((await t.gql(SET_ROLE, { id: owner.userId, role: 'MEMBER' }, owner.token)).data.setMemberRole.role).toBe('MEMBER');
      // now `second` is the last one
      expect(codeOf(await t.gql(REMOVE, { id: second.userId }, second.token))).toBe('FORBIDDEN');
    });

    it('two ADMINs demoting each other at once: exactly one succeeds, the tenant keeps an ADMIN', async () => {
      const owner = await t.signUp('race');
      const other = await addMember(t, owner.token, 'ADMIN');
      const results = await Promise.all([
        t.gql(SET_ROLE, { id: other.userId, role: 'MEMBER' }, owner.token),
        t.gql(SET_ROLE, { id: owner.userId, role: 'MEMBER' }, other.token),
      ]);
      const refused = results.filter((r) => codeOf(r));
      // the loser is refused either as the last ADMIN or, already demoted, as no ADMIN at all
      expect(refused).toHaveLength(1);
      expect(['FORBIDDEN']).toContain(codeOf(refused[0]!));
      const roles = (await t.gql(MEMBERS, {}, owner.token)).data.members.map((m: any) => m.role).sort();
      expect(roles).toEqual(['ADMIN', 'MEMBER']);
    });

    it('tenant B can neither see, remove nor re-role tenant A’s people', async () => {
      const a = await t.signUp('iso-a');
      const b = await t.signUp('iso-b');
      const member = await addMember(t, a.token, 'MEMBER');
      for (const result of [
        await t.gql(REMOVE, { id: member.userId }, b.token),
        await t.gql(SET_ROLE, { id: member.userId, role: 'ADMIN' }, b.token),
        await t.gql('mutation ($id: ID!) { createPasswordReset(memberId: $id) { code } }', { id: member.userId }, b.token),
      ]) {
        expect(codeOf(result)).toBe('NOT_FOUND');
      }
      expect((await t.gql(MEMBERS, {}, a.token)).data.members.find((m: any) => m.id === member.userId).role).toBe('MEMBER');
      expect(JSON.stringify((await t.gql(MEMBERS, {}, b.token)).data)).not.toContain(member.email);
    });
  });

  describe('passwords', () => {
    it('refuses common and trivial passwords with the reason, storing nothing', async () => {
      const before = await count('users');
      for (const password of ['12345678', 'password1', '        ', 'qwertyuiop', 'iloveyou', 'aaaaaaaaaaaa', 'short']) {
        const result = await t.gql('mutation ($i: RegisterInput!) { register(input: $i) { token } }', {
          i: { email: `weak-${Math.random()}@example.com`, password, name: 'Weak', tenantName: 'Weak Co' },
        });
        expect(result.errors?.[0]?.extensions, password).toMatchObject({ code: 'BAD_USER_INPUT', field: 'password' });
      }
      // the person's own name and email count as easy to guess
      const own = await t.gql('mutation ($i: RegisterInput!) { register(input: $i) { token } }', {
        i: { email: `margaret.hamilton@example.com`, password: 'margaret.hamilton', name: 'Margaret Hamilton', tenantName: 'Apollo' },
      });
      expect(own.errors?.[0]?.message).toMatch(/too easy to guess/);
      expect(await count('users')).toBe(before);
    });

    it('changing one’s password keeps this session, ends the others, and needs the current password', async () => {
      const owner = await t.signUp('chpw');
      const person = await addMember(t, owner.token, 'MEMBER');
      const elsewhere = await login(t, person.email, person.password);
      const CHANGE = 'mutation ($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) }';
      const wrong = await t.gql(CHANGE, { c: 'not my password', n: 'violet harbor engine seven' }, person.token);
      expect(wrong.errors![0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'currentPassword' } });
      const weak = await t.gql(CHANGE, { c: person.password, n: 'password123' }, person.token);
      expect(weak.errors![0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'newPassword' } });
      expect((await t.gql(CHANGE, { c: person.password, n: 'violet harbor engine seven' }, person.token)).data.changePassword).toBe(true);
      expect(codeOf(await t.gql(MEMBERS, {}, person.token))).toBeUndefined();
      expect(codeOf(await t.gql(MEMBERS, {}, elsewhere.token))).toBe('UNAUTHENTICATED');
      await expect(login(t, person.email, person.password)).rejects.toThrow(/Invalid email or password/);
      await login(t, person.email, 'violet harbor engine seven');
    });

    it('an admin-issued reset code sets a new password once, ends every session, and signs in', async () => {
      const owner = await t.signUp('reset');
      const person = await addMember(t, owner.token, 'VIEWER');
      const issued = await t.gql('mutation ($id: ID!) { createPasswordReset(memberId: $id) { code expiresAt } }', { id: person.userId }, owner.token);
      const { code, expiresAt } = issued.data.createPasswordReset;
      expect(code).toMatch(/^pbc_/);
      expect(Date.parse(expiresAt) - Date.now()).toBeGreaterThan(50 * 60_000);
      // a member cannot issue one
      expect(codeOf(await t.gql('mutation ($id: ID!) { createPasswordReset(memberId: $id) { code } }', { id: owner.userId }, person.token))).toBe('FORBIDDEN');
      const RESET = 'mutation ($c: String!, $p: String!) { resetPassword(code: $c, newPassword: $p) { token user { email role } } }';
      const weak = await t.gql(RESET, { c: code, p: 'letmein1' });
      expect(weak.errors![0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'newPassword' } });
      const reset = await t.gql(RESET, { c: code, p: 'orchard copper satellite' });
      expect(reset.data.resetPassword.user).toEqual({ email: person.email, role: 'VIEWER' });
      expect(codeOf(await t.gql(MEMBERS, {}, person.token))).toBe('UNAUTHENTICATED');
      expect(codeOf(await t.gql(MEMBERS, {}, reset.data.resetPassword.token))).toBeUndefined();
      const again = await t.gql(RESET, { c: code, p: 'another copper satellite' });
      expect(again.errors![0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'code' } });
      await login(t, person.email, 'orchard copper satellite');
    });
  });

  describe('invitations', () => {
    it('an invitation joins the tenant as its role, once; a revoked one does not', async () => {
      const owner = await t.signUp('invite');
      const email = `invitee-${Date.now()}@example.com`;
      const invited = await t.gql('mutation ($e: String!) { inviteMember(email: $e, role: MEMBER) { code invitation { id email role } } }', { e: email }, owner.token);
      const { code, invitation } = invited.data.inviteMember;
      expect(invitation).toMatchObject({ email, role: 'MEMBER' });
      expect((await t.gql('{ invitations { id email } }', {}, owner.token)).data.invitations).toEqual([{ id: invitation.id, email }]);
      const ACCEPT = 'mutation ($c: String!, $n: String!, $p: String!) { acceptInvitation(code: $c, name: $n, password: $p) { token user { email role } } }';
      const joined = await t.gql(ACCEPT, { c: code, n: 'Invitee', p: 'granite meadow lantern' });
      expect(joined.data.acceptInvitation.user).toEqual({ email, role: 'MEMBER' });
      expect((await t.gql('{ viewer { email } }', {}, joined.data.acceptInvitation.token)).data.viewer.email).toBe(email);
      expect(codeOf(await t.gql(ACCEPT, { c: code, n: 'Twice', p: 'granite meadow lantern' }))).toBe('BAD_USER_INPUT');
      expect((await t.gql('{ invitations { id } }', {}, owner.token)).data.invitations).toEqual([]);

      const second = (await t.gql('mutation { inviteMember(email: "later@example.com", role: VIEWER) { code invitation { id } } }', {}, owner.token)).data.inviteMember;
      const b = await t.signUp('invite-b');
      expect(codeOf(await t.gql('mutation ($id: ID!) { revokeInvitation(id: $id) { id } }', { id: second.invitation.id }, b.token))).toBe('NOT_FOUND');
      await t.gql('mutation ($id: ID!) { revokeInvitation(id: $id) { id } }', { id: second.invitation.id }, owner.token);
      const users = await count('users');
      expect(codeOf(await t.gql(ACCEPT, { c: second.code, n: 'Late', p: 'granite meadow lantern' }))).toBe('BAD_USER_INPUT');
      expect(await count('users')).toBe(users);
    });
  });

  describe('service tokens', () => {
    it('list their last use, written in batches', async () => {
      const owner = await t.signUp('lastuse');
      const secret = (await t.gql('mutation { createServiceToken(name: "s", channels: ["x"]) { secret } }', {}, owner.token)).data.createServiceToken.secret;
      expect((await t.gql('{ serviceTokens { lastUsedAt } }', {}, owner.token)).data.serviceTokens[0].lastUsedAt).toBeNull();
      const before = Date.now();
      await t.gql('{ __typename }', {}, secret);
      // this instance shows the use at once; the store has it after the next batch
      const listed = (await t.gql('{ serviceTokens { lastUsedAt } }', {}, owner.token)).data.serviceTokens[0].lastUsedAt;
      expect(Date.parse(listed)).toBeGreaterThanOrEqual(before - 1_000);
      await t.app.auth.maintain();
      const stored = (await t.store.db.execute(sql`select last_used_at from service_tokens where tenant_id = ${owner.tenantId}`)) as any;
      expect(stored.rows[0].last_used_at).not.toBeNull();
    });
  });
});

describe('closed sign-up', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp({ config: { allowSignup: false } });
  });
  afterAll(() => t.close());

  const REGISTER = 'mutation ($i: RegisterInput!) { register(input: $i) { token } }';
  const input = (email: string) => ({ i: { email, password: 'quiet river lantern', name: 'N', tenantName: 'T' } });

  it('opens the first workspace only; then every sign-up gets the same answer, existing email or not, and stores nothing', async () => {
    expect((await t.gql('{ signupOpen setupRequired }')).data).toEqual({ signupOpen: true, setupRequired: true });
    const first = await t.gql(REGISTER, input('first@example.com'));
    expect(first.data.register.token).toBeTruthy();
    expect((await t.gql('{ signupOpen setupRequired }')).data).toEqual({ signupOpen: false, setupRequired: false });
    const tenants = Number(((await t.store.db.execute(sql`select count(*)::int as n from tenants`)) as any).rows[0].n);
    const taken = await t.gql(REGISTER, input('first@example.com'));
    const fresh = await t.gql(REGISTER, input('fresh@example.com'));
    expect(taken.errors).toEqual(fresh.errors);
    expect(fresh.errors![0]).toMatchObject({ extensions: { code: 'FORBIDDEN', reason: 'SIGNUP_CLOSED' } });
    expect(fresh.errors![0]!.message).toMatch(/invitation/);
    expect(Number(((await t.store.db.execute(sql`select count(*)::int as n from tenants`)) as any).rows[0].n)).toBe(tenants);
  });

  it('two first sign-ups racing on an empty server create one workspace', async () => {
    const empty = await startApp({ config: { allowSignup: false } });
    try {
      const results = await Promise.all(['r1@example.com', 'r2@example.com', 'r3@example.com'].map((e) => empty.gql(REGISTER, input(e))));
      expect(results.filter((r) => r.data?.register).length).toBe(1);
      expect(Number(((await empty.store.db.execute(sql`select count(*)::int as n from tenants`)) as any).rows[0].n)).toBe(1);
    } finally {
      await empty.close();
    }
  });
});

describe('sign-in throttling', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp();
  });
  afterAll(() => t.close());

  const LOGIN = 'mutation ($e: String!, $p: String!) { login(email: $e, password: $p) { token } }';
  const raw = (email: string, password: string) =>
    fetch(`${t.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
      body: JSON.stringify({ query: LOGIN, variables: { e: email, p: password } }),
    });

  it('backs off repeated failures for an account with TOO_MANY_REQUESTS and a retry hint; the right password waits too', async () => {
    const { email } = await t.signUp('guess');
    const answers: { status: number; retryAfter: string | null; body: any }[] = [];
    for (let i = 0; i < 8; i++) {
      const response = await raw(email, `wrong guess ${i}`);
      answers.push({ status: response.status, retryAfter: response.headers.get('retry-after'), body: await response.json() });
    }
    const codes = answers.map((a) => a.body.errors[0].extensions.code);
    // five free mistakes, then each failure blocks for longer
    expect(codes.slice(0, 5)).toEqual(Array(5).fill('UNAUTHENTICATED'));
    expect(codes.slice(6)).toEqual(['TOO_MANY_REQUESTS', 'TOO_MANY_REQUESTS']);
    const throttled = answers.at(-1)!;
    expect(throttled.status).toBe(429);
    expect(Number(throttled.retryAfter)).toBeGreaterThanOrEqual(1);
    expect(throttled.body.errors[0].extensions.retryAfterMs).toBeGreaterThanOrEqual(1_000);
    expect(throttled.body.errors[0].message).toMatch(/Too many failed attempts: try again in \d+ s/);

    const right = await raw(email, 'correct horse battery');
    expect(right.status).toBe(429);
    // after the wait, the right password works and the account starts over
    await vi.waitFor(async () => expect((await t.gql(LOGIN, { e: email, p: 'correct horse battery' })).data?.login.token).toBeTruthy(), {
      timeout: 15_000,
      interval: 500,
    });
  });

  it('throttles an email that does not exist exactly like one that does', async () => {
    const codes: string[] = [];
    for (let i = 0; i < 7; i++) codes.push((await t.gql(LOGIN, { e: 'nobody-here@example.com', p: `x${i}` })).errors![0]!.extensions!.code);
    expect(codes.slice(0, 5)).toEqual(Array(5).fill('UNAUTHENTICATED'));
    expect(codes.at(-1)).toBe('TOO_MANY_REQUESTS');
  });
});
