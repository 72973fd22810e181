import { STATUS_CODES } from 'node:http';
import type { Plugin } from 'graphql-yoga';
import type { ErrorCode, RequestErrorCode } from '../domain/shared/errors.js';

/** The code of a refusal that carried no body of its own (Yoga's 415, for one). */
function codeFor(status: number): ErrorCode | RequestErrorCode {
  if (status === 401) return 'UNAUTHENTICATED';
  if (status === 413) return 'REQUEST_ENTITY_TOO_LARGE';
  if (status === 429) return 'TOO_MANY_REQUESTS';
  return status >= 500 ? 'INTERNAL_SERVER_ERROR' : 'BAD_REQUEST';
}

/**
 * Every 4xx/5xx answer carries the standard reason phrase (clients such as graphql-sse show
 * `statusText`; an empty one reads "Server responded with 400: ") and a JSON GraphQL error
 * body with a stable `extensions.code` (see docs/errors.md). A response built with a bare
 * `new Response(body, { status })` has neither; this fills them in at the edge, once.
 */
export function useHttpErrors(): Plugin {
  return {
    onResponse({ request, response, setResponse, fetchAPI }) {
      if (response.status < 400 || (response.statusText && response.body)) return;
      const statusText = response.statusText || STATUS_CODES[response.status] || 'Error';
      const headers = new fetchAPI.Headers(response.headers);
      let body: BodyInit | null = response.body as BodyInit | null;
      if (!body && request.method !== 'HEAD') {
        body = JSON.stringify({ errors: [{ message: statusText, extensions: { code: codeFor(response.status) } }] });
        headers.set('content-type', 'application/json; charset=utf-8');
        headers.delete('content-length');
      }
      setResponse(new fetchAPI.Response(body, { status: response.status, statusText, headers }));
    },
  };
}
