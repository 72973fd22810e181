import { randomBytes } from 'node:crypto';
import type { TestApp } from './app.js';

/** A member of the admin's tenant with `role`, signed in; returns their JWT. */
export async function addMember(t: TestApp, adminToken: string, role: 'ADMIN' | 'MEMBER' | 'VIEWER', name = `${role.toLowerCase()} person`): Promise<string> {
  const email = `${role.toLowerCase()}-${randomBytes(6).toString('hex')}@example.com`;
  const password = `Quartz-${randomBytes(8).toString('hex')}-lantern`;
  const created = await t.gql(
    'mutation ($input: CreateMemberInput!) { createMember(input: $input) { id } }',
    { input: { email, password, name, role } },
    adminToken,
  );
  if (!created.data) throw new Error(`createMember failed: ${JSON.stringify(created.errors)}`);
  const login = await t.gql('mutation ($e: String!, $p: String!) { login(email: $e, password: $p) { token } }', { e: email, p: password });
  if (!login.data) throw new Error(`login failed: ${JSON.stringify(login.errors)}`);
  return login.data.login.token;
}

/** A service token of the admin's tenant limited to `channels`; returns its secret. */
export async function addServiceToken(t: TestApp, adminToken: string, channels: string[]): Promise<string> {
  const created = await t.gql(
    'mutation ($c: [String!]!) { createServiceToken(name: "narrow", channels: $c) { secret } }',
    { c: channels },
    adminToken,
  );
  if (!created.data) throw new Error(`createServiceToken failed: ${JSON.stringify(created.errors)}`);
  return created.data.createServiceToken.secret;
}

/** The error code of the first error, or 'none'. */
export const codeOf = (result: { errors?: { extensions?: Record<string, any> }[] }) => result.errors?.[0]?.extensions?.code ?? 'none';
