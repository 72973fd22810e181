import { getOperationAST, Kind, type ExecutionResult } from 'graphql';
import { createGraphQLError, type Plugin } from 'graphql-yoga';
import { isAsyncIterable } from '../async-iterable.js';
import type { Context } from '../context.js';
import type { Metrics } from '../metrics.js';
import { childController, onAbort } from '../streams/lifecycle.js';
import type { Session, StreamSessions } from '../streams/sessions.js';
import type { Viewer } from '../domain/auth/viewer.js';

/**
 * Wraps every subscription's result stream so `sessions` can end it early (credential ended),
 * refuses one past the caller's or the tenant's cap (TOO_MANY_REQUESTS), and counts it in
 * `metrics`. The slot and the count are released by the operation's signal, so a
 * subscription that is never pulled — its client left during setup — holds nothing.
 */
/** How long a caller refused at its stream cap is asked to wait (429 `Retry-After`, `retryAfterMs`). */
const STREAM_CAP_RETRY_MS = 5_000;

export function useStreamSessions(sessions: StreamSessions, metrics: Metrics): Plugin<Context> {
  return {
    onSubscribe({ args, setResultAndStopExecution }) {
      const context = args.contextValue as Context;
      const viewer = context.viewer;
      if (!viewer) return;
      const refused = sessions.refusal(viewer);
      if (refused) {
        metrics.rejected('streams');
        // a slot frees when one of the caller's streams ends: no moment to promise, a pause to ask for
        setResultAndStopExecution({ errors: [createGraphQLError(refused, { extensions: { code: 'TOO_MANY_REQUESTS', retryAfterMs: STREAM_CAP_RETRY_MS } })] });
        return;
      }
      const field = rootField(args.document, args.operationName ?? undefined);
      return {
        onSubscribeResult({ result, setResult }) {
          if (!isAsyncIterable(result)) return;
          let endWith: (last: ExecutionResult) => void = () => {};
          // its own end: returning the iterator must not end the operation's siblings (single-connection mode)
          const controller = childController(context.signal);
          const delivered = openStreamSession(sessions, metrics, viewer, field, controller.signal, (last) => endWith(last));
          setResult(endable(result as AsyncIterable<ExecutionResult>, controller, (end) => (endWith = end), delivered));
        },
      };
    },
  };
}

/**
 * One subscription's slot and gauges, held until `signal` aborts (the subscription's end,
 * whichever edge); `end` is how the credential's end reaches it. Returns the counter of its
 * deliveries.
 */
export function openStreamSession(sessions: StreamSessions, metrics: Metrics, viewer: Viewer, field: string, signal: AbortSignal, end: (last: ExecutionResult) => void): () => void {
  const session = { viewer, end };
  const delivered = startStreamSession(sessions, metrics, session, field);
  onAbort(signal, () => endStreamSession(sessions, metrics, session, field));
  return delivered;
}

/** Takes `session`'s slot and counts it in the gauges; returns the counter of its deliveries. */
export function startStreamSession(sessions: StreamSessions, metrics: Metrics, session: Session, field: string): () => void {
  metrics.subscriptionStarted(session.viewer.tenantId, field);
  sessions.hold(session);
  return metrics.deliveries(session.viewer.tenantId, field);
}

/** Gives the slot back and takes the session off the gauges: once, when the subscription ends. */
export function endStreamSession(sessions: StreamSessions, metrics: Metrics, session: Session, field: string) {
  sessions.release(session);
  metrics.subscriptionEnded(session.viewer.tenantId, field);
}

export function rootField(document: Parameters<typeof getOperationAST>[0], operationName?: string): string {
  const selection = getOperationAST(document, operationName)?.selectionSet.selections[0];
  return selection?.kind === Kind.FIELD ? selection.name.value : 'unknown';
}

/**
 * `source`, plus an `end(result)` that yields one last result and finishes, counting each
 * result in the same wrapper (it runs once per delivery, so one layer, not two). Finishing —
 * by the end, by `return()`, or by `controller` aborting with the operation — returns the
 * source (our sources wake when returned), so a pending `next()` settles.
 */
function endable<T>(source: AsyncIterable<T>, controller: AbortController, register: (end: (last: T) => void) => void, onResult: () => void): AsyncGenerator<T> {
  const iterator = source[Symbol.asyncIterator]();
  let last: { value: T } | undefined;
  // read per delivery: a flag the abort sets, not the validating `signal.aborted` getter
  let aborted = false;
  const finished = () => aborted;
  onAbort(controller.signal, () => {
    aborted = true;
    // eslint-disable-next-line no-restricted-syntax -- ending an aborted operation's source: nobody is left to tell
    void iterator.return?.()?.catch?.(() => {});
  });
  register((value) => {
    if (finished() || last) return;
    last = { value };
    // eslint-disable-next-line no-restricted-syntax -- the last result is delivered; a failure ending the source after it changes nothing
    void iterator.return?.()?.catch?.(() => {});
  });

  const generator: AsyncGenerator<T> = {
    async next() {
      if (!last) {
        if (finished()) return { done: true, value: undefined };
        let result: IteratorResult<T>;
        try {
          result = await iterator.next();
        } catch (error) {
          controller.abort('finished');
          throw error;
        }
        if (!last) {
          if (result.done) controller.abort('finished');
          else onResult();
          return result;
        }
      }
      // ending: whatever the source had in hand is dropped; the client resumes by cursor
      const { value } = last;
      last = undefined;
      controller.abort('credential');
      return { done: false, value };
    },
    async return() {
      last = undefined;
      controller.abort('finished');
      return { done: true, value: undefined };
    },
    async throw(error) {
      controller.abort('finished');
      throw error;
    },
    [Symbol.asyncIterator]() {
      return generator;
    },
    async [Symbol.asyncDispose]() {
      controller.abort('finished');
    },
  };
  return generator;
}
