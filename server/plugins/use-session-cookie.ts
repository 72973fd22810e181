import type { Plugin } from 'graphql-yoga';

export const SESSION_COOKIE = 'pb_session';

/** The session cookie of one request, and what the response should set. */
export interface SessionCookieJar {
  /** The cookie's value on the request, or null. */
  value: string | null;
  /** Sets the cookie on the response (HttpOnly, SameSite=Strict, Path=/graphql, Secure over TLS). */
  set(value: string, expiresAt: Date): void;
  /** Clears it on the response. */
  clear(): void;
}

export interface UseSessionCookieOptions {
  /** @default 'pb_session' */
  name?: string;
  /** 'auto': Secure when the request arrived over TLS (directly or per X-Forwarded-Proto). @default 'auto' */
  secure?: boolean | 'auto';
}

/**
 * The browser's session cookie. It holds the session's refresh credential and is HttpOnly
 * (scripts never see it), SameSite=Strict (other sites' pages never send it) and scoped to
 * /graphql. What it may authenticate is deliberately narrow — see `cookieMayAuthenticate`.
 */
export function useSessionCookie({ name = SESSION_COOKIE, secure = 'auto' }: UseSessionCookieOptions = {}): Plugin & {
  jar(request: Request): SessionCookieJar;
} {
  const outgoing = new WeakMap<Request, string[]>();
  const isSecure = (request: Request) =>
    secure === 'auto' ? new URL(request.url).protocol === 'https:' || request.headers.get('x-forwarded-proto') === 'https' : secure;
  const attributes = (request: Request) => `; Path=/graphql; HttpOnly; SameSite=Strict${isSecure(request) ? '; Secure' : ''}`;
  const add = (request: Request, line: string) => {
    const lines = outgoing.get(request) ?? [];
    lines.push(line);
    outgoing.set(request, lines);
  };
  return {
    jar: (request) => ({
      value: readCookie(request.headers.get('cookie'), name),
      set: (value, expiresAt) =>
        add(request, `${name}=${value}${attributes(request)}; Max-Age=${Math.max(0, Math.floor((expiresAt.getTime() - Date.now()) / 1000))}`),
      clear: () => add(request, `${name}=${attributes(request)}; Max-Age=0`),
    }),
    onResponse({ request, response }) {
      for (const line of outgoing.get(request) ?? []) response.headers.append('set-cookie', line);
    },
  };
}

/**
 * Whether the session cookie may stand in for `Authorization` on this request: only a GET
 * asking for an event stream (a browser's native EventSource, which cannot set headers),
 * which by construction runs no mutation, and only when the browser says it comes from our
 * own origin (or does not say: not a browser). Everything else needs a bearer token; the
 * session mutations read the cookie themselves, behind CSRF prevention.
 */
export function cookieMayAuthenticate(request: Request): boolean {
  if (request.method !== 'GET' && request.method !== 'HEAD') return false;
  if (!(request.headers.get('accept') ?? '').includes('text/event-stream')) return false;
  const site = request.headers.get('sec-fetch-site');
  return site === null || site === 'same-origin' || site === 'none';
}

/**
 * Whether a request is from our own origin by what the browser says (Sec-Fetch-Site), or
 * not from a browser at all. The session mutations refuse to use a cookie otherwise.
 */
export function sameOriginOrNotBrowser(request: Request): boolean {
  const site = request.headers.get('sec-fetch-site');
  return site === null || site === 'same-origin' || site === 'none';
}

function readCookie(header: string | null, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim() || null;
  }
  return null;
}
