import type { ServiceTokenRow, UserRow } from '../db/schema.js';
import { builder } from './builder.js';

const Role = builder.enumType('Role', {
  description: 'What a person may do in their tenant',
  values: {
    ADMIN: { description: 'Everything: members, service tokens, retention, and all a MEMBER does' },
    MEMBER: { description: 'Works the tenant: publishes logs, manages monitors and incidents, answers tickets' },
    VIEWER: { description: 'Reads everything in the tenant, changes nothing' },
  },
});

export const User = builder.objectRef<UserRow>('User').implement({
  description: 'A person who signs in to a tenant (an agent, an operator, an admin)',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Stable identifier of the person' }),
    email: t.exposeString('email', { description: 'The address they sign in with' }),
    name: t.exposeString('name', { description: 'Display name, shown to colleagues and on ticket replies' }),
    role: t.field({ type: Role, description: 'What they may do in the tenant', resolve: (u) => u.role }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When the account was created' }),
  }),
});

const AuthPayload = builder.objectRef<{ token: string; user: UserRow }>('AuthPayload').implement({
  description: 'A successful sign-in: the credential to send, and who it is for',
  fields: (t) => ({
    token: t.exposeString('token', { description: 'A JWT for the Authorization: Bearer header' }),
    user: t.field({ type: User, description: 'The person who signed in', resolve: (p) => p.user }),
  }),
});

const ServiceToken = builder.objectRef<ServiceTokenRow>('ServiceToken').implement({
  description: 'A credential for a background service (a publisher, a support widget); the secret itself is never shown again',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Stable identifier, for revokeServiceToken' }),
    name: t.exposeString('name', { description: 'What the token is for, as its creator named it' }),
    channels: t.exposeStringList('channels', { description: 'Channel patterns this token may publish to' }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When it was issued' }),
    revokedAt: t.expose('revokedAt', { type: 'DateTime', nullable: true, description: 'When it was revoked; null while it still works' }),
  }),
});

const CreatedServiceToken = builder
  .objectRef<{ token: ServiceTokenRow; secret: string }>('CreatedServiceToken')
  .implement({
    description: 'A new service token and its secret, which is shown only in this response',
    fields: (t) => ({
      token: t.field({ type: ServiceToken, description: 'The token as it will be listed from now on', resolve: (p) => p.token }),
      secret: t.exposeString('secret', { description: 'The bearer secret. Shown only this once.' }),
    }),
  });

const RegisterInput = builder.inputType('RegisterInput', {
  description: 'A new tenant and its first ADMIN',
  fields: (t) => ({
    email: t.string({ required: true, description: 'The address the admin signs in with' }),
    password: t.string({ required: true, description: 'The admin’s password' }),
    name: t.string({ required: true, description: 'The admin’s display name' }),
    tenantName: t.string({ required: true, description: 'The organisation’s name' }),
  }),
});

const CreateMemberInput = builder.inputType('CreateMemberInput', {
  description: 'A person to add to your tenant',
  fields: (t) => ({
    email: t.string({ required: true, description: 'The address they will sign in with' }),
    password: t.string({ required: true, description: 'Their first password' }),
    name: t.string({ required: true, description: 'Their display name' }),
    role: t.field({ type: Role, required: true, description: 'What they may do' }),
  }),
});

builder.queryFields((t) => ({
  viewer: t.field({
    type: User,
    nullable: true,
    skipTypeScopes: true,
    description: 'The signed-in person, or null (anonymous callers and service tokens)',
    resolve: (_root, _args, { viewer, auth }) =>
      viewer?.kind === 'user' ? auth.userById(viewer.tenantId, viewer.userId).then((u) => u ?? null) : null,
  }),
  setupRequired: t.boolean({
    skipTypeScopes: true,
    description: 'True until the first account exists: the console then offers to create it. Reveals nothing else.',
    resolve: async (_root, _args, { auth }) => !(await auth.anyUser()),
  }),
  members: t.withAuth({ user: true }).field({
    type: [User],
    description: 'The people of your tenant (people only, not service tokens)',
    resolve: (_root, _args, { viewer, auth }) => auth.listMembers(viewer.tenantId),
  }),
  serviceTokens: t.withAuth({ admin: true }).field({
    type: [ServiceToken],
    description: 'Every service token of your tenant, revoked ones included (ADMIN)',
    resolve: (_root, _args, { viewer, auth }) => auth.listServiceTokens(viewer.tenantId),
  }),
}));

builder.mutationFields((t) => ({
  register: t.field({
    type: AuthPayload,
    skipTypeScopes: true,
    description: 'Creates a tenant and its first ADMIN',
    args: { input: t.arg({ type: RegisterInput, required: true, description: 'The tenant and its admin' }) },
    resolve: (_root, { input }, { auth }) => auth.register(input),
  }),
  login: t.field({
    type: AuthPayload,
    skipTypeScopes: true,
    description: 'Signs a person in: send the returned token as "Authorization: Bearer <token>"',
    args: {
      email: t.arg.string({ required: true, description: 'The address the account was created with' }),
      password: t.arg.string({ required: true, description: 'The account’s password' }),
    },
    resolve: (_root, { email, password }, { auth }) => auth.login(email, password),
  }),
  createMember: t.withAuth({ admin: true }).field({
    type: User,
    description: 'Adds a person to your tenant (ADMIN)',
    args: { input: t.arg({ type: CreateMemberInput, required: true, description: 'Who, and with which role' }) },
    resolve: (_root, { input }, { viewer, auth }) => auth.createMember(viewer.tenantId, input),
  }),
  createServiceToken: t.withAuth({ admin: true }).field({
    type: CreatedServiceToken,
    description: 'Issues a token for a background service, limited to channel patterns (ADMIN); its secret is in this response only',
    args: {
      name: t.arg.string({ required: true, description: 'What the token is for, e.g. "etl"' }),
      channels: t.arg.stringList({ required: true, description: 'Channel patterns, e.g. "etl:*" or "balance-sync"' }),
    },
    resolve: (_root, { name, channels }, { viewer, auth }) =>
      auth.createServiceToken(viewer.tenantId, viewer.userId, name, channels),
  }),
  revokeServiceToken: t.withAuth({ admin: true }).field({
    type: ServiceToken,
    description: 'Stops a service token working at once; its open streams end with UNAUTHENTICATED (ADMIN)',
    args: { id: t.arg.id({ required: true, description: 'The token’s id (not its secret)' }) },
    resolve: (_root, { id }, { viewer, auth }) => auth.revokeServiceToken(viewer.tenantId, String(id)),
  }),
}));
