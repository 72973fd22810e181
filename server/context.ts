import type { IncomingMessage } from 'node:http';
import { answersOnlyJson } from './plugins/use-streamed-subscriptions.js';
import { GraphQLError } from 'graphql';
import { createGraphQLError, type YogaInitialContext } from 'graphql-yoga';
import type { Auth, ClientInfo } from './domain/auth/auth.js';
import type { Logs } from './domain/logs/logs.js';
import type { Services } from './domain/services/services.js';
import type { Incidents } from './domain/incidents/incidents.js';
import type { Monitors } from './domain/monitors/monitors.js';
import type { CheckStats } from './domain/monitors/check-stats.js';
import type { Notifier, WebhookLog } from './domain/incidents/notifications.js';
import type { StatusPages } from './domain/status-pages/status-pages.js';
import type { Scheduler } from './workers/monitor-scheduler.js';
import type { Tickets } from './domain/tickets/tickets.js';
import type { Streams } from './streams/streams.js';
import type { CannedReplies } from './domain/tickets/canned-replies.js';
import type { RateLimiter } from './domain/shared/rate-limit.js';
import type { Metrics } from './metrics.js';
import { DomainError } from './domain/shared/errors.js';
import type { Viewer } from './domain/auth/viewer.js';
import type { Bus } from './bus/index.js';
import type { Config } from './config.js';
import { OPERATION_SIGNAL } from './sse/use-graphql-sse.js';
import type { Database } from './db/client.js';
import { cookieMayAuthenticate, type SessionCookieJar } from './plugins/use-session-cookie.js';

/** What every resolver may reach: the caller, the operation, and the app's dependencies. */
export interface Context extends OperationContext {
  config: Config;
  db: Database;
  bus: Bus;
  auth: Auth;
  logs: Logs;
  services: Services;
  monitors: Monitors;
  checkStats: CheckStats;
  incidents: Incidents;
  notifier: Notifier;
  webhookLog: WebhookLog;
  statusPages: StatusPages;
  scheduler: Scheduler;
  tickets: Tickets;
  cannedReplies: CannedReplies;
  /** The subscription engine: every live root field opens its stream here. */
  streams: Streams;
  /** reportServiceStatus per caller (publishLogs is charged its budgets in the logs domain) */
  statusLimiter: RateLimiter;
  /** sendTestWebhook / testAlertRuleWebhooks per caller: each sends real POSTs */
  webhookTestLimiter: RateLimiter;
  metrics: Metrics;
}

/** Per operation: who calls, and the signal that ends it. */
export interface OperationContext {
  viewer: Viewer | null;
  /**
   * Aborts when the operation ends, on whichever edge comes first: the client leaving, the
   * operation being stopped, the server draining. Subscriptions bind every resource to it.
   */
  signal: AbortSignal;
  /** The `Last-Event-ID` header: the cursor a reconnecting SSE reader last received. */
  lastEventId: string | null;
  /** Where the request came from (throttling, session labels). */
  client: ClientInfo;
  /** The browser session cookie: read by the session mutations, set at sign-in. */
  sessionCookie: SessionCookieJar;
  /** The raw request (the session mutations check where it came from). */
  request: Request;
}

export type ContextDeps = Omit<Context, keyof OperationContext>;

export type ResolveViewer = (request: Request) => Promise<Viewer | null>;

/**
 * Request -> viewer, once per request: from the Authorization header (never the URL), or —
 * only for a same-origin GET event stream (a browser's EventSource) — from the session cookie.
 * A present but bad credential rejects with an UNAUTHENTICATED GraphQL error.
 */
export function createViewerResolver(auth: Auth, cookieOf: (request: Request) => string | null): ResolveViewer {
  const cache = new WeakMap<Request, Promise<Viewer | null>>();
  return (request) => {
    let viewer = cache.get(request);
    if (!viewer) {
      viewer = authenticate(auth, request, cookieOf);
      cache.set(request, viewer);
    }
    return viewer;
  };
}

async function authenticate(auth: Auth, request: Request, cookieOf: (request: Request) => string | null): Promise<Viewer | null> {
  const header = request.headers.get('authorization');
  if (header) return bearerViewer(auth, header);
  const cookie = cookieOf(request);
  if (cookie && cookieMayAuthenticate(request)) return refusedAsUnauthenticated(auth.authenticateSessionCookie(cookie));
  return null;
}

/** `Authorization: Bearer <token>` -> the viewer; a malformed header or a refused credential rejects UNAUTHENTICATED. */
function bearerViewer(auth: Auth, header: string): Promise<Viewer> {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) return Promise.reject(unauthenticated('Authorization header must be "Bearer <token>"'));
  return refusedAsUnauthenticated(auth.authenticate(match[1]!));
}

async function refusedAsUnauthenticated(viewer: Promise<Viewer>): Promise<Viewer> {
  try {
    return await viewer;
  } catch (error) {
    if (error instanceof DomainError) throw unauthenticated(error.message, error.extensions);
    throw error;
  }
}

const unauthenticated = (message: string, extensions: Record<string, unknown> = {}): GraphQLError =>
  createGraphQLError(message, { extensions: { ...extensions, code: 'UNAUTHENTICATED', http: { status: 401 } } });

/**
 * The caller's address: the socket's peer, or — behind `trustProxyHops` proxies of our own —
 * the address the outermost of them saw (X-Forwarded-For, read from the right).
 */
export function clientAddress(forwardedFor: string | null | undefined, serverContext: unknown, trustProxyHops: number): string {
  const socket = (serverContext as { req?: { socket?: { remoteAddress?: string } } } | undefined)?.req?.socket;
  const peer = socket?.remoteAddress ?? 'unknown';
  if (trustProxyHops <= 0) return peer;
  const forwarded = (forwardedFor ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  return forwarded[forwarded.length - trustProxyHops] ?? forwarded[0] ?? peer;
}

/**
 * Yoga's context factory: the viewer, the operation's signal (set by the SSE transport, or
 * the request's own on /graphql), where the request came from, its session cookie, and the
 * app's dependencies.
 */
/**
 * The signal of a request that cannot stream: a query or mutation answered with one JSON body
 * holds nothing past its response (only subscriptions take the signal), and watching its socket
 * costs an AbortController, the adapter's request signal and a DOMException when it aborts —
 * a tenth of a single-entry publish's CPU. (Subscriptions on such a request never start:
 * plugins/use-streamed-subscriptions.ts.)
 */
const UNENDING = new AbortController().signal;

export function createContext(
  deps: ContextDeps,
  resolveViewer: ResolveViewer,
  requestSignal: (request: Request) => AbortSignal,
  jarOf: (request: Request) => SessionCookieJar,
) {
  return async (initial: YogaInitialContext & { [OPERATION_SIGNAL]?: AbortSignal }): Promise<Context> => {
    const { request } = initial;
    return {
      ...deps,
      viewer: await resolveViewer(request),
      signal: initial[OPERATION_SIGNAL] ?? (answersOnlyJson(request) ? UNENDING : requestSignal(request)),
      lastEventId: request.headers.get('last-event-id'),
      client: { address: clientAddress(request.headers.get('x-forwarded-for'), initial, deps.config.trustProxyHops), userAgent: request.headers.get('user-agent') },
      sessionCookie: jarOf(request),
      request,
    };
  };
}

/**
 * The same context for a request a lane serves straight from Node (plugins/publish-fast-lane.ts,
 * sse/stream-lane.ts): a Bearer credential (the lanes take no other), the operation's signal (a
 * publish's is the unending one), and the fetch `Request` and cookie jar made only if a resolver asks.
 * The `Request` carries the headers, not the body, which the lane has already read.
 */
export function createNodeContext(deps: ContextDeps, auth: Auth, jarOf: (request: Request) => SessionCookieJar) {
  /**
   * One class per app, its dependencies on the prototype: an open stream's context holds its
   * own five fields, not a copy of every dependency, and every context shares one shape (an
   * object literal with getters gets a hidden class of its own per object).
   */
  class NodeContext implements OperationContext {
    private lazyRequest: Request | undefined;
    private jar: SessionCookieJar | undefined;
    constructor(
      readonly viewer: Viewer,
      readonly signal: AbortSignal,
      readonly lastEventId: string | null,
      readonly client: ClientInfo,
      private readonly req: IncomingMessage,
    ) {}
    get request(): Request {
      const { req } = this;
      return (this.lazyRequest ??= new Request(`http://${req.headers.host ?? 'localhost'}${req.url ?? '/graphql'}`, { method: 'POST', headers: headersOf(req) }));
    }
    get sessionCookie(): SessionCookieJar {
      return (this.jar ??= jarOf(this.request));
    }
  }
  Object.assign(NodeContext.prototype, deps);

  /** `signal`: the operation's, for a subscription the stream lane serves (sse/stream-lane.ts). */
  return async (req: IncomingMessage, signal: AbortSignal = UNENDING): Promise<Context> => {
    const viewer = await bearerViewer(auth, req.headers.authorization ?? '');
    const client = { address: clientAddress(joined(req.headers['x-forwarded-for']), { req }, deps.config.trustProxyHops), userAgent: req.headers['user-agent'] ?? null };
    return new NodeContext(viewer, signal, joined(req.headers['last-event-id']) ?? null, client, req) as unknown as Context;
  };
}

const joined = (value: string | string[] | undefined) => (Array.isArray(value) ? value.join(', ') : value);

/** A Node request's headers as fetch `Headers` (repeated ones joined, as fetch does). */
function headersOf(req: IncomingMessage): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) if (value !== undefined) headers.set(name, joined(value)!);
  return headers;
}
