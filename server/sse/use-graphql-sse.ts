import { STATUS_CODES, type ServerResponse } from 'node:http';
import { GraphQLError, getOperationAST, OperationTypeNode, type ExecutionResult } from 'graphql';
import { createGraphQLError, type Plugin, type YogaServerInstance } from 'graphql-yoga';
import { isAsyncIterable } from '../async-iterable.js';
import type { ResolveViewer } from '../context.js';
import { refusalOf, withCode } from '../plugins/mask-error.js';
import { principalKey } from '../domain/auth/viewer.js';
import { onAbort } from '../streams/lifecycle.js';
import { TooManyReservations, createReservations, type Reservation } from './reservations.js';
import { jsonError, readParams, type RequestParams } from './request.js';
import { UNEXPECTED_JSON } from '../plugins/node-request.js';
import { SSE_HEADERS, SseStream, completeFrame, createOpenStreams, nextFrameOfJson, shutdownFrame, shutdownPayload } from './sse-stream.js';

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
  /**
   * Bytes of events held for a reserved stream whose GET has not connected yet; past it the
   * reservation is released (its operations end; the client reserves again and resumes).
   * @default 1_048_576
   */
  maxBacklogBytes?: number;
  /** A result's SSE `id:` — a durable stream's cursor — when it has one. */
  eventIdOf?: (result: ExecutionResult) => string | undefined;
  /** How soon a drained stream's client is told to reconnect. @default 1000 */
  retryAfterMs?: number;
}

/** What the transport hands the context factory: the operation's signal, aborted on every edge. */
export const OPERATION_SIGNAL = 'operationSignal';

type Result = ExecutionResult | AsyncIterable<ExecutionResult>;

/**
 * The GraphQL-over-SSE protocol (both modes) at `endpoint`, run through Yoga's own envelop
 * pipeline: parse and validation errors arrive as `next` events with their real message,
 * errors are masked as on /graphql, single-connection reservations are server-chosen,
 * bound to the caller, capped and expiring, and every response carries X-Accel-Buffering: no.
 *
 * Every operation has one AbortController, created before the first `await` and aborted on
 * whichever edge comes first — the client hanging up (before, during or after setup), a
 * DELETE, the reservation ending, the server draining; the subscription's resources listen to
 * its signal (`context.signal`), so none outlives the operation.
 */
export function useGraphQLSSE({
  resolveViewer,
  onError = () => {},
  endpoint = '/graphql/stream',
  keepAliveMs = 15_000,
  reservationTtlMs = 30_000,
  reservationsPerPrincipal = 10,
  maxBodyBytes = 1_000_000,
  maxBacklogBytes = 1_048_576,
  eventIdOf = () => undefined,
  retryAfterMs = 1_000,
}: UseGraphQLSSEOptions) {
  let yoga: YogaServerInstance<Record<string, unknown>, Record<string, unknown>>;
  const streams = createOpenStreams(keepAliveMs);
  const reservations = createReservations({ ttlMs: reservationTtlMs, perPrincipal: reservationsPerPrincipal });
  // Yoga's own SSE on /graphql: the request is the operation
  const requestOperations = new WeakMap<Request, AbortController>();
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
    if (!frame) frames.set(result, (frame = nextFrameOfJson(payloadOf(result), eventIdOf(result))));
    return frame;
  };
  // (one function for every single-operation stream, not a closure per stream)
  const lastFramesOfOne = () => [shutdownFrame(retryAfterMs)];
  const sseResponse = (stream: SseStream) => new yoga.fetchAPI.Response(stream.body as unknown as BodyInit, { status: 200, headers: SSE_HEADERS });

  /** The operation of a request served whole by one response (distinct mode, and Yoga's /graphql). */
  function requestOperation(request: Request): AbortController {
    let operation = requestOperations.get(request);
    if (!operation) {
      const created = (operation = new AbortController());
      requestOperations.set(request, created);
      // the fetch adapter aborts request.signal when the socket closes before the response ends
      onAbort(request.signal, () => created.abort('client-gone'));
    }
    return operation;
  }

  async function run(request: Request, params: RequestParams, serverContext: object, signal: AbortSignal): Promise<Result> {
    const enveloped = yoga.getEnveloped({ ...serverContext, request, params, [OPERATION_SIGNAL]: signal });
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
      return { errors: [createGraphQLError('Could not determine which operation to run: name it with operationName', { extensions: { code: 'BAD_REQUEST' } })] };
    }
    if (operation.operation === OperationTypeNode.MUTATION && request.method === 'GET') {
      return { errors: [createGraphQLError('Mutations cannot be sent with GET', { extensions: { code: 'BAD_REQUEST' } })] };
    }
    let contextValue;
    try {
      contextValue = await enveloped.contextFactory();
    } catch (error) {
      return { errors: [asGraphQLError(error)] };
    }
    const executor = operation.operation === OperationTypeNode.SUBSCRIPTION ? enveloped.subscribe : enveloped.execute;
    return (await executor({
      schema: enveloped.schema,
      document,
      contextValue,
      variableValues: params.variables,
      operationName: params.operationName,
    })) as Result;
  }

  /**
   * Feeds one operation's results into `emit` until it finishes or `signal` aborts. Resolves
   * when done (a normal end), and never leaves an iterator unreturned: one that arrives after
   * the operation has already ended is returned at once.
   */
  async function pump(result: Result, signal: AbortSignal, emit: (result: ExecutionResult) => void, ready: () => Promise<void> | undefined): Promise<void> {
    if (!isAsyncIterable(result)) return emit(result);
    const iterator = result[Symbol.asyncIterator]();
    // read twice per event per subscriber: a flag, not the validating `signal.aborted` getter
    let aborted = false;
    onAbort(signal, () => {
      aborted = true;
      void iterator.return?.()?.catch?.(onError);
    });
    for (;;) {
      if (aborted) return;
      const room = ready();
      if (room) await room;
      const { done, value } = await iterator.next();
      if (done || aborted) return;
      emit(value);
    }
  }

  async function distinct(request: Request, serverContext: object): Promise<Response> {
    const operation = requestOperation(request);
    const params = await readParams(request, maxBodyBytes);
    if (params instanceof Response) return params;
    const result = await run(request, params, serverContext, operation.signal);
    return refusal(result) ?? streamResult(result, operation);
  }

  async function reserve(request: Request): Promise<Response> {
    // A token the PUT carries is ignored, never honoured: graphql-sse writes the token it was
    // given into a static `headers` object, so its next PUT (a second subscribe, a reconnect)
    // sends the old one. The server still chooses every token and binds it to the caller.
    const viewer = await resolveViewer(request);
    if (!viewer) return jsonError(401, 'Sign in to reserve an event stream', 'UNAUTHENTICATED');
    try {
      const { token } = reservations.reserve(principalKey(viewer));
      return new Response(token, { status: 201, statusText: 'Created', headers: { 'content-type': 'text/plain; charset=utf-8' } });
    } catch (error) {
      if (error instanceof TooManyReservations) return jsonError(429, error.message, 'TOO_MANY_REQUESTS', error.retryAfterMs);
      throw error;
    }
  }

  function connect(request: Request, reservation: Reservation): Response {
    if (reservation.stream) return jsonError(409, 'This event stream is already open');
    const stream = (reservation.stream = new SseStream());
    streams.add(stream, () =>
      [...reservation.ops.keys()].map((id) => shutdownFrame(retryAfterMs, { id, payload: shutdownPayload(retryAfterMs) })),
    );
    for (const frame of reservation.backlog) stream.write(frame);
    reservation.backlog = [];
    reservation.backlogBytes = 0;
    // the client re-reserves when it reconnects: this reservation (and its operations) end with its stream
    stream.onClosed(() => reservations.release(reservation));
    onAbort(request.signal, () => stream.close());
    return sseResponse(stream);
  }

  async function operate(request: Request, reservation: Reservation, serverContext: object): Promise<Response> {
    const params = await readParams(request, maxBodyBytes);
    if (params instanceof Response) return params;
    const id = params.extensions?.operationId;
    if (typeof id !== 'string' || !id) return jsonError(400, 'extensions.operationId is missing');
    if (reservation.ops.has(id)) return jsonError(409, `Operation ${id} already exists`);
    if (reservations.get(reservation.token) !== reservation) return jsonError(404, 'No such event stream: reserve one with PUT', 'STREAM_NOT_FOUND');
    // registered before the first await: a DELETE or the stream closing during setup ends it
    const operation = new AbortController();
    reservation.ops.set(id, operation);
    const write = (frame: Buffer | string) => {
      if (reservation.stream) return reservation.stream.write(frame);
      reservation.backlog.push(frame);
      reservation.backlogBytes += frame.length;
      // nobody is reading: do not hold events without bound
      if (reservation.backlogBytes > maxBacklogBytes) reservations.release(reservation);
    };
    const result = await run(request, params, serverContext, operation.signal);
    pump(
      result,
      operation.signal,
      (r) => write(`event: next\ndata: {"id":${JSON.stringify(id)},"payload":${payloadOf(r)}}\n\n`),
      () => reservation.stream?.ready(),
    )
      .catch((error) => {
        onError(error);
        write(`event: next\ndata: {"id":${JSON.stringify(id)},"payload":${UNEXPECTED_JSON}}\n\n`);
      })
      .finally(() => {
        if (reservation.ops.get(id) !== operation) return;
        reservation.ops.delete(id);
        write(`event: complete\ndata: ${JSON.stringify({ id })}\n\n`);
      });
    return new Response(null, { status: 202, statusText: 'Accepted' });
  }

  function stop(request: Request, reservation: Reservation): Response {
    const id = new URL(request.url).searchParams.get('operationId');
    if (!id) return jsonError(400, 'operationId is missing');
    const operation = reservation.ops.get(id);
    reservation.ops.delete(id);
    operation?.abort('stopped');
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
    // another caller's token reads as unknown: a token is bound to the caller who reserved it
    const viewer = reservation && (await resolveViewer(request));
    if (!reservation || !viewer || principalKey(viewer) !== reservation.principal) {
      return jsonError(404, 'No such event stream for this caller: reserve one with PUT', 'STREAM_NOT_FOUND');
    }
    if (wantsStream && request.method === 'GET') return connect(request, reservation);
    if (request.method === 'POST') return operate(request, reservation, serverContext);
    if (request.method === 'DELETE') return stop(request, reservation);
    return jsonError(405, 'Use GET to connect, POST to start and DELETE to stop an operation');
  }

  /**
   * One operation as its own text/event-stream response: distinct connection mode here, and
   * Yoga's own SSE on /graphql, so both write whole frames, share one keep-alive timer and
   * end the operation when the response closes from either side.
   */
  function streamResult(result: Result, operation: AbortController): Response {
    const stream = operationStream(new SseStream(), operation);
    onAbort(operation.signal, () => stream.close());
    pump(result, operation.signal, (r) => stream.write(frameOf(r)), () => stream.ready())
      .then(
        () => stream.write(completeFrame()),
        (error) => {
          onError(error);
          stream.write(nextFrameOfJson(UNEXPECTED_JSON));
        },
      )
      .finally(() => stream.close());
    return sseResponse(stream);
  }

  /**
   * A stream that is one operation's response: kept alive and drained; its closing ends the
   * operation (the caller closes it when the operation ends).
   */
  function operationStream(stream: SseStream, operation: AbortController): SseStream {
    streams.add(stream, lastFramesOfOne);
    stream.onClosed(() => operation.abort('client-gone'));
    return stream;
  }

  const plugin: Plugin = {
    onYogaInit({ yoga: instance }) {
      yoga = instance as typeof yoga;
    },
    onResultProcess({ request, setResultProcessor }) {
      if ((request.headers.get('accept') ?? '').includes('text/event-stream')) {
        setResultProcessor((result) => refusal(result as ExecutionResult) ?? streamResult(result as ExecutionResult, requestOperation(request)), 'text/event-stream');
      }
    },
    onRequest({ request, url, endResponse, serverContext }) {
      if (url.pathname !== endpoint) return;
      return handle(request, serverContext ?? {}).then(endResponse, (error) => {
        // the client left while its request was read: nobody is there to answer
        if (request.signal.aborted) return endResponse(new Response(null, { status: 499 }));
        // a bad credential is the caller's problem; anything else is ours and stays masked
        if (error instanceof GraphQLError && error.extensions.code === 'UNAUTHENTICATED') {
          endResponse(jsonError(401, error.message, 'UNAUTHENTICATED'));
        } else {
          onError(error);
          endResponse(jsonError(500, 'Unexpected error.'));
        }
      });
    },
  };

  return {
    plugin,
    /** What the stream lane (stream-lane.ts) writes with: the same frames, streams and refusals. */
    lane: {
      frameOf,
      /**
       * `operation`'s stream, written to Node's response directly, kept alive and drained; its
       * closing ends the operation, and the lane closes it when the operation ends.
       */
      open: (res: ServerResponse, operation: AbortController) => operationStream(new SseStream(undefined, res), operation),
      /** A result that is not a stream (it failed before its first event), answered as `streamResult` would. */
      answer(res: ServerResponse, result: ExecutionResult) {
        const refused = refusalParts(result);
        if (refused) {
          res.writeHead(refused.status, refused.statusText, refused.headers);
          return void res.end(refused.body);
        }
        const stream = new SseStream(undefined, res);
        stream.write(frameOf(result));
        stream.write(completeFrame());
        stream.close();
      },
    },
    /** The signal of the operation `request` carries on /graphql (the context's, when the transport set none). */
    requestSignal: (request: Request) => requestOperation(request).signal,
    openStreams: () => streams.size,
    openReservations: () => reservations.size,
    /** Ends every open stream with SHUTTING_DOWN (no `complete`: clients reconnect elsewhere). */
    drain: () => streams.drain(),
    async stop() {
      await streams.drain();
      streams.stop();
      reservations.stop();
    },
  };
}

/**
 * UNAUTHENTICATED or TOO_MANY_REQUESTS before the first event: the request is refused with its
 * HTTP status (401, 429) as on /graphql, rather than a stream that says so. Other errors before
 * the first event are a `next` event, as the reference server sends validation errors.
 */
function refusal(result: Result): Response | undefined {
  const refused = isAsyncIterable(result) ? undefined : refusalParts(result);
  return refused && new Response(refused.body, refused);
}

function refusalParts(result: ExecutionResult) {
  const refused = refusalOf(result.errors?.map((error) => ({ extensions: error.extensions })));
  if (!refused) return undefined;
  return {
    status: refused.status,
    statusText: STATUS_CODES[refused.status],
    headers: { ...refused.headers, 'content-type': 'application/json; charset=utf-8' },
    body: JSON.stringify(toJSON({ errors: result.errors })),
  };
}

function asGraphQLError(error: unknown): GraphQLError {
  return error instanceof GraphQLError ? withCode(error) : createGraphQLError('Unexpected error.', { extensions: { code: 'INTERNAL_SERVER_ERROR' } });
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
