export type Role = 'ADMIN' | 'MEMBER' | 'VIEWER';

export const ROLES: readonly Role[] = ['ADMIN', 'MEMBER', 'VIEWER'];

/** What a service token may read beyond its channel patterns. */
export type ServiceTokenScope = 'READ_INCIDENTS' | 'READ_MONITORS';

export const SERVICE_TOKEN_SCOPES: readonly ServiceTokenScope[] = ['READ_INCIDENTS', 'READ_MONITORS'];

/** A signed-in person. Who they are, their tenant and role come from the store, not the token. */
export interface UserViewer {
  kind: 'user';
  userId: string;
  tenantId: string;
  role: Role;
  /** the sign-in session the credential belongs to */
  sessionId: string;
  /** epoch ms at which the credential stops being valid; open streams end then */
  expiresAt: number;
}

/** A publishing service, from a service token; may act on `channels` (patterns) only. */
export interface ServiceViewer {
  kind: 'service';
  tokenId: string;
  tenantId: string;
  name: string;
  channels: string[];
  scopes: ServiceTokenScope[];
}

export type Viewer = UserViewer | ServiceViewer;

/** One key per caller, for per-principal caps (stream reservations, rate limits). */
export function principalKey(viewer: Viewer): string {
  return viewer.kind === 'user' ? `user:${viewer.userId}` : `service:${viewer.tokenId}`;
}

/** One key per credential: a service token, or one sign-in session of a person. */
export function credentialKey(viewer: Viewer): string {
  return viewer.kind === 'user' ? `session:${viewer.sessionId}` : `service:${viewer.tokenId}`;
}

/** Higher is more: ADMIN 2, MEMBER 1, VIEWER 0. */
export const roleRank = (role: Role): number => 2 - ROLES.indexOf(role);
