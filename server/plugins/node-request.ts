import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * What the lanes (publish-fast-lane.ts, sse/stream-lane.ts) share: reading a Node request the
 * way Yoga would, and handing it to Yoga untouched when a lane stands aside.
 */

export interface PlainParams {
  query: string;
  variables?: Record<string, unknown>;
  operationName?: string;
}

const PARAMS = new Set(['query', 'variables', 'operationName', 'extensions']);

/**
 * A JSON body's GraphQL parameters, when they are plain: a query, variables that are an object,
 * a string operation name, no `extensions`. Undefined for anything Yoga would refuse or treat
 * specially — that is Yoga's to answer.
 */
export function plainParams(body: Buffer): PlainParams | undefined {
  let params: Record<string, unknown> | null;
  try {
    params = JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
  if (!params || typeof params !== 'object' || Array.isArray(params) || Object.keys(params).some((key) => !PARAMS.has(key))) return undefined;
  const { query, variables, operationName } = params;
  if (
    typeof query !== 'string' ||
    params.extensions !== undefined ||
    (operationName != null && typeof operationName !== 'string') ||
    (variables != null && (typeof variables !== 'object' || Array.isArray(variables)))
  ) {
    return undefined;
  }
  return { query, variables: (variables ?? undefined) as Record<string, unknown> | undefined, operationName: (operationName ?? undefined) as string | undefined };
}

/** Hands `req` to Yoga with its body already read (whatwg-node takes it from `req.body`). */
export function passWithBody(fallback: (req: IncomingMessage, res: ServerResponse) => void, req: IncomingMessage, res: ServerResponse, body: Buffer) {
  (req as IncomingMessage & { body?: Buffer }).body = body;
  fallback(req, res);
}

/** Yoga's test for a JSON body (request-parser/utils.js): case and spacing as written. */
export function isJsonBody(contentType: string | undefined): boolean {
  const first = contentType?.split(',')[0];
  return first !== undefined && ['application/json', 'application/graphql+json'].some((type) => first === type || first.startsWith(`${type};`));
}


/** What Yoga's parse and validation hooks read of a request: its method and headers. */
export function requestView(req: IncomingMessage) {
  const header = (name: string) => {
    const value = req.headers[name.toLowerCase()];
    return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
  };
  return { method: req.method, url: req.url, headers: { get: header, has: (name: string) => header(name) !== null } };
}

/**
 * The request body, or undefined if the client left first. Past `limit` bytes the rest is read
 * and dropped (the connection stays usable) and the body is cut at `limit + 1`: too large.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let received = 0;
    const done = (body: Buffer | undefined) => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onGone);
      req.off('aborted', onGone);
      req.off('close', onGone);
      resolve(body);
    };
    const onData = (chunk: Buffer) => {
      if (received <= limit) chunks.push(received + chunk.length > limit ? chunk.subarray(0, limit + 1 - received) : chunk);
      received += chunk.length;
    };
    const onEnd = () => done(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks));
    const onGone = () => done(undefined);
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onGone);
    req.on('aborted', onGone);
    req.on('close', onGone);
  });
}
