import { GraphQLError } from 'graphql';
import { createGraphQLError, type YogaInitialContext } from 'graphql-yoga';
import type { Auth } from './domain/auth/auth.js';
import type { Logs } from './domain/logs/logs.js';
import type { Services } from './domain/services/services.js';
import type { Incidents } from './domain/incidents/incidents.js';
import type { Monitors } from './domain/monitors/monitors.js';
import type { Scheduler } from './workers/monitor-scheduler.js';
import type { Tickets } from './domain/tickets/tickets.js';
import type { Streams } from './streams/streams.js';
import type { RateLimiter } from './domain/shared/rate-limit.js';
import type { Metrics } from './metrics.js';
import { DomainError } from './domain/shared/errors.js';
import type { Viewer } from './domain/auth/viewer.js';
import type { Bus } from './bus/index.js';
import type { Config } from './config.js';
import { OPERATION_SIGNAL } from './sse/use-graphql-sse.js';
import type { Database } from './db/client.js';

/** What every resolver may reach: the caller, the operation, and the app's dependencies. */
export interface Context extends OperationContext {
  config: Config;
  db: Database;
  bus: Bus;
  auth: Auth;
  logs: Logs;
  services: Services;
  monitors: Monitors;
  incidents: Incidents;
  scheduler: Scheduler;
  tickets: Tickets;
  /** The subscription engine: every live root field opens its stream here. */
  streams: Streams;
  publishLimiter: RateLimiter;
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
}

export type ContextDeps = Omit<Context, keyof OperationContext>;

export type ResolveViewer = (request: Request) => Promise<Viewer | null>;

/**
 * Request -> viewer, from the Authorization header (never the URL), once per request.
 * A present but bad credential rejects with an UNAUTHENTICATED GraphQL error.
 */
export function createViewerResolver(auth: Auth): ResolveViewer {
  const cache = new WeakMap<Request, Promise<Viewer | null>>();
  return (request) => {
    let viewer = cache.get(request);
    if (!viewer) {
      viewer = authenticate(auth, request.headers.get('authorization'));
      cache.set(request, viewer);
    }
    return viewer;
  };
}

async function authenticate(auth: Auth, header: string | null): Promise<Viewer | null> {
  if (!header) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) throw unauthenticated('Authorization header must be "Bearer <token>"');
  try {
    return await auth.authenticate(match[1]!);
  } catch (error) {
    if (error instanceof DomainError) throw unauthenticated(error.message);
    throw error;
  }
}

const unauthenticated = (message: string): GraphQLError =>
  createGraphQLError(message, { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });

/**
 * Yoga's context factory: the viewer, the operation's signal (set by the SSE transport, or
 * the request's own on /graphql) and the app's dependencies.
 */
export function createContext(deps: ContextDeps, resolveViewer: ResolveViewer, requestSignal: (request: Request) => AbortSignal) {
  return async (initial: YogaInitialContext & { [OPERATION_SIGNAL]?: AbortSignal }): Promise<Context> => ({
    ...deps,
    viewer: await resolveViewer(initial.request),
    signal: initial[OPERATION_SIGNAL] ?? requestSignal(initial.request),
    lastEventId: initial.request.headers.get('last-event-id'),
  });
}
