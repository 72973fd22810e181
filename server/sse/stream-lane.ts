import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  createSourceEventStream,
  OperationTypeNode,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  type GraphQLError,
  type GraphQLSchema,
} from 'graphql';
import { isAsyncIterable } from '../async-iterable.js';
import type { Context } from '../context.js';
import type { Metrics } from '../metrics.js';
import { UNEXPECTED_JSON, answerUnexpected, createPlainOperations, isPlainBearerJson, passWithBody, plainParams, readBody, requestView } from '../plugins/node-request.js';
import { endStreamSession, rootField, startStreamSession } from '../plugins/use-stream-sessions.js';
import type { EventExecution, SharedExecution } from '../plugins/use-shared-execution.js';
import { EventStream } from '../streams/event-stream.js';
import { onAbort } from '../streams/lifecycle.js';
import type { Session, StreamSessions } from '../streams/sessions.js';
import type { Viewer } from '../domain/auth/viewer.js';
import { completeFrame, nextFrameOfJson, type SseStream } from './sse-stream.js';

export interface StreamLaneOptions {
  schema: GraphQLSchema;
  /** The request's context with the operation's signal; rejects when the credential is refused. */
  contextOf: (req: IncomingMessage, signal: AbortSignal) => Promise<Context>;
  /** Yoga's parse and validate, with every plugin's rules and Yoga's caches (`yoga.getEnveloped`). */
  enveloped: (context: object) => { parse: (source: string) => DocumentNode; validate: (schema: GraphQLSchema, document: DocumentNode) => readonly unknown[] };
  /** Yoga's node handler: whatever the lane does not serve. */
  fallback: (req: IncomingMessage, res: ServerResponse) => void;
  maxBodyBytes: number;
  /** While true (CORS configured, the server draining) the lane stands aside. */
  standAside?: (req: IncomingMessage) => boolean;
  sessions: StreamSessions;
  metrics: Metrics;
  sharedExecution: SharedExecution;
  /** Yoga's error masking, as configured (what its masked-errors plugin does to each result). */
  maskError: (error: GraphQLError) => GraphQLError;
  /** The SSE transport's frames and streams (useGraphQLSSE's `lane`). */
  transport: {
    frameOf: (result: ExecutionResult) => Buffer;
    open: (res: ServerResponse, operation: AbortController) => SseStream;
    answer: (res: ServerResponse, result: ExecutionResult) => void;
  };
  onError?: (error: unknown) => void;
  /** @default ['/graphql/stream', '/graphql'] */
  paths?: readonly string[];
}

/**
 * A broadcast to N subscribers through Yoga costs, per event and subscriber, a pull through five
 * async iterators (the source, shared execution, the session's, masked errors' two) and the
 * transport's loop — a promise chain per subscriber per commit, more than the delivery itself
 * — and each open stream holds Yoga's per-request objects (the fetch `Request`, its signal and
 * body streams, the `Response`). The stream lane serves the subscriptions that dominate
 * broadcast — a distinct-mode event stream of one shared-execution field (`logs`) — from Node's
 * request, pushed: the feed's delivery wakes each subscriber synchronously, its result is the
 * one executed for every subscriber with its selection, and the cached frame is written to the
 * socket then and there.
 *
 * The same rules as Yoga's path: Yoga's own parse and validation; the same context, subscribe
 * resolver and scopes; the caller's slot, gauges and credential end (startStreamSession);
 * masked errors; the same frames, keep-alive, drain and refusals (the transport's). What it
 * does not serve — another field, a refused credential, a refused slot, variables that do not
 * coerce, any request Yoga would treat specially — goes to Yoga with the body already read, and
 * nothing has run.
 */
export function createStreamLane({
  schema,
  contextOf,
  enveloped,
  fallback,
  maxBodyBytes,
  standAside = () => false,
  sessions,
  metrics,
  sharedExecution,
  maskError,
  transport,
  onError = () => {},
  paths = ['/graphql/stream', '/graphql'],
}: StreamLaneOptions) {
  let served = 0;
  const plainSubscription = createPlainOperations(OperationTypeNode.SUBSCRIPTION);

  const masked = (result: ExecutionResult): ExecutionResult => (result.errors ? { ...result, errors: result.errors.map((error) => maskError(error)) } : result);

  async function serve(req: IncomingMessage, res: ServerResponse) {
    // registered before the first await: a hang-up at any point of setup ends the operation
    const operation = new AbortController();
    const gone = () => operation.abort('client-gone');
    res.once('close', gone);
    const body = await readBody(req, maxBodyBytes);
    if (!body) return; // the client left mid-body: nothing ran, nobody to answer
    const pass = () => passWithBody(fallback, req, res, body);
    const params = body.length > maxBodyBytes ? undefined : plainParams(body);
    if (!params) return pass();
    const { query, variables, operationName } = params;
    const { parse, validate } = enveloped({ params, request: requestView(req) });
    let document: DocumentNode;
    try {
      document = parse(query);
      // one subscription of one field, no directives or fragments, passing every validation rule
      if (!plainSubscription(document, operationName) || validate(schema, document).length > 0) return pass();
    } catch {
      return pass();
    }
    let contextValue: Context;
    try {
      contextValue = await contextOf(req, operation.signal);
    } catch {
      return pass(); // Yoga refuses the credential in its own words
    }
    const args: ExecutionArgs = { schema, document, contextValue, variableValues: variables, operationName };
    const execution = sharedExecution.executionOf(args);
    const viewer = contextValue.viewer!;
    // a refused slot is Yoga's to answer (429, counted); nothing has run yet
    if (!execution?.shared || sessions.refusal(viewer)) return pass();
    if (operation.signal.aborted) return;
    const source = await createSourceEventStream(args);
    if (!isAsyncIterable(source)) {
      // variables that do not coerce ran nothing: Yoga words them (BAD_USER_INPUT)
      if (!source.errors?.some((error) => error.path !== undefined)) return pass();
      served++;
      return transport.answer(res, masked(source));
    }
    served++;
    // our streams are pushed; any other source is pulled, one `next()` at a time
    const events: LaneSource = source instanceof EventStream ? (source as EventStream<unknown>) : pulledSource(source, operation.signal, onError);
    if (operation.signal.aborted) return events.end();
    // from here the stream watches the response (one listener, not two)
    res.off('close', gone);
    // the context the events execute with: a copy, so what the subscribe step cached on the
    // original (Pothos' per-request auth cache: five Maps) is not held for the stream's life
    const context = Object.assign(Object.create(Object.getPrototypeOf(contextValue) as object) as Context, contextValue);
    deliver(events, { ...args, contextValue: context }, execution, operation, res);
  }

  function deliver(source: LaneSource, args: ExecutionArgs, execution: EventExecution, operation: AbortController, res: ServerResponse) {
    const field = rootField(args.document);
    const stream = transport.open(res, operation);
    const subscription = new LaneSubscription((args.contextValue as Context).viewer!, source, sharedExecution.eventExecutor(args, execution), stream, transport.frameOf, masked, onError);
    // one request, one operation: the subscription's end is the operation's, and one listener
    // releases all it holds — its slot and gauges, its response — whichever edge ends it
    subscription.delivered = startStreamSession(sessions, metrics, subscription, field);
    onAbort(operation.signal, () => {
      endStreamSession(sessions, metrics, subscription, field);
      stream.close();
    });
    subscription.pull();
  }

  return {
    /** Takes the request if the lane may serve it (decided from its headers); false leaves it to Yoga. */
    handle(req: IncomingMessage, res: ServerResponse): boolean {
      if (req.method !== 'POST' || !paths.includes(req.url ?? '')) return false;
      if (
        !(req.headers.accept ?? '').includes('text/event-stream') ||
        // single-connection mode's operations are the transport's
        req.headers['x-graphql-event-stream-token'] !== undefined ||
        !isPlainBearerJson(req, maxBodyBytes) ||
        standAside(req)
      ) {
        return false;
      }
      void serve(req, res).catch((error: unknown) => answerUnexpected(res, error, onError));
      return true;
    },
    /** Subscriptions served here rather than by Yoga. */
    served: () => served,
  };
}

/**
 * Pushes one subscription's events to its response: woken by the feed (no promise per event),
 * each event's shared result framed once and written; it waits only for a full socket (the
 * source's bounded buffer and SLOW_CONSUMER then apply) or a replay read from the store. A
 * class with one bound `pull`: an open stream holds these fields, not a closure per step.
 */
class LaneSubscription implements Session {
  delivered: () => void = () => {};
  /** the credential's last event, written when the source has ended */
  private ending: ExecutionResult | undefined;

  constructor(
    readonly viewer: Viewer,
    private readonly source: LaneSource,
    private readonly executeEvent: (event: unknown) => ExecutionResult | Promise<ExecutionResult>,
    private readonly stream: SseStream,
    private readonly frameOf: (result: ExecutionResult) => Buffer,
    private readonly masked: (result: ExecutionResult) => ExecutionResult,
    private readonly onError: (error: unknown) => void,
  ) {
    this.pull = this.pull.bind(this);
  }

  /** The credential ended (the sessions call this): `last` is the last event, then the stream completes. */
  end(last: ExecutionResult) {
    if (!this.stream.isOpen || this.ending) return;
    this.ending = last;
    this.source.end();
  }

  pull() {
    try {
      for (;;) {
        const room = this.stream.ready();
        if (room) return void room.then(this.pull);
        // (the rare paths — a replay page, an execution in flight — make their callbacks when they happen)
        if (this.source.replaying) {
          return void this.source.next().then(
            (pulled) => this.handle(pulled) && this.pull(),
            (error: unknown) => this.fail(error),
          );
        }
        const item = this.source.take();
        if (!item) return this.source.whenReady(this.pull);
        if (!this.handle(item)) return;
      }
    } catch (error) {
      this.fail(error);
    }
  }

  /** One pulled item; false when delivery goes on later (an execution in flight) or is over. */
  private handle(item: IteratorResult<unknown>): boolean {
    if (item.done) {
      this.finish();
      return false;
    }
    const executed = this.executeEvent(item.value);
    if (executed instanceof Promise) {
      executed.then(
        (result) => {
          this.write(result);
          this.pull();
        },
        (error: unknown) => this.fail(error),
      );
      return false;
    }
    this.write(executed);
    return true;
  }

  private write(result: ExecutionResult) {
    this.delivered();
    this.stream.write(this.frameOf(this.masked(result)));
  }

  private finish() {
    if (this.ending) this.write(this.ending);
    this.ending = undefined;
    this.stream.write(completeFrame());
    this.stream.close();
  }

  private fail(error: unknown) {
    this.onError(error);
    this.stream.write(nextFrameOfJson(UNEXPECTED_JSON));
    this.stream.close();
  }
}

/** What a lane subscription reads its events from: an EventStream, woken by its feed. */
type LaneSource = Pick<EventStream<unknown>, 'replaying' | 'next' | 'take' | 'whenReady' | 'end'>;

/** Any other async iterable as a lane source that is always pulled (as if replaying), ended with the operation. */
function pulledSource(iterable: AsyncIterable<unknown>, signal: AbortSignal, onError: (error: unknown) => void): LaneSource {
  const iterator = iterable[Symbol.asyncIterator]();
  let ended = false;
  const end = () => {
    if (ended) return;
    ended = true;
    iterator.return?.()?.catch?.(onError);
  };
  onAbort(signal, end);
  return {
    replaying: true,
    next: () => (ended ? Promise.resolve({ done: true, value: undefined }) : iterator.next()),
    take: () => undefined,
    whenReady: () => {},
    end,
  };
}
