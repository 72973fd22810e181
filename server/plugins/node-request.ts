import type { IncomingMessage, ServerResponse } from 'node:http';
import { Kind, visit, type DocumentNode, type OperationDefinitionNode, type OperationTypeNode } from 'graphql';

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

/**
 * What a lane may serve of a document: the root field of its one operation of `type` when that
 * operation selects one field and the document has no directives or fragments (the field name,
 * else undefined), and `operationName` names it or nothing. Each document is looked at once.
 */
export function createPlainOperations(type: OperationTypeNode) {
  const fields = new WeakMap<DocumentNode, string | null>();
  return (document: DocumentNode, operationName: string | undefined): string | undefined => {
    let field = fields.get(document);
    if (field === undefined) {
      const [operation, ...others] = document.definitions;
      const [selection, ...more] = operation?.kind === Kind.OPERATION_DEFINITION ? operation.selectionSet.selections : [];
      let plain = !others.length && operation?.kind === Kind.OPERATION_DEFINITION && operation.operation === type && !more.length && selection?.kind === Kind.FIELD;
      if (plain) {
        visit(document, {
          Directive: () => void (plain = false),
          FragmentSpread: () => void (plain = false),
          InlineFragment: () => void (plain = false),
        });
      }
      field = plain && selection?.kind === Kind.FIELD ? selection.name.value : null;
      fields.set(document, field);
    }
    const operation = document.definitions[0] as OperationDefinitionNode;
    return field !== null && (operationName === undefined || operationName === operation.name?.value) ? field : undefined;
  };
}

/**
 * A body the lanes may read themselves: a plain (uncompressed) JSON body of 1 to `maxBodyBytes`
 * bytes — or chunked, cut at the limit —, with a Bearer credential (the lanes take no other).
 * An empty or oversized body, or none at all, is Yoga's to refuse.
 */
export function isPlainBearerJson(req: IncomingMessage, maxBodyBytes: number): boolean {
  const { headers } = req;
  const length = headers['content-length'] === undefined ? undefined : Number(headers['content-length']);
  return (
    (length === undefined ? headers['transfer-encoding'] !== undefined : length > 0 && length <= maxBodyBytes) &&
    headers['content-encoding'] === undefined &&
    isJsonBody(headers['content-type']) &&
    /^Bearer\s/i.test(headers.authorization ?? '')
  );
}

/** What a caller is told of a failure of ours (the cause is logged, never sent). */
export const UNEXPECTED_JSON = JSON.stringify({ errors: [{ message: 'Unexpected error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });

/** A lane's own failure: 500 INTERNAL_SERVER_ERROR (the cause goes to `onError`), or a cut connection once an answer has begun. */
export function answerUnexpected(res: ServerResponse, error: unknown, onError: (error: unknown) => void) {
  onError(error);
  if (res.headersSent) return void res.destroy();
  res.writeHead(500, { 'content-type': 'application/json; charset=utf-8' });
  res.end(UNEXPECTED_JSON);
}
