/** Reading a GraphQL-over-SSE request, and the JSON error answers of the stream endpoint. */
import { STATUS_CODES } from 'node:http';
import type { ErrorCode, RequestErrorCode } from '../domain/shared/errors.js';

export interface RequestParams {
  query: string;
  operationName?: string;
  variables?: Record<string, unknown>;
  extensions?: Record<string, unknown>;
}

export async function readParams(request: Request, maxBodyBytes: number): Promise<RequestParams | Response> {
  let raw: Record<string, unknown>;
  if (request.method === 'GET') {
    const search = new URL(request.url).searchParams;
    raw = Object.fromEntries(search);
    for (const key of ['variables', 'extensions']) {
      if (typeof raw[key] === 'string') {
        try {
          raw[key] = JSON.parse(raw[key] as string);
        } catch {
          return jsonError(400, `${key} must be JSON`);
        }
      }
    }
  } else {
    const contentType = request.headers.get('content-type') ?? '';
    if (!contentType.includes('application/json')) {
      return jsonError(415, 'Send the operation as application/json');
    }
    const length = Number(request.headers.get('content-length') ?? 0);
    if (length > maxBodyBytes) return jsonError(413, `Request body is larger than ${maxBodyBytes} bytes`);
    const text = await readLimited(request, maxBodyBytes);
    if (text === null) return jsonError(413, `Request body is larger than ${maxBodyBytes} bytes`);
    try {
      const parsed: unknown = JSON.parse(text);
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return jsonError(400, 'The body must be a JSON object');
      raw = parsed as Record<string, unknown>;
    } catch {
      return jsonError(400, 'The body is not valid JSON');
    }
  }
  if (typeof raw.query !== 'string' || !raw.query) return jsonError(400, 'query must be a non-empty string');
  for (const key of ['variables', 'extensions'] as const) {
    const value = raw[key];
    if (value != null && (typeof value !== 'object' || Array.isArray(value))) return jsonError(400, `${key} must be an object`);
  }
  if (raw.operationName != null && typeof raw.operationName !== 'string') return jsonError(400, 'operationName must be a string');
  return {
    query: raw.query,
    operationName: (raw.operationName as string | undefined) ?? undefined,
    variables: (raw.variables as Record<string, unknown> | undefined) ?? undefined,
    extensions: (raw.extensions as Record<string, unknown> | undefined) ?? undefined,
  };
}

/** The body as text, or null once it passes `limit` bytes (without reading the rest). */
async function readLimited(request: Request, limit: number): Promise<string | null> {
  if (!request.body) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      // eslint-disable-next-line no-restricted-syntax -- the body is refused either way; a cancel that fails means the stream is already gone
      await reader.cancel().catch(() => {});
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Every refusal: a JSON GraphQL error with a stable code (docs/errors.md), and the standard reason phrase. */
export function jsonError(
  status: number,
  message: string,
  code: ErrorCode | RequestErrorCode = status === 413 ? 'REQUEST_ENTITY_TOO_LARGE' : status === 500 ? 'INTERNAL_SERVER_ERROR' : 'BAD_REQUEST',
  retryAfterMs?: number,
): Response {
  const extensions = retryAfterMs === undefined ? { code } : { code, retryAfterMs };
  return new Response(JSON.stringify({ errors: [{ message, extensions }] }), {
    status,
    statusText: STATUS_CODES[status],
    headers: {
      'content-type': 'application/json; charset=utf-8',
      ...(retryAfterMs === undefined ? {} : { 'retry-after': String(Math.max(1, Math.ceil(retryAfterMs / 1000))) }),
    },
  });
}
