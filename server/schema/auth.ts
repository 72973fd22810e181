import type { AccountCodeRow, ServiceTokenRow, UserRow } from '../db/schema.js';
import type { SignedIn } from '../domain/auth/auth.js';
import { badInput, unauthenticated } from '../domain/shared/errors.js';
import { ROLES, SERVICE_TOKEN_SCOPES } from '../domain/auth/viewer.js';
import { sameOriginOrNotBrowser } from '../plugins/use-session-cookie.js';
import type { Context } from '../context.js';
import { builder } from './builder.js';

const Role = builder.enumType('Role', {
  description: 'What a person may do in their workspace',
  values: Object.fromEntries(
    ROLES.map((role) => [
      role,
      {
        description: {
          ADMIN: 'Everything, including members, service tokens and settings',
          MEMBER: 'Read everything; act on monitors, incidents and tickets; publish logs',
          VIEWER: 'Read only',
        }[role],
      },
    ]),
  ) as Record<(typeof ROLES)[number], { description: string }>,
});

const ServiceTokenScope = builder.enumType('ServiceTokenScope', {
  description: 'What a service token may read beyond its channel patterns (its channels’ logs and names, and its services)',
  values: Object.fromEntries(
    SERVICE_TOKEN_SCOPES.map((scope) => [
      scope,
      {
        description: {
          READ_INCIDENTS: 'Read incidents and follow the incident stream',
          READ_MONITORS: 'Read monitors, their checks, alert rules (webhook URLs masked) and maintenance windows',
        }[scope],
      },
    ]),
  ) as Record<(typeof SERVICE_TOKEN_SCOPES)[number], { description: string }>,
});

export const User = builder.objectRef<UserRow>('User').implement({
  description: 'A person in a workspace',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Stable identifier' }),
    email: t.exposeString('email', { description: 'Sign-in email, lower-cased' }),
    name: t.exposeString('name', { description: 'Display name' }),
    role: t.field({ type: Role, description: 'What they may do', resolve: (u) => u.role }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When they joined' }),
  }),
});

const AuthPayload = builder.objectRef<SignedIn>('AuthPayload').implement({
  description:
    'A signed-in session. Browsers also get it as an HttpOnly cookie; other clients keep `refreshToken` and renew with `refreshSession` before `expiresAt`.',
  fields: (t) => ({
    token: t.exposeString('token', { description: 'A short-lived access token (JWT) for the `Authorization: Bearer` header' }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime', description: 'When `token` stops working; renew before then with `refreshSession`' }),
    refreshToken: t.exposeString('refreshToken', {
      description: 'The session’s refresh credential: exchange it with `refreshSession` for a new access token (and a new refresh token: each works once). Keep it secret; never put it in a URL.',
    }),
    refreshExpiresAt: t.expose('refreshExpiresAt', { type: 'DateTime', description: 'The session ends then unless it is used (each use moves this on)' }),
    user: t.field({ type: User, description: 'Who signed in', resolve: (p) => p.user }),
  }),
});

const ServiceToken = builder.objectRef<ServiceTokenRow>('ServiceToken').implement({
  description: 'A credential for a publishing service; its secret is shown once, when it is created',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Stable identifier' }),
    name: t.exposeString('name', { description: 'What it is for, e.g. "etl worker"' }),
    channels: t.exposeStringList('channels', { description: 'Channel patterns it may publish to and read; service keys it may report and read' }),
    scopes: t.field({ type: [ServiceTokenScope], description: 'What else it may read', resolve: (row) => row.scopes as ('READ_INCIDENTS' | 'READ_MONITORS')[] }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When it was created' }),
    revokedAt: t.expose('revokedAt', { type: 'DateTime', nullable: true, description: 'When it was revoked; null while it works' }),
    lastUsedAt: t.expose('lastUsedAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When it last authenticated a request (recorded in batches: up to a minute behind); null if never',
    }),
  }),
});

const CreatedServiceToken = builder.objectRef<{ token: ServiceTokenRow; secret: string }>('CreatedServiceToken').implement({
  description: 'A new service token and its secret',
  fields: (t) => ({
    token: t.field({ type: ServiceToken, description: 'The token', resolve: (p) => p.token }),
    secret: t.exposeString('secret', { description: 'The bearer secret. Shown only this once.' }),
  }),
});

const Invitation = builder.objectRef<AccountCodeRow>('Invitation').implement({
  description: 'An invitation to join the workspace, not yet accepted',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Stable identifier (revoke with `revokeInvitation`)' }),
    email: t.string({ description: 'Who is invited', resolve: (row) => row.email ?? '' }),
    role: t.field({ type: Role, description: 'The role they join as', resolve: (row) => row.role ?? 'VIEWER' }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When it was issued' }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime', description: 'It cannot be accepted after this' }),
  }),
});

const IssuedInvitation = builder.objectRef<{ code: string; row: AccountCodeRow }>('IssuedInvitation').implement({
  description: 'A new invitation and its one-time code',
  fields: (t) => ({
    invitation: t.field({ type: Invitation, description: 'The invitation', resolve: (p) => p.row }),
    code: t.exposeString('code', {
      description: 'The one-time code, shown only this once: hand it (or the console link `/#/join/<code>`) to the invitee, who accepts with `acceptInvitation`',
    }),
  }),
});

const PasswordReset = builder.objectRef<{ code: string; row: AccountCodeRow }>('PasswordReset').implement({
  description: 'A one-time password reset code an admin hands over (no mail server needed)',
  fields: (t) => ({
    code: t.exposeString('code', {
      description: 'The one-time code, shown only this once: the member sets a new password with `resetPassword` (or the console link `/#/reset/<code>`)',
    }),
    expiresAt: t.field({ type: 'DateTime', description: 'The code stops working then', resolve: (p) => p.row.expiresAt }),
  }),
});

const RegisterInput = builder.inputType('RegisterInput', {
  description: 'A new workspace and its first ADMIN',
  fields: (t) => ({
    email: t.string({ required: true, description: 'The admin’s sign-in email' }),
    password: t.string({ required: true, description: 'At least 8 characters, not common or easy to guess' }),
    name: t.string({ required: true, description: 'The admin’s display name' }),
    tenantName: t.string({ required: true, description: 'The workspace’s name' }),
  }),
});

const CreateMemberInput = builder.inputType('CreateMemberInput', {
  description: 'A person an admin adds with an initial password (or use `inviteMember`)',
  fields: (t) => ({
    email: t.string({ required: true, description: 'Their sign-in email' }),
    password: t.string({ required: true, description: 'An initial password: at least 8 characters, not common or easy to guess' }),
    name: t.string({ required: true, description: 'Their display name' }),
    role: t.field({ type: Role, required: true, description: 'What they may do' }),
  }),
});

/** Signed in: the browser gets the session as an HttpOnly cookie too. */
function withCookie(ctx: Context, signedIn: SignedIn): SignedIn {
  ctx.sessionCookie.set(signedIn.refreshToken, signedIn.refreshExpiresAt);
  return signedIn;
}

/** The session cookie, when the request may use it (our own origin, or not a browser). */
function cookieOf(ctx: Context): string | null {
  return ctx.sessionCookie.value && sameOriginOrNotBrowser(ctx.request) ? ctx.sessionCookie.value : null;
}

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
  signupOpen: t.boolean({
    skipTypeScopes: true,
    description: 'Whether `register` may create a workspace now: true for the server’s first one, afterwards only when the operator set ALLOW_SIGNUP',
    resolve: (_root, _args, { auth }) => auth.signupOpen(),
  }),
  members: t.withAuth({ user: true }).field({
    type: [User],
    description: 'The people of the workspace, oldest first',
    resolve: (_root, _args, { viewer, auth }) => auth.members.list(viewer.tenantId),
  }),
  invitations: t.withAuth({ admin: true }).field({
    type: [Invitation],
    description: 'Invitations not yet accepted, revoked or expired (ADMIN)',
    resolve: (_root, _args, { viewer, auth }) => auth.members.invitations(viewer.tenantId),
  }),
  serviceTokens: t.withAuth({ admin: true }).field({
    type: [ServiceToken],
    description: 'The workspace’s service tokens, revoked ones included (ADMIN)',
    resolve: (_root, _args, { viewer, auth }) => auth.serviceTokens.list(viewer.tenantId),
  }),
}));

builder.mutationFields((t) => ({
  register: t.field({
    type: AuthPayload,
    skipTypeScopes: true,
    description:
      'Creates a workspace and its first ADMIN, and signs in. Open for the server’s first workspace; afterwards FORBIDDEN unless the operator set ALLOW_SIGNUP (people join by invitation).',
    args: { input: t.arg({ type: RegisterInput, required: true, description: 'The workspace and its admin' }) },
    resolve: async (_root, { input }, ctx) => withCookie(ctx, await ctx.auth.register(input, ctx.client)),
  }),
  login: t.field({
    type: AuthPayload,
    skipTypeScopes: true,
    description:
      'Signs in with email and password. A wrong email and a wrong password get the same answer; repeated failures are throttled (TOO_MANY_REQUESTS with `retryAfterMs`).',
    args: {
      email: t.arg.string({ required: true, description: 'Sign-in email' }),
      password: t.arg.string({ required: true, description: 'Password' }),
    },
    resolve: async (_root, { email, password }, ctx) => withCookie(ctx, await ctx.auth.login(email, password, ctx.client)),
  }),
  refreshSession: t.field({
    type: AuthPayload,
    skipTypeScopes: true,
    description:
      'Renews a session: a new access token and a new refresh token for the refresh token given (or, in a browser, the session cookie). Each refresh token works once; using an old one again ends the session.',
    args: { refreshToken: t.arg.string({ description: 'The refresh token from the last sign-in or renewal; omit in a browser to use the session cookie' }) },
    resolve: async (_root, { refreshToken }, ctx) => {
      const credential = refreshToken ?? cookieOf(ctx);
      if (!credential) throw unauthenticated('No session to renew: sign in');
      const renewed = await ctx.auth.sessions.refresh(credential);
      return refreshToken ? renewed : withCookie(ctx, renewed);
    },
  }),
  signOut: t.boolean({
    skipTypeScopes: true,
    description:
      'Ends this session (the one of the refresh token given, the session cookie, or the access token): its tokens stop working and its open streams end on every instance. True if a session ended.',
    args: { refreshToken: t.arg.string({ description: 'The session’s refresh token; omit to use the session cookie or the access token' }) },
    resolve: async (_root, { refreshToken }, ctx) => {
      const credential = refreshToken ?? cookieOf(ctx);
      const parsed = credential ? ctx.auth.sessions.parseRefreshToken(credential) : null;
      // a refresh token that is not one signs nothing out (not even the caller's own session)
      if (refreshToken != null && !parsed) throw badInput('Invalid refresh token', 'refreshToken');
      if (refreshToken == null) ctx.sessionCookie.clear();
      const sessionId = parsed?.sessionId ?? (ctx.viewer?.kind === 'user' ? ctx.viewer.sessionId : null);
      return sessionId ? ctx.auth.sessions.end(sessionId) : false;
    },
  }),
  signOutEverywhere: t.withAuth({ user: true }).boolean({
    description: 'Ends every session of the signed-in person, this one included: on every device and instance, tokens stop working and streams end',
    resolve: async (_root, _args, ctx) => {
      await ctx.auth.sessions.endAll(ctx.viewer.tenantId, ctx.viewer.userId, 'SIGNED_OUT_EVERYWHERE');
      ctx.sessionCookie.clear();
      return true;
    },
  }),
  changePassword: t.withAuth({ user: true }).boolean({
    description: 'Changes the signed-in person’s password; every other session of theirs ends (this one stays signed in)',
    args: {
      currentPassword: t.arg.string({ required: true, description: 'The password now (failures are throttled like sign-in)' }),
      newPassword: t.arg.string({ required: true, description: 'At least 8 characters, not common or easy to guess' }),
    },
    resolve: async (_root, { currentPassword, newPassword }, ctx) => {
      await ctx.auth.members.changePassword(ctx.viewer, currentPassword, newPassword, ctx.client.address);
      return true;
    },
  }),
  createMember: t.withAuth({ admin: true }).field({
    type: User,
    description: 'Adds a person with an initial password (ADMIN)',
    args: { input: t.arg({ type: CreateMemberInput, required: true, description: 'Who, and as what' }) },
    resolve: (_root, { input }, { viewer, auth }) => auth.members.create(viewer.tenantId, input),
  }),
  removeMember: t.withAuth({ admin: true }).field({
    type: User,
    description:
      'Removes a person (ADMIN): their sessions end and their open streams close at once on every instance. The last ADMIN cannot be removed (FORBIDDEN).',
    args: { id: t.arg.id({ required: true, description: 'The member’s id' }) },
    resolve: (_root, { id }, { viewer, auth }) => auth.members.remove(viewer.tenantId, String(id)),
  }),
  setMemberRole: t.withAuth({ admin: true }).field({
    type: User,
    description:
      'Changes a person’s role (ADMIN), at once on every instance; lowering it ends their open streams (they renew and resubscribe as their new role). The last ADMIN cannot be demoted (FORBIDDEN).',
    args: {
      id: t.arg.id({ required: true, description: 'The member’s id' }),
      role: t.arg({ type: Role, required: true, description: 'The new role' }),
    },
    resolve: (_root, { id, role }, { viewer, auth }) => auth.members.setRole(viewer.tenantId, String(id), role),
  }),
  createPasswordReset: t.withAuth({ admin: true }).field({
    type: PasswordReset,
    description: 'Issues a one-time password reset code for a member (ADMIN), valid for an hour; an earlier code stops working',
    args: { memberId: t.arg.id({ required: true, description: 'The member’s id' }) },
    resolve: (_root, { memberId }, { viewer, auth }) => auth.members.createPasswordReset(viewer.tenantId, viewer.userId, String(memberId)),
  }),
  resetPassword: t.field({
    type: AuthPayload,
    skipTypeScopes: true,
    description: 'Sets a new password with a reset code from an admin, ends every session of that person, and signs in',
    args: {
      code: t.arg.string({ required: true, description: 'The one-time code' }),
      newPassword: t.arg.string({ required: true, description: 'At least 8 characters, not common or easy to guess' }),
    },
    resolve: async (_root, { code, newPassword }, ctx) => {
      await ctx.auth.throttle.check(null, ctx.client.address);
      try {
        return withCookie(ctx, await ctx.auth.members.resetPassword(code, newPassword, ctx.client.userAgent));
      } catch (error) {
        if ((error as { extensions?: { field?: string } }).extensions?.field === 'code') await ctx.auth.throttle.failed(null, ctx.client.address);
        throw error;
      }
    },
  }),
  inviteMember: t.withAuth({ admin: true }).field({
    type: IssuedInvitation,
    description: 'Invites someone to join as `role` (ADMIN): a one-time code valid for 7 days, handed over by you',
    args: {
      email: t.arg.string({ required: true, description: 'The invitee’s email: it becomes their sign-in' }),
      role: t.arg({ type: Role, required: true, description: 'The role they join as' }),
    },
    resolve: (_root, { email, role }, { viewer, auth }) => auth.members.invite(viewer.tenantId, viewer.userId, email, role),
  }),
  revokeInvitation: t.withAuth({ admin: true }).field({
    type: Invitation,
    description: 'Withdraws an invitation (ADMIN): its code stops working',
    args: { id: t.arg.id({ required: true, description: 'The invitation’s id' }) },
    resolve: (_root, { id }, { viewer, auth }) => auth.members.revokeInvitation(viewer.tenantId, String(id)),
  }),
  acceptInvitation: t.field({
    type: AuthPayload,
    skipTypeScopes: true,
    description: 'Joins a workspace with an invitation code, choosing a name and password, and signs in',
    args: {
      code: t.arg.string({ required: true, description: 'The one-time code from the invitation' }),
      name: t.arg.string({ required: true, description: 'Your display name' }),
      password: t.arg.string({ required: true, description: 'At least 8 characters, not common or easy to guess' }),
    },
    resolve: async (_root, { code, name, password }, ctx) => {
      await ctx.auth.throttle.check(null, ctx.client.address);
      try {
        return withCookie(ctx, await ctx.auth.members.acceptInvitation(code, name, password, ctx.client.userAgent));
      } catch (error) {
        if ((error as { extensions?: { field?: string } }).extensions?.field === 'code') await ctx.auth.throttle.failed(null, ctx.client.address);
        throw error;
      }
    },
  }),
  createServiceToken: t.withAuth({ admin: true }).field({
    type: CreatedServiceToken,
    description: 'A credential for a publishing service (ADMIN); the secret is in the answer and never shown again',
    args: {
      name: t.arg.string({ required: true, description: 'What it is for, e.g. "etl worker"' }),
      channels: t.arg.stringList({ required: true, description: 'Channel patterns, e.g. "etl:*" or "balance-sync"' }),
      scopes: t.arg({ type: [ServiceTokenScope], description: 'What else it may read (none by default: least privilege)' }),
    },
    resolve: (_root, { name, channels, scopes }, { viewer, auth }) =>
      auth.serviceTokens.create(viewer.tenantId, viewer.userId, name, channels, scopes ?? []),
  }),
  revokeServiceToken: t.withAuth({ admin: true }).field({
    type: ServiceToken,
    description: 'Revokes a service token (ADMIN): refused from the next request on, its open streams end on every instance',
    args: { id: t.arg.id({ required: true, description: 'The token’s id' }) },
    resolve: (_root, { id }, { viewer, auth }) => auth.serviceTokens.revoke(viewer.tenantId, String(id)),
  }),
}));
