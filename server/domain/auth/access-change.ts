import type { AccessChanged } from '../../bus/topics.js';

const ENDS_EVERY_SESSION: AccessChanged['reason'][] = ['REMOVED', 'PASSWORD_RESET', 'SIGNED_OUT_EVERYWHERE'];

/** Whether `change` ends session `sessionId` of its person: its tokens stop working. */
export function endsSession(change: AccessChanged, sessionId: string): boolean {
  if (ENDS_EVERY_SESSION.includes(change.reason)) return true;
  if (change.reason === 'PASSWORD_CHANGED') return sessionId !== change.sessionId;
  if (change.reason === 'SIGNED_OUT' || change.reason === 'SESSION_REUSED') return sessionId === change.sessionId;
  return false;
}

const MESSAGES: Record<AccessChanged['reason'], string> = {
  REMOVED: 'You were removed from this workspace',
  ROLE_LOWERED: 'Your role changed: renew your access token and subscribe again',
  ROLE_RAISED: 'Your role changed',
  PASSWORD_CHANGED: 'Your password was changed: sign in again',
  PASSWORD_RESET: 'Your password was reset: sign in again',
  SIGNED_OUT: 'Signed out',
  SIGNED_OUT_EVERYWHERE: 'Signed out everywhere',
  SESSION_REUSED: 'This session ended for safety: sign in again',
};

/**
 * How an open stream of `sessionId` ends on `change`, or null if it stays open. Always
 * UNAUTHENTICATED (with `reason`): a client renews its access token and resubscribes from
 * its cursor — which works after a lowered role (re-checked as the new role) and fails,
 * sending it to sign-in, when the session ended.
 */
export function streamEndFor(change: AccessChanged, sessionId: string): { message: string; reason: AccessChanged['reason'] } | null {
  if (change.reason !== 'ROLE_LOWERED' && !endsSession(change, sessionId)) return null;
  return { message: MESSAGES[change.reason], reason: change.reason };
}
