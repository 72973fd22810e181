import type { TestApp } from './app.js';

export interface SignedInPerson {
  token: string;
  refreshToken: string;
  userId: string;
  email: string;
  password: string;
}

const SIGNED_IN = 'token refreshToken user { id email }';

/** Signs in over HTTP; throws with the errors when refused. */
export async function login(t: TestApp, email: string, password: string): Promise<SignedInPerson> {
  const result = await t.gql(`mutation ($e: String!, $p: String!) { login(email: $e, password: $p) { ${SIGNED_IN} } }`, { e: email, p: password });
  if (!result.data) throw new Error(`login failed: ${JSON.stringify(result.errors)}`);
  const { token, refreshToken, user } = result.data.login;
  return { token, refreshToken, userId: user.id, email: user.email, password };
}

let counter = 0;

/** An admin adds a person with `role`, who then signs in. */
export async function addMember(t: TestApp, adminToken: string, role: 'ADMIN' | 'MEMBER' | 'VIEWER', name = `${role.toLowerCase()}${++counter}`): Promise<SignedInPerson> {
  const email = `${name}-${Date.now()}-${Math.random().toString(36).slice(2)}@example.com`;
  const password = `blue ${name} lantern river`;
  const created = await t.gql(
    'mutation ($i: CreateMemberInput!) { createMember(input: $i) { id } }',
    { i: { email, password, name, role } },
    adminToken,
  );
  if (!created.data) throw new Error(`createMember failed: ${JSON.stringify(created.errors)}`);
  return login(t, email, password);
}

/** The error code of a GraphQL answer's first error (undefined when it succeeded). */
export const codeOf = (result: { errors?: { extensions?: Record<string, any> }[] }) => result.errors?.[0]?.extensions?.code as string | undefined;
