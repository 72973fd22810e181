import { createHash } from 'node:crypto';
import type { Plugin } from 'graphql-yoga';
import { badgeSvg } from '../domain/status-pages/badge.js';
import type { StatusPages } from '../domain/status-pages/status-pages.js';

export interface UseStatusPagesOptions {
  statusPages: StatusPages;
  /** Seconds browsers and proxies may reuse an answer. @default 10 */
  maxAgeSeconds?: number;
  onError?: (error: unknown) => void;
}

const JSON_PATH = /^\/status\/([^/]+)\.json$/;
const BADGE_PATH = /^\/status\/([^/]+)\/badge\.svg$/;

/**
 * The public status page as plain HTTP, for pages and embeds that do not speak GraphQL:
 * `GET /status/<slug>.json` (the same view as the `statusPage` query) and
 * `GET /status/<slug>/badge.svg`. No sign-in; cacheable (`Cache-Control`, `ETag` → 304);
 * any origin may read them. Every other `/status/...` path is left to the console's router.
 */
export function useStatusPages({ statusPages, maxAgeSeconds = 10, onError }: UseStatusPagesOptions): Plugin {
  return {
    async onRequest({ request, url, endResponse }) {
      if (request.method !== 'GET' && request.method !== 'HEAD') return;
      const json = JSON_PATH.exec(url.pathname);
      const badge = json ? null : BADGE_PATH.exec(url.pathname);
      if (!json && !badge) return;
      const slug = safeDecode((json ?? badge)![1]!);
      const headers = { 'access-control-allow-origin': '*', 'cache-control': `public, max-age=${maxAgeSeconds}`, 'x-content-type-options': 'nosniff' };
      let page;
      try {
        page = slug === null ? null : await statusPages.publicPage(slug);
      } catch (error) {
        onError?.(error);
        endResponse(
          Response.json(
            { error: { code: 'UNAVAILABLE', message: 'The status page cannot be read right now; try again shortly' } },
            { status: 503, headers: { ...headers, 'cache-control': 'no-store', 'retry-after': '5' } },
          ),
        );
        return;
      }
      let body: string;
      let status = 200;
      if (json) {
        body = JSON.stringify(page ?? { error: { code: 'NOT_FOUND', message: 'No status page at this address' } });
        if (!page) status = 404;
      } else {
        const label = (url.searchParams.get('label') ?? 'status').slice(0, 40) || 'status';
        body = badgeSvg(label, page?.status ?? 'UNKNOWN');
        if (!page) status = 404;
      }
      const etag = `W/"${createHash('sha1').update(body).digest('base64url')}"`;
      const type = json ? 'application/json; charset=utf-8' : 'image/svg+xml; charset=utf-8';
      if (status === 200 && request.headers.get('if-none-match') === etag) {
        endResponse(new Response(null, { status: 304, headers: { ...headers, etag } }));
        return;
      }
      endResponse(new Response(request.method === 'HEAD' ? null : body, { status, headers: { ...headers, etag, 'content-type': type } }));
    },
  };
}

function safeDecode(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}
