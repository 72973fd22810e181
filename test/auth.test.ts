import { SignJWT } from 'jose';
import { getNamedType, isEnumType, isInputObjectType, isListType, isNonNullType, isObjectType, type GraphQLInputType } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { schema } from '../server/schema/index.js';
import { resolveJwtSecret } from '../server/domain/auth/auth.js';
import { startApp, type TestApp } from './support/app.js';

const REGISTER = /* GraphQL */ `
  mutation ($input: RegisterInput!) { register(input: $input) { token user { id email role } } }
`;
const LOGIN = /* GraphQL */ `
  mutation ($email: String!, $password: String!) { login(email: $email, password: $password) { token user { email } } }
`;
const CREATE_TOKEN = /* GraphQL */ `
  mutation ($name: String!, $channels: [String!]!) {
    createServiceToken(name: $name, channels: $channels) { secret token { id name channels revokedAt } }
  }
`;

let t: TestApp;
beforeAll(async () => {
  t = await startApp();
});
afterAll(() => t.close());

const count = async (table: string) =>
  Number(((await t.store.db.execute(sql.raw(`select count(*)::int as n from ${table}`))) as any).rows[0].n);

describe('register and login', () => {
  it('registers a tenant and its first ADMIN, and signs in with the same password', async () => {
    const reg = await t.gql(REGISTER, {
      input: { email: 'Ada@Example.com', password: 'analytical-engine', name: 'Ada', tenantName: 'Engines' },
    });
    expect(reg.errors).toBeUndefined();
    expect(reg.data.register.user).toMatchObject({ email: 'ada@example.com', role: 'ADMIN' });

    const viewer = await t.gql('{ viewer { email role } }', {}, reg.data.register.token);
    expect(viewer.data.viewer).toEqual({ email: 'ada@example.com', role: 'ADMIN' });

    const login = await t.gql(LOGIN, { email: 'ADA@example.com', password: 'analytical-engine' });
    expect(login.data.login.user.email).toBe('ada@example.com');
    expect((await t.gql('{ viewer { email } }', {}, login.data.login.token)).data.viewer.email).toBe('ada@example.com');
  });

  it('refuses a wrong password and an unknown email alike', async () => {
    const { email } = await t.signUp('wrongpw');
    for (const attempt of [
      { email, password: 'not the password' },
      { email: 'nobody@example.com', password: 'whatever-it-is' },
    ]) {
      const result = await t.gql(LOGIN, attempt);
      // UNAUTHENTICATED refuses the request as a whole: 401, no data (docs/errors.md)
      expect(result.data).toBeUndefined();
      expect(result.errors![0]).toMatchObject({ message: 'Invalid email or password', extensions: { code: 'UNAUTHENTICATED' } });
    }
  });

  it('refuses a duplicate email, case-insensitively, and stores nothing', async () => {
    const { email } = await t.signUp('dup');
    const [tenants, users] = [await count('tenants'), await count('users')];
    const result = await t.gql(REGISTER, {
      input: { email: email.toUpperCase(), password: 'another-password', name: 'Dup', tenantName: 'Dup 2' },
    });
    expect(result.errors![0]).toMatchObject({ message: 'That email is already registered', extensions: { code: 'BAD_USER_INPUT', field: 'email' } });
    expect([await count('tenants'), await count('users')]).toEqual([tenants, users]);
  });

  it.each([
    [{ email: 'x@example.com', password: '', name: 'X', tenantName: 'X' }, 'password', 'Password must be at least 8 characters'],
    [{ email: 'not-an-email', password: 'long-enough', name: 'X', tenantName: 'X' }, 'email', 'Invalid email address'],
    [{ email: 'y@example.com', password: 'long-enough', name: '  ', tenantName: 'X' }, 'name', 'name must not be empty'],
    [{ email: 'z@example.com', password: 'long-enough', name: 'Z', tenantName: '' }, 'tenantName', 'tenantName must not be empty'],
  ])('refuses bad sign-up input %# naming the field, storing nothing', async (input, field, message) => {
    const before = await count('users');
    const result = await t.gql(REGISTER, { input });
    expect(result.errors![0]).toMatchObject({ message, extensions: { code: 'BAD_USER_INPUT', field } });
    expect(await count('users')).toBe(before);
  });
});

describe('JWTs', () => {
  it('refuses a forged token (wrong secret) and an expired one with UNAUTHENTICATED', async () => {
    const { userId, tenantId } = await t.signUp('jwt');
    const forged = await new SignJWT({ tid: tenantId, role: 'ADMIN' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(userId)
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode('x'.repeat(48)));
    const forgedResult = await t.gql('{ viewer { id } }', {}, forged);
    expect(forgedResult.errors![0]).toMatchObject({ message: 'Invalid token', extensions: { code: 'UNAUTHENTICATED' } });

    // signed with the real secret, expired a minute ago: no waiting on the clock
    const secret = await resolveJwtSecret(t.store.db);
    const expiredToken = await new SignJWT({ tid: tenantId, role: 'ADMIN' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(userId)
      .setIssuedAt(Math.floor(Date.now() / 1000) - 120)
      .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
      .sign(secret);
    const expired = await t.gql('{ viewer { name } }', {}, expiredToken);
    expect(expired.errors![0]).toMatchObject({
      message: 'Token expired: renew it with refreshSession, or sign in again',
      extensions: { code: 'UNAUTHENTICATED', reason: 'TOKEN_EXPIRED' },
    });
  });

  it('refuses a malformed Authorization header', async () => {
    const response = await fetch(`${t.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Basic dXNlcjpwYXNz' },
      body: JSON.stringify({ query: '{ viewer { id } }' }),
    });
    const body = await response.json();
    expect(body.errors[0]).toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
    expect(body.errors[0].message).toContain('Bearer');
  });

  it('keeps the generated secret in the store, so a token survives a restart', async () => {
    const { token } = await t.signUp('restart');
    const second = await startApp({ store: t.store, bus: t.bus });
    try {
      expect((await second.gql('{ viewer { name } }', {}, token)).data.viewer.name).toBe('restart');
    } finally {
      await second.close();
    }
  });
});

describe('scopes', () => {
  it('lets anonymous callers reach only __typename, viewer, sign-up and sign-in, session renewal, one-time codes and public status pages', async () => {
    // setupRequired / signupOpen: the console's first screen; they say only whether any account exists and whether sign-up is open.
    // statusPage: a page an ADMIN published for anyone (test/status-pages.test.ts checks what it shows)
    const anonymous = new Set([
      'Query.viewer',
      'Query.setupRequired',
      'Query.signupOpen',
      'Query.statusPage',
      'Mutation.register',
      'Mutation.login',
      'Mutation.refreshSession',
      'Mutation.signOut',
      'Mutation.resetPassword',
      'Mutation.acceptInvitation',
    ]);
    const roots = [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()];
    const probes: string[] = [];
    for (const root of roots) {
      for (const field of Object.values(root!.getFields())) {
        const name = `${root!.name}.${field.name}`;
        if (anonymous.has(name)) continue;
        probes.push(name);
        const op = root === roots[0] ? 'query' : root === roots[1] ? 'mutation' : 'subscription';
        if (op === 'subscription') continue; // checked over SSE in sse.test.ts
        const args = field.args.filter((a) => a.type.toString().endsWith('!'));
        const vars = args.map((a) => `$${a.name}: ${a.type.toString()}`).join(', ');
        const call = args.length ? `(${args.map((a) => `${a.name}: $${a.name}`).join(', ')})` : '';
        const type = getNamedType(field.type);
        const selection = isObjectType(type) ? ' { __typename }' : '';
        const document = `${op}${vars ? ` (${vars})` : ''} { ${field.name}${call}${selection} }`;
        const variables = Object.fromEntries(args.map((a) => [a.name, sampleFor(a.type)]));
        const result = await t.gql(document, variables);
        expect(result.errors?.[0]?.extensions?.code, `${name}: ${JSON.stringify(result.errors)}`).toBe('UNAUTHENTICATED');
      }
    }
    expect(probes.length).toBeGreaterThan(3);
    expect((await t.gql('{ __typename }')).data).toEqual({ __typename: 'Query' });
    expect((await t.gql('{ viewer { id } }')).data).toEqual({ viewer: null });
  });

  it('refuses an ADMIN mutation to a VIEWER with FORBIDDEN, and stores nothing', async () => {
    const admin = await t.signUp('roles');
    const member = await t.gql(
      `mutation ($input: CreateMemberInput!) { createMember(input: $input) { id role } }`,
      { input: { email: `viewer-${Date.now()}@example.com`, password: 'viewer-password', name: 'Vee', role: 'VIEWER' } },
      admin.token,
    );
    expect(member.data.createMember.role).toBe('VIEWER');
    const email = (await t.gql('{ members { email role } }', {}, admin.token)).data.members.find((m: any) => m.role === 'VIEWER').email;
    const viewerToken = (await t.gql(LOGIN, { email, password: 'viewer-password' })).data.login.token;

    const before = await count('service_tokens');
    const result = await t.gql(CREATE_TOKEN, { name: 'nope', channels: ['*'] }, viewerToken);
    expect(result.errors![0]).toMatchObject({ message: 'Not allowed to call createServiceToken', extensions: { code: 'FORBIDDEN' } });
    expect(await count('service_tokens')).toBe(before);
    // a VIEWER still reads what it may
    expect((await t.gql('{ viewer { role } }', {}, viewerToken)).data.viewer.role).toBe('VIEWER');
  });
});

describe('service tokens', () => {
  it('shows the secret once, lists without it, and a revoked token is refused', async () => {
    const admin = await t.signUp('tokens');
    const created = await t.gql(CREATE_TOKEN, { name: 'etl worker', channels: ['etl:*', 'balance-sync'] }, admin.token);
    const { secret, token } = created.data.createServiceToken;
    expect(secret).toMatch(/^pbs_[\w-]{43}$/);
    expect(token).toMatchObject({ name: 'etl worker', channels: ['etl:*', 'balance-sync'], revokedAt: null });

    const listed = await t.gql('{ serviceTokens { id name } }', {}, admin.token);
    expect(listed.data.serviceTokens).toEqual([{ id: token.id, name: 'etl worker' }]);
    expect(JSON.stringify(listed)).not.toContain(secret);
    const stored = (await t.store.db.execute(sql`select secret_hash from service_tokens where id = ${token.id}`)) as any;
    expect(stored.rows[0].secret_hash).not.toContain(secret.slice(4));

    // the service authenticates: it is signed in but not a person
    expect((await t.gql('{ viewer { id } }', {}, secret)).data).toEqual({ viewer: null });
    expect((await t.gql('{ __typename }', {}, secret)).errors).toBeUndefined();

    const revoked = await t.gql('mutation ($id: ID!) { revokeServiceToken(id: $id) { revokedAt } }', { id: token.id }, admin.token);
    expect(revoked.data.revokeServiceToken.revokedAt).not.toBeNull();
    const refused = await t.gql('{ __typename }', {}, secret);
    expect(refused.errors![0]).toMatchObject({ message: 'Invalid or revoked service token', extensions: { code: 'UNAUTHENTICATED' } });
  });

  it('refuses channel patterns that are not channels', async () => {
    const admin = await t.signUp('patterns');
    for (const channels of [[], ['has space'], ['mid*dle'], ['x'.repeat(201)]]) {
      const result = await t.gql(CREATE_TOKEN, { name: 'bad', channels }, admin.token);
      expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    }
    expect((await t.gql('{ serviceTokens { id } }', {}, admin.token)).data.serviceTokens).toEqual([]);
  });
});

describe('tenancy', () => {
  it('tenant B cannot see or revoke tenant A’s tokens, nor see its members', async () => {
    const a = await t.signUp('tenantA');
    const b = await t.signUp('tenantB');
    const created = await t.gql(CREATE_TOKEN, { name: 'a-token', channels: ['*'] }, a.token);
    const tokenId = created.data.createServiceToken.token.id;

    expect((await t.gql('{ serviceTokens { id } }', {}, b.token)).data.serviceTokens).toEqual([]);
    const members = (await t.gql('{ members { email } }', {}, b.token)).data.members.map((m: any) => m.email);
    expect(members).toEqual([b.email.toLowerCase()]);

    const revoke = await t.gql('mutation ($id: ID!) { revokeServiceToken(id: $id) { id } }', { id: tokenId }, b.token);
    expect(revoke.errors![0]).toMatchObject({ message: 'No such service token', extensions: { code: 'NOT_FOUND' } });
    const still = await t.gql('{ serviceTokens { id revokedAt } }', {}, a.token);
    expect(still.data.serviceTokens).toEqual([{ id: tokenId, revokedAt: null }]);
  });
});

/** A value of `type` that passes coercion, so the probe reaches the field's scope check. */
function sampleFor(type: GraphQLInputType): unknown {
  if (isNonNullType(type)) return sampleFor(type.ofType);
  if (isListType(type)) return [];
  if (isInputObjectType(type)) {
    const fields = Object.values(type.getFields()).filter((f) => isNonNullType(f.type));
    return Object.fromEntries(fields.map((f) => [f.name, sampleFor(f.type)]));
  }
  if (isEnumType(type)) return type.getValues()[0]!.value;
  const scalars: Record<string, unknown> = { Int: 1, Float: 1, Boolean: true, ID: '00000000-0000-0000-0000-000000000000', DateTime: new Date().toISOString(), JSON: {} };
  return scalars[type.name] ?? 'x';
}
