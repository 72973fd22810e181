import type { Plugin } from 'graphql-yoga';

const SIMPLE_CONTENT_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain'];

export interface UseCsrfPreventionOptions {
  /** Paths guarded; both GraphQL endpoints, so the SSE one is held to the same rule. */
  paths: string[];
  /** Any of these headers makes a request non-simple (the browser preflights it). */
  requestHeaders?: string[];
}

/**
 * Yoga's CSRF rule, applied in onRequest so it covers /graphql/stream too (Yoga's own plugin
 * runs at request parsing, which the SSE endpoint does not use). A cross-site page can only
 * send "simple" requests without a preflight; we refuse those. The graphql-sse client always
 * sends Authorization (and JSON bodies), so it passes. The session cookie never makes a
 * refused request acceptable: it authenticates only event-stream GETs (see
 * `use-session-cookie.ts`), and the session mutations that read it come through here.
 */
export function useCsrfPrevention({
  paths,
  requestHeaders = ['x-graphql-yoga-csrf', 'authorization', 'x-graphql-event-stream-token'],
}: UseCsrfPreventionOptions): Plugin {
  return {
    onRequest({ request, url, endResponse }) {
      // only GET, HEAD and POST can be "simple"; PUT and DELETE are always preflighted
      if (!paths.includes(url.pathname) || !['GET', 'HEAD', 'POST'].includes(request.method)) return;
      // GraphiQL's page itself
      if (request.method === 'GET' && (request.headers.get('accept') ?? '').includes('text/html')) return;
      // A browser's native EventSource cannot add a header. A GET never runs a mutation (both
      // endpoints refuse one), the session cookie it may carry is SameSite=Strict and is ignored
      // unless the browser says the request is same-origin (cookieMayAuthenticate), and reading
      // the answer cross-origin needs CORS, which never allows credentials.
      if ((request.method === 'GET' || request.method === 'HEAD') && (request.headers.get('accept') ?? '').includes('text/event-stream')) return;
      const contentType = request.headers.get('content-type');
      if (contentType && !SIMPLE_CONTENT_TYPES.some((t) => contentType.toLowerCase().startsWith(t))) return;
      if (requestHeaders.some((h) => request.headers.has(h))) return;
      endResponse(
        Response.json(
          {
            errors: [
              {
                message: `Cross-site request refused: send a JSON body, an Authorization header or ${requestHeaders[0]}`,
                extensions: { code: 'CSRF_PREVENTED' },
              },
            ],
          },
          { status: 403 },
        ),
      );
    },
  };
}
