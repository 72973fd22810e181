import { GraphQLError, getOperationAST, type ExecutionResult } from 'graphql';
import { isAsyncIterable } from '../async-iterable.js';
import { createGraphQLError, type Plugin, type YogaServerInstance } from 'graphql-yoga';
import type { ResolveViewer } from '../context.js';
import { principalKey } from '../domain/auth/viewer.js';
import { SSE_HEADERS, SseStream, completeFrame, createKeepAlive, nextFrame, nextFrameOfJson } from './sse-stream.js';
import { TooManyReservations, createReservations, type Reservation } from './reservations.js';

const TOKEN_HEADER = 'x-graphql-event-stream-token';

export interface UseGraphQLSSEOptions {
  resolveViewer: ResolveViewer;
  /** Where unexpected failures are reported (they reach the client masked). */
  onError?: (error: unknown) => void;
  /** @default '/graphql/stream' */
  endpoint?: string;
  /** @default 15000 */
  keepAliveMs?: number;
  /** @default 30000 */
  reservationTtlMs?: number;
  /** @default 10 */
  reservationsPerPrincipal?: number;
  /** Same limit as /graphql's. @default 1_000_000 */
  maxBodyBytes?: number;
}

interface RequestParams {
  query: string;
  operationName?: string;
  variables?: Record<string, unknown>;
  extensions?: Record<string, unknown>;
}

/**
 * The GraphQL-over-SSE protocol (both modes) at `endpoint`, run through Yoga's own envelop
 * pipeline: parse and validation errors arrive as `next` events with their real message,
 * errors are masked as on /graphql, single-connection reservations are server-chosen,
 * bound to the caller, capped and expiring, and every response carries X-Accel-Buffering: no.
 */
export function useGraphQLSSE({
  resolveViewer,
  onError = () => {},
  endpoint = '/graphql/stream',
  keepAliveMs = 15_000,
  reservationTtlMs = 30_000,
  reservationsPerPrincipal = 10,
  maxBodyBytes = 1_000_000,
}: UseGraphQLSSEOptions): Plugin & { closeAllStreams(): void; stop(): void; openStreams(): number } {
  let yoga: YogaServerInstance<Record<string, unknown>, Record<string, unknown>>;
  const keepAlive = createKeepAlive(keepAliveMs);
  const reservations = createReservations({ ttlMs: reservationTtlMs, perPrincipal: reservationsPerPrincipal });
  // A shared execution hands the same result object to every subscriber: serialize it once.
  const payloads = new WeakMap<ExecutionResult, string>();
  const frames = new WeakMap<ExecutionResult, Buffer>();
  const payloadOf = (result: ExecutionResult) => {
    let json = payloads.get(result);
    if (json === undefined) payloads.set(result, (json = JSON.stringify(toJSON(result))));
    return json;
  };
  const frameOf = (result: ExecutionResult) => {
    let frame = frames.get(result);
    if (!frame) frames.set(result, (frame = nextFrameOfJson(payloadOf(result))));
    return frame;
  };
  const sseResponse = (stream: SseStream) => new yoga.fetchAPI.Response(stream.body as unknown as BodyInit, { status: 200, headers: SSE_HEADERS });

  async function run(request: Request, params: RequestParams, serverContext: object): Promise<ExecutionResult | AsyncIterable<ExecutionResult>> {
    const enveloped = yoga.getEnveloped({ ...serverContext, request, params });
    let document;
    try {
      document = enveloped.parse(params.query);
    } catch (error) {
      return { errors: [asGraphQLError(error)] };
    }
    let validationErrors;
    try {
      validationErrors = enveloped.validate(enveloped.schema, document);
    } catch (error) {
      // limit rules (graphql-armor) reject by throwing, as Yoga's own pipeline expects
      return { errors: [asGraphQLError(error)] };
    }
    if (validationErrors.length > 0) return { errors: validationErrors };
    const operation = getOperationAST(document, params.operationName);
    if (!operation) {
      return { errors: [createGraphQLError('Could not determine which operation to run: name it with operationName')] };
    }
    if (operation.operation === 'mutation' && request.method === 'GET') {
      return { errors: [createGraphQLError('Mutations cannot be sent with GET')] };
    }
    let contextValue;
    try {
      contextValue = await enveloped.contextFactory();
    } catch (error) {
      return { errors: [asGraphQLError(error)] };
    }
    const executor = operation.operation === 'subscription' ? enveloped.subscribe : enveloped.execute;
    return (await executor({
      schema: enveloped.schema,
      document,
      contextValue,
      variableValues: params.variables,
      operationName: params.operationName,
    })) as ExecutionResult | AsyncIterable<ExecutionResult>;
  }

  /** Feeds one operation's results into `emit` until it finishes or is stopped. */
  async function pump(
    result: ExecutionResult | AsyncIterable<ExecutionResult>,
    emit: (result: ExecutionResult) => void,
    track: (iterator: AsyncIterator<ExecutionResult>) => boolean,
    ready: () => Promise<void> | undefined,
  ): Promise<void> {
    if (!isAsyncIterable(result)) return emit(result);
    const iterator = result[Symbol.asyncIterator]();
    if (!track(iterator)) {
      await iterator.return?.();
      return;
    }
    for (;;) {
      const room = ready();
      if (room) await room;
      const { done, value } = await iterator.next();
      if (done) return;
      emit(value);
    }
  }

  async function distinct(request: Request, serverContext: object): Promise<Response> {
    const params = await readParams(request, maxBodyBytes);
    if (params instanceof Response) return params;
    return streamResult(await run(request, params, serverContext), request, serverContext);
  }

  async function reserve(request: Request): Promise<Response> {
    if (request.headers.has(TOKEN_HEADER) || new URL(request.url).searchParams.has('token')) {
      return jsonError(400, 'The event stream token is chosen by the server: reserve with PUT and no token');
    }
    const viewer = await resolveViewer(request);
    if (!viewer) return jsonError(401, 'Sign in to reserve an event stream', 'UNAUTHENTICATED');
    try {
      const { token } = reservations.reserve(principalKey(viewer));
      return new Response(token, { status: 201, headers: { 'content-type': 'text/plain; charset=utf-8' } });
    } catch (error) {
      if (error instanceof TooManyReservations) return jsonError(429, error.message, 'TOO_MANY_REQUESTS');
      throw error;
    }
  }

  function connect(request: Request, reservation: Reservation, serverContext: object): Response {
    if (reservation.stream) return jsonError(409, 'This event stream is already open');
    const stream = (reservation.stream = new SseStream());
    keepAlive.add(stream);
    for (const frame of reservation.backlog) stream.write(frame);
    reservation.backlog = [];
    // the client re-reserves when it reconnects; this reservation ends with its stream
    stream.onClosed(() => reservations.release(reservation));
    onDisconnect(request, serverContext, () => stream.close());
    return sseResponse(stream);
  }

  async function operate(request: Request, reservation: Reservation, serverContext: object): Promise<Response> {
    const params = await readParams(request, maxBodyBytes);
    if (params instanceof Response) return params;
    const id = params.extensions?.operationId;
    if (typeof id !== 'string' || !id) return jsonError(400, 'extensions.operationId is missing');
    if (reservation.ops.has(id)) return jsonError(409, `Operation ${id} already exists`);
    reservation.ops.set(id, null);
    const write = (frame: string) => {
      if (reservation.stream) reservation.stream.write(frame);
      else reservation.backlog.push(frame);
    };
    const result = await run(request, params, serverContext);
    pump(
      result,
      (r) => write(`event: next\ndata: {"id":${JSON.stringify(id)},"payload":${payloadOf(r)}}\n\n`),
      (iterator) => {
        if (!reservation.ops.has(id)) return false;
        reservation.ops.set(id, iterator);
        return true;
      },
      () => reservation.stream?.ready(),
    )
      .catch(() => write(`event: next\ndata: ${JSON.stringify({ id, payload: { errors: [{ message: 'Unexpected error.' }] } })}\n\n`))
      .finally(() => {
        if (reservation.ops.delete(id)) write(`event: complete\ndata: ${JSON.stringify({ id })}\n\n`);
      });
    return new Response(null, { status: 202 });
  }

  function stop(request: Request, reservation: Reservation): Response {
    const id = new URL(request.url).searchParams.get('operationId');
    if (!id) return jsonError(400, 'operationId is missing');
    const op = reservation.ops.get(id);
    reservation.ops.delete(id);
    void op?.return?.();
    return new Response(null, { status: 200 });
  }

  async function handle(request: Request, serverContext: object): Promise<Response> {
    const token = request.headers.get(TOKEN_HEADER) ?? new URL(request.url).searchParams.get('token');
    const wantsStream = (request.headers.get('accept') ?? '').includes('text/event-stream');
    if (request.method === 'PUT') return reserve(request);
    if (!token) {
      if (!wantsStream) return jsonError(406, 'Send Accept: text/event-stream, or reserve a stream with PUT first');
      if (request.method !== 'GET' && request.method !== 'POST') return jsonError(405, 'Use GET or POST');
      return distinct(request, serverContext);
    }
    const reservation = reservations.get(token);
    if (!reservation) return jsonError(404, 'No such event stream: reserve one with PUT');
    const viewer = await resolveViewer(request);
    if (!viewer || principalKey(viewer) !== reservation.principal) {
      return jsonError(403, 'This event stream belongs to another caller', 'FORBIDDEN');
    }
    if (wantsStream && request.method === 'GET') return connect(request, reservation, serverContext);
    if (request.method === 'POST') return operate(request, reservation, serverContext);
    if (request.method === 'DELETE') return stop(request, reservation);
    return jsonError(405, 'Use GET to connect, POST to start and DELETE to stop an operation');
  }

  /**
   * One operation as its own text/event-stream response: distinct connection mode here, and
   * Yoga's own SSE on /graphql, so both write whole frames and share one keep-alive timer.
   */
  function streamResult(result: ExecutionResult | AsyncIterable<ExecutionResult>, request: Request, serverContext: object): Response {
    const stream = new SseStream();
    keepAlive.add(stream);
    onDisconnect(request, serverContext, () => stream.close());
    let iterator: AsyncIterator<ExecutionResult> | undefined;
    stream.onClosed(() => void iterator?.return?.());
    pump(result, (r) => stream.write(frameOf(r)), (it) => ((iterator = it), stream.isOpen), () => stream.ready())
      .then(
        () => stream.write(completeFrame()),
        () => stream.write(nextFrame({ errors: [{ message: 'Unexpected error.' }] })),
      )
      .finally(() => stream.close());
    return sseResponse(stream);
  }

  return {
    onYogaInit({ yoga: instance }) {
      yoga = instance as typeof yoga;
    },
    onResultProcess({ request, setResultProcessor, serverContext }) {
      if ((request.headers.get('accept') ?? '').includes('text/event-stream')) {
        setResultProcessor((result) => streamResult(result as ExecutionResult, request, serverContext ?? {}), 'text/event-stream');
      }
    },
    onRequest({ request, url, endResponse, serverContext }) {
      if (url.pathname !== endpoint) return;
      return handle(request, serverContext).then(endResponse, (error) => {
        // a bad credential is the caller's problem; anything else is ours and stays masked
        if (error instanceof GraphQLError && error.extensions.code === 'UNAUTHENTICATED') {
          endResponse(jsonError(401, error.message, 'UNAUTHENTICATED'));
        } else {
          onError(error);
          endResponse(jsonError(500, 'Unexpected error.'));
        }
      });
    },
    closeAllStreams: () => keepAlive.closeAll(),
    openStreams: () => keepAlive.size,
    stop() {
      keepAlive.closeAll();
      keepAlive.stop();
      reservations.stop();
    },
  };
}

/**
 * Calls `callback` when the client goes away. The fetch adapter does not cancel a response
 * body when the socket closes, so an idle stream would otherwise live on.
 */
function onDisconnect(request: Request, serverContext: object, callback: () => void) {
  const res = (serverContext as { res?: { once(event: 'close', listener: () => void): void } }).res;
  res?.once('close', callback);
  request.signal?.addEventListener('abort', callback, { once: true });
}

async function readParams(request: Request, maxBodyBytes: number): Promise<RequestParams | Response> {
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
      await reader.cancel().catch(() => {});
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function jsonError(status: number, message: string, code = status === 500 ? 'INTERNAL_SERVER_ERROR' : 'BAD_REQUEST'): Response {
  return new Response(JSON.stringify({ errors: [{ message, extensions: { code } }] }), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8' },
  });
}

function asGraphQLError(error: unknown): GraphQLError {
  return error instanceof GraphQLError ? error : createGraphQLError('Unexpected error.');
}

/** The result as the wire sees it: errors without internal `http` hints. */
function toJSON(result: ExecutionResult): unknown {
  if (!result.errors) return result;
  return {
    ...result,
    errors: result.errors.map((error) => {
      const json = error instanceof GraphQLError ? error.toJSON() : { message: String((error as Error).message) };
      if (json.extensions && 'http' in json.extensions) {
        const { http: _http, ...extensions } = json.extensions;
        return Object.keys(extensions).length ? { ...json, extensions } : { ...json, extensions: undefined };
      }
      return json;
    }),
  };
}

