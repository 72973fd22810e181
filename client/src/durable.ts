/**
 * Durable subscriptions (`logs`, `incidents`, `ticketEvents`): everything a client needs to
 * resume a stream by cursor, independent of the transport — the kit's `createSubscriber` runs it
 * on graphql-sse, the console on its shared stream hub (one implementation for both).
 *
 * `createDurableSubscriber(transport).subscribe(request, onEvent)` remembers the last cursor
 * each event carried and, whenever the stream has to start again — the transport lost its hub
 * or connection, the server said `SLOW_CONSUMER` or `CURSOR_EXPIRED` — subscribes again from
 * there. Events at or before the remembered cursor are dropped, so a hand-over that replays a
 * little too much never shows a line twice. Only requests whose variables declare `after`
 * (even as null) are durable; others are restarted as they are.
 */

export interface StreamRequest {
  query: string;
  variables?: Record<string, unknown>;
  operationName?: string;
}

export interface StreamError {
  message: string;
  extensions?: Record<string, unknown>;
}

export interface StreamResult {
  data?: Record<string, unknown> | null;
  errors?: readonly StreamError[];
}

export interface StreamSink {
  next(result: StreamResult): void;
  error(error: unknown): void;
  complete(): void;
}

/** Anything that runs one operation: the shared hub, or a graphql-sse client. */
export interface StreamTransport {
  subscribe(request: StreamRequest, sink: StreamSink): () => void;
}

/** The transport lost the stream it served (hub gone, credentials replaced): start again. */
export class StreamRestart extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'StreamRestart';
  }
}

export type DurableEvent =
  | { kind: 'next'; result: StreamResult }
  /** `CURSOR_EXPIRED`: entries after `after` up to `resumedAfter` were pruned before we read them. */
  | { kind: 'gap'; after: string | null; resumedAfter: string }
  | { kind: 'error'; error: unknown }
  | { kind: 'complete' };

const codeOf = (result: StreamResult) => result.errors?.find((e) => typeof e.extensions?.code === 'string')?.extensions as
  | { code: string; resumeAfter?: string; oldestCursor?: string }
  | undefined;

/** `CURSOR_EXPIRED` says where to resume in `resumeAfter` (older servers: `oldestCursor`). */
const resumePoint = (signal: { resumeAfter?: string; oldestCursor?: string }) => signal.resumeAfter ?? signal.oldestCursor;

/** The cursor a result carries (`data.<field>.cursor`), or null (ephemeral events, latest-wins streams). */
export function cursorOf(result: StreamResult): string | null {
  if (!result.data) return null;
  for (const value of Object.values(result.data)) {
    const cursor = (value as { cursor?: unknown } | null)?.cursor;
    if (typeof cursor === 'string') return cursor;
  }
  return null;
}

export const isDurable = (request: StreamRequest) => !!request.variables && 'after' in request.variables;

/** Cursors are decimal positions; anything else is never treated as a duplicate. */
function notAfter(cursor: string, last: string | null): boolean {
  if (last === null || !/^\d+$/.test(cursor) || !/^\d+$/.test(last)) return false;
  return BigInt(cursor) <= BigInt(last);
}

/**
 * Keeps `request.variables.after` at the last cursor received, for transports (graphql-sse)
 * that re-send the same request object when they reconnect.
 */
export function followCursor(request: StreamRequest, result: StreamResult): void {
  if (!isDurable(request)) return;
  const cursor = cursorOf(result);
  if (cursor !== null) request.variables!.after = cursor;
}

export interface DurableSubscriber {
  subscribe(request: StreamRequest, onEvent: (event: DurableEvent) => void): () => void;
}

export interface DurableSubscriberOptions {
  /**
   * The server ended a stream with `UNAUTHENTICATED` (the access token ran out): renew the
   * credential and resolve true to resume from the cursor, or false to pass the error on.
   * @default none: the error reaches the caller
   */
  renew?: () => Promise<boolean>;
}

export function createDurableSubscriber(transport: StreamTransport, { renew }: DurableSubscriberOptions = {}): DurableSubscriber {
  return {
    subscribe(request, onEvent) {
      const durable = isDurable(request);
      let last = durable ? ((request.variables!.after as string | null | undefined) ?? null) : null;
      let generation = 0;
      let stop: (() => void) | null = null;
      let ended = false;

      const start = () => {
        const mine = ++generation;
        const variables = durable ? { ...request.variables, after: last } : request.variables;
        const current = { ...request, variables };
        const live = () => mine === generation && !ended;
        const restart = () => {
          if (!live()) return;
          const previous = stop;
          // a new generation first, so whatever the old operation still says is ignored
          start();
          previous?.();
        };
        stop = transport.subscribe(current, {
          next(result) {
            if (!live()) return;
            const signal = codeOf(result);
            if (signal?.code === 'SLOW_CONSUMER' && durable && signal.resumeAfter) {
              last = signal.resumeAfter;
              return restart();
            }
            const resumeAt = signal?.code === 'CURSOR_EXPIRED' && durable ? resumePoint(signal) : undefined;
            if (resumeAt) {
              onEvent({ kind: 'gap', after: last, resumedAfter: resumeAt });
              last = resumeAt;
              return restart();
            }
            // the connection is about to close without `complete`: the transport reconnects
            if (signal?.code === 'SHUTTING_DOWN') return;
            if (signal?.code === 'UNAUTHENTICATED' && renew) {
              // the server completes the operation right after this: a new generation first, so
              // that end is not taken for the subscription's; it starts again once renewed
              const waiting = ++generation;
              stop?.();
              void renew().then(
                (renewed) => {
                  if (waiting !== generation || ended) return;
                  if (renewed) start();
                  else onEvent({ kind: 'next', result });
                },
                () => waiting === generation && !ended && onEvent({ kind: 'next', result }),
              );
              return;
            }
            if (durable) {
              const cursor = cursorOf(result);
              if (cursor !== null) {
                if (notAfter(cursor, last)) return;
                last = cursor;
              }
            }
            onEvent({ kind: 'next', result });
          },
          error(error) {
            if (!live()) return;
            if (error instanceof StreamRestart || (error as Error)?.name === 'StreamRestart') return restart();
            ended = true;
            onEvent({ kind: 'error', error });
          },
          complete() {
            if (!live()) return;
            ended = true;
            onEvent({ kind: 'complete' });
          },
        });
      };

      start();
      return () => {
        ended = true;
        generation++;
        stop?.();
      };
    },
  };
}
