import { createClient } from 'graphql-sse';
import { createDurableSubscriber, cursorOf, followCursor, type StreamRequest, type StreamResult, type StreamTransport } from './durable.js';
import { authHeaders, backoff, parseRetryAfter, RequestError, resolveEndpoint, streamUrl, type Endpoint, type GraphQLErrorShape } from './http.js';
import type { Level } from './levels.js';
import type { Fields } from './publisher.js';

export interface LogEntry {
  cursor: string;
  channel: string;
  level: Level;
  message: string;
  fields: Fields | null;
  timestamp: string;
  receivedAt: string;
}

export interface IncidentEvent {
  cursor: string;
  kind: string;
  at: string;
  incidentId: string;
  note: string | null;
  public: boolean;
  actor: { id: string; name: string } | null;
  incident: { id: string; number: number; title: string; status: string; kind: string; openedAt: string; resolvedAt: string | null };
}

export interface TicketEvent {
  /** null for live-only events (TYPING, VIEWING) */
  cursor: string | null;
  kind: string;
  at: string;
  ticketId: string;
  message: { id: string; body: string; authorName: string; authorKind: string; internal: boolean; createdAt: string } | null;
  people: { id: string; name: string; kind: string }[];
  status: string | null;
  priority: string | null;
  assigneeId: string | null;
}

/** Entries between `after` and `resumedAfter` were removed by retention before this reader got them. */
export interface Gap {
  after: string | null;
  resumedAfter: string;
}

/** The stream cannot go on: a refused credential or request, or an error result from the server. */
export class StreamFailure extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
    readonly errors: readonly GraphQLErrorShape[] = [],
  ) {
    super(message);
    this.name = 'StreamFailure';
  }
}

export type ConnectionState = 'connecting' | 'connected' | 'reconnecting';

export interface StreamHandlers {
  /** `CURSOR_EXPIRED`: what was lost; the stream goes on from `resumedAfter`. */
  onGap?: (gap: Gap) => void;
  /** The server refused the stream or sent an error; the stream is over unless the error was a field error. @default console.warn */
  onError?: (error: StreamFailure) => void;
  /** The server completed the stream (it does not on a restart: then the stream resumes by itself). */
  onComplete?: () => void;
  onState?: (state: ConnectionState) => void;
}

export interface DurableStream {
  /** The cursor of the last event delivered: pass it as `after` to pick up here in another process. */
  readonly cursor: string | null;
  close(): void;
}

export interface SubscriberOptions extends Endpoint {
  /** First wait before reconnecting; doubles each failed attempt. @default 250 */
  reconnectBaseMs?: number;
  /** Longest wait between reconnect attempts (the stream never gives up on a network error). @default 10_000 */
  reconnectMaxMs?: number;
}

export interface Subscriber {
  /** Entries of a channel or pattern (`etl:*`), after `after` if given, exactly once, in order, across reconnects. */
  subscribeLogs(args: { channel: string; after?: string | null; minLevel?: Level }, onEntry: (entry: LogEntry) => void, handlers?: StreamHandlers): DurableStream;
  /** Incident transitions (all, or one incident's), resumed the same way. */
  subscribeIncidents(args: { after?: string | null; incidentId?: string }, onEvent: (event: IncidentEvent) => void, handlers?: StreamHandlers): DurableStream;
  /** Ticket events (one ticket's, or the inbox's); stored events resume by cursor, TYPING/VIEWING are live only. */
  subscribeTicketEvents(args: { ticketId?: string; after?: string | null }, onEvent: (event: TicketEvent) => void, handlers?: StreamHandlers): DurableStream;
  /**
   * Any subscription whose field returns an object with a `cursor` and that takes `after`:
   * `variables.after` is kept at the last cursor delivered.
   */
  subscribe<T>(request: { query: string; variables?: Record<string, unknown>; operationName?: string }, onData: (data: T) => void, handlers?: StreamHandlers): DurableStream;
  /** Ends every stream of this subscriber. */
  close(): void;
}

const LOGS = /* GraphQL */ `subscription Logs($channel: String!, $after: String, $minLevel: LogLevel) {
  logs(channel: $channel, after: $after, minLevel: $minLevel) { cursor channel level message fields timestamp receivedAt }
}`;
const INCIDENTS = /* GraphQL */ `subscription Incidents($after: String, $incidentId: ID) {
  incidents(after: $after, incidentId: $incidentId) {
    cursor kind at incidentId note public actor { id name }
    incident { id number title status kind openedAt resolvedAt }
  }
}`;
const TICKET_EVENTS = /* GraphQL */ `subscription TicketEvents($ticketId: ID, $after: String) {
  ticketEvents(ticketId: $ticketId, after: $after) {
    cursor kind at ticketId status priority assigneeId
    message { id body authorName authorKind internal createdAt }
    people { id name kind }
  }
}`;

/** Statuses worth trying again: the server is busy, restarting, or behind a proxy that is. */
const retryableStatus = (status: number) => status === 408 || status === 429 || status >= 500;

/**
 * One graphql-sse client per stream (distinct connections: a stream's reconnects and its
 * refusals are its own). graphql-sse re-sends the request object it holds when it reconnects,
 * so that object's `after` follows the cursor; a refusal that waiting cannot fix (400, 401, 403)
 * ends the stream instead of retrying forever.
 */
function sseTransport(options: SubscriberOptions & { url: string }, onState: (state: ConnectionState) => void): StreamTransport {
  const { reconnectBaseMs = 250, reconnectMaxMs = 10_000 } = options;
  const doFetch = options.fetch ?? globalThis.fetch;
  return {
    subscribe(request: StreamRequest, sink) {
      let refused: Response | undefined;
      const client = createClient({
        url: streamUrl(options.url),
        headers: () => authHeaders(options.token),
        retryAttempts: Infinity,
        fetchFn: async (input: RequestInfo | URL, init?: RequestInit) => {
          refused = undefined;
          const response = await doFetch(input, init);
          refused = response.ok ? undefined : response;
          return response;
        },
        retry: async (retries) => {
          const response = refused;
          refused = undefined;
          // a token function may give a fresh credential on the next try; a fixed one will not
          if (response && !retryableStatus(response.status) && !(response.status === 401 && typeof options.token === 'function')) {
            const body = (await response.json().catch(() => null)) as { errors?: GraphQLErrorShape[] } | null;
            const error = body?.errors?.[0];
            throw new RequestError(error?.message ?? `HTTP ${response.status}`, error?.extensions?.code as string | undefined, response.status, body?.errors ?? []);
          }
          const asked = response ? parseRetryAfter(response.headers.get('retry-after')) : undefined;
          await new Promise((resolve) => setTimeout(resolve, asked ?? backoff(retries, reconnectBaseMs, reconnectMaxMs)));
        },
        on: {
          connecting: (reconnecting) => onState(reconnecting ? 'reconnecting' : 'connecting'),
          connected: () => onState('connected'),
        },
      });
      const dispose = client.subscribe(request as Parameters<typeof client.subscribe>[0], {
        next(result) {
          followCursor(request, result as StreamResult);
          sink.next(result as StreamResult);
        },
        error: (error) => sink.error(error),
        complete: () => sink.complete(),
      });
      return () => {
        dispose();
        client.dispose();
      };
    },
  };
}

function failureOf(error: unknown): StreamFailure {
  if (error instanceof StreamFailure) return error;
  if (error instanceof RequestError) return new StreamFailure(error.message, error.code, error.errors);
  return new StreamFailure((error as Error)?.message ?? String(error), undefined);
}

/**
 * Durable subscriptions over GraphQL-over-SSE: each stream remembers the last cursor it
 * delivered and, after any reconnect, a `SLOW_CONSUMER` or a server restart, resumes after it —
 * every event exactly once, in order. `CURSOR_EXPIRED` arrives as `onGap`.
 *
 * @example
 * const pb = createSubscriber({ url: 'http://localhost:4000', token });
 * pb.subscribeLogs({ channel: 'etl:*' }, (entry) => console.log(entry.cursor, entry.message));
 */
export function createSubscriber(given: SubscriberOptions = {}): Subscriber {
  const options = resolveEndpoint(given);
  const open = new Set<DurableStream>();

  function subscribe<T>(
    request: { query: string; variables?: Record<string, unknown>; operationName?: string },
    onData: (data: T) => void,
    { onGap, onError = (error) => console.warn(`pulseboard-client: ${error.code ?? 'error'}: ${error.message}`), onComplete, onState }: StreamHandlers = {},
  ): DurableStream {
    let cursor = (request.variables?.after as string | null | undefined) ?? null;
    const transport = sseTransport(options, (state) => onState?.(state));
    // `after` present (even null) marks the request durable for the subscriber
    const durableRequest = { ...request, variables: { ...request.variables, after: cursor } };
    const stop = createDurableSubscriber(transport).subscribe(durableRequest, (event) => {
      switch (event.kind) {
        case 'next': {
          const { data, errors } = event.result;
          if (errors?.length) {
            const first = errors[0]!;
            onError(new StreamFailure(first.message, first.extensions?.code as string | undefined, errors));
          }
          const value = data ? Object.values(data)[0] : undefined;
          if (value === undefined || value === null) return;
          const next = cursorOf(event.result);
          if (next !== null) cursor = next;
          onData(value as T);
          return;
        }
        case 'gap':
          cursor = event.resumedAfter;
          return onGap?.({ after: event.after, resumedAfter: event.resumedAfter });
        case 'error':
          open.delete(stream);
          return onError(failureOf(event.error));
        case 'complete':
          open.delete(stream);
          return onComplete?.();
      }
    });
    const stream: DurableStream = {
      get cursor() {
        return cursor;
      },
      close() {
        open.delete(stream);
        stop();
      },
    };
    open.add(stream);
    return stream;
  }

  return {
    subscribe,
    subscribeLogs: ({ channel, after = null, minLevel }, onEntry, handlers) =>
      subscribe<LogEntry>({ query: LOGS, variables: { channel, after, ...(minLevel ? { minLevel } : {}) } }, onEntry, handlers),
    subscribeIncidents: ({ after = null, incidentId }, onEvent, handlers) =>
      subscribe<IncidentEvent>({ query: INCIDENTS, variables: { after, ...(incidentId ? { incidentId } : {}) } }, onEvent, handlers),
    subscribeTicketEvents: ({ ticketId, after = null }, onEvent, handlers) =>
      subscribe<TicketEvent>({ query: TICKET_EVENTS, variables: { after, ...(ticketId ? { ticketId } : {}) } }, onEvent, handlers),
    close() {
      for (const stream of [...open]) stream.close();
    },
  };
}

/** One durable log stream without keeping a subscriber: `subscribeLogs({ url, token, channel }, onEntry)`. */
export function subscribeLogs(
  args: SubscriberOptions & { channel: string; after?: string | null; minLevel?: Level },
  onEntry: (entry: LogEntry) => void,
  handlers?: StreamHandlers,
): DurableStream {
  const { channel, after, minLevel, ...options } = args;
  return createSubscriber(options).subscribeLogs({ channel, after, minLevel }, onEntry, handlers);
}
