import type { Plugin } from 'graphql-yoga';

export interface UseHealthOptions {
  /** @default '/health' */
  path?: string;
  /** @default the time the plugin was created */
  startedAt?: number;
}

/**
 * `GET /health`: the process is up and serving HTTP — a short JSON body a person or a probe can
 * read (`curl localhost:4000/health`). Whether the store and bus answer is `/ready`'s question.
 * Replaces Yoga's built-in check, which answers an empty body on any path ending in `/health`.
 */
export function useHealth({ path = '/health', startedAt = Date.now() }: UseHealthOptions = {}): Plugin {
  return {
    onRequest({ url, request, endResponse }) {
      if (url.pathname !== path || (request.method !== 'GET' && request.method !== 'HEAD')) return;
      const body = JSON.stringify({ status: 'ok', uptimeSeconds: Math.round((Date.now() - startedAt) / 1000) });
      endResponse(new Response(request.method === 'HEAD' ? null : body, { headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' } }));
    },
  };
}
