import type { ExecutionResult } from 'graphql';
import { createGraphQLError } from 'graphql-yoga';
import type { Bus, Unsubscribe } from '../bus/index.js';
import { topics, type AccessChanged } from '../bus/topics.js';
import { credentialKey, principalKey, type Viewer } from '../domain/auth/viewer.js';
import { streamEndFor } from '../domain/auth/access-change.js';

export interface Session {
  viewer: Viewer;
  /** Ends the subscription with `result` as its last event. */
  end(result: ExecutionResult): void;
}

export interface CreateStreamSessionsOptions {
  bus: Bus;
  /** Concurrent subscriptions per user or service token, on this instance. @default 50 */
  maxPerPrincipal?: number;
  /** Concurrent subscriptions per tenant, on this instance. @default 2000 */
  maxPerTenant?: number;
  /** How often expiry is checked; one shared timer for every stream. @default 1000 */
  sweepIntervalMs?: number;
  /**
   * Which callers still hold a valid credential, by principal key (the store's answer). Open
   * streams are re-checked with it every `recheckIntervalMs`, so a revocation whose bus
   * message was lost still ends them within seconds.
   */
  validPrincipals?: (viewers: Viewer[]) => Promise<Set<string>>;
  /** @default 5000 */
  recheckIntervalMs?: number;
  onError?: (error: unknown) => void;
}

export const unauthenticated = (message: string, reason?: string): ExecutionResult => ({
  errors: [createGraphQLError(message, { extensions: reason ? { code: 'UNAUTHENTICATED', reason } : { code: 'UNAUTHENTICATED' } })],
});

/**
 * Open subscriptions by caller: caps per caller and per tenant, and the end of every stream
 * whose credential ends — an access token expiring, a service token revoked, a person removed,
 * demoted or signed out (told on every instance by the bus, and found by the periodic re-check
 * if that message was lost).
 */
export function createStreamSessions({
  bus,
  sweepIntervalMs = 1_000,
  maxPerPrincipal = 50,
  maxPerTenant = 2_000,
  validPrincipals,
  recheckIntervalMs = 5_000,
  onError = () => {},
}: CreateStreamSessionsOptions) {
  const perPrincipal = new Map<string, number>();
  const byTenant = new Map<string, { sessions: Set<Session>; unsubscribe: Promise<Unsubscribe[]> }>();
  const sweeper = setInterval(() => {
    const now = Date.now();
    for (const { sessions } of byTenant.values()) {
      for (const session of sessions) {
        if (session.viewer.kind === 'user' && session.viewer.expiresAt <= now) {
          session.end(unauthenticated('Token expired: renew it and resubscribe from your last cursor', 'TOKEN_EXPIRED'));
        }
      }
    }
  }, sweepIntervalMs);
  sweeper.unref();

  let rechecking = false;
  const rechecker = setInterval(() => {
    if (rechecking || !validPrincipals || byTenant.size === 0) return;
    rechecking = true;
    const open = [...byTenant.values()].flatMap(({ sessions }) => [...sessions]);
    validPrincipals(open.map((s) => s.viewer))
      .then((valid) => {
        for (const session of open) {
          if (!valid.has(credentialKey(session.viewer))) session.end(unauthenticated('This credential is no longer valid: sign in again'));
        }
      }, onError)
      .finally(() => (rechecking = false));
  }, recheckIntervalMs);
  rechecker.unref();

  /** Ends the open streams of the tenant's callers `which` picks. */
  function endWhere(tenantId: string, which: (viewer: Viewer) => boolean, result: ExecutionResult) {
    for (const session of [...(byTenant.get(tenantId)?.sessions ?? [])]) {
      if (which(session.viewer)) session.end(result);
    }
  }

  function endToken(tenantId: string, tokenId: string) {
    endWhere(tenantId, (v) => v.kind === 'service' && v.tokenId === tokenId, unauthenticated('Service token revoked'));
  }

  /** A person's access changed: ends the streams it reaches (removed, role lowered, signed out…). */
  function endUser(tenantId: string, change: AccessChanged) {
    for (const session of [...(byTenant.get(tenantId)?.sessions ?? [])]) {
      const { viewer } = session;
      if (viewer.kind !== 'user' || viewer.userId !== change.userId) continue;
      const ending = streamEndFor(change, viewer.sessionId);
      if (ending) session.end(unauthenticated(ending.message, ending.reason));
    }
  }

  /** Null when `viewer` may open one more subscription, else the reason it may not. */
  function refusal(viewer: Viewer): string | null {
    if ((perPrincipal.get(principalKey(viewer)) ?? 0) >= maxPerPrincipal) return `At most ${maxPerPrincipal} concurrent subscriptions per caller`;
    if ((byTenant.get(viewer.tenantId)?.sessions.size ?? 0) >= maxPerTenant) return `At most ${maxPerTenant} concurrent subscriptions per tenant`;
    return null;
  }

  /** Holds a slot for `session` until `release(session)`. */
  function hold(session: Session) {
    const tenantId = session.viewer.tenantId;
    const key = principalKey(session.viewer);
    perPrincipal.set(key, (perPrincipal.get(key) ?? 0) + 1);
    let entry = byTenant.get(tenantId);
    if (!entry) {
      entry = {
        sessions: new Set(),
        unsubscribe: Promise.all([
          bus.subscribe(tenantId, topics.tokenRevoked(), ({ tokenId }) => endToken(tenantId, tokenId)),
          bus.subscribe(tenantId, topics.accessChanged(), (change) => endUser(tenantId, change)),
        ]),
      };
      entry.unsubscribe.catch(onError);
      byTenant.set(tenantId, entry);
    }
    entry.sessions.add(session);
  }

  /** Frees `session`'s slot (once; later calls do nothing). */
  function release(session: Session) {
    const tenantId = session.viewer.tenantId;
    const held = byTenant.get(tenantId);
    if (!held?.sessions.delete(session)) return;
    const key = principalKey(session.viewer);
    const left = (perPrincipal.get(key) ?? 1) - 1;
    if (left > 0) perPrincipal.set(key, left);
    else perPrincipal.delete(key);
    if (held.sessions.size === 0) {
      byTenant.delete(tenantId);
      held.unsubscribe.then((offs) => offs.forEach((off) => off()), onError);
    }
  }

  return {
    hold,
    release,
    refusal,
    endToken,
    endUser,
    endWhere,
    /** How many subscriptions are open on this instance. */
    size: () => [...byTenant.values()].reduce((n, e) => n + e.sessions.size, 0),
    /** Callers holding at least one subscription slot on this instance. */
    principals: () => perPrincipal.size,
    close() {
      clearInterval(sweeper);
      clearInterval(rechecker);
      for (const [, entry] of byTenant) entry.unsubscribe.then((offs) => offs.forEach((off) => off()), onError);
      byTenant.clear();
      perPrincipal.clear();
    },
  };
}

export type StreamSessions = ReturnType<typeof createStreamSessions>;
