import type { ServiceTokenRow, UserRow } from '../db/schema.js';
import { builder } from './builder.js';

const Role = builder.enumType('Role', { values: ['ADMIN', 'MEMBER', 'VIEWER'] as const });

export const User = builder.objectRef<UserRow>('User').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    email: t.exposeString('email'),
    name: t.exposeString('name'),
    role: t.field({ type: Role, resolve: (u) => u.role }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

const AuthPayload = builder.objectRef<{ token: string; user: UserRow }>('AuthPayload').implement({
  fields: (t) => ({
    token: t.exposeString('token', { description: 'A JWT for the Authorization: Bearer header' }),
    user: t.field({ type: User, resolve: (p) => p.user }),
  }),
});

const ServiceToken = builder.objectRef<ServiceTokenRow>('ServiceToken').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    channels: t.exposeStringList('channels', { description: 'Channel patterns this token may publish to' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    revokedAt: t.expose('revokedAt', { type: 'DateTime', nullable: true }),
  }),
});

const CreatedServiceToken = builder
  .objectRef<{ token: ServiceTokenRow; secret: string }>('CreatedServiceToken')
  .implement({
    fields: (t) => ({
      token: t.field({ type: ServiceToken, resolve: (p) => p.token }),
      secret: t.exposeString('secret', { description: 'The bearer secret. Shown only this once.' }),
    }),
  });

const RegisterInput = builder.inputType('RegisterInput', {
  fields: (t) => ({
    email: t.string({ required: true }),
    password: t.string({ required: true }),
    name: t.string({ required: true }),
    tenantName: t.string({ required: true }),
  }),
});

const CreateMemberInput = builder.inputType('CreateMemberInput', {
  fields: (t) => ({
    email: t.string({ required: true }),
    password: t.string({ required: true }),
    name: t.string({ required: true }),
    role: t.field({ type: Role, required: true }),
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
    resolve: (_root, _args, { viewer, auth }) => auth.listMembers(viewer.tenantId),
  }),
  serviceTokens: t.withAuth({ admin: true }).field({
    type: [ServiceToken],
    resolve: (_root, _args, { viewer, auth }) => auth.listServiceTokens(viewer.tenantId),
  }),
}));

builder.mutationFields((t) => ({
  register: t.field({
    type: AuthPayload,
    skipTypeScopes: true,
    description: 'Creates a tenant and its first ADMIN',
    args: { input: t.arg({ type: RegisterInput, required: true }) },
    resolve: (_root, { input }, { auth }) => auth.register(input),
  }),
  login: t.field({
    type: AuthPayload,
    skipTypeScopes: true,
    args: { email: t.arg.string({ required: true }), password: t.arg.string({ required: true }) },
    resolve: (_root, { email, password }, { auth }) => auth.login(email, password),
  }),
  createMember: t.withAuth({ admin: true }).field({
    type: User,
    args: { input: t.arg({ type: CreateMemberInput, required: true }) },
    resolve: (_root, { input }, { viewer, auth }) => auth.createMember(viewer.tenantId, input),
  }),
  createServiceToken: t.withAuth({ admin: true }).field({
    type: CreatedServiceToken,
    args: {
      name: t.arg.string({ required: true }),
      channels: t.arg.stringList({ required: true, description: 'Channel patterns, e.g. "etl:*" or "balance-sync"' }),
    },
    resolve: (_root, { name, channels }, { viewer, auth }) =>
      auth.createServiceToken(viewer.tenantId, viewer.userId, name, channels),
  }),
  revokeServiceToken: t.withAuth({ admin: true }).field({
    type: ServiceToken,
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, { id }, { viewer, auth }) => auth.revokeServiceToken(viewer.tenantId, String(id)),
  }),
}));
