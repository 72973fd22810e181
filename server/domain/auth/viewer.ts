export type Role = 'ADMIN' | 'MEMBER' | 'VIEWER';

/** A signed-in person, from a verified JWT. */
export interface UserViewer {
  kind: 'user';
  userId: string;
  tenantId: string;
  role: Role;
  /** epoch ms at which the JWT stops being valid; open streams end then */
  expiresAt: number;
}

/** A publishing service, from a service token; may act on `channels` (patterns) only. */
export interface ServiceViewer {
  kind: 'service';
  tokenId: string;
  tenantId: string;
  name: string;
  channels: string[];
}

export type Viewer = UserViewer | ServiceViewer;

/** One key per caller, for per-principal caps (stream reservations, rate limits). */
export function principalKey(viewer: Viewer): string {
  return viewer.kind === 'user' ? `user:${viewer.userId}` : `service:${viewer.tokenId}`;
}
