import { backoffDelay } from './backoff';

export type Renewal = 'renewed' | 'ended' | 'unreachable';

export interface Session {
  /** The current access token. */
  token(): string;
  /** Whether it is in the last quarter of its life, or 30 s (renew before using it). */
  expiresSoon(): boolean;
  /** A new access token from the HttpOnly session cookie; callers renewing at once share one request. */
  renew(): Promise<Renewal>;
  /** For the stream hub's `renewToken`: a fresh token, retried while the server cannot be reached; null once the session has ended. */
  renewToken(): Promise<string | null>;
}

const RENEW = /* GraphQL */ `mutation RenewSession { refreshSession { token } }`;

/**
 * The tab's sign-in: a short-lived access token in memory, renewed from the session cookie,
 * which scripts never see. (The token a reload starts from stays in localStorage as it was:
 * rewriting it would make every other tab start over; a reload renews its stale token itself.)
 * A renewal the server refuses means the session ended (signed out elsewhere, removed,
 * password changed): `onEnded`.
 */
export function createSession(initial: string, onEnded: () => void): Session {
  let token = initial;
  let renewing: Promise<Renewal> | undefined;
  const session: Session = {
    token: () => token,
    expiresSoon: () => {
      const { issuedAt, expiresAt } = lifetimeOf(token);
      return expiresAt - Date.now() < Math.min(30_000, (expiresAt - issuedAt) / 4);
    },
    renew() {
      renewing ??= post(RENEW)
        .then((body): Renewal => {
          const next = (body?.data as { refreshSession?: { token?: string } } | null)?.refreshSession?.token;
          if (!next) {
            onEnded();
            return 'ended';
          }
          token = next;
          return 'renewed';
        }, (): Renewal => 'unreachable')
        .finally(() => (renewing = undefined));
      return renewing;
    },
    async renewToken() {
      for (let attempt = 0; attempt < 12; attempt++) {
        const outcome = await session.renew();
        if (outcome === 'renewed') return token;
        if (outcome === 'ended') return null;
        await new Promise((resolve) => setTimeout(resolve, backoffDelay(attempt)));
      }
      return null;
    },
  };
  return session;
}

/** A signed-out tab whose browser still holds a session cookie signs in from it; null if none. */
export async function restoreSession(): Promise<string | null> {
  const body = await post(RENEW).catch(() => null);
  return (body?.data as { refreshSession?: { token?: string } } | null)?.refreshSession?.token ?? null;
}

/** Ends this browser's session on the server (every instance) and clears its cookie. */
export async function endSession(): Promise<void> {
  // eslint-disable-next-line no-restricted-syntax -- signing out locally proceeds either way; an unreachable server ends the session by its idle timeout
  await post(/* GraphQL */ `mutation EndSession { signOut }`).catch(() => {});
}

async function post(query: string): Promise<{ data?: unknown } | null> {
  // same-origin: the session cookie goes along; JSON: CSRF prevention lets it through
  const response = await fetch('/graphql', {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
  });
  if (response.status >= 500) throw new Error(`server error ${response.status}`);
  return response.json();
}

/** When a JWT was issued and expires, epoch ms (0 and 0 when it cannot be read: renew). */
function lifetimeOf(jwt: string): { issuedAt: number; expiresAt: number } {
  try {
    const payload = JSON.parse(atob(jwt.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/')));
    return typeof payload.exp === 'number' && typeof payload.iat === 'number' ? { issuedAt: payload.iat * 1000, expiresAt: payload.exp * 1000 } : { issuedAt: 0, expiresAt: 0 };
  } catch {
    return { issuedAt: 0, expiresAt: 0 };
  }
}
